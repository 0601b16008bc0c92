"""Saved queries: ``*.rq`` files of this package, each with a title, a description and typed
parameters, run with values a person typed (converted and checked before they reach SPARQL).

A header is ``#`` lines at the top of the file::

    # title: Experts of a community
    # description: People who are members of a community, with their organisation and country.
    # param: community iri id:community/urban-transport — the community (id, prefix:local or IRI)
    # param: country string * — ISO 3166-1 alpha-2 code; * for every country

A parameter named ``x`` is the query variable ``?x``; its value goes in as a ``VALUES`` block
(:func:`graph.store.bind`). The default ``*`` means "any": the variable is left unbound, so the
query's own patterns bind it. An ``iri`` parameter whose default is ``id:<kind>/<id>`` also
accepts a bare id of that kind (``employment`` → ``id:community/employment``). A ``country``
parameter binds an ISO code, given as a code or a name in en/fr/ar, any case (``Tunisie``,
``tunisia``, ``tn`` → ``TN``): the rule of ``--country``
(:func:`graph.network.resolve_country`), checked against the data's countries.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING

import pandas as pd
import pyoxigraph as ox

from ..errors import NotFoundError, QueryError
from ..i18n import Message, text_key, translation
from ..names import closest, ident, match_name
from ..vocab import ID, KINDS, PREFIXES, slug

if TYPE_CHECKING:
    from ..store import KnowledgeGraph
    from ..store.sparql import BindingValue

__all__ = ["PARAM_TYPES", "Param", "SavedQuery", "get_query", "list_queries", "run_saved"]

#: The types a ``# param:`` line may declare.
PARAM_TYPES = ("iri", "string", "country", "integer", "decimal", "date", "year", "boolean")
#: A default meaning "no value": the variable stays unbound and the query's patterns bind it.
ANY = "*"

_XSD = "http://www.w3.org/2001/XMLSchema#"
_HEADER = re.compile(r"^#\s*(title|description|param)\s*:\s*(.*?)\s*$")
_PARAM = re.compile(r"^(\w+)\s+(\w+)(?::([\w-]+))?\s+(\S+)\s*(?:(?:—|–|--|-)\s*(.*))?$")
_SEGMENT_KIND = {segment: kind for kind, segment in KINDS.items()}


@dataclass(frozen=True)
class Param:
    """One parameter of a saved query: the variable ``?name``, its type, default and meaning."""

    name: str
    type: str
    default: str
    description: str = ""
    #: For ``iri``: the kind of resource a bare id names (``iri:person``, or from the default
    #: ``id:<kind>/...``), e.g. ``"person"``; ``None`` when bare ids are not accepted.
    kind: str | None = None

    def description_in(self, query: str, lang: str) -> str:
        """This parameter's description in ``lang`` (the ``.rq`` header's English otherwise)."""
        key = text_key(f"query.{query}.param.{self.name}", self.description)
        return translation(key, lang) or self.description

    @property
    def optional(self) -> bool:
        """True when the default is ``*`` (no filter)."""
        return self.default == ANY

    def convert(self, text: str) -> BindingValue | None:
        """The RDF value for what a person typed, or ``None`` for ``*`` (leave unbound).

        >>> Param("year_from", "year", "2010").convert(" 2015 ")
        2015
        >>> Param("community", "iri", "*", kind="community").convert("employment")
        <NamedNode value=https://w3id.org/copkg/id/community/employment>
        """
        text = text.strip()
        if text == ANY:
            return None
        try:
            return _CONVERTERS[self.type](self, text)
        except (ValueError, InvalidOperation, TypeError) as exc:
            detail = f" ({exc})" if str(exc) and self.type == "iri" else ""
            raise QueryError("error.bad_param_or_any" if self.optional else "error.bad_param",
                             name=self.name, value=text, type=self.type, detail=detail,
                             expected=Message(_EXPECTED[self.type])) from None


@dataclass(frozen=True)
class SavedQuery:
    """A named, titled, parameterised SPARQL query shipped with copkg."""

    name: str
    title: str
    description: str
    params: list[Param] = field(default_factory=list)
    text: str = ""

    def title_in(self, lang: str) -> str:
        """The title in ``lang``: English is the ``.rq`` header (the one source), French and
        Arabic are the catalogues' ``query.<name>.title.<hash of the English>`` (see
        :meth:`translation_keys`).

        >>> get_query("coauthors").title_in("ar")
        'من شارك في التأليف مع من'
        """
        return translation(text_key(f"query.{self.name}.title", self.title), lang) or self.title

    def description_in(self, lang: str) -> str:
        """The description in ``lang`` (see :meth:`title_in`)."""
        key = text_key(f"query.{self.name}.description", self.description)
        return translation(key, lang) or self.description

    def translation_keys(self) -> dict[str, str]:
        """Catalogue key → English text of every header text to translate in fr and ar. A key
        ends with a hash of the English, so editing the ``.rq`` header asks for a new
        translation (``tests/test_i18n.py`` fails until fr.json and ar.json have it).

        >>> sorted(get_query("coauthors").translation_keys())[0]
        'query.coauthors.description.fe0ef9'
        """
        keys = {text_key(f"query.{self.name}.title", self.title): self.title,
                text_key(f"query.{self.name}.description", self.description): self.description}
        for p in self.params:
            if p.description:
                keys[text_key(f"query.{self.name}.param.{p.name}", p.description)] = (
                    p.description)
        return keys

    def param(self, name: str) -> Param:
        """The parameter called ``name``."""
        for p in self.params:
            if p.name == name:
                return p
        raise QueryError("error.no_such_param" if self.params else "error.no_params",
                         query=self.name, name=name, params=[p.name for p in self.params])

    def bindings(self, values: Mapping[str, str] | None = None) -> dict[str, BindingValue]:
        """Typed values for every parameter: given ones converted, others from defaults."""
        values = dict(values or {})
        for name in values:
            self.param(name)  # unknown names are an error, not silently ignored
        out: dict[str, BindingValue] = {}
        for p in self.params:
            raw = values.get(p.name)
            value = p.convert(p.default if raw is None or raw == "" else str(raw))
            if value is not None:
                out[p.name] = value
        return out


    def resolved_bindings(
        self, kg: KnowledgeGraph, values: Mapping[str, str] | None = None
    ) -> dict[str, BindingValue]:
        """:meth:`bindings`, with every resource a person named checked against ``kg``
        (:func:`resolve_resource`): unknown → :class:`~graph.errors.NotFoundError` with the
        closest matches; a label finds its resource."""
        bindings = self.bindings(values)
        for name, raw in (values or {}).items():
            value = bindings.get(name)
            if self.param(name).type == "iri" and isinstance(value, ox.NamedNode):
                bindings[name] = resolve_resource(kg, self.param(name), str(raw), value)
            elif self.param(name).type == "country" and isinstance(value, str):
                from ..network.cache import incidence
                from ..network.filters import resolve_country

                bindings[name] = resolve_country(incidence(kg), value)
        return bindings


@cache
def _load_all() -> dict[str, SavedQuery]:
    queries: dict[str, SavedQuery] = {}
    for entry in sorted(resources.files(__package__).iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".rq"):
            name = entry.name[: -len(".rq")]
            queries[name] = _parse(name, entry.read_text(encoding="utf-8"))
    return queries


def _parse(name: str, text: str) -> SavedQuery:
    title, description, params = "", [], []
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        match = _HEADER.match(line)
        if not match:
            continue
        key, value = match.groups()
        if key == "title":
            title = value
        elif key == "description":
            description.append(value)
        else:
            pm = _PARAM.match(value)
            kind = pm.group(3) if pm else None
            if (
                not pm
                or pm.group(2) not in PARAM_TYPES
                or (kind is not None and (pm.group(2) != "iri" or kind not in KINDS))
            ):
                raise QueryError("error.bad_param_line", file=f"{name}.rq", line=value,
                                 types=list(PARAM_TYPES))
            ptype, default = pm.group(2), pm.group(4)
            if ptype == "iri" and kind is None:
                kind = _kind_of(default)
            params.append(Param(pm.group(1), ptype, default, pm.group(5) or "", kind))
    if not title:
        raise QueryError("error.no_title_line", file=f"{name}.rq")
    return SavedQuery(name, title, " ".join(description), params, text)


def _kind_of(default: str) -> str | None:
    match = re.match(r"^(?:id:|" + re.escape(str(ID)) + r")([\w-]+)/", default)
    return _SEGMENT_KIND.get(match.group(1)) if match else None


def list_queries() -> list[SavedQuery]:
    """Every saved query, sorted by name.

    >>> any(q.name == "experts_of_community" for q in list_queries())
    True
    """
    return list(_load_all().values())


def get_query(name: str) -> SavedQuery:
    """The saved query called ``name`` (a trailing ``.rq`` is ignored).

    >>> get_query("experts_of_comunity")
    Traceback (most recent call last):
    ...
    graph.errors.NotFoundError: No saved query is called 'experts_of_comunity' ...of_community...
    """
    queries = _load_all()
    key = name.removesuffix(".rq")
    if key in queries:
        return queries[key]
    close = closest(key, queries, n=3)
    raise NotFoundError("error.no_saved_query", close, name=name)


def run_saved(
    kg: KnowledgeGraph,
    name: str,
    params: Mapping[str, str] | None = None,
    *,
    timeout: float | None = None,
    language: str | None = None,
) -> pd.DataFrame:
    """Run the saved query ``name`` with ``params`` as typed by a person.

    Values are converted by the parameter's type; a bad value raises :class:`QueryError`
    naming the parameter and the expected type. Unset parameters take their default.
    A table without rows says why in ``df.attrs["empty_reason"]`` (one line in ``language``,
    by default the query's ``lang`` parameter, else English; see
    :func:`graph.queries.empty.why_empty`).

    >>> from graph import KnowledgeGraph
    >>> df = run_saved(KnowledgeGraph.in_memory(), "coauthors", {"lang": "fr"})
    >>> df.attrs["empty_reason"][:57]
    'Le graphe de connaissances ne contient encore aucune donn'
    """
    from .empty import why_empty

    query = get_query(name)
    bindings = query.resolved_bindings(kg, params)
    df = kg.query(query.text, bindings, timeout=timeout)
    if df.empty:
        lang = language or str((params or {}).get("lang") or "").strip() or "en"
        df.attrs["empty_reason"] = why_empty(kg, query, params, bindings, language=lang)
    return df


def resolve_resource(
    kg: KnowledgeGraph, param: Param, text: str, iri: ox.NamedNode
) -> ox.NamedNode:
    """The resource an ``iri`` parameter names, checked against the data: its IRI, id or label.

    A value that names nothing in the store is an error with the closest matches (never an
    empty filter that answers "everyone" or "no one"); a label such as ``Tertiary education``
    or ``Mourad Ezzine`` finds its resource.
    """
    if kg.ask(_EXISTS, {"x": iri}):
        return iri
    what = param.kind or "resource"
    if param.kind:
        kinds = ("person", "organization") if param.kind in ("person", "organization") \
            else (param.kind,)
        candidates: list[tuple[str, str]] = []
        shown: dict[str, dict[str, str]] = {}
        for kind in kinds:
            prefix = f"{ID}{KINDS[kind]}/"
            rows = kg.select(_OF_KIND, {"prefix": prefix}).rows
            # English (or untagged) labels first: error messages show the first one.
            rows = sorted(rows, key=lambda r: _label_rank(r[1]))
            candidates += [(s.value, lit.value if lit is not None else ident(s.value))
                           for s, lit in rows if s is not None]
            for s, lit in rows:
                if s is not None and isinstance(lit, ox.Literal) and lit.language:
                    shown.setdefault(s.value, {}).setdefault(lit.language, lit.value)
        # Raises with the closest matches, named in the reader's language (exc.text(lang)).
        found = match_name(candidates, text, what=what, names=lambda: shown)
        return ox.NamedNode(found)
    namespace = str(iri.value)
    namespace = namespace[: max(namespace.rfind("#"), namespace.rfind("/")) + 1]
    rows = kg.select(_IN_NAMESPACE, {"ns": namespace}).rows
    close = closest(iri.value, [x.value for (x,) in rows if x is not None], n=5)
    raise NotFoundError("error.param_names_nothing", [_compact(c) for c in close],
                        name=param.name, value=text, iri=iri.value)


_EXISTS = "ASK { { ?x ?p ?o } UNION { ?s ?p ?x } UNION { ?s ?x ?o } }"
_OF_KIND = """
SELECT DISTINCT ?s ?l WHERE {
  ?s ?p ?o FILTER(STRSTARTS(STR(?s), ?prefix))
  OPTIONAL { ?s skos:prefLabel|foaf:name|dct:title|schema:name|rdfs:label ?l }
}"""
_IN_NAMESPACE = """
SELECT DISTINCT ?x WHERE {
  { ?x ?p ?o } UNION { ?s ?p ?x }
  FILTER(isIRI(?x) && STRSTARTS(STR(?x), ?ns))
}"""


def _label_rank(lit: object) -> int:
    if not isinstance(lit, ox.Literal):
        return 3
    return {"en": 0, None: 1}.get(lit.language, 2)


def _compact(iri: str) -> str:
    for name, namespace in sorted(PREFIXES.items(), key=lambda item: -len(item[1])):
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{name}:{iri[len(namespace):]}"
    return iri


# ----------------------------------------------------------------------------- conversions
def _iri(param: Param, text: str) -> ox.NamedNode:
    if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*://", text) or text.startswith(("urn:", "mailto:")):
        return ox.NamedNode(text)
    prefix, sep, local = text.partition(":")
    if sep and prefix in PREFIXES:
        return ox.NamedNode(PREFIXES[prefix] + local)
    kind = param.kind
    if kind and not sep:
        segment = slug(text)
        if not segment:
            raise ValueError("no letters or digits")
        return ox.NamedNode(f"{ID}{KINDS[kind]}/{segment}")
    raise ValueError(f"unknown prefix {prefix!r}" if sep else "not an IRI")


def _country(param: Param, text: str) -> str:
    """A country as typed; :meth:`SavedQuery.resolved_bindings` finds its ISO code in the
    data (:func:`graph.network.resolve_country`)."""
    if not text:
        raise ValueError("")
    return text


def _integer(param: Param, text: str) -> int:
    return int(text)


def _decimal(param: Param, text: str) -> ox.Literal:
    value = Decimal(text)
    if not value.is_finite():
        raise ValueError("not a finite number")
    return ox.Literal(str(value), datatype=ox.NamedNode(_XSD + "decimal"))


def _date(param: Param, text: str) -> date:
    return date.fromisoformat(text)


def _year(param: Param, text: str) -> int:
    if not re.fullmatch(r"\d{4}", text):
        raise ValueError("")
    return int(text)


def _boolean(param: Param, text: str) -> bool:
    lowered = text.lower()
    if lowered in ("true", "yes", "1"):
        return True
    if lowered in ("false", "no", "0"):
        return False
    raise ValueError("")


def _string(param: Param, text: str) -> str:
    return text


_CONVERTERS: dict[str, Callable[[Param, str], BindingValue]] = {
    "iri": _iri,
    "string": _string,
    "country": _country,
    "integer": _integer,
    "decimal": _decimal,
    "date": _date,
    "year": _year,
    "boolean": _boolean,
}
_EXPECTED = {  # what each type of parameter takes (catalogue keys)
    "iri": "error.expected_iri",
    "string": "error.expected_string",
    "country": "error.expected_country",
    "integer": "error.expected_integer",
    "decimal": "error.expected_decimal",
    "date": "error.expected_date",
    "year": "error.expected_year",
    "boolean": "error.expected_boolean",
}
