"""What every copkg page shares: the one store, the language, URL parameters, cached core calls.

The pages stay thin: they read widgets, call ``graph.*`` through the cached helpers here, and
show the results. ``graph/`` never imports streamlit; this module is the only glue.
"""

from __future__ import annotations

import importlib
import logging
import math
import os
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
import streamlit as st

from graph import KnowledgeGraph, open_graph
from graph.errors import CopkgError

_LOG = logging.getLogger("copkg.app")

LANGS = ("en", "fr", "ar")
LANG_NAMES = {"en": "English", "fr": "Français", "ar": "العربية"}

#: The one-mode projections (people, organisations, countries): rankings and paths use these.
ONE_MODE = ("people", "organizations", "countries")
PROJECTION_NAMES = {
    "people": "People (who collaborates with whom)",
    "organizations": "Organisations",
    "countries": "Countries",
    "organization-community": "Organisations and communities",
    "person-event": "People and events",
    "person-product": "People and knowledge products",
}
TIE_NAMES = {"coauthorship": "Co-authored a product", "event": "Same event",
             "community": "Same community"}
#: Ties drawn unless asked otherwise (as graph.network.filters.DEFAULT_TIES: "same community"
#: makes every community a clique and buries the real collaborations).
DEFAULT_TIES = ("coauthorship", "event")
MEASURE_COLUMNS = ("degree", "weighted_degree", "betweenness", "closeness", "pagerank",
                   "eigenvector", "constraint", "effective_size")

_TRUE = {"1", "true", "yes", "on"}


# --------------------------------------------------------------------------------- the store
@st.cache_resource(show_spinner=False)
def _open_store(store: str | None, endpoint: str | None, read_only: bool) -> KnowledgeGraph:
    # One KnowledgeGraph per process: a second read-write open of the folder fails on RocksDB's
    # LOCK, and pyoxigraph is safe to share between sessions' threads.
    return open_graph(store, endpoint=endpoint, read_only=read_only)


def store_settings() -> tuple[str | None, str | None, bool]:
    """(store folder, endpoint URL, read-only) from the environment."""
    return (
        os.environ.get("COPKG_STORE") or None,
        os.environ.get("COPKG_ENDPOINT") or None,
        os.environ.get("COPKG_READ_ONLY", "").strip().lower() in _TRUE,
    )


def get_kg() -> KnowledgeGraph:
    """The shared graph; stops the page with a readable message if it cannot be opened."""
    store, endpoint, read_only = store_settings()
    try:
        with st.spinner(tr("opening", "Opening the knowledge graph…")):
            return _open_store(store, endpoint, read_only)
    except CopkgError as exc:
        st.error(f"{tr('store_failed', 'The knowledge graph cannot be opened.')} {md(exc)}")
    except ImportError as exc:
        # A fresh store is filled by graph.ingest; until it exists there is nothing to show.
        st.error(f"The knowledge graph cannot be created yet: {md(exc)}")
    st.stop()
    raise AssertionError("unreachable")


@st.cache_resource(show_spinner=False)
def _generation() -> dict[str, int]:
    return {"n": 0}


def data_version(kg: KnowledgeGraph) -> str:
    """A key that changes whenever the data changes (after an import from this app)."""
    return f"{kg.location}#{_generation()['n']}"


def after_import() -> None:
    """Forget every cached result: the data changed. The store itself stays open."""
    st.cache_data.clear()
    _generation()["n"] += 1


def is_read_only(kg: KnowledgeGraph) -> bool:
    return bool(getattr(kg.backend, "read_only", False))


# --------------------------------------------------------------------------------- language
def current_lang() -> str:
    lang = st.session_state.get("lang", "en")
    return lang if lang in LANGS else "en"


def _i18n(name: str) -> Callable[..., Any] | None:
    try:
        module = importlib.import_module("graph.i18n")
    except ImportError:
        return None
    return getattr(module, name, None)


def tr(key: str, default: str, /, **values: Any) -> str:
    """The UI string ``app.<key>`` in the chosen language (English ``default`` as fallback)."""
    t = _i18n("t")
    text = None
    if t is not None:
        try:
            text = t(f"app.{key}", current_lang())
        except (KeyError, LookupError):
            text = None
        if not text or f"app.{key}" in text:
            text = None
    text = text or default
    if values:
        try:
            text = text.format(**values)
        except (KeyError, IndexError, ValueError):
            text = default.format(**values)
    return text


def label_of(labels: Mapping[str, str] | None, fallback: str = "") -> str:
    """The label in the chosen language, else English, else any; ``fallback`` if none."""
    if not labels:
        return fallback
    fn = _i18n("label")
    if fn is not None:
        try:
            text = fn(dict(labels), current_lang())
            if text:
                return str(text)
        except (KeyError, LookupError, TypeError):
            pass
    lang = current_lang()
    return labels.get(lang) or labels.get("en") or next(iter(labels.values()), fallback)


def is_rtl(lang: str) -> bool:
    fn = _i18n("is_rtl")
    if fn is not None:
        return bool(fn(lang))
    return lang == "ar"


# --------------------------------------------------------------------------------- text safety
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")


def md(text: object) -> str:
    """``text`` escaped for Streamlit markdown: names and URL values show as typed, never as
    links, images, HTML or formatting."""
    return _MD_SPECIAL.sub(r"\\\1", str(text)).replace("\n", "  \n")


# --------------------------------------------------------------------------------- core access
def core(module: str, name: str) -> Any:
    """``graph.<module>.<name>``. A missing part is a bug and raises (it is not hidden)."""
    return getattr(importlib.import_module(f"graph.{module}"), name)


def require(module: str, *names: str) -> list[Any]:
    """The named core functions of ``graph.<module>`` (raises if one is missing)."""
    return [core(module, n) for n in names]


def show_error(exc: BaseException, what: str = "") -> None:
    """A user-caused problem as one readable message (no traceback)."""
    head = f"{what}: " if what else ""
    st.error(head + md(exc))


# --------------------------------------------------------------------------------- URL state
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
            tr("bad_param", "The link's `{name}` value “{value}” was ignored ({reason}); "
               "showing {default} instead.", name=name.replace("`", ""), value=md(shown),
               reason=md(reason), default=md(default))
        )

    def choice(self, name: str, options: Sequence[str], default: str | None) -> str | None:
        value = self.raw(name)
        if value is None:
            return default
        if value in options:
            return value
        self.warn(name, value, tr("not_an_option", "not one of the choices"),
                  default if default is not None else tr("nothing", "nothing"))
        return default

    def choices(self, name: str, options: Sequence[str]) -> list[str]:
        out = []
        for value in self.raw_list(name):
            if value in options:
                out.append(value)
            else:
                self.warn(name, value, tr("not_an_option", "not one of the choices"),
                          tr("the_others", "the others"))
        return out

    def integer(self, name: str, default: int, lo: int, hi: int) -> int:
        value = self.raw(name)
        if value is None:
            return default
        try:
            number = int(value)
        except ValueError:
            self.warn(name, value, tr("not_a_number", "not a whole number"), default)
            return default
        if not lo <= number <= hi:
            self.warn(name, value, tr("out_of_range", "outside {lo}–{hi}", lo=lo, hi=hi),
                      default)
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
            self.warn(name, value, tr("not_a_decimal", "not a number"), _plain(default))
            return default
        if not lo <= number <= hi:
            self.warn(name, value, tr("out_of_range", "outside {lo}–{hi}", lo=_plain(lo),
                                      hi=_plain(hi)), _plain(default))
            return default
        return number

    def text(self, name: str, default: str = "", max_len: int = 20000) -> str:
        value = self.raw(name)
        if value is None:
            return default
        if len(value) > max_len:
            self.warn(name, value, tr("too_long", "longer than {n} characters", n=max_len),
                      tr("empty", "empty"))
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


# --------------------------------------------------------------------------------- banners
def illustrative_banner(count: int, total: int | None = None) -> None:
    """Say plainly when what is shown includes fictional (illustrative) resources."""
    if count <= 0:
        return
    of = f" / {total}" if total else ""
    st.warning(
        tr("illustrative_banner", "Includes illustrative data: {count}{of} of the resources "
           "shown are fictional examples (flagged `cop:illustrative`), not sourced facts.",
           count=count, of=of),
        icon=":material/info:",
    )


def page_header(title: str, caption: str | None = None) -> None:
    st.title(title)
    if caption:
        st.caption(caption)


# --------------------------------------------------------------------------------- networks
@dataclass(frozen=True)
class FilterChoice:
    """The filters as plain, hashable values (cache keys, URL parameters)."""

    communities: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    org_types: tuple[str, ...] = ()
    year_from: int | None = None
    year_to: int | None = None
    ties: tuple[str, ...] = DEFAULT_TIES

    def to_filters(self) -> Any:
        Filters = core("network", "Filters")
        return Filters(
            communities=self.communities, countries=self.countries, org_types=self.org_types,
            year_from=self.year_from, year_to=self.year_to, ties=self.ties,
        )


@st.cache_resource(show_spinner=False, max_entries=12)
def _projection(_kg: KnowledgeGraph, version: str, name: str, choice: FilterChoice) -> Any:
    # A resource, not data: graphs are big and read-only here, so no per-run pickle copy.
    build = core("network", "build_projection")
    filters = choice.to_filters()
    return build(_kg, name, filters)


def projection(kg: KnowledgeGraph, name: str, choice: FilterChoice | None = None) -> Any:
    """The (cached, shared, read-only) projection ``name`` under ``choice``."""
    return _projection(kg, data_version(kg), name, choice or FilterChoice())


def pick_projection(url: UrlState, key: str, options: Sequence[str]) -> str:
    """The sidebar's projection picker (URL ``projection``), returning the chosen one."""
    init_widget(key, url.choice("projection", list(options), "people"))
    with st.sidebar:
        st.selectbox(tr("view", "View"), list(options), key=key,
                     format_func=lambda p: tr(f"projection_{p}", PROJECTION_NAMES.get(p, p)))
    return str(st.session_state[key])


def projection_or_stop(
    kg: KnowledgeGraph, url: UrlState, name: str, choice: FilterChoice
) -> Any:
    """The projection for the page, or a message and ``st.stop()`` when it fails or is empty."""
    try:
        with st.spinner(tr("building", "Building the network…")):
            G = projection(kg, name, choice)
    except CopkgError as exc:
        show_error(exc, tr("projection_failed", "This view cannot be built"))
        st.stop()
    if G.number_of_nodes() == 0:
        url.show_warnings()
        st.info(tr("empty_view", "Nothing to show: no one matches these filters (or the store "
                   "holds no data yet — see the Data page)."))
        url.write(projection=name, **filter_params(choice))
        st.stop()
    return G


@st.cache_data(show_spinner=False, max_entries=24)
def _measures(_kg: KnowledgeGraph, version: str, name: str, choice: FilterChoice) -> pd.DataFrame:
    measures = core("analysis", "measures")
    # measures() itself switches to sampled betweenness on large graphs and says so in attrs.
    return measures(_projection(_kg, version, name, choice), seed=42)


def measures_table(kg: KnowledgeGraph, name: str, choice: FilterChoice) -> pd.DataFrame:
    return _measures(kg, data_version(kg), name, choice)


@st.cache_data(show_spinner=False, max_entries=8)
def _filter_options(_kg: KnowledgeGraph, version: str) -> dict[str, Any]:
    """Communities, countries, organisation types and years present, from the projections."""
    G = _projection(_kg, version, "organization-community", FilterChoice())
    communities: dict[str, dict[str, str]] = {}
    countries: set[str] = set()
    org_types: set[str] = set()
    for _, data in G.nodes(data=True):
        if data.get("kind") == "organization":
            if data.get("country"):
                countries.add(data["country"])
            if data.get("type"):
                org_types.add(data["type"])
    for node, data in G.nodes(data=True):
        if data.get("kind") == "community":
            communities[node] = dict(data.get("labels") or {"en": data.get("label", node)})
    P = _projection(_kg, version, "people", FilterChoice())
    years: set[int] = set()
    for _, data in P.nodes(data=True):
        if data.get("country"):
            countries.add(data["country"])
        for c in data.get("communities") or ():
            communities.setdefault(c, {"en": c.rsplit("/", 1)[-1]})
    for _, _, data in P.edges(data=True):
        for ev in data.get("evidence") or ():
            year = ev.get("year")
            if isinstance(year, int):
                years.add(year)
    return {
        "communities": communities,
        "countries": sorted(countries),
        "org_types": sorted(org_types),
        "years": (min(years), max(years)) if years else (2009, 2026),
    }


def filter_options(kg: KnowledgeGraph) -> dict[str, Any]:
    return _filter_options(kg, data_version(kg))


def short_id(iri: str) -> str:
    """The last segment of an IRI (``.../community/urban-transport`` → ``urban-transport``)."""
    return iri.rstrip("/").rsplit("/", 1)[-1]


def filter_widgets(kg: KnowledgeGraph, url: UrlState, prefix: str) -> FilterChoice:
    """Filters (community, country, organisation type, years, kinds of tie), in the sidebar,
    seeded from the URL; returns the choice."""
    opts = filter_options(kg)
    comm = opts["communities"]
    comm_ids = {short_id(iri): iri for iri in comm}
    y0, y1 = opts["years"]
    init_widget(f"{prefix}_comm", url.choices("community", list(comm_ids)))
    init_widget(f"{prefix}_country", url.choices("country", opts["countries"]))
    init_widget(f"{prefix}_otype", url.choices("org_type", opts["org_types"]))
    lo = url.integer("from", y0, 1900, 2100)
    hi = url.integer("to", y1, 1900, 2100)
    lo, hi = max(min(lo, y1), y0), min(max(hi, y0), y1)
    if lo > hi:
        lo, hi = y0, y1
    init_widget(f"{prefix}_years", (lo, hi))
    ties = url.choices("tie", list(TIE_NAMES)) or list(DEFAULT_TIES)
    init_widget(f"{prefix}_ties", ties)

    with st.sidebar:
        st.subheader(tr("filters", "Filters"))
        st.multiselect(tr("community", "Community"), list(comm_ids), key=f"{prefix}_comm",
                       format_func=lambda c: label_of(comm.get(comm_ids[c]), c))
        st.multiselect(tr("country", "Country"), opts["countries"], key=f"{prefix}_country")
        st.multiselect(tr("org_type", "Organisation type"), opts["org_types"],
                       key=f"{prefix}_otype")
        if y0 < y1:
            st.slider(tr("years", "Years"), y0, y1, key=f"{prefix}_years")
        st.multiselect(tr("ties", "Kinds of tie"), list(TIE_NAMES), key=f"{prefix}_ties",
                       format_func=lambda k: tr(f"tie_{k}", TIE_NAMES[k]))
    years = st.session_state[f"{prefix}_years"]
    chosen_ties = tuple(st.session_state[f"{prefix}_ties"]) or DEFAULT_TIES
    full = (y0, y1)
    return FilterChoice(
        communities=tuple(st.session_state[f"{prefix}_comm"]),
        countries=tuple(st.session_state[f"{prefix}_country"]),
        org_types=tuple(st.session_state[f"{prefix}_otype"]),
        year_from=None if tuple(years) == full else years[0],
        year_to=None if tuple(years) == full else years[1],
        ties=chosen_ties,
    )


def filter_params(choice: FilterChoice) -> dict[str, Any]:
    """The URL parameters that reproduce ``choice`` (defaults left out)."""
    return {
        "community": list(choice.communities),
        "country": list(choice.countries),
        "org_type": list(choice.org_types),
        "from": choice.year_from,
        "to": choice.year_to,
        "tie": [] if set(choice.ties) == set(DEFAULT_TIES) else list(choice.ties),
    }


def node_label(G: Any, node: str) -> str:
    data = G.nodes[node]
    return label_of(data.get("labels"), data.get("label") or short_id(node))


def node_options(G: Any) -> list[str]:
    """Nodes sorted by their label in the chosen language (for search boxes)."""
    return sorted(G.nodes, key=lambda n: (node_label(G, n).casefold(), n))


def resolve_node(G: Any, text: str | None, url: UrlState, name: str) -> str | None:
    """A node of ``G`` from a URL value (IRI, id or label); warns and returns None if unknown."""
    if not text:
        return None
    if text in G:
        return text
    resolve = core("analysis", "resolve")
    if resolve is not None:
        try:
            return str(resolve(G, text))
        except CopkgError as exc:
            url.warnings.append(
                tr("unknown_node", "The link's `{name}` names no one in this view: {error}",
                   name=name.replace("`", ""), error=md(exc))
            )
            return None
    # Until graph.analysis.resolve exists: an exact id (last IRI segment) or label, any case.
    wanted = text.strip().casefold()
    for node, data in G.nodes(data=True):
        labels = data.get("labels") or {}
        names = {short_id(node), str(data.get("label", "")), *map(str, labels.values())}
        if wanted in {n.casefold() for n in names if n}:
            return str(node)
    url.warnings.append(tr("unknown_node_plain", "The link's `{name}` value “{value}” names "
                           "nothing in this view.", name=name.replace("`", ""), value=md(text)))
    return None


def count_illustrative(G: Any) -> int:
    return sum(1 for _, d in G.nodes(data=True) if d.get("illustrative"))


def evidence_rows(G: Any, node: str) -> pd.DataFrame:
    """One row per piece of evidence on each edge of ``node``."""
    rows = []
    for nbr in G.neighbors(node):
        data = G.edges[node, nbr]
        ties = ", ".join(f"{k} {v}" for k, v in sorted((data.get("ties") or {}).items()))
        evidence = data.get("evidence") or [{}]
        for ev in evidence:
            rows.append({
                "with": node_label(G, nbr),
                "weight": data.get("weight"),
                "ties": ties,
                "evidence": ev.get("label", ""),
                "kind": ev.get("kind", ""),
                "year": ev.get("year"),
                "iri": ev.get("iri", ""),
            })
    df = pd.DataFrame(rows, columns=["with", "weight", "ties", "evidence", "kind", "year", "iri"])
    return df.sort_values(["weight", "with"], ascending=[False, True], kind="stable")


def download_csv(df: pd.DataFrame, file_name: str, key: str, label: str | None = None) -> None:
    st.download_button(label or tr("download_csv", "Download CSV"),
                       df.to_csv(index=False).encode("utf-8"), file_name=file_name,
                       mime="text/csv", key=key, on_click="ignore")


def download_json(df: pd.DataFrame, file_name: str, key: str) -> None:
    text = df.to_json(orient="records", force_ascii=False, date_format="iso", indent=2) or "[]"
    st.download_button(tr("download_json", "Download JSON"), text.encode("utf-8"),
                       file_name=file_name, mime="application/json", key=key, on_click="ignore")


# --------------------------------------------------------------------------------- maps
@st.cache_data(show_spinner=False, max_entries=32)
def _map_html(
    _G: Any,
    key: tuple[Any, ...],
    title: str,
    lang: str,
    color_by: str,
    size_by: str,
    max_nodes: int | None,
    _measures: pd.DataFrame | None,
    source_note: str | None,
    focus: str | None,
    min_weight: float | None = None,
) -> str:
    map_html = core("maps", "map_html")
    extra = {"min_weight": min_weight} if min_weight is not None else {}
    return str(map_html(
        _G, title=title, language=lang, color_by=color_by, size_by=size_by, physics=False,
        measures=_measures, source_note=source_note, max_nodes=max_nodes, rank_by=size_by,
        focus=focus, **extra,
    ))


def draw_map(G: Any, key: tuple[Any, ...], *, file_name: str, height: int = 680,
             download_key: str = "map_download", **options: Any) -> bool:
    """Draw ``G`` with :func:`map_html_cached` and show it; True when a map was shown.

    A user-caused problem shows its message. Any other failure is a bug in the map engine: it is
    logged with its traceback and reported in one line, so the rest of the page (tables,
    evidence) stays usable.
    """
    try:
        with st.spinner(tr("drawing", "Drawing the map…")):
            html = map_html_cached(G, key, **options)
    except CopkgError as exc:
        show_error(exc, tr("map_failed", "The map cannot be drawn"))
        return False
    except Exception as exc:  # noqa: BLE001 - see docstring; the traceback goes to the log
        _LOG.exception("graph.maps.map_html failed")
        st.error(tr("map_bug", "The map cannot be drawn: the map engine failed ({error}). "
                    "The tables on this page are not affected.",
                    error=md(f"{type(exc).__name__}: {exc}")))
        return False
    show_map(html, height=height, file_name=file_name, key=download_key)
    return True


def map_html_cached(
    G: Any,
    key: tuple[Any, ...],
    *,
    title: str,
    color_by: str = "community",
    size_by: str = "degree",
    max_nodes: int | None = None,
    measures: pd.DataFrame | None = None,
    source_note: str | None = None,
    focus: str | None = None,
    min_weight: float | None = None,
) -> str:
    """``graph.maps.map_html`` of ``G``, cached under ``key`` (which must identify ``G``).

    ``source_note`` defaults to :func:`map_source_note`; ``min_weight`` drops weaker links.
    """
    if source_note is None:
        source_note = map_source_note()
    return _map_html(G, key, title, current_lang(), color_by, size_by, max_nodes, measures,
                     source_note, focus, min_weight)


def map_source_note() -> str:
    """Where the bundled data comes from, said for people (not the store's folder path);
    ``$COPKG_SOURCE_NOTE`` replaces it for other data."""
    return os.environ.get("COPKG_SOURCE_NOTE") or tr(
        "map_source", "CMI interview (sourced) · generated examples (illustrative)")


def show_map(html: str, height: int = 680, file_name: str = "copkg-map.html",
             key: str = "map_download") -> None:
    """The map in an iframe, and the same offline HTML file to download."""
    st.iframe(html, height=height, alt=tr("map_alt", "Network map"))
    st.download_button(tr("download_map", "Download this map (offline HTML)"),
                       html.encode("utf-8"), file_name=file_name, mime="text/html", key=key,
                       on_click="ignore")
