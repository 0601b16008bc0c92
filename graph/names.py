"""Matching what a person types (an id, an IRI, a label) to one thing, or a clear error.

Every surface resolves user-given names through :func:`match_name` (nodes of a network,
filter values, saved-query parameters), so an unknown name is always an error that lists the
closest matches, never an empty filter that silently answers "everyone" or "no one".
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping

from .errors import AmbiguousNameError, NotFoundError
from .i18n import TranslatedName

__all__ = ["CUTOFF", "MARGIN", "WORD_CUTOFF", "closest", "fold", "ident", "match_name"]

#: With no close match among at most this many things, the error lists them all.
_LIST_ALL = 20
#: Least similarity (difflib ratio, 0–1, on folded text) for a suggestion. 0.6 (difflib's
#: default) let "urban-mobility" suggest "graduate-employability" (0.61).
CUTOFF = 0.7
#: A suggestion is at most this much less similar than the best one: "Alessandro Rosi" finds
#: "Alessandro Rossi" (0.97), not also "Alessandro Conti" (0.84).
MARGIN = 0.1
#: Least similarity of one typed word to a word of a candidate ("transprt" → "transport").
WORD_CUTOFF = 0.85


def fold(text: str) -> str:
    """``text`` without accents, case or surrounding/double spaces, for matching names.

    >>> fold("  Élodie   FAURE ")
    'elodie faure'
    """
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(bare.casefold().split())


def ident(key: str) -> str:
    """The short id of a key: the last IRI segment (``.../person/p0001`` → ``p0001``).

    >>> ident("https://w3id.org/copkg/id/person/p0001"), ident("country:TN")
    ('p0001', 'TN')
    """
    if key.startswith("country:"):
        return key.split(":", 1)[1]
    return key.rstrip("/").rsplit("/", 1)[-1]


def closest(wanted: str, candidates: Iterable[str], n: int = 5) -> list[str]:
    """The (at most ``n``) ``candidates`` that ``wanted`` is probably a misspelling or a part
    of, best first; ``[]`` when none is close. Case and accents are ignored.

    Close = similar (difflib ratio at least :data:`CUTOFF`, and within :data:`MARGIN` of the
    best one), or containing ``wanted`` (``labour-market`` → ``labour-market-information``),
    or a whole word of ``wanted`` (``eib-bank`` → ``eib``), or having a word that one typed
    word misspells (``transprt`` → ``urban-transport``). Every "did you mean" of copkg
    (names, ids in imported sheets, filter values, saved queries) comes from here.

    >>> themes = ["urban-mobility-planning", "graduate-employability", "urban-transport"]
    >>> closest("urban-mobility", themes)
    ['urban-mobility-planning']
    >>> closest("Alessandro Rosi", ["Alessandro Conti", "Alessandro Rossi", "Ana Rossi"])
    ['Alessandro Rossi']
    >>> closest("tertiary", ["tertiary-education", "tvet"]), closest("xyz", ["afd"])
    (['tertiary-education'], [])
    >>> closest("transprt", themes)
    ['urban-transport']
    """
    key = fold(wanted)
    if not key:
        return []
    folded: dict[str, str] = {}
    for candidate in candidates:
        folded.setdefault(fold(candidate), candidate)
    scores: dict[str, float] = {}
    for text in folded:
        matcher = difflib.SequenceMatcher(None, key, text)
        if matcher.real_quick_ratio() >= CUTOFF and matcher.quick_ratio() >= CUTOFF:
            scores[text] = matcher.ratio()
    best = max(scores.values(), default=0.0)
    similar = sorted((text for text, score in scores.items()
                      if score >= CUTOFF and score >= best - MARGIN),
                     key=lambda text: (-scores[text], text))
    words = set(_WORDS.split(key))
    part = sorted(
        (text for text in folded if text not in similar and (
            (len(key) >= 3 and key in text) or (len(text) >= 3 and text in words))),
        key=lambda text: (-difflib.SequenceMatcher(None, key, text).ratio(), text))
    # A misspelt word of a longer name ("transprt" → "urban-transport"): one typed word
    # compared with each word of the candidates, with a stricter cut-off.
    typo: dict[str, float] = {}
    if len(key) >= 4 and len(words) == 1:
        for text in folded:
            if text in similar or text in part:
                continue
            for word in set(_WORDS.split(text)):
                if len(word) >= 4:
                    matcher = difflib.SequenceMatcher(None, key, word)
                    if matcher.quick_ratio() >= WORD_CUTOFF and matcher.ratio() >= WORD_CUTOFF:
                        typo[text] = max(typo.get(text, 0.0), matcher.ratio())
    misspelt = sorted(typo, key=lambda text: (-typo[text], text))
    return [folded[text] for text in similar + part + misspelt][:n]


def match_name(candidates: Iterable[tuple[str, str]], text: str, *, what: str = "",
               names: Callable[[], Mapping[str, Mapping[str, str]]] | None = None) -> str:
    """The key among ``(key, label)`` pairs that ``text`` names: the key itself, its id (last
    segment) or one of its labels, ignoring case and accents.

    Raises :class:`~graph.errors.NotFoundError` with the closest labels when nothing matches
    and :class:`~graph.errors.AmbiguousNameError` (with ids) when several labels do. ``what``
    names the kind of thing in the message (``"community"``). ``names``, when given, is called
    only to word an error: it returns key → language → label, so the suggestions are named in
    the reader's language (``exc.text("fr")``); without it they are the first label of each key.

    >>> pairs = [("https://w3id.org/copkg/id/community/employment", "Employment"),
    ...          ("https://w3id.org/copkg/id/community/urban-transport", "Urban transport")]
    >>> match_name(pairs, "urban transport")
    'https://w3id.org/copkg/id/community/urban-transport'
    >>> match_name(pairs, "employment", what="community")
    'https://w3id.org/copkg/id/community/employment'
    >>> match_name(pairs, "urban-transprt", what="community")
    Traceback (most recent call last):
    ...
    graph.errors.NotFoundError: No community is called 'urban-transprt'. Closest matches: \
Urban transport (urban-transport).
    """
    wanted = text.strip()
    not_called, ambiguous = _KEYS.get(what, _KEYS["resource"])
    if not wanted:
        raise NotFoundError("error.no_name_given")
    pairs = list(candidates)
    keys = {key for key, _ in pairs}
    if wanted in keys:
        return wanted
    key = fold(wanted)
    by_id = sorted({k for k in keys if fold(ident(k)) == key or fold(k) == key})
    if len(by_id) == 1:
        return by_id[0]
    by_label = sorted({k for k, label in pairs if fold(label) == key})
    matches = by_label or by_id
    if len(matches) == 1:
        return matches[0]
    labels: dict[str, str] = {}
    for k, label in pairs:
        labels.setdefault(k, label)

    by_key = names() if names is not None else {}

    def shown(k: str) -> str | TranslatedName:
        """``label (id)``, in every language ``names`` has for ``k``."""
        def one(label: str) -> str:
            return f"{label} ({ident(k)})" if label != ident(k) else ident(k)
        by_lang = by_key.get(k)
        if by_lang:
            return TranslatedName({lang: one(label) for lang, label in by_lang.items()}
                                  | {"en": one(labels[k])})
        return one(labels[k])

    if matches:
        raise AmbiguousNameError(ambiguous, [shown(m) for m in matches],
                                 name=wanted, n=len(matches))
    folded: dict[str, list[str]] = {}
    for k, label in pairs:
        folded.setdefault(fold(label), []).append(k)
        folded.setdefault(fold(ident(k)), []).append(k)
    suggested: list[str] = []
    for k in closest(key, folded, n=len(folded)):
        for found in folded[k][:1]:
            if found not in suggested:
                suggested.append(found)
    suggestions = [shown(k) for k in suggested]
    if not suggestions and len(labels) <= _LIST_ALL:
        # Nothing close, but few to choose from: name them all (what exists helps most).
        suggestions = [shown(k) for k in sorted(labels, key=lambda k: fold(labels[k]))]
        raise NotFoundError(not_called, suggestions, heading="error.choose_among", name=wanted)
    raise NotFoundError(not_called, suggestions[:5], name=wanted)


#: The messages of :func:`match_name` for each ``what`` (nothing is called…, … names several).
_KEYS = {
    "": ("error.not_called", "error.ambiguous"),
    "resource": ("error.not_called", "error.ambiguous"),
    "community": ("error.not_called_community", "error.ambiguous_community"),
    "country": ("error.not_called_country", "error.ambiguous_country"),
    "organisation": ("error.not_called_organisation", "error.ambiguous_organisation"),
    "organization": ("error.not_called_organisation", "error.ambiguous_organisation"),
    "person": ("error.not_called_person", "error.ambiguous_person"),
    "theme": ("error.not_called_theme", "error.ambiguous_theme"),
    "program": ("error.not_called_program", "error.ambiguous_program"),
    "event": ("error.not_called_event", "error.ambiguous_event"),
    "product": ("error.not_called_product", "error.ambiguous_product"),
}

_WORDS = re.compile(r"[\s\-_/.,;:()']+")
