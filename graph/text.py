"""Text from the data made safe to show: bidirectional controls cannot disguise a name.

A name such as ``evil\\u202etxt.exe`` (U+202E RIGHT-TO-LEFT OVERRIDE) is displayed by every
browser and terminal as ``evilexe.txt``. Wherever copkg shows names (the app, maps, CLI tables,
query results read through :func:`graph.store.readable`) the embedding, override and isolate
controls are replaced by a visible ``[U+202E]``. The marks Arabic and mixed text legitimately
need (U+200E LRM, U+200F RLM, U+061C ALM) are kept. The store keeps the value as imported, and
exports write it unchanged.
"""

from __future__ import annotations

__all__ = ["BIDI_CONTROLS", "neutralise_bidi"]

#: Characters that change the display order of the text after them (embeddings, overrides,
#: isolates and their terminators).
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_VISIBLE = {ord(c): f"[U+{ord(c):04X}]" for c in BIDI_CONTROLS}


def neutralise_bidi(text: str) -> str:
    """``text`` with each bidirectional control shown as ``[U+XXXX]`` instead of obeyed.

    >>> neutralise_bidi("evil\\u202etxt.exe")
    'evil[U+202E]txt.exe'
    >>> neutralise_bidi("مرسيليا \\u200fMarseille")  # Arabic with a right-to-left mark: kept
    'مرسيليا \\u200fMarseille'
    """
    if not BIDI_CONTROLS.intersection(text):
        return text
    return text.translate(_VISIBLE)
