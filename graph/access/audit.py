"""The audit trail: every import, erasure and user change as a PROV activity (who, when, what,
file hashes) in its own named graph, :data:`~graph.vocab.AUDIT_GRAPH`.

Activities are appended; nothing in copkg edits or removes them. The graph is never exported and
is not in the viewers' view (:mod:`graph.access.personal`), since it names the app's users.
"""

from __future__ import annotations

import getpass
import json
import os
import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
import pyoxigraph as ox

from ..errors import StoreError
from ..store import KnowledgeGraph
from ..vocab import AUDIT_GRAPH, BASE, COP, PROV, RDF, RDFS, XSD

__all__ = [
    "AUDIT_COLUMNS",
    "Activity",
    "activity_triples",
    "audit_graph_update",
    "audit_log",
    "cli_actor",
    "readable_log",
    "flush_pending",
    "queue_pending",
    "record",
    "record_or_queue",
]

#: Columns of :func:`audit_log`, the same in ``copkg audit`` and the app.
AUDIT_COLUMNS = ("when", "who", "action", "what", "file_hash")
_KINDS = {"import": COP.ImportActivity, "erasure": COP.ErasureActivity,
          "users": COP.UserActivity}


def _n(term: object) -> ox.NamedNode:
    return ox.NamedNode(str(term))


@dataclass
class Activity:
    """One audited action. ``files`` are ``(name, sha256, status)`` of an import; ``extra``
    more statements about the activity (``predicate IRI → literal``), e.g. an erasure's hash."""

    kind: str  # "import" | "erasure" | "users"
    who: str
    what: str
    files: Sequence[tuple[str, str, str]] = ()
    extra: dict[str, ox.Literal] = field(default_factory=dict)
    #: Kept to the microsecond, so two actions in the same second stay in order.
    when: datetime = field(default_factory=lambda: datetime.now(UTC))
    iri: str = field(default_factory=lambda: f"{BASE}audit/{uuid.uuid4().hex}")


def cli_actor() -> str:
    """Who runs a ``copkg`` command: ``$COPKG_ACTOR``, else the system account (``os:ana``)."""
    env = os.environ.get("COPKG_ACTOR")
    if env:
        return env
    try:
        return f"os:{getpass.getuser()}"
    except (KeyError, OSError):
        return "os:unknown"


def activity_triples(activity: Activity) -> list[ox.Triple]:
    """The PROV statements of ``activity``."""
    a = ox.NamedNode(activity.iri)
    agent = ox.NamedNode(f"{BASE}agent/{uuid.uuid5(uuid.NAMESPACE_URL, activity.who).hex}")
    stamp = ox.Literal(activity.when.isoformat(), datatype=_n(XSD.dateTime))
    out = [
        ox.Triple(a, _n(RDF.type), _n(PROV.Activity)),
        ox.Triple(a, _n(RDF.type), _n(_KINDS[activity.kind])),
        ox.Triple(a, _n(PROV.startedAtTime), stamp),
        ox.Triple(a, _n(PROV.endedAtTime), stamp),
        ox.Triple(a, _n(COP.action), ox.Literal(activity.what)),
        ox.Triple(a, _n(PROV.wasAssociatedWith), agent),
        ox.Triple(agent, _n(RDF.type), _n(PROV.Agent)),
        ox.Triple(agent, _n(RDFS.label), ox.Literal(activity.who)),
    ]
    for number, (name, sha256, status) in enumerate(activity.files, 1):
        used = ox.NamedNode(f"{activity.iri}/file-{number}")
        out += [
            ox.Triple(a, _n(PROV.used), used),
            ox.Triple(used, _n(RDF.type), _n(PROV.Entity)),
            ox.Triple(used, _n(COP.sourceFile), ox.Literal(name)),
            ox.Triple(used, _n(COP.sha256), ox.Literal(sha256)),
            ox.Triple(used, _n(COP.status), ox.Literal(status)),
        ]
    out += [ox.Triple(a, ox.NamedNode(p), value) for p, value in activity.extra.items()]
    return out


def audit_graph_update(kg: KnowledgeGraph, *activities: Activity) -> dict[str, list[ox.Triple]]:
    """``{AUDIT_GRAPH: stored + new statements}``, to pass to ``kg.replace_graphs`` together
    with the graphs an action writes, so the action and its record commit together."""
    stored = kg.construct(
        "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?audit { ?s ?p ?o } }",
        {"audit": _n(AUDIT_GRAPH)},
    )
    new = [t for activity in activities for t in activity_triples(activity)]
    return {str(AUDIT_GRAPH): [*stored, *new]}


def record(kg: KnowledgeGraph, *activities: Activity) -> None:
    """Append ``activities`` to the audit graph of ``kg`` (one transaction)."""
    kg.replace_graphs(audit_graph_update(kg, *activities))


_LOG = """
SELECT ?a ?when ?who ?kind ?what (GROUP_CONCAT(?hash; separator=" ") AS ?file_hash) WHERE {
  GRAPH ?audit {
    ?a a prov:Activity , ?kind ; prov:startedAtTime ?when ; cop:action ?what ;
       prov:wasAssociatedWith/rdfs:label ?who .
    FILTER(?kind != prov:Activity)
    OPTIONAL { ?a prov:used ?f . ?f cop:sha256 ?hash }
  }
} GROUP BY ?a ?when ?who ?kind ?what ORDER BY DESC(?when) ?a"""
_KIND_NAMES = {str(iri): name for name, iri in _KINDS.items()}


def audit_log(kg: KnowledgeGraph, limit: int | None = None,
              users_file: Path | None = None) -> pd.DataFrame:
    """The audit trail, newest first: ``when, who, action, what, file_hash`` (one row per
    action). User changes not yet written to the store (the store was busy) are listed too,
    their ``when`` marked ``(pending)``.

    >>> kg = KnowledgeGraph.in_memory()
    >>> record(kg, Activity("users", "os:ana", "user bob added (viewer)"))
    >>> audit_log(kg)[["who", "action", "what"]].to_dict("records")
    [{'who': 'os:ana', 'action': 'users', 'what': 'user bob added (viewer)'}]
    """
    df = kg.query(_LOG, {"audit": _n(AUDIT_GRAPH)})
    rows = [
        {"when": _seconds(r["when"]), "who": r["who"], "action": _KIND_NAMES.get(r["kind"], ""),
         "what": r["what"],
         "file_hash": "" if pd.isna(r["file_hash"]) else str(r["file_hash"])}
        for _, r in df.iterrows()
    ]
    if users_file is not None:
        pending = [{"when": f"{_seconds(a.when)} (pending)", "who": a.who,
                    "action": a.kind, "what": a.what, "file_hash": ""}
                   for a in _read_pending(users_file)]
        rows = pending[::-1] + rows
    out = pd.DataFrame(rows, columns=list(AUDIT_COLUMNS))
    return out.head(limit) if limit is not None else out


def _seconds(value: object) -> str:
    if isinstance(value, datetime):
        return value.isoformat(sep=" ", timespec="seconds")
    return str(value)[:19]


# ------------------------------------------------------------------------------ pending
def _pending_path(users_file: Path) -> Path:
    return users_file.with_name(users_file.name + ".pending-audit.jsonl")


def record_or_queue(kg_opener: object, activity: Activity, users_file: Path) -> bool:
    """Record ``activity`` in the store that ``kg_opener()`` opens read-write; when the store
    is busy (the app holds it), queue it beside the users file to be written by the next
    :func:`flush_pending`. Returns True when written now."""
    try:
        kg = kg_opener()  # type: ignore[operator]
    except StoreError:
        queue_pending(activity, users_file)
        return False
    with kg:
        flush_pending(kg, users_file)
        record(kg, activity)
    return True


def queue_pending(activity: Activity, users_file: Path) -> None:
    """Keep ``activity`` beside the users file until :func:`flush_pending` writes it."""
    with _pending_path(users_file).open("a", encoding="utf-8") as handle:
        handle.write(json.dumps({"kind": activity.kind, "who": activity.who,
                                 "what": activity.what, "when": activity.when.isoformat(),
                                 "iri": activity.iri}) + "\n")


def _read_pending(users_file: Path) -> list[Activity]:
    path = _pending_path(users_file)
    if not path.exists():
        return []
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            d = json.loads(line)
            out.append(Activity(d["kind"], d["who"], d["what"],
                                when=datetime.fromisoformat(d["when"]), iri=d["iri"]))
    return out


def flush_pending(kg: KnowledgeGraph, users_file: Path) -> int:
    """Write the queued user changes into the audit graph; returns how many."""
    pending = _read_pending(users_file)
    if not pending or kg.backend.read_only:
        return 0
    record(kg, *pending)
    _pending_path(users_file).unlink(missing_ok=True)
    return len(pending)


# ------------------------------------------------------------------------------ for readers
_IMPORT = re.compile(r"import (?P<files>.+)")
_IMPORTED_FILE = re.compile(r"(?P<name>.+?) \((?P<status>[a-z ]+)\)")
_ERASURE = re.compile(r"erased one person: (?P<n>\d+) statements in (?P<graphs>\d+) graphs"
                      r" \((?P<kinds>.*)\)")
_ERASED_KIND = re.compile(r"(?P<n>\d+) (?P<kind>.+)")
_USER = re.compile(r"user (?P<name>.+) (?P<verb>added|changed|removed) \((?:was )?(?P<role>\w+)\)")
_PENDING = " (pending)"


def readable_log(df: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """:func:`audit_log` for a person reading ``lang``: the action, what was done (files and
    their status, statements erased, user changes and roles) and the "not yet written" mark in
    that language. The trail itself keeps the English record; a ``what`` copkg did not write
    is shown as it is.

    >>> df = pd.DataFrame([{"when": "2026-11-30 10:00:00 (pending)", "who": "ana",
    ...                     "action": "users", "what": "user bob added (viewer)", "file_hash": ""}])
    >>> row = readable_log(df, "fr").iloc[0]
    >>> row["when"], row["action"]
    ('2026-11-30 10:00:00 (en attente)', 'utilisateurs modifiés')
    >>> row["what"]
    'utilisateur bob ajouté (lecteur)'
    """
    out = df.copy()
    if out.empty:
        return out
    out["when"] = [_when(str(w), lang) for w in out["when"]]
    out["what"] = [describe_activity(str(a), str(w), lang)
                   for a, w in zip(out["action"], out["what"], strict=True)]
    out["action"] = [_word(f"access.action_{a}", str(a), lang) for a in out["action"]]
    return out


def describe_activity(kind: str, what: str, lang: str = "en") -> str:
    """One audited ``what`` (as :func:`audit_log` reads it) in ``lang``.

    >>> describe_activity("erasure", "erased one person: 12 statements in 3 graphs "
    ...                   "(2 names, 10 participation)", "fr")
    'une personne effacée : 12 énoncés dans 3 graphes (noms : 2, participation : 10)'
    """
    from ..i18n import t

    if kind == "import" and (m := _IMPORT.fullmatch(what)):
        files = []
        for part in m["files"].split(", "):
            f = _IMPORTED_FILE.fullmatch(part)
            if f:
                status = _word(f"status.{f['status']}", f["status"], lang)
                part = f"{f['name']} ({status})"
            files.append(part)
        return t("audit.import", lang, files=", ".join(files))
    if kind == "erasure" and (m := _ERASURE.fullmatch(what)):
        kinds = []
        for part in m["kinds"].split(", "):
            k = _ERASED_KIND.fullmatch(part)
            if k:
                word = _word(f"audit.kind_{k['kind'].replace(' ', '_')}", k["kind"], lang)
                part = t("audit.kind_count", lang, kind=word, n=int(k["n"]))
            kinds.append(part)
        return t("audit.erasure", lang, n=int(m["n"]), graphs=int(m["graphs"]),
                 kinds=", ".join(kinds))
    if kind == "users" and (m := _USER.fullmatch(what)):
        return t(f"audit.user_{m['verb']}", lang, name=m["name"],
                 role=_word(f"access.role_{m['role']}", m["role"], lang))
    return what


def _when(text: str, lang: str) -> str:
    from ..i18n import t

    if text.endswith(_PENDING):
        return f"{text[:-len(_PENDING)]} ({t('audit.pending', lang)})"
    return text


def _word(key: str, default: str, lang: str) -> str:
    from ..i18n import has, t

    return t(key, lang) if has(key) else default
