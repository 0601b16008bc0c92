"""Vocabularies and IRI rules of the copkg knowledge graph.

Every other module takes its terms from here, so a misspelled term fails at import time
instead of minting a wrong IRI (``COP.comunity`` raises ``AttributeError``).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from rdflib import Namespace, URIRef
from rdflib.namespace import (
    DCTERMS,
    FOAF,
    ORG,
    OWL,
    PROV,
    RDF,
    RDFS,
    SH,
    SKOS,
    TIME,
    XSD,
    ClosedNamespace,
)

__all__ = [
    "AUDIT_GRAPH",
    "BASE",
    "COP",
    "COPX",
    "DCTERMS",
    "FOAF",
    "GRAPH",
    "ID",
    "KINDS",
    "ONTOLOGY_GRAPH",
    "ORG",
    "OWL",
    "PLATFORM_ID",
    "PREFIXES",
    "PROV",
    "RDF",
    "RDFS",
    "SCHEMA",
    "SH",
    "SKOS",
    "STATE_GRAPH",
    "TIME",
    "XSD",
    "extra_column_iri",
    "inferred_graph_iri",
    "resource_iri",
    "slug",
    "source_graph_iri",
    "sparql_prologue",
]

BASE = "https://w3id.org/copkg/"

#: Terms of the copkg ontology (``ontology/cop.ttl``). Closed: only these exist.
COP = ClosedNamespace(
    uri=URIRef(BASE + "ontology#"),
    terms=[
        # classes
        "CommunityOfPractice",
        "KnowledgeProduct",
        "Report",
        "Toolkit",
        "CaseStudy",
        "PolicyNote",
        "Dataset",
        "Training",
        "Event",
        "Session",
        "DialogueEvent",
        "Workshop",
        "Conference",
        "StudyTour",
        "Program",
        "Platform",
        "Participation",
        "ImportedSource",
        "InferredTriples",
        "Government",
        "City",
        "Region",
        "DevelopmentBank",
        "DevelopmentAgency",
        "InternationalOrganization",
        "PublicInstitution",
        "University",
        "NonGovernmentalOrganization",
        "ProfessionalNetwork",
        "Company",
        # properties
        "country",
        "community",
        "launched",
        "partOfProgram",
        "coordinatedBy",
        "since",
        "event",
        "participant",
        "illustrative",
        "sourceFile",
        "sheet",
        "row",
        "sha256",
        "importedAt",
        "tripleCount",
        "organizationType",
        # imports: links recorded from the other end (graph/ingest/effects)
        "linkProperty",
        # access: personal data, audit, erasure (graph/access)
        "personalData",
        "ImportActivity",
        "ErasureActivity",
        "UserActivity",
        "action",
        "status",
        "salt",
        "saltedHash",
        "removedTriples",
        "generation",
        # roles (instances of org:Role, in the cop:roles scheme)
        "MemberRole",
        "ObserverRole",
        "PartnerRole",
        "CoordinatorRole",
        "FacilitatorRole",
        "SpeakerRole",
        "ParticipantRole",
        "OrganizerRole",
        # concept schemes
        "themes",
        "roles",
    ],
)

#: Extra spreadsheet columns become ``copx:<column>`` literals (kept, never dropped).
COPX = Namespace(BASE + "column#")
#: schema.org, https form as rdflib's ``SDO`` uses it.
SCHEMA = Namespace("https://schema.org/")
#: Resources (people, organisations, ...) live under ``id/<kind>/<id>``.
ID = Namespace(BASE + "id/")
#: Named graphs: one per imported source file, plus the ontology.
GRAPH = Namespace(BASE + "graph/")
ONTOLOGY_GRAPH = URIRef(BASE + "graph/ontology")
#: The audit trail (imports, erasures, user changes as PROV activities). Outside ``graph/``:
#: it is not an imported file, never exported, and hidden from viewers.
AUDIT_GRAPH = URIRef(BASE + "audit")
#: The store's state: one triple ``<state> cop:generation "token"`` rewritten by every write
#: (outside ``graph/``, so it is neither an imported source nor exported).
STATE_GRAPH = URIRef(BASE + "state")

#: The platform whose membership the ``organizations`` sheet's ``role`` column describes.
PLATFORM_ID = "cmi"

#: Kinds of resource and the IRI segment each one uses.
KINDS = {
    "organization": "org",
    "person": "person",
    "community": "community",
    "theme": "theme",
    "product": "product",
    "event": "event",
    "program": "program",
    "membership": "membership",
    "participation": "participation",
    "source": "source",
}

#: Prefixes pre-declared for every SPARQL query (console, saved queries, API).
PREFIXES: dict[str, str] = {
    "cop": str(COP),
    "copx": str(COPX),
    "id": str(ID),
    "org": str(ORG),
    "foaf": str(FOAF),
    "skos": str(SKOS),
    "dct": str(DCTERMS),
    "schema": str(SCHEMA),
    "prov": str(PROV),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "owl": str(OWL),
    "xsd": str(XSD),
    "time": str(TIME),
    "sh": str(SH),
}

_SLUG_DROP = re.compile(r"[^a-z0-9._-]+")


@lru_cache(maxsize=65536)
def slug(text: str) -> str:
    """Turn an id or file name into a stable IRI segment.

    Accents are folded, case is lowered, anything but ``a-z0-9._-`` becomes ``-``.

    >>> slug("Côte d'Azur  Region")
    'cote-d-azur-region'
    >>> slug("P-0001")
    'p-0001'
    """
    folded = unicodedata.normalize("NFKD", text.strip()).encode("ascii", "ignore").decode()
    return _SLUG_DROP.sub("-", folded.lower()).strip("-")


def resource_iri(kind: str, ident: str) -> URIRef:
    """The stable IRI of a resource of ``kind`` with spreadsheet id ``ident``.

    >>> resource_iri("person", "P0001")
    rdflib.term.URIRef('https://w3id.org/copkg/id/person/p0001')
    """
    if kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r}; expected one of {sorted(KINDS)}")
    segment = slug(ident)
    if not segment:
        raise ValueError(f"id {ident!r} has no letters or digits to build an IRI from")
    return URIRef(f"{ID}{KINDS[kind]}/{segment}")


def source_graph_iri(file_name: str) -> URIRef:
    """The named graph that holds everything imported from one source file.

    >>> source_graph_iri("people.csv")
    rdflib.term.URIRef('https://w3id.org/copkg/graph/people.csv')
    """
    return URIRef(f"{GRAPH}{slug(file_name)}")


def inferred_graph_iri(file_name: str) -> URIRef:
    """The graph holding what was inferred from one RDF file through ``ontology/alignments.ttl``.

    >>> inferred_graph_iri("partners.ttl")
    rdflib.term.URIRef('https://w3id.org/copkg/graph/inferred/partners.ttl')
    """
    return URIRef(f"{GRAPH}inferred/{slug(file_name)}")


def extra_column_iri(column: str) -> URIRef:
    """The property that keeps an extra spreadsheet column.

    >>> extra_column_iri("Phone number")
    rdflib.term.URIRef('https://w3id.org/copkg/column#phone-number')
    """
    return URIRef(f"{COPX}{slug(column)}")


def sparql_prologue() -> str:
    """``PREFIX`` lines for :data:`PREFIXES`, for engines that need them spelled out."""
    return "".join(f"PREFIX {name}: <{iri}>\n" for name, iri in PREFIXES.items())
