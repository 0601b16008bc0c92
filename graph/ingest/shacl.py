"""SHACL Core shapes checked as SPARQL queries on an in-memory Oxigraph store.

Every constraint of ``ontology/shapes.ttl`` becomes one SPARQL ``SELECT`` returning the focus
nodes (and values) that break it, so a whole import is checked by Oxigraph in a few seconds
instead of pyshacl's minutes (20,000 experts: 194 s and 4.4 GB with pyshacl, most of it building
messages for the ``sh:or`` alternative that did not match; pyrudof 0.3.35: 14 s and 3.3 GB).

Only the part of SHACL Core that the shapes use is compiled (targets by class; paths that are a
predicate or a ``sh:alternativePath`` of predicates; ``sh:minCount``, ``sh:maxCount``,
``sh:datatype``, ``sh:pattern``/``sh:flags``, ``sh:in``, ``sh:class``, ``sh:nodeKind``,
``sh:uniqueLang``, ``sh:or`` of datatypes, and ``sh:qualifiedValueShape`` of a datatype with
``sh:qualifiedMinCount``/``sh:qualifiedMaxCount``). A shape using anything else is refused when
the shapes are read (:class:`UnsupportedShape`), never silently skipped;
``tests/test_shacl.py`` checks that the results equal pyshacl's on graphs breaking every
constraint.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox

from ..config import ONTOLOGY_DIR
from ..i18n import Message, Translated

__all__ = [
    "CHECKED_DATATYPES",
    "Constraint",
    "UnsupportedShape",
    "Violation",
    "compile_shapes",
    "shapes",
    "validate",
    "well_formed_filter",
]

_Obj = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple
_SH = "http://www.w3.org/ns/shacl#"
_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_RDF_FIRST = "http://www.w3.org/1999/02/22-rdf-syntax-ns#first"
_RDF_REST = "http://www.w3.org/1999/02/22-rdf-syntax-ns#rest"
_RDF_NIL = "http://www.w3.org/1999/02/22-rdf-syntax-ns#nil"
_XSD = "http://www.w3.org/2001/XMLSchema#"
_SUBCLASS = "<http://www.w3.org/2000/01/rdf-schema#subClassOf>"
_ILL = "<urn:copkg:ill-typed>"

#: XSD datatypes whose lexical form Oxigraph can check by casting (``xsd:integer("abc")`` fails).
CHECKED_DATATYPES = (
    "boolean", "integer", "decimal", "double", "float", "date", "dateTime", "time", "gYear",
    "gYearMonth", "gMonthDay", "gMonth", "gDay", "duration", "dayTimeDuration",
    "yearMonthDuration",
)
# Annotations a property shape may carry besides its constraints.
_ANNOTATIONS = {"path", "message", "severity", "name", "description", "order", "group"}
_NODE_KINDS = {
    "IRI": "!isIRI(?value)",
    "Literal": "!isLiteral(?value)",
    "BlankNode": "!isBlank(?value)",
    "BlankNodeOrIRI": "isLiteral(?value)",
    "BlankNodeOrLiteral": "isIRI(?value)",
    "IRIOrLiteral": "isBlank(?value)",
}


class UnsupportedShape(ValueError):
    """``shapes.ttl`` uses a SHACL feature this compiler does not check."""


@dataclass(frozen=True)
class Constraint:
    """One constraint of one property shape, as the SPARQL query that finds its violations."""

    shape: str
    target_class: str
    #: The predicate the shape is about (the first one of an alternative path).
    path: str
    #: The SHACL constraint component, e.g. ``MinCountConstraintComponent``.
    component: str
    #: The shape's ``sh:message`` in every language it is written in.
    message: Translated | Message
    #: ``SELECT ?focus ?value`` (``?value`` unbound for counts) over the default graph.
    query: str


@dataclass(frozen=True)
class Violation:
    """A focus node that breaks a :class:`Constraint` (with the offending value, if any)."""

    focus: ox.NamedNode | ox.BlankNode
    value: ox.NamedNode | ox.BlankNode | ox.Literal | None
    constraint: Constraint


def well_formed_filter(var: str = "?value") -> str:
    """A SPARQL expression true when literal ``var`` of a checked XSD datatype is well-formed.

    >>> "xsd#integer>(STR(?o))" in well_formed_filter("?o").replace("XMLSchema", "xsd")
    True
    """
    expression = var
    for name in reversed(CHECKED_DATATYPES):
        dt = f"<{_XSD}{name}>"
        expression = f"IF(DATATYPE({var}) = {dt}, {dt}(STR({var})), {expression})"
    return f"isLiteral(COALESCE({expression}, {_ILL}))"


@lru_cache(maxsize=4)
def shapes(path: Path = ONTOLOGY_DIR / "shapes.ttl") -> tuple[Constraint, ...]:
    """The compiled constraints of ``path`` (read once)."""
    return tuple(compile_shapes(ox.Store(), path))


def compile_shapes(store: ox.Store, path: Path) -> list[Constraint]:
    """Read the shapes file ``path`` into ``store`` and compile every property shape.

    >>> cs = compile_shapes(ox.Store(), ONTOLOGY_DIR / "shapes.ttl")
    >>> sorted({c.component for c in cs})[:3]
    ['ClassConstraintComponent', 'DatatypeConstraintComponent', 'InConstraintComponent']
    """
    store.load(path=str(path), format=ox.RdfFormat.TURTLE)
    out: list[Constraint] = []
    for shape in _objects_of_type(store, _SH + "NodeShape"):
        targets = [o for o in _objects(store, shape, _SH + "targetClass")]
        node_preds = {q.predicate.value for q in store.quads_for_pattern(shape, None, None)}
        allowed = {_SH + n for n in ("targetClass", "property", "message", "severity", "name",
                                     "description")} | {_RDF_TYPE}
        if node_preds - allowed:
            raise UnsupportedShape(f"{shape}: node shape uses {sorted(node_preds - allowed)}")
        if not targets:
            raise UnsupportedShape(f"{shape}: only shapes with sh:targetClass are supported")
        for prop in _objects(store, shape, _SH + "property"):
            for target in targets:
                assert isinstance(target, ox.NamedNode)
                out.extend(_compile_property(store, str(shape), target.value, prop))
    return out


def validate(
    store: ox.Store, constraints: Sequence[Constraint], *, union: bool = True, limit: int = 500,
) -> list[Violation]:
    """Every violation of ``constraints`` in ``store`` (its union of graphs when ``union``).

    At most ``limit`` per constraint: a file breaking a rule 100,000 times needs one message.

    >>> store = ox.Store()
    >>> person = ox.NamedNode("http://example.org/p")
    >>> store.add(ox.Quad(person, ox.NamedNode(_RDF_TYPE),
    ...                   ox.NamedNode("http://xmlns.com/foaf/0.1/Person")))
    >>> [v.constraint.path for v in validate(store, shapes())]
    ['http://xmlns.com/foaf/0.1/name']
    """
    found: list[Violation] = []
    closures: dict[str, str] = {}
    for constraint in constraints:
        query = _CLASSES.sub(lambda m: _subclasses(store, m.group(1), union, closures),
                             constraint.query)
        result = store.query(f"{query} LIMIT {limit}", use_default_graph_as_union=union)
        assert isinstance(result, ox.QuerySolutions)
        for row in result:
            focus = row["focus"]
            if isinstance(focus, ox.NamedNode | ox.BlankNode):
                value = row["value"]
                found.append(Violation(
                    focus, value if isinstance(value, ox.NamedNode | ox.BlankNode | ox.Literal)
                    else None, constraint))
    return found


_CLASSES = re.compile(r"<<classes:([^>]+)>>")


def _classes(cls: str) -> str:
    """A placeholder for ``cls`` and its subclasses, filled in by :func:`validate`."""
    return f"<<classes:{cls}>>"


def _subclasses(store: ox.Store, cls: str, union: bool, cache: dict[str, str]) -> str:
    """``<cls> <sub1> ...``: the class and every subclass the validated data declares (a
    ``VALUES`` list is much faster for Oxigraph than ``rdf:type/rdfs:subClassOf*``)."""
    if cls not in cache:
        result = store.query(
            f"SELECT DISTINCT ?c WHERE {{ ?c {_SUBCLASS}* <{cls}> }}",
            use_default_graph_as_union=union,
        )
        assert isinstance(result, ox.QuerySolutions)
        found = {f"<{cls}>"} | {str(row[0]) for row in result if isinstance(row[0], ox.NamedNode)}
        cache[cls] = " ".join(sorted(found))
    return cache[cls]


# ----------------------------------------------------------------------------------- compiling
def _compile_property(
    store: ox.Store, shape: str, target: str, prop: _Obj,
) -> Iterable[Constraint]:
    if isinstance(prop, ox.Literal):
        raise UnsupportedShape(f"{shape}: sh:property is a literal")
    facts: dict[str, list[_Obj]] = {}
    for q in store.quads_for_pattern(prop, None, None):
        facts.setdefault(q.predicate.value, []).append(q.object)
    unknown = [p for p in facts if not p.startswith(_SH) or p[len(_SH):] not in
               _ANNOTATIONS | {"minCount", "maxCount", "datatype", "pattern", "flags", "in",
                               "class", "nodeKind", "or", "uniqueLang", "qualifiedValueShape",
                               "qualifiedMinCount", "qualifiedMaxCount"}]
    if unknown:
        raise UnsupportedShape(f"{shape}: property shape uses {unknown}")
    message = _message(facts.get(_SH + "message", []))
    predicates = _path(store, shape, facts[_SH + "path"][0])
    path = "|".join(f"<{p}>" for p in predicates)
    path = f"({path})" if len(predicates) > 1 else path
    # Classes are expanded to their subclasses (in the validated data) just before running.
    focus = f"VALUES ?target {{ {_classes(target)} }} ?focus <{_RDF_TYPE}> ?target ."

    def made(component: str, query: str) -> Constraint:
        return Constraint(shape, target, predicates[0], component, message, query)

    def value_query(condition: str) -> str:
        return (f"SELECT DISTINCT ?focus ?value WHERE {{ {focus} ?focus {path} ?value "
                f"FILTER({condition}) }}")

    for key, values in facts.items():
        name = key[len(_SH):]
        value = values[0]
        text = _text(value)
        if name == "minCount":
            n = int(text)
            if n == 1:
                yield made("MinCountConstraintComponent",
                           f"SELECT DISTINCT ?focus WHERE {{ {focus} "
                           f"FILTER NOT EXISTS {{ ?focus {path} ?any }} }}")
            elif n > 1:
                yield made("MinCountConstraintComponent",
                           f"SELECT ?focus WHERE {{ {focus} OPTIONAL {{ ?focus {path} ?v }} }} "
                           f"GROUP BY ?focus HAVING (COUNT(DISTINCT ?v) < {n})")
        elif name == "maxCount":
            yield made("MaxCountConstraintComponent",
                       f"SELECT ?focus WHERE {{ {focus} ?focus {path} ?v }} "
                       f"GROUP BY ?focus HAVING (COUNT(DISTINCT ?v) > {int(text)})")
        elif name == "datatype":
            yield made("DatatypeConstraintComponent",
                       value_query(f"!({_has_datatype(value)})"))
        elif name == "pattern":
            flags = facts.get(_SH + "flags")
            pattern = ox.Literal(text)
            regex = (f"REGEX(STR(?value), {pattern}, {ox.Literal(_text(flags[0]))})" if flags
                     else f"REGEX(STR(?value), {pattern})")
            yield made("PatternConstraintComponent", value_query(f"isBlank(?value) || !{regex}"))
        elif name == "in":
            members = _list(store, shape, value)
            allowed = " || ".join(f"sameTerm(?value, {m})" for m in members) or "false"
            yield made("InConstraintComponent", value_query(f"!({allowed})"))
        elif name == "class":
            if not isinstance(value, ox.NamedNode):
                raise UnsupportedShape(f"{shape}: sh:class {value}")
            yield made("ClassConstraintComponent",
                       f"SELECT DISTINCT ?focus ?value WHERE {{ {focus} ?focus {path} ?value "
                       f"FILTER NOT EXISTS {{ VALUES ?class {{ {_classes(value.value)} }} "
                       f"?value <{_RDF_TYPE}> ?class }} }}")
        elif name == "nodeKind":
            kind = text[len(_SH):] if isinstance(value, ox.NamedNode) else ""
            if kind not in _NODE_KINDS:
                raise UnsupportedShape(f"{shape}: sh:nodeKind {value}")
            yield made("NodeKindConstraintComponent", value_query(_NODE_KINDS[kind]))
        elif name == "uniqueLang":
            if text == "true":
                yield made("UniqueLangConstraintComponent",
                           f"SELECT DISTINCT ?focus WHERE {{ {focus} ?focus {path} ?value . "
                           f"?focus {path} ?other FILTER(?value != ?other && LANG(?value) != \"\" "
                           "&& LANG(?value) = LANG(?other)) }")
        elif name in ("qualifiedMinCount", "qualifiedMaxCount"):
            shape_node = facts.get(_SH + "qualifiedValueShape", [None])[0]
            if not isinstance(shape_node, ox.NamedNode | ox.BlankNode):
                raise UnsupportedShape(f"{shape}: sh:{name} without sh:qualifiedValueShape")
            qualified = {q.predicate.value: q.object
                         for q in store.quads_for_pattern(shape_node, None, None)}
            if set(qualified) != {_SH + "datatype"}:
                raise UnsupportedShape(f"{shape}: sh:qualifiedValueShape of anything but "
                                       "sh:datatype")
            conforms = _has_datatype(qualified[_SH + "datatype"]).replace("?value", "?v")
            n = int(text)
            if name == "qualifiedMaxCount":
                yield made("QualifiedMaxCountConstraintComponent",
                           f"SELECT ?focus WHERE {{ {focus} ?focus {path} ?v FILTER({conforms}) "
                           f"}} GROUP BY ?focus HAVING (COUNT(DISTINCT ?v) > {n})")
            else:
                yield made("QualifiedMinCountConstraintComponent",
                           f"SELECT ?focus WHERE {{ {focus} OPTIONAL {{ ?focus {path} ?v "
                           f"FILTER({conforms}) }} }} GROUP BY ?focus "
                           f"HAVING (COUNT(DISTINCT ?v) < {n})")
        elif name == "or":
            options = []
            for member in _list(store, shape, value):
                if not isinstance(member, ox.NamedNode | ox.BlankNode):
                    raise UnsupportedShape(f"{shape}: malformed sh:or")
                member_facts = {q.predicate.value: q.object
                                for q in store.quads_for_pattern(member, None, None)}
                if set(member_facts) != {_SH + "datatype"}:
                    raise UnsupportedShape(f"{shape}: sh:or of anything but sh:datatype")
                options.append(_has_datatype(member_facts[_SH + "datatype"]))
            yield made("OrConstraintComponent", value_query(f"!({' || '.join(options)})"))


def _text(term: _Obj) -> str:
    if isinstance(term, ox.Triple):
        raise UnsupportedShape(f"a quoted triple {term} in the shapes")
    return term.value if isinstance(term, ox.NamedNode | ox.Literal) else str(term)


def _has_datatype(datatype: _Obj) -> str:
    if not isinstance(datatype, ox.NamedNode):
        raise UnsupportedShape(f"sh:datatype {datatype}")
    test = f"isLiteral(?value) && DATATYPE(?value) = {datatype}"
    if datatype.value.startswith(_XSD) and datatype.value[len(_XSD):] in CHECKED_DATATYPES:
        test += f" && isLiteral(COALESCE({datatype}(STR(?value)), {_ILL}))"
    return f"({test})"


def _path(store: ox.Store, shape: str, node: _Obj) -> list[str]:
    if isinstance(node, ox.NamedNode):
        return [node.value]
    alternatives = ([q.object for q in store.quads_for_pattern(node, None, None)
                     if q.predicate.value == _SH + "alternativePath"]
                    if isinstance(node, ox.BlankNode) else [])
    if isinstance(node, ox.BlankNode) and len(alternatives) == 1:
        members = _list(store, shape, alternatives[0])
        if members and all(isinstance(m, ox.NamedNode) for m in members):
            return [m.value for m in members]  # type: ignore[union-attr]
    raise UnsupportedShape(f"{shape}: only predicate paths and sh:alternativePath of "
                           "predicates are supported")


def _list(store: ox.Store, shape: str, head: _Obj,
          ) -> list[_Obj]:
    items = []
    node = head
    while not (isinstance(node, ox.NamedNode) and node.value == _RDF_NIL):
        if isinstance(node, ox.Literal | ox.Triple):
            raise UnsupportedShape(f"{shape}: malformed RDF list")
        first = list(_objects(store, node, _RDF_FIRST))
        rest = list(_objects(store, node, _RDF_REST))
        if len(first) != 1 or len(rest) != 1:
            raise UnsupportedShape(f"{shape}: malformed RDF list")
        items.append(first[0])
        node = rest[0]
    return items


def _objects(store: ox.Store, subject: _Obj, predicate: str,
             ) -> Iterable[_Obj]:
    if isinstance(subject, ox.Literal | ox.Triple):
        return []
    return [q.object for q in store.quads_for_pattern(subject, ox.NamedNode(predicate), None)]


def _objects_of_type(store: ox.Store, cls: str) -> list[ox.NamedNode | ox.BlankNode]:
    found = [q.subject for q in store.quads_for_pattern(None, ox.NamedNode(_RDF_TYPE),
                                                        ox.NamedNode(cls))]
    return sorted((s for s in found if isinstance(s, ox.NamedNode | ox.BlankNode)), key=str)


def _message(literals: Sequence[_Obj]) -> Translated | Message:
    """The ``sh:message`` texts by language (untagged = English): the reader's is shown."""
    texts: dict[str, str] = {}
    for m in literals:
        if isinstance(m, ox.Literal):
            texts.setdefault(m.language or "en", m.value)
    return Translated(texts) if texts else Message("shape.no_message")
