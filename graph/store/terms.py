"""Conversions between pyoxigraph terms, rdflib terms and readable Python values."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import pyoxigraph as ox
import rdflib

from ..text import neutralise_bidi

__all__ = ["from_rdflib", "readable", "to_rdflib", "triple_from_rdflib"]

_XSD = "http://www.w3.org/2001/XMLSchema#"
_INTS = {
    _XSD + t
    for t in (
        "integer", "int", "long", "short", "byte", "nonNegativeInteger", "positiveInteger",
        "negativeInteger", "nonPositiveInteger", "unsignedInt", "unsignedLong",
    )
}
_FLOATS = {_XSD + "decimal", _XSD + "double", _XSD + "float"}


def readable(term: Any) -> Any:
    """A value a person (and pandas) reads well: IRIs as text, numbers as numbers.

    ``xsd:gYear`` becomes an ``int`` year, ``xsd:date`` a :class:`datetime.date`, a language
    string its text (bidirectional controls shown, not obeyed: :mod:`graph.text`). Unbound
    (``None``) stays ``None``.

    >>> readable(ox.Literal("2015", datatype=ox.NamedNode(_XSD + "gYear")))
    2015
    >>> readable(ox.NamedNode("https://w3id.org/copkg/id/org/afd"))
    'https://w3id.org/copkg/id/org/afd'
    """
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return term.value
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.Literal):
        dt = term.datatype.value
        text = term.value
        try:
            if dt in _INTS or dt == _XSD + "gYear":
                return int(text)
            if dt in _FLOATS:
                return float(text)
            if dt == _XSD + "boolean":
                return text in ("true", "1")
            if dt == _XSD + "date":
                return date.fromisoformat(text[:10])
            if dt == _XSD + "dateTime":
                return datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            return neutralise_bidi(text)
        return neutralise_bidi(text)  # shown to people: a name cannot reorder itself
    return str(term)


def to_rdflib(term: Any) -> rdflib.term.Node:
    """The rdflib term equal to a pyoxigraph term."""
    if isinstance(term, ox.NamedNode):
        return rdflib.URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return rdflib.BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return rdflib.Literal(term.value, lang=term.language)
        if term.datatype.value == _XSD + "string":
            return rdflib.Literal(term.value)
        return rdflib.Literal(term.value, datatype=rdflib.URIRef(term.datatype.value))
    raise TypeError(f"cannot convert {term!r} to rdflib")


def from_rdflib(term: rdflib.term.Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """The pyoxigraph term equal to an rdflib term."""
    if isinstance(term, rdflib.URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, rdflib.BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, rdflib.Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"cannot convert {term!r} to pyoxigraph")


def triple_from_rdflib(
    s: rdflib.term.Node, p: rdflib.term.Node, o: rdflib.term.Node
) -> ox.Triple:
    """A pyoxigraph triple from three rdflib terms."""
    subject = from_rdflib(s)
    predicate = from_rdflib(p)
    if isinstance(subject, ox.Literal) or not isinstance(predicate, ox.NamedNode):
        raise TypeError(f"not a valid RDF triple: {s!r} {p!r} {o!r}")
    return ox.Triple(subject, predicate, from_rdflib(o))
