"""The one exception family of copkg.

The CLI and the app catch :class:`CopkgError` at their edge and show its message; anything else
is a bug and surfaces with its traceback.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

__all__ = [
    "AccessDenied",
    "AmbiguousNameError",
    "ConfirmationNeeded",
    "CopkgError",
    "DataError",
    "EndpointError",
    "NotFoundError",
    "Problem",
    "QueryError",
    "QueryTimeout",
    "StoreError",
]


class CopkgError(Exception):
    """Base of every error a user can cause and fix."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong in an imported file, located as precisely as the file allows.

    ``row`` is the spreadsheet's own row number (the header is row 1); ``None`` when the problem
    concerns a whole file or sheet.
    """

    file: str
    message: str
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    fix: str | None = None

    def __str__(self) -> str:
        where = [self.file]
        if self.sheet and self.sheet not in self.file:
            where.append(f"sheet {self.sheet}")
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column:
            where.append(f"column {self.column}")
        text = f"{', '.join(where)}: {self.message}"
        if self.fix:
            text += f" — {self.fix}"
        return text


class DataError(CopkgError):
    """Imported data is wrong; :attr:`problems` lists every problem found, not just the first."""

    def __init__(self, problems: Iterable[Problem], summary: str | None = None) -> None:
        self.problems: Sequence[Problem] = tuple(problems)
        count = len(self.problems)
        head = summary or (
            f"{count} problem{'s' if count != 1 else ''} found; nothing was imported"
        )
        super().__init__(head + "".join(f"\n  - {p}" for p in self.problems))
        self.summary = head


class ConfirmationNeeded(CopkgError):
    """An import would remove data or change what another file defines: it runs only when
    confirmed (``--replace``).

    :attr:`reasons` says what needs the confirmation (``graph.ingest.effects.Reason``, each
    with ``text(language)``); :attr:`effects` is what the import would do, file by file
    (``graph.ingest.effects.FileEffect``). ``str()`` is English; :meth:`text` any language.
    """

    def __init__(self, reasons: Sequence[object], effects: Sequence[object] = ()) -> None:
        self.reasons = tuple(reasons)
        self.effects = tuple(effects)
        super().__init__(self.text())

    def text(self, language: str = "en") -> str:
        """The message in ``language``: nothing imported, each reason, how to confirm."""
        from .i18n import t

        def said(reason: object) -> str:
            text = getattr(reason, "text", None)
            return str(text(language)) if callable(text) else str(reason)

        return (t("ingest.confirm_head", language)
                + "".join(f"\n  - {said(r)}" for r in self.reasons)
                + "\n" + t("ingest.confirm_how", language))


class QueryError(CopkgError):
    """A SPARQL query is malformed, refused (e.g. an update), or failed in the engine."""


class QueryTimeout(QueryError):
    """A query ran longer than its time limit and was stopped."""


class StoreError(CopkgError):
    """The store cannot be opened or written (locked, corrupt, unreachable folder)."""


class EndpointError(StoreError):
    """A remote SPARQL endpoint is unreachable, failed, or refused the request."""


class NotFoundError(CopkgError):
    """A name or id matches nothing; :attr:`suggestions` are the closest labels."""

    def __init__(self, message: str, suggestions: Sequence[str] = (), *,
                 heading: str = "Closest matches") -> None:
        self.suggestions = tuple(suggestions)
        if self.suggestions:
            message += f" {heading}: " + "; ".join(self.suggestions) + "."
        super().__init__(message)


class AmbiguousNameError(NotFoundError):
    """A name matches several resources; :attr:`suggestions` lists them with their ids."""


class AccessDenied(CopkgError):
    """The signed-in user's role does not allow an action (checked where the action runs)."""
