"""What an import would change, per resource kind, and which changes need a confirmation.

Before anything is written, each file's new graph is compared with what the same file put in
the store last time: resources added, changed (property: old → new values) and removed. Three
things are never done without an explicit confirmation (``copkg import --replace``, the confirm
step of the app's Data page): a file that removes more resources than it adds, a sheet that
would be emptied, and a file that changes a resource another source defines.

A source *defines* a resource when its graph (or the graph of what its RDF implies) gives the
resource a type: it is the subject of an ``rdf:type`` statement there. A file *changes* such a
resource when what the store says of it (every source's statements, as a subject) differs
before and after the import: typing it, adding or changing a label, a country, anything, or
dropping what the file said of it before. Pointing at it (the resource as an object, e.g. a
person's organisation) changes nothing. Those changes are :attr:`FileEffect.redefined`, with
the resource's old → new values.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import PurePath

import pyoxigraph as ox

from .. import i18n
from ..vocab import COP, FOAF, ORG, PREFIXES, PROV, RDF, SKOS, slug

__all__ = [
    "Change",
    "FileEffect",
    "Reason",
    "another_name",
    "change_lines",
    "confirmations",
    "file_effect",
    "kind_of",
    "overridden",
    "redefinitions",
    "rename_advice",
    "short_iri",
]

_TYPE = str(RDF.type)
_IGNORED = {str(PROV.wasDerivedFrom)}
#: Canonical classes → the kind a person reads ("person", "organization", ...).
_KINDS = {
    str(FOAF.Person): "person",
    str(ORG.Organization): "organization",
    str(COP.CommunityOfPractice): "community",
    str(SKOS.Concept): "theme",
    str(COP.KnowledgeProduct): "product",
    str(COP.Event): "event",
    str(COP.Program): "program",
    str(ORG.Membership): "membership",
    str(COP.Participation): "participation",
}
_SUBKINDS = {
    **{str(COP[c]): "organization" for c in (
        "Government", "City", "Region", "DevelopmentBank", "DevelopmentAgency",
        "InternationalOrganization", "PublicInstitution", "University",
        "NonGovernmentalOrganization", "ProfessionalNetwork", "Company", "Platform")},
    **{str(COP[c]): "product" for c in (
        "Report", "Toolkit", "CaseStudy", "PolicyNote", "Dataset", "Training")},
    **{str(COP[c]): "event" for c in (
        "Session", "DialogueEvent", "Workshop", "Conference", "StudyTour")},
}


@dataclass
class Change:
    """One resource whose stored description would change: ``property → (old, new)`` values.

    For a resource another source defines, ``defined_by`` lists those sources' graphs and the
    values are everything the store says of the resource, before and after the import.
    """

    resource: str
    kind: str
    values: dict[str, tuple[list[str], list[str]]]
    defined_by: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        return f"{short_iri(self.resource)} ({self.values_text()})"

    def values_text(self) -> str:
        """``property: old → new`` for each changed property (``—`` for no value).

        >>> Change("x", "person", {str(FOAF.name): (["Ana"], ["Anna"])}).values_text()
        'foaf:name: Ana → Anna'
        """
        return "; ".join(f"{short_iri(p)}: {', '.join(old) or '—'} → {', '.join(new) or '—'}"
                         for p, (old, new) in sorted(self.values.items()))


@dataclass
class FileEffect:
    """What importing one file would do: resources added / changed / removed, by kind."""

    file: str
    graph: str
    added: dict[str, list[str]] = field(default_factory=dict)
    changed: list[Change] = field(default_factory=list)
    removed: dict[str, list[str]] = field(default_factory=dict)
    #: Resources another source defines whose description this file changes (see the module).
    redefined: list[Change] = field(default_factory=list)
    #: Sheets present in the file without rows, whose previous version had resources.
    emptied: dict[str, int] = field(default_factory=dict)

    @property
    def counts(self) -> dict[str, tuple[int, int, int]]:
        """``kind → (added, changed, removed)``."""
        kinds = sorted({*self.added, *self.removed,
                        *(c.kind for c in [*self.changed, *self.redefined])})
        changed: dict[str, int] = defaultdict(int)
        for c in [*self.changed, *self.redefined]:
            changed[c.kind] += 1
        return {k: (len(self.added.get(k, [])), changed[k], len(self.removed.get(k, [])))
                for k in kinds}

    def summary(self, language: str = "en") -> str:
        """One line: per kind what is added, changed and removed, in ``language``.

        >>> effect = FileEffect("people.csv", "g", added={"person": ["a", "b"]},
        ...                     removed={"organization": ["o"]})
        >>> effect.summary()
        'people.csv: Organisation: -1 removed; Person: +2 added'
        >>> effect.summary("fr")
        'people.csv : Organisation : -1 suppression ; Personne : +2 ajouts'
        >>> FileEffect("a.ttl", "g").summary("ar")
        'الملف a.ttl: لا تغيير'
        """
        parts = []
        for kind, counts in self.counts.items():
            said = [i18n.t(key, language, n=n)
                    for key, n in zip(_COUNT_KEYS, counts, strict=True) if n]
            parts.append(i18n.t("ingest.kind_counts", language,
                                kind=i18n.t(f"kind.{kind}", language),
                                counts=i18n.t("ingest.list_sep", language).join(said)))
        if not parts:
            return i18n.t("ingest.no_change", language, file=self.file)
        return i18n.t("ingest.summary", language, file=self.file,
                      parts=i18n.t("ingest.kinds_sep", language).join(parts))


_COUNT_KEYS = ("ingest.added", "ingest.changed", "ingest.removed")


@dataclass(frozen=True)
class Reason:
    """Why an import needs a confirmation: a catalogue text (``ingest.reason_*``) and its
    values, shown in any language with :meth:`text` (``str()`` is English).

    >>> reason = Reason("ingest.reason_emptied", {"file": "p.csv", "sheet": "people", "n": 3})
    >>> str(reason)
    'p.csv: the people sheet has no rows, so the 3 resources it held would be removed'
    >>> reason.text("fr")  # doctest: +ELLIPSIS
    "p.csv : la feuille people n'a aucune ligne, donc les 3 ressources qu'elle contenait..."
    """

    key: str
    values: Mapping[str, object]

    def text(self, language: str = "en") -> str:
        """The reason in ``language`` (kind words and numbers too)."""
        values = dict(self.values)
        removed = values.pop("removed_kinds", None)
        if isinstance(removed, Mapping):
            values["kinds"] = i18n.t("ingest.list_sep", language).join(
                i18n.t("ingest.kind_counts", language, kind=i18n.t(f"kind.{kind}", language),
                       counts=i18n.format_number(n, language)) for kind, n in removed.items())
        return i18n.t(self.key, language, **values)

    def __str__(self) -> str:
        return self.text()


def kind_of(types: Iterable[str]) -> str | None:
    """The kind of a resource with ``types`` (None for provenance records and the like).

    >>> kind_of(["https://w3id.org/copkg/ontology#City"])
    'organization'
    """
    found = None
    for t in types:
        kind = _KINDS.get(t) or _SUBKINDS.get(t)
        if kind is not None and (found is None or t in _KINDS):
            found = kind
    return found


def file_effect(
    file: str, graph: str, old: Iterable[ox.Triple], new: Iterable[ox.Triple],
    *, skip: Collection[str] = (),
) -> FileEffect:
    """Compare a file's stored triples ``old`` with its new triples ``new``, by resource.

    A resource is a subject with a type of a known kind; provenance (row records,
    ``prov:wasDerivedFrom``) is not compared. Every change is described (the counts are
    those of :attr:`FileEffect.changed`; :func:`change_lines` shows the first ones).
    Resources in ``skip`` (those other sources define: :func:`redefinitions`) are left out.

    >>> p = ox.NamedNode("https://w3id.org/copkg/id/person/p1")
    >>> name = ox.NamedNode(str(FOAF.name))
    >>> a = [ox.Triple(p, ox.NamedNode(_TYPE), ox.NamedNode(str(FOAF.Person))),
    ...      ox.Triple(p, name, ox.Literal("Ana"))]
    >>> str(file_effect("people.csv", "g", a, [a[0], ox.Triple(p, name, ox.Literal("Anna"))])
    ...     .changed[0])
    'id:person/p1 (foaf:name: Ana → Anna)'
    """
    old_set = set(old)
    if not old_set:  # a new file: everything it defines is added
        effect = FileEffect(file, graph)
        for subject, types in _types(new).items():
            kind = kind_of(types)
            if kind is not None and subject.value not in skip:
                effect.added.setdefault(kind, []).append(subject.value)
        return effect
    new_set = set(new)
    touched = {t.subject for t in old_set ^ new_set}
    types_before = _types(old_set)
    types_after = _types(new_set)
    before = _by_subject(t for t in old_set if t.subject in touched)
    after = _by_subject(t for t in new_set if t.subject in touched)
    effect = FileEffect(file, graph)
    # In the resources' order (ids), the same in every run.
    for subject, types in sorted(types_after.items(), key=lambda item: item[0].value):
        kind = kind_of(types)
        if kind is None or subject.value in skip:
            continue
        if kind_of(types_before.get(subject, ())) is None:
            effect.added.setdefault(kind, []).append(subject.value)
        elif subject in touched:
            previous, facts = before.get(subject.value, {}), after.get(subject.value, {})
            values = {p: (sorted(previous.get(p, ())), sorted(facts.get(p, ())))
                      for p in {*previous, *facts}
                      if previous.get(p, set()) != facts.get(p, set())}
            if values:
                effect.changed.append(Change(subject.value, kind, values))
    for subject, types in sorted(types_before.items(), key=lambda item: item[0].value):
        kind = kind_of(types)
        if kind is not None and subject.value not in skip \
                and kind_of(types_after.get(subject, ())) is None:
            effect.removed.setdefault(kind, []).append(subject.value)
    return effect


def overridden(
    new: Iterable[ox.Triple], others: Mapping[str, tuple[Sequence[str], Iterable[ox.Triple]]],
    *, links: Collection[str] = (),
) -> set[ox.Triple]:
    """Statements of other sources that a sheet's new values replace, once confirmed.

    A sheet row states a resource's values in its columns. Where it gives a property (in one
    language) a value the other sources do not give, it *changes* that property: their other
    values of it (in that language) are replaced. A value restated as it is, a column left
    empty, types and ``links`` properties replace nothing. This is what lets a manager export
    the sheets, edit one cell and import them again: only that cell changes.

    >>> afd = ox.NamedNode("https://w3id.org/copkg/id/org/afd")
    >>> label = ox.NamedNode(str(SKOS.prefLabel))
    >>> cmi = [ox.Triple(afd, label, ox.Literal("AFD", language="en")),
    ...        ox.Triple(afd, label, ox.Literal("AFD", language="fr"))]
    >>> others = {afd.value: (["https://w3id.org/copkg/graph/cmi.ttl"], cmi)}
    >>> overridden(cmi[:1], others)
    set()
    >>> [t.object for t in overridden(
    ...     [ox.Triple(afd, label, ox.Literal("Agence", language="en"))], others)]
    [<Literal value=AFD language=en>]
    """
    mine: dict[str, dict[tuple[str, str], set[object]]] = defaultdict(lambda: defaultdict(set))
    for t in new:
        if isinstance(t.subject, ox.NamedNode) and t.subject.value in others \
                and t.predicate.value not in links and t.predicate.value != _TYPE \
                and t.predicate.value not in _IGNORED:
            mine[t.subject.value][(t.predicate.value, _language(t.object))].add(t.object)
    replaced: set[ox.Triple] = set()
    for resource, said in mine.items():
        theirs: dict[tuple[str, str], set[ox.Triple]] = defaultdict(set)
        for t in others[resource][1]:
            theirs[(t.predicate.value, _language(t.object))].add(t)
        for key, values in said.items():
            stated = {t.object for t in theirs.get(key, ())}
            if not values <= stated:
                replaced.update(t for t in theirs.get(key, ()) if t.object not in values)
    return replaced


def _language(term: object) -> str:
    return term.language or "" if isinstance(term, ox.Literal) else ""


def redefinitions(
    old: Iterable[ox.Triple], new: Iterable[ox.Triple],
    others: Mapping[str, tuple[Sequence[str], Iterable[ox.Triple]]],
    *, links: Collection[str] = (), replaced: Collection[ox.Triple] = (),
) -> list[Change]:
    """How a file changes resources other sources define, old → new values.

    ``others`` maps each such resource to the graphs of the sources that define it and every
    statement other sources make about it; ``old`` and ``new`` are this file's statements (its
    previous version's, and the new ones) about them. Before = others' statements plus ``old``,
    after = others' plus ``new``; a resource whose description stays the same (the file says
    nothing new of it) is left out. Other sources' statements in ``replaced`` (see
    :func:`overridden`) are gone after. Statements of the ``links`` properties (marked
    ``cop:linkProperty`` in the ontology: an event's attendee, an organisation's member) point
    at the resource from the other end and change nothing.

    >>> afd = ox.NamedNode("https://w3id.org/copkg/id/org/afd")
    >>> label = ox.NamedNode(str(SKOS.prefLabel))
    >>> cmi = [ox.Triple(afd, ox.NamedNode(_TYPE), ox.NamedNode(str(ORG.Organization))),
    ...        ox.Triple(afd, label, ox.Literal("AFD", language="en"))]
    >>> change, = redefinitions([], [ox.Triple(afd, label, ox.Literal("Agence X", language="en"))],
    ...                         {afd.value: (["https://w3id.org/copkg/graph/cmi.ttl"], cmi)})
    >>> str(change), change.kind
    ('id:org/afd (skos:prefLabel: AFD@en → AFD@en, Agence X@en)', 'organization')
    """
    old = [t for t in old if t.predicate.value not in links]
    new = [t for t in new if t.predicate.value not in links]
    mine_before, mine_after = _by_subject(old), _by_subject(new)
    language = {_shown(t.object): _language(t.object) for t in [*old, *new]}
    changes = []
    for resource in sorted({*mine_before, *mine_after} & set(others)):
        graphs, theirs = others[resource]
        theirs = list(theirs)
        language.update((_shown(t.object), _language(t.object)) for t in theirs)
        kept = _by_subject(theirs).get(resource, {})
        left = _by_subject(t for t in theirs if t not in replaced).get(resource, {})
        before, after = mine_before.get(resource, {}), mine_after.get(resource, {})
        values = {}
        for p in sorted({*before, *after}):
            if before.get(p, set()) == after.get(p, set()):
                continue
            was = kept.get(p, set()) | before.get(p, set())
            now = left.get(p, set()) | after.get(p, set())
            if was != now:
                # Values in a language none of the changes is in stay out of the list.
                changed = {language.get(v, "") for v in was ^ now}
                values[p] = (sorted(v for v in was if language.get(v, "") in changed),
                             sorted(v for v in now if language.get(v, "") in changed))
        if values:
            types = {t.object.value for t in [*theirs, *old, *new]
                     if t.predicate.value == _TYPE and isinstance(t.subject, ox.NamedNode)
                     and t.subject.value == resource and isinstance(t.object, ox.NamedNode)}
            changes.append(Change(resource, kind_of(types) or "resource", values, list(graphs)))
    return changes


def _types(triples: Iterable[ox.Triple]) -> dict[ox.NamedNode, set[str]]:
    found: dict[ox.NamedNode, set[str]] = defaultdict(set)
    for t in triples:
        if t.predicate.value == _TYPE and isinstance(t.subject, ox.NamedNode) \
                and isinstance(t.object, ox.NamedNode):
            found[t.subject].add(t.object.value)
    return found


def confirmations(effects: Sequence[FileEffect], sources: Mapping[str, str]) -> list[Reason]:
    """Why the import needs a confirmation (empty when it does not).

    ``sources`` maps graph IRIs to the file names people know them by.
    """
    reasons = []
    for e in effects:
        added = sum(len(v) for v in e.added.values())
        removed = sum(len(v) for v in e.removed.values())
        if removed > added:
            reasons.append(Reason("ingest.reason_removes", {
                "file": e.file, "n": removed, "added": added,
                "removed_kinds": {k: len(v) for k, v in sorted(e.removed.items())}}))
        for sheet, count in sorted(e.emptied.items()):
            reasons.append(Reason("ingest.reason_emptied",
                                  {"file": e.file, "sheet": sheet, "n": count}))
        for change in e.redefined[:50]:
            reasons.append(Reason("ingest.reason_changes", {
                "file": e.file, "resource": short_iri(change.resource),
                "sources": ", ".join(sources.get(o, o) for o in change.defined_by),
                "n": len(change.defined_by), "changes": change.values_text()}))
        if len(e.redefined) > 50:
            reasons.append(Reason("ingest.reason_more",
                                  {"file": e.file, "n": len(e.redefined) - 50}))
    return reasons


def change_lines(effect: FileEffect, language: str = "en", *, limit: int = 20) -> list[str]:
    """Each resource ``effect`` changes, old → new values, as ``copkg validate``, ``copkg
    import`` and the Data page show them: the first ``limit``, then how many more.

    >>> p = "https://w3id.org/copkg/id/person/p1"
    >>> effect = FileEffect("people.csv", "g", changed=[
    ...     Change(p + str(i), "person", {str(FOAF.name): (["Ana"], ["Anna"])})
    ...     for i in range(3)])
    >>> change_lines(effect, limit=2)  # doctest: +NORMALIZE_WHITESPACE
    ['changed id:person/p10 (foaf:name: Ana → Anna)',
     'changed id:person/p11 (foaf:name: Ana → Anna)', '…and 1 more changed']
    """
    changes = [*effect.changed, *effect.redefined]
    lines = [i18n.t("ingest.changed_line", language, change=str(c)) for c in changes[:limit]]
    if len(changes) > limit:
        lines.append(i18n.t("ingest.changed_more", language, n=len(changes) - limit))
    return lines


def another_name(file: str, taken: Collection[str], year: int) -> str:
    """A name under which ``file`` is imported *beside* the file of that name instead of in its
    place: ``<name>-<year>``, else ``-2``, ``-3``… until no file in ``taken`` has it. A CSV
    file is named after its sheet first (:func:`graph.ingest.reading.csv_sheet`), so the new
    name is still that sheet.

    >>> another_name("people.csv", {"people.csv"}, 2026)
    'people-2026.csv'
    >>> another_name("people-2026.csv", {"people.csv", "People-2026.csv"}, 2026)
    'people-2026-2.csv'
    >>> another_name("team.xlsx", (), 2026)
    'team-2026.xlsx'
    """
    from .reading import csv_sheet

    path = PurePath(file)
    base = (csv_sheet(path.stem) if path.suffix.lower() == ".csv" else None) or path.stem
    used = {slug(name) for name in [*taken, file]}
    n = 1
    while True:
        name = f"{base}-{year}{'' if n == 1 else f'-{n}'}{path.suffix}"
        if slug(name) not in used:
            return name
        n += 1


def rename_advice(effects: Sequence[FileEffect], taken: Collection[str], year: int
                  ) -> list[Reason]:
    """How to ADD a file's rows beside the earlier file of the same name rather than replace
    it: for each file that would remove more resources than it adds (and adds some), the
    other name to give it (:func:`another_name`; ``taken``: the file names already imported
    and those of the batch). ``--replace`` is for replacing the whole sheet.

    >>> effect = FileEffect("people.csv", "g", added={"person": ["a"]},
    ...                     removed={"person": ["b", "c"]})
    >>> [r.text() for r in rename_advice([effect], {"people.csv"}, 2026)]
    ['rename people.csv as people-2026.csv']
    """
    advice = []
    names = {*taken, *(e.file for e in effects)}
    for e in effects:
        added = sum(len(v) for v in e.added.values())
        removed = sum(len(v) for v in e.removed.values())
        if removed > added > 0:
            name = another_name(e.file, names, year)
            names.add(name)
            advice.append(Reason("ingest.advice_rename", {"file": e.file, "name": name}))
    return advice


def _by_subject(triples: Iterable[ox.Triple]) -> dict[str, dict[str, set[str]]]:
    out: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for t in triples:
        if t.predicate.value in _IGNORED or not isinstance(t.subject, ox.NamedNode):
            continue
        out[t.subject.value][t.predicate.value].add(_shown(t.object))
    return out


def _shown(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> str:
    """A value as the lists of changes show it: an IRI, a text (with ``@language``)."""
    if isinstance(term, ox.Literal):
        return f"{term.value}@{term.language}" if term.language else term.value
    return short_iri(term.value) if isinstance(term, ox.NamedNode) else str(term)


_NAMESPACES = sorted(PREFIXES.items(), key=lambda item: -len(item[1]))


def short_iri(iri: str) -> str:
    """``id:person/p1`` for a copkg IRI, ``foaf:name`` for a vocabulary term, else the IRI.

    >>> short_iri("https://w3id.org/copkg/id/person/p1")
    'id:person/p1'
    """
    for name, namespace in _NAMESPACES:
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{name}:{iri[len(namespace):]}"
    return iri
