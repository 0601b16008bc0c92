"""SPARQL text handling that never turns user text into syntax.

Parameters reach a query as a ``VALUES`` block placed at the start of its ``WHERE`` group, made
of terms that pyoxigraph serialises (so quotes, ``>`` or newlines in a value stay data). The same
text goes to the embedded store and to any remote endpoint, so both behave alike.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime

import pyoxigraph as ox

from ..errors import QueryError
from ..i18n import Message
from ..vocab import PREFIXES

__all__ = [
    "BindingValue",
    "bind",
    "check_service",
    "ensure_read_only",
    "prologue_for",
    "query_form",
    "to_term",
]

BindingValue = ox.NamedNode | ox.Literal | ox.BlankNode | str | int | float | bool | date

# One token of SPARQL that may hide braces or keywords: comments, strings, IRIs.
_SKIP = re.compile(
    r'#[^\n]*'
    r'|"""(?:[^"\\]|\\.|"(?!""))*"""'
    r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"(?:[^"\\\n]|\\.)*"'
    r"|'(?:[^'\\\n]|\\.)*'"
    r'|<[^<>"{}|^`\\\x00-\x20]*>',
    re.DOTALL,
)
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*|[?$][A-Za-z0-9_]+|\{|\}")
_UPDATE_WORDS = {
    "INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH",
}
_FORMS = {"SELECT", "ASK", "CONSTRUCT", "DESCRIBE"}


def _tokens(query: str) -> list[tuple[str, int]]:
    """Keywords, variables and braces of ``query`` with their offsets, outside strings/IRIs."""
    out: list[tuple[str, int]] = []
    pos = 0
    while pos < len(query):
        skip = _SKIP.match(query, pos)
        if skip:
            pos = skip.end()
            continue
        word = _WORD.match(query, pos)
        if word:
            out.append((word.group(), pos))
            pos = word.end()
            continue
        pos += 1
    return out


def query_form(query: str) -> str:
    """``SELECT``, ``ASK``, ``CONSTRUCT``, ``DESCRIBE`` or ``UPDATE`` (anything that writes).

    >>> query_form("PREFIX a: <x:> select * { ?s ?p ?o }")
    'SELECT'
    >>> query_form("DELETE WHERE { ?s ?p ?o }")
    'UPDATE'
    """
    for word, _ in _tokens(query):
        upper = word.upper()
        if upper in _FORMS:
            return upper
        if upper in _UPDATE_WORDS:
            return "UPDATE"
    raise QueryError("error.not_sparql")


def ensure_read_only(query: str) -> str:
    """Return the query form, or raise :class:`QueryError` if ``query`` would write."""
    form = query_form(query)
    if form == "UPDATE":
        raise QueryError("error.updates_refused")
    return form


_SERVICE_IRI = re.compile(r"SERVICE\s+(?:SILENT\s+)?<([^<>\s]*)>", re.IGNORECASE)
_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


def check_service(query: str, allowed: tuple[str, ...] = (), *,
                  hint: Message | None = None) -> None:
    """Refuse ``SERVICE`` (federated query) unless it names an endpoint in ``allowed``.

    ``SERVICE`` makes the store send a request to another address on the caller's behalf (a
    server-side request forgery when the caller is anyone on the network). Only a full IRI
    equal to one of ``allowed`` passes; a variable, a prefixed name or anything unclear is
    refused. SPARQL's ``\\uXXXX`` escapes are decoded first, so they cannot hide the keyword.

    >>> check_service("SELECT * { ?s ?p ?o }")
    >>> check_service("SELECT * { SERVICE <http://e/sparql> { ?s ?p ?o } }", ("http://e/sparql",))
    >>> check_service("SELECT * { SERVICE ?e { ?s ?p ?o } }", ("http://e/sparql",))
    Traceback (most recent call last):
    ...
    graph.errors.QueryError: SERVICE (federated query) is refused here: ...
    """
    decoded = _ESCAPE.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), query)
    for text in {query, decoded}:
        for word, pos in _tokens(text):
            if word.upper() != "SERVICE":
                continue
            match = _SERVICE_IRI.match(text, pos)
            if match is None or match.group(1) not in allowed:
                target = f" <{match.group(1)}>" if match else ""
                said = hint or (Message("error.service_allowed", endpoints=list(allowed))
                                if allowed else "")
                raise QueryError("error.service_refused", target=target, hint=said)


def prologue_for(query: str) -> str:
    """``PREFIX`` lines for the project prefixes that ``query`` does not declare itself."""
    declared = {m.group(1).lower() for m in re.finditer(r"(?i)\bPREFIX\s+([\w-]*):", query)}
    return "".join(
        f"PREFIX {name}: <{iri}>\n" for name, iri in PREFIXES.items() if name not in declared
    )


def to_term(value: BindingValue) -> ox.NamedNode | ox.Literal | ox.BlankNode:
    """A pyoxigraph term for a Python value; strings become plain literals.

    >>> to_term(3)
    <Literal value=3 datatype=<NamedNode value=http://www.w3.org/2001/XMLSchema#integer>>
    """
    if isinstance(value, ox.NamedNode | ox.Literal | ox.BlankNode):
        return value
    xsd = "http://www.w3.org/2001/XMLSchema#"
    if isinstance(value, bool):
        return ox.Literal("true" if value else "false", datatype=ox.NamedNode(xsd + "boolean"))
    if isinstance(value, int):
        return ox.Literal(str(value), datatype=ox.NamedNode(xsd + "integer"))
    if isinstance(value, float):
        return ox.Literal(repr(value), datatype=ox.NamedNode(xsd + "double"))
    if isinstance(value, datetime):
        return ox.Literal(value.isoformat(), datatype=ox.NamedNode(xsd + "dateTime"))
    if isinstance(value, date):
        return ox.Literal(value.isoformat(), datatype=ox.NamedNode(xsd + "date"))
    return ox.Literal(str(value))


def bind(query: str, bindings: Mapping[str, BindingValue] | None) -> str:
    """Put ``bindings`` into ``query`` as a ``VALUES`` block at the start of its WHERE group.

    Every bound variable must occur in the query (a typo in a parameter name is an error, not a
    silently ignored value). The block joins the top-level WHERE group, so a parameter reaches
    its triple patterns and FILTERs but not a FILTER inside a sub-query or a UNION/OPTIONAL
    branch: such queries use the parameter in a top-level pattern or FILTER.

    >>> print(bind("SELECT ?n WHERE { ?p foaf:name ?n }", {"p": ox.NamedNode("http://x/a")}))
    SELECT ?n WHERE { VALUES (?p) { (<http://x/a>) } ?p foaf:name ?n }
    >>> bind('ASK { ?s ?p ?o }', {"o": 'x" } DROP ALL #'})
    'ASK { VALUES (?o) { ("x\\\\" } DROP ALL #") } ?s ?p ?o }'
    """
    if not bindings:
        return query
    tokens = _tokens(query)
    used = {word[1:] for word, _ in tokens if word[0] in "?$"}
    unknown = sorted(set(bindings) - used)
    if unknown:
        raise QueryError("error.unused_params" if used else "error.unused_params_none",
                         names=unknown, variables=sorted(used))
    names = list(bindings)
    terms = [to_term(bindings[name]) for name in names]
    block = (
        "VALUES (" + " ".join(f"?{n}" for n in names) + ") { ("
        + " ".join(str(t) for t in terms) + ") } "
    )
    at = _where_brace(tokens)
    return query[: at + 1] + " " + block + query[at + 1 :].lstrip(" ")


def _where_brace(tokens: list[tuple[str, int]]) -> int:
    """Offset of the ``{`` that opens the query's WHERE group."""
    form = None
    for i, (word, _pos) in enumerate(tokens):
        upper = word.upper()
        if form is None and upper in _FORMS:
            form = upper
        if upper == "WHERE" and i + 1 < len(tokens) and tokens[i + 1][0] == "{":
            return tokens[i + 1][1]
    if form in {"SELECT", "ASK", "DESCRIBE"}:
        for word, pos in tokens:
            if word == "{":
                return pos
    if form == "CONSTRUCT":
        # CONSTRUCT { template } { pattern }: the second top-level group.
        depth, groups = 0, 0
        for word, pos in tokens:
            if word == "{":
                if depth == 0:
                    groups += 1
                    if groups == 2:
                        return pos
                depth += 1
            elif word == "}":
                depth -= 1
    raise QueryError("error.no_where_group")
