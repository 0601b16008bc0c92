"""The one exception family of copkg, with messages in every language of the catalogues.

The CLI and the app catch :class:`CopkgError` at their edge and show
``exc.text(language)``; anything else is a bug and surfaces with its traceback. Each error
carries a catalogue key and its values (:class:`graph.i18n.Message`), so ``str(exc)`` is
English (logs, tests) and the reader sees the same message in French or Arabic.

>>> exc = NotFoundError("error.no_saved_query", ["top_actors"], name="top_actor")
>>> str(exc)
"No saved query is called 'top_actor' (`copkg queries` lists them). Closest matches: top_actors."
>>> exc.text("fr")  # doctest: +ELLIPSIS
"Aucune requête enregistrée ne s'appelle « top_actor » (...). Les plus proches : top_actors."
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from .i18n import Joined, Localized, Message, Translated, has, isolate, t

__all__ = [
    "AccessDenied",
    "AmbiguousNameError",
    "ConfirmationNeeded",
    "CopkgError",
    "DataError",
    "EndpointError",
    "Message",
    "NotFoundError",
    "Problem",
    "QueryError",
    "QueryTimeout",
    "StoreError",
]


class CopkgError(Exception):
    """Base of every error a user can cause and fix.

    ``CopkgError(key, **values)``: ``key`` names the message in graph/i18n/{en,fr,ar}.json,
    ``values`` fill its placeholders (see :class:`~graph.i18n.Message`).
    """

    message: Message | Translated

    def __init__(self, key: str, /, **values: Any) -> None:
        # An English sentence instead of a key (code not yet converted) is shown as it is, in
        # every language; tests/test_error_messages.py fails on any such raise in graph/.
        self.message = Message(key, **values) if values or has(key) else Translated({"en": key})
        super().__init__(self.text())

    def text(self, lang: str = "en") -> str:
        """The message in ``lang`` (``str(exc)`` is the English one)."""
        return self.message.text(lang)

    def __reduce__(self) -> tuple[Any, ...]:
        # Rebuilt from its state, not from the English text (which is no catalogue key).
        return (_rebuild, (type(self), self.args, self.__dict__))


def _rebuild(cls: type[CopkgError], args: tuple[Any, ...], state: dict[str, Any]) -> CopkgError:
    exc = cls.__new__(cls)
    exc.args = args
    exc.__dict__.update(state)
    return exc


@dataclass(frozen=True)
class Problem:
    """One thing wrong in an imported file, located as precisely as the file allows.

    ``row`` is the spreadsheet's own row number (the header is row 1); ``None`` when the problem
    concerns a whole file or sheet. ``message`` and ``fix`` are catalogue messages (or anything that
    says itself in a language, such as a shape's :class:`~graph.i18n.Translated` ``sh:message``):
    ``str(problem)`` is English, :meth:`text` any language.

    >>> p = Problem("people.csv", Message("cell.empty", column="name"), row=3, column="name",
    ...             fix=Message("cell.required"))
    >>> str(p)
    'people.csv, row 3, column name: the name is empty — this column is required'
    >>> p.text("fr")
    'people.csv, ligne 3, colonne name : la valeur de name est vide — cette colonne est obligatoire'
    """

    file: str
    message: Localized
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    fix: Localized | None = None

    def where(self, lang: str = "en") -> str:
        """File, sheet, row and column, as far as known, in ``lang``."""
        parts = [isolate(self.file, lang)]
        if self.sheet and self.sheet not in self.file:
            parts.append(t("problem.sheet", lang, sheet=isolate(self.sheet, lang)))
        if self.row is not None:
            parts.append(t("problem.row", lang, row=self.row))
        if self.column:
            parts.append(t("problem.column", lang, column=isolate(self.column, lang)))
        return t("list.sep", lang).join(parts)

    def text(self, lang: str = "en") -> str:
        """The whole problem in ``lang``: where, what, and how to fix it."""
        where = _Said(self.where(lang))
        if self.fix:
            return Message("problem.line_fix", where=where, message=self.message,
                           fix=self.fix).text(lang)
        return Message("problem.line", where=where, message=self.message).text(lang)

    def __str__(self) -> str:
        return self.text()


class _Said(str):
    """Text already in the reader's language (not data: never isolated again)."""

    def text(self, lang: str = "en") -> str:
        return str(self)


class DataError(CopkgError):
    """Imported data is wrong; :attr:`problems` lists every problem found, not just the first.

    ``summary`` is the head line (default: how many problems, nothing imported).
    """

    def __init__(self, problems: Iterable[Problem], summary: Message | None = None) -> None:
        self.problems: Sequence[Problem] = tuple(problems)
        self.message = summary or Message("error.problems_found", n=len(self.problems))
        Exception.__init__(self, self.text())

    @property
    def summary(self) -> str:
        """The head line in English (:meth:`summary_text` in any language)."""
        return self.message.text()

    def summary_text(self, lang: str = "en") -> str:
        """The head line in ``lang``."""
        return self.message.text(lang)

    def text(self, lang: str = "en") -> str:
        """The head line and every problem, one per line, in ``lang``."""
        return self.message.text(lang) + "".join(f"\n  - {p.text(lang)}" for p in self.problems)


class ConfirmationNeeded(CopkgError):
    """An import would remove data or change what another file defines: it runs only when
    confirmed (``--replace``).

    :attr:`reasons` says what needs the confirmation (``graph.ingest.effects.Reason``, each
    with ``text(language)``); :attr:`effects` is what the import would do, file by file
    (``graph.ingest.effects.FileEffect``); :attr:`advice`, how to add a file's rows beside the
    earlier file of the same name instead (another name, :func:`graph.ingest.effects.
    rename_advice`). ``str()`` is English; :meth:`text` any language.
    """

    def __init__(self, reasons: Sequence[object], effects: Sequence[object] = (),
                 advice: Sequence[object] = ()) -> None:
        self.reasons = tuple(reasons)
        self.effects = tuple(effects)
        self.advice = tuple(advice)
        Exception.__init__(self, self.text())

    def text(self, language: str = "en") -> str:
        """The message in ``language``: nothing imported, then :meth:`details`."""
        from .i18n import t

        return t("ingest.confirm_head", language) + "\n" + self.details(language)

    def details(self, language: str = "en") -> str:
        """Each reason; then, when files would replace earlier ones, how to add their rows
        beside them instead (another name) — first — and that ``--replace`` is only for
        replacing; else how to confirm. ``copkg validate`` shows the same lines."""
        from .i18n import t

        def said(item: object) -> str:
            text = getattr(item, "text", None)
            return str(text(language)) if callable(text) else str(item)

        lines = [f"  - {said(r)}" for r in self.reasons]
        if self.advice:
            lines.append(t("ingest.advice_head", language))
            lines += [f"  - {said(a)}" for a in self.advice]
            lines.append(t("ingest.confirm_replace_only", language))
        else:
            lines.append(t("ingest.confirm_how", language))
        return "\n".join(lines)


class QueryError(CopkgError):
    """A SPARQL query is malformed, refused (e.g. an update), or failed in the engine."""


class QueryTimeout(QueryError):
    """A query ran longer than its time limit and was stopped."""


class StoreError(CopkgError):
    """The store cannot be opened or written (locked, corrupt, unreachable folder)."""


class EndpointError(StoreError):
    """A remote SPARQL endpoint is unreachable, failed, or refused the request."""


class NotFoundError(CopkgError):
    """A name or id matches nothing; :attr:`suggestions` are the closest labels.

    ``NotFoundError(key, suggestions, heading=..., **values)``: the message ``key``, then
    ``heading`` (a catalogue key: "Closest matches" by default) and the suggestions.
    """

    def __init__(self, key: str, suggestions: Sequence[str | Translated] = (), /, *,
                 heading: str = "error.closest", **values: Any) -> None:
        self.suggestions = tuple(suggestions)
        self.heading = heading
        super().__init__(key, **values)

    def text(self, lang: str = "en") -> str:
        """The message and, if any, the suggestions, in ``lang``."""
        said = self.message.text(lang)
        if self.suggestions:
            matches = Joined(self.suggestions, "error.match_sep")
            said += " " + Message(self.heading, matches=matches).text(lang)
        return said


class AmbiguousNameError(NotFoundError):
    """A name matches several resources; :attr:`suggestions` lists them with their ids."""


class AccessDenied(CopkgError):
    """The signed-in user's role does not allow an action (checked where the action runs)."""
