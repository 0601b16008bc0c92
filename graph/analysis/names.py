"""Finding a node from what a person types: an id (``p0001``), an IRI, or a label."""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Iterable

import networkx as nx

from ..errors import AmbiguousNameError, NotFoundError
from ..store import KnowledgeGraph

__all__ = ["fold", "resolve"]

_NAMED = """
SELECT ?s ?l WHERE {
  VALUES ?p { skos:prefLabel foaf:name dct:title schema:name rdfs:label }
  ?s ?p ?l
  FILTER(STRSTARTS(STR(?s), "https://w3id.org/copkg/id/") || EXISTS { ?s a foaf:Person }
         || EXISTS { ?s org:memberOf|^org:hasMember ?o })
}"""


def fold(text: str) -> str:
    """``text`` without accents, case or surrounding/double spaces, for matching names.

    >>> fold("  Élodie   FAURE ")
    'elodie faure'
    """
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(bare.casefold().split())


def resolve(G_or_kg: nx.Graph | KnowledgeGraph, text: str) -> str:
    """The node (IRI) that ``text`` names: its IRI, its id (last IRI segment) or its label.

    Case and accents are ignored. Raises :class:`~graph.errors.NotFoundError` listing the
    closest labels when nothing matches, :class:`~graph.errors.AmbiguousNameError` listing the
    candidates with their ids when several do.

    >>> G = nx.Graph()
    >>> G.add_node("https://w3id.org/copkg/id/person/p0001", label="Élodie Faure")
    >>> resolve(G, "elodie faure")
    'https://w3id.org/copkg/id/person/p0001'
    >>> resolve(G, "p0001")
    'https://w3id.org/copkg/id/person/p0001'
    """
    if isinstance(G_or_kg, KnowledgeGraph):
        return _match(_kg_labels(G_or_kg), text)
    nodes = {str(n): n for n in G_or_kg}
    candidates = [(str(n), str(data.get("label", n))) for n, data in G_or_kg.nodes(data=True)]
    node: str = nodes[_match(candidates, text)]
    return node


def _kg_labels(kg: KnowledgeGraph) -> list[tuple[str, str]]:
    rows = kg.select(_NAMED).rows
    return sorted({(s.value, lit.value) for s, lit in rows if s is not None and lit is not None})


def _match(candidates: Iterable[tuple[str, str]], text: str) -> str:
    wanted = text.strip()
    if not wanted:
        raise NotFoundError("No name given.")
    pairs = list(candidates)
    iris = {iri for iri, _ in pairs}
    if wanted in iris:
        return wanted
    key = fold(wanted)
    by_id = sorted({iri for iri in iris if fold(_ident(iri)) == key or fold(iri) == key})
    if len(by_id) == 1:
        return by_id[0]
    by_label = sorted({iri for iri, label in pairs if fold(label) == key})
    matches = by_label or by_id
    if len(matches) == 1:
        return matches[0]
    labels: dict[str, str] = {}
    for iri, label in pairs:
        labels.setdefault(iri, label)
    if matches:
        raise AmbiguousNameError(
            f"{wanted!r} names {len(matches)} resources; use an id.",
            [f"{labels[m]} ({_ident(m)})" for m in matches],
        )
    folded: dict[str, list[str]] = {}
    for iri, label in pairs:
        folded.setdefault(fold(label), []).append(iri)
    close = difflib.get_close_matches(key, list(folded), n=5, cutoff=0.6)
    contains = [k for k in sorted(folded) if key in k and k not in close][: 5 - len(close)]
    suggestions = [
        f"{labels[iri]} ({_ident(iri)})" for k in close + contains for iri in folded[k][:1]
    ]
    raise NotFoundError(f"Nothing is called {wanted!r}.", suggestions)


def _ident(iri: str) -> str:
    if iri.startswith("country:"):
        return iri.split(":", 1)[1]
    return iri.rstrip("/").rsplit("/", 1)[-1]
