"""Finding a node from what a person types: an id (``p0001``), an IRI, or a label."""

from __future__ import annotations

import networkx as nx

from ..names import fold, match_name
from ..store import KnowledgeGraph
from ..vocab import ID, KINDS

__all__ = ["fold", "label_in", "node_names", "resolve"]

_NAMED = """
SELECT ?s ?l WHERE {
  VALUES ?p { skos:prefLabel foaf:name dct:title schema:name rdfs:label }
  ?s ?p ?l
  FILTER(STRSTARTS(STR(?s), "https://w3id.org/copkg/id/") || EXISTS { ?s a foaf:Person }
         || EXISTS { ?s org:memberOf|^org:hasMember ?o })
}"""


def label_in(G: nx.Graph, node: object, language: str = "en") -> str:
    """The label of ``node`` in ``language`` (else English, else any, else its id).

    >>> G = nx.Graph()
    >>> G.add_node("id:p1", label="Ahmad Qasem", labels={"en": "Ahmad Qasem", "ar": "أحمد قاسم"})
    >>> label_in(G, "id:p1", "ar"), label_in(G, "id:p1", "fr")
    ('أحمد قاسم', 'Ahmad Qasem')
    """
    from .. import i18n

    data = G.nodes[node] if node in G else {}
    plain = str(data.get("label", node))
    return i18n.label(data.get("labels"), language, default=plain) or plain


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
        return match_name(_kg_labels(G_or_kg), text)
    wanted = text.strip()
    if wanted in G_or_kg:
        return wanted
    for segment in KINDS.values():  # an exact id: no need to compare every label
        if f"{ID}{segment}/{wanted}" in G_or_kg:
            return f"{ID}{segment}/{wanted}"
    nodes = {str(n): n for n in G_or_kg}
    node: str = nodes[match_name(node_names(G_or_kg), text)]
    return node


def node_names(G: nx.Graph) -> list[tuple[str, str]]:
    """``(node, name)`` pairs of ``G``: its ``label`` and its labels in every language.

    >>> G = nx.Graph()
    >>> G.add_node("x", label="Tunisia", labels={"en": "Tunisia", "fr": "Tunisie"})
    >>> node_names(G)
    [('x', 'Tunisia'), ('x', 'Tunisie')]
    """
    out: list[tuple[str, str]] = []
    for n, data in G.nodes(data=True):
        key = str(n)
        names = [str(data.get("label", n))]
        labels = data.get("labels")
        if isinstance(labels, dict):
            names += [str(v) for v in labels.values() if v]
        seen: set[str] = set()
        for name in names:
            if name not in seen:
                seen.add(name)
                out.append((key, name))
    return out


def _kg_labels(kg: KnowledgeGraph) -> list[tuple[str, str]]:
    rows = kg.select(_NAMED).rows
    return sorted({(s.value, lit.value) for s, lit in rows if s is not None and lit is not None})
