"""Resolving reference cells against the batch and the store, with "did you mean" suggestions.

Store look-ups send IRIs as a ``VALUES`` block of terms serialised by pyoxigraph (never text
typed by a person); graphs the batch is about to replace do not count as "in the store".
"""

from __future__ import annotations

from collections.abc import Collection, Iterable

import pyoxigraph as ox

from ..errors import Problem
from ..i18n import Message, OneOf
from ..store import KnowledgeGraph
from ..vocab import ID, KINDS, resource_iri, slug
from .contract import SHEETS
from .mapping import AGENT, BatchIndex
from .values import closest

__all__ = ["resolve_references", "stored_types", "values_block"]

_CHUNK = 2000


def values_block(variable: str, terms: Iterable[ox.NamedNode]) -> str:
    """``VALUES ?variable { <a> <b> }`` from pyoxigraph terms (pyoxigraph escapes them).

    >>> values_block("s", [ox.NamedNode("http://x/a")])
    'VALUES ?s { <http://x/a> }'
    """
    return f"VALUES ?{variable} {{ " + " ".join(str(t) for t in terms) + " }"


def stored_types(
    kg: KnowledgeGraph, iris: Collection[str], exclude_graphs: Collection[str],
) -> dict[str, set[str]]:
    """``iri → rdf:types`` stored for each of ``iris``, outside ``exclude_graphs``."""
    found: dict[str, set[str]] = {}
    ordered = sorted(iris)
    for start in range(0, len(ordered), _CHUNK):
        chunk = [ox.NamedNode(i) for i in ordered[start:start + _CHUNK]]
        result = kg.select(
            "SELECT ?s ?type ?g WHERE { " + values_block("s", chunk)
            + " GRAPH ?g { ?s a ?type } }"
        )
        for s, type_, g in result.rows:
            if s is None or type_ is None or g is None or g.value in exclude_graphs:
                continue
            found.setdefault(s.value, set()).add(type_.value)
    return found


def resolve_references(
    kg: KnowledgeGraph, index: BatchIndex, batch_graphs: Collection[str],
) -> tuple[list[Problem], set[str]]:
    """Add the triple of every resolvable reference; return problems and the stored IRIs used.

    Also reports an id defined in the batch as a person (or organisation) that the store
    already has as an organisation (or person): the two share one id space.
    """
    candidates: set[str] = set()
    for ref in index.pending:
        if slug(ref.ident) and not _in_batch(index, ref.kinds, ref.ident):
            candidates.update(str(resource_iri(k, ref.ident)) for k in ref.kinds)
    clash_probe: dict[str, tuple[str, str]] = {}
    for (kind, key), _origin in index.defined.items():
        if kind in AGENT:
            other = AGENT[1] if kind == AGENT[0] else AGENT[0]
            iri = f"{ID}{KINDS[other]}/{key}"
            clash_probe[iri] = (kind, key)
    stored = stored_types(kg, candidates | set(clash_probe), batch_graphs)
    problems: list[Problem] = []
    for iri, (kind, key) in sorted(clash_probe.items()):
        if iri in stored:
            origin = index.defined[(kind, key)]
            other = AGENT[1] if kind == AGENT[0] else AGENT[0]
            problems.append(origin.problem(
                Message("ref.taken_by_person" if other == "person" else "ref.taken_by_org",
                        ident=key),
                "id", Message("ref.taken_fix"),
            ))
    used: set[str] = set()
    suggestions_cache: dict[tuple[str, ...], list[str]] = {}
    for ref in index.pending:
        target = _resolve(index, stored, ref.kinds, ref.ident)
        if target is None:
            if ref.kinds not in suggestions_cache:
                suggestions_cache[ref.kinds] = _known_ids(kg, index, ref.kinds, batch_graphs)
            near = closest(ref.ident.lower(), suggestions_cache[ref.kinds])
            what = _NOT_AN_ID.get(ref.kinds, "ref.not_an_id")
            if near:
                fix = Message("ref.did_you_mean", names=OneOf(near))
            elif _sheet_of(ref.kinds):
                fix = Message("ref.add_to_sheet", sheets=_sheet_of(ref.kinds))
            else:
                fix = Message("ref.no_such_program" if ref.kinds == ("program",)
                              else "ref.no_such_id")
            problems.append(ref.origin.problem(
                Message(what, ident=ref.ident), ref.column, fix,
            ))
            continue
        if target.value in stored:
            used.add(target.value)
        for subject, predicate in ref.uses:
            ref.graph.append(ox.Quad(subject, predicate, target, ref.graph_name))
    return problems, used


#: What a reference to each kind of resource is, when no resource has its id.
_NOT_AN_ID = {
    ("person", "organization"): "ref.not_agent",
    ("organization",): "ref.not_organization",
    ("person",): "ref.not_person",
    ("community",): "ref.not_community",
    ("theme",): "ref.not_theme",
    ("program",): "ref.not_program",
    ("event",): "ref.not_event",
}


def _in_batch(index: BatchIndex, kinds: tuple[str, ...], ident: str) -> bool:
    return any(index.has(k, slug(ident)) for k in kinds)


def _resolve(
    index: BatchIndex, stored: dict[str, set[str]], kinds: tuple[str, ...], ident: str,
) -> ox.NamedNode | None:
    if not slug(ident):
        return None
    for kind in kinds:
        if index.has(kind, slug(ident)):
            return ox.NamedNode(str(resource_iri(kind, ident)))
    for kind in kinds:
        iri = str(resource_iri(kind, ident))
        if iri in stored:
            return ox.NamedNode(iri)
    return None


def _known_ids(
    kg: KnowledgeGraph, index: BatchIndex, kinds: tuple[str, ...], batch_graphs: Collection[str],
) -> list[str]:
    """Ids of ``kinds`` in the batch and the store, for suggestions."""
    ids = {key for (kind, key) in [*index.defined, *index.rdf_defined] if kind in kinds}
    for kind in kinds:
        prefix = f"{ID}{KINDS[kind]}/"
        result = kg.select(
            "SELECT DISTINCT ?s ?g WHERE { GRAPH ?g { ?s a ?type } "
            "FILTER(STRSTARTS(STR(?s), ?prefix)) }",
            {"prefix": prefix},
        )
        for s, g in result.rows:
            if s is not None and g is not None and g.value not in batch_graphs:
                ids.add(s.value[len(prefix):])
    return sorted(ids)


def _sheet_of(kinds: tuple[str, ...]) -> OneOf:
    return OneOf(s.name for s in SHEETS.values() if s.kind in kinds)

