"""The page's view as URL parameters: read once (validated), written back every run."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import streamlit as st

from views.ui.lang import current_lang, tr
from views.ui.show import md


@dataclass
class UrlState:
    """The page's view as URL parameters: read once (validated), written back every run."""

    warnings: list[str] = field(default_factory=list)
    values: dict[str, str | list[str]] = field(default_factory=dict)

    def raw(self, name: str) -> str | None:
        value = st.query_params.get(name)
        return None if value in (None, "") else str(value)

    def raw_list(self, name: str) -> list[str]:
        return [v for v in st.query_params.get_all(name) if v]

    def warn(self, name: str, value: object, reason: str, default: object) -> None:
        shown = str(value)
        if len(shown) > 80:
            shown = shown[:77] + "…"
        self.warnings.append(
            tr("app.bad_param", name=name.replace("`", ""), value=md(shown),
               reason=md(reason), default=md(default))
        )

    def choice(self, name: str, options: Sequence[str], default: str | None) -> str | None:
        value = self.raw(name)
        if value is None:
            return default
        if value in options:
            return value
        self.warn(name, value, tr("app.not_an_option"),
                  default if default is not None else tr("app.nothing"))
        return default

    def choices(self, name: str, options: Sequence[str]) -> list[str]:
        out = []
        for value in self.raw_list(name):
            if value in options:
                out.append(value)
            else:
                self.warn(name, value, tr("app.not_an_option"), tr("app.the_others"))
        return out

    def integer(self, name: str, default: int, lo: int, hi: int) -> int:
        value = self.raw(name)
        if value is None:
            return default
        try:
            number = int(value)
        except ValueError:
            self.warn(name, value, tr("app.not_a_number"), default)
            return default
        if not lo <= number <= hi:
            self.warn(name, value, tr("app.out_of_range", lo=str(lo), hi=str(hi)), default)
            return default
        return number

    def number(self, name: str, default: float, lo: float, hi: float) -> float:
        """A finite decimal number within ``lo``–``hi`` (``2``, ``2.5``), else ``default``."""
        value = self.raw(name)
        if value is None:
            return default
        try:
            number = float(value)
        except ValueError:
            number = math.nan
        if not math.isfinite(number):
            self.warn(name, value, tr("app.not_a_decimal"), _plain(default))
            return default
        if not lo <= number <= hi:
            self.warn(name, value, tr("app.out_of_range", lo=_plain(lo), hi=_plain(hi)),
                      _plain(default))
            return default
        return number

    def text(self, name: str, default: str = "", max_len: int = 20000) -> str:
        value = self.raw(name)
        if value is None:
            return default
        if len(value) > max_len:
            self.warn(name, value, tr("app.too_long", n=max_len), tr("app.empty"))
            return default
        return value

    def show_warnings(self) -> None:
        for text in self.warnings:
            st.warning(text)
        self.warnings.clear()

    def write(self, **params: str | Iterable[str] | int | None) -> None:
        """Make the URL reproduce this view: the language plus the given non-empty values."""
        new: dict[str, str | list[str]] = {}
        if current_lang() != "en":
            new["lang"] = current_lang()
        for name, value in params.items():
            if value is None or value == "":
                continue
            if isinstance(value, str | int):
                new[name] = str(value)
            else:
                items = [str(v) for v in value]
                if items:
                    new[name] = items
        current = {k: st.query_params.get_all(k) for k in st.query_params}
        normalised = {k: (v if isinstance(v, list) else [v]) for k, v in new.items()}
        if current != normalised:
            st.query_params.from_dict(new)


def _plain(number: float) -> str:
    """``2`` for 2.0, ``2.5`` for 2.5."""
    return str(int(number)) if float(number).is_integer() else f"{number:g}"


def init_widget(key: str, value: Any) -> None:
    """Give a widget its first value (from the URL) without fighting the user afterwards."""
    if key not in st.session_state:
        st.session_state[key] = value
