"""Showing things the same way on every page: escaped text, headers, errors, banners."""

from __future__ import annotations

import re

import streamlit as st

from graph.errors import CopkgError
from graph.i18n import is_rtl
from views.ui.lang import current_lang, tr

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")


def md(text: object) -> str:
    """``text`` escaped for Streamlit markdown: names and URL values show as typed, never as
    links, images, HTML or formatting. In a right-to-left page the value is isolated
    (U+2068…U+2069): a path or a Latin name keeps its own order inside Arabic text (no slash or
    full stop jumping to the other end). An error says itself in the page's language."""
    if isinstance(text, CopkgError):
        text = text.text(current_lang())
    escaped = escape(text)
    return f"\u2068{escaped}\u2069" if is_rtl(current_lang()) else escaped


def escape(text: object) -> str:
    """``text`` escaped for Streamlit markdown, not isolated (for text that carries its own
    direction, such as a :func:`views.ui.lang.chain` of escaped names)."""
    return _MD_SPECIAL.sub(r"\\\1", str(text)).replace("\n", "  \n")


def show_error(exc: BaseException, what: str = "") -> None:
    """A user-caused problem as one readable message (no traceback), in the page's language
    (a :class:`~graph.errors.CopkgError` says itself in any language: ``exc.text(lang)``)."""
    head = f"{what}: " if what else ""
    said = exc.text(current_lang()) if isinstance(exc, CopkgError) else str(exc)
    st.error(head + md(said))


def page_header(title: str, caption: str | None = None) -> None:
    st.title(title)
    if caption:
        st.caption(caption)


def illustrative_banner(count: int, total: int | None = None) -> None:
    """Say plainly when what is shown includes fictional (illustrative) resources."""
    if count <= 0:
        return
    of = f" / {total}" if total else ""
    st.warning(tr("app.illustrative_banner", count=count, of=of), icon="ℹ️")
