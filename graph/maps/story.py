"""Stories: a presenter's sequence of map views, saved as JSON and played offline.

A story file (in ``stories/``) is::

    {"title": "...", "language": "en",
     "steps": [{"projection": "people", "filters": {"communities": ["urban-transport"]},
                "focus": null, "radius": 1,
                "caption": {"en": "...", "fr": "...", "ar": "..."}}]}

Optional step keys: ``title`` (text or language → text), ``color_by``, ``size_by``,
``max_nodes``, ``aggregate``, ``min_weight`` (links weaker than this are not drawn);
``year`` (the network as it was up to that year: products and events until then) or ``years``
(``[from, to]``: that period's activity only), so a presenter steps through 2010 → today;
``layout``: ``"geo"`` draws the step on the map of the region (countries stay in place from
step to step, :mod:`graph.maps.geo`). :func:`load_story` reports every problem with file and
step.
"""

from __future__ import annotations

import importlib
import json
import math
import os
import re
import tempfile
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import networkx as nx
import pandas as pd

from .. import i18n
from ..errors import CopkgError, DataError, Problem
from ..i18n import Localized, Message
from ..network.filters import filters_from_mapping
from .geo import geo_scripts, geo_view
from .html import map_html, map_view, render_page
from .reduce import AGGREGATES
from .style import COLOR_BY, MEASURES, group_counts, short_id

__all__ = ["LAYOUTS", "MAX_STORY_BYTES", "MAX_STORY_STEPS", "PROJECTIONS", "Story", "StoryFile",
           "StoryStep", "list_stories", "load_story", "save_story", "step_map_html",
           "story_from_dict", "story_graphs", "story_html", "story_page", "story_palettes",
           "story_path", "story_slug", "story_to_dict", "story_views"]

PROJECTIONS = ("people", "organizations", "countries", "organization-community",
               "person-event", "person-product")
"""Projection names a step may use (as in ``graph.network.PROJECTIONS``)."""

#: Limits of a story file: each step is a map drawn when the story is played.
MAX_STORY_STEPS = 100
MAX_STORY_BYTES = 1_000_000

_STEP_KEYS = {"projection", "filters", "focus", "radius", "caption", "title", "color_by",
              "size_by", "max_nodes", "aggregate", "min_weight", "year", "years", "layout"}
LAYOUTS = ("forceatlas2", "geo")
"""How a step may be drawn: a network laid out by ForceAtlas2, or on the map of the region."""
_YEARS = (1900, 2100)  # a year a story may name


@dataclass(frozen=True)
class StoryStep:
    """One view of a story: which network, filtered how, focused where, said how."""

    projection: str
    filters: Mapping[str, Any] = field(default_factory=dict)
    focus: str | None = None
    radius: int = 1
    caption: Mapping[str, str] = field(default_factory=dict)
    title: Mapping[str, str] = field(default_factory=dict)
    color_by: str = "community"
    size_by: str = "degree"
    max_nodes: int | None = None
    aggregate: str | None = None
    min_weight: float | None = None
    #: ``(None, Y)`` for ``"year": Y`` (up to Y), ``(A, B)`` for ``"years": [A, B]``.
    years: tuple[int | None, int] | None = None
    layout: str = "forceatlas2"

    @property
    def filter_values(self) -> dict[str, Any]:
        """The step's filters with its year or years as ``year_from`` / ``year_to``.

        >>> StoryStep("people", {"ties": ["event"]}, years=(None, 2014)).filter_values
        {'ties': ['event'], 'year_to': 2014}
        """
        values = dict(self.filters)
        if self.years is not None:
            start, end = self.years
            if start is not None:
                values["year_from"] = start
            values["year_to"] = end
        return values


@dataclass(frozen=True)
class Story:
    """A titled sequence of :class:`StoryStep`, in a default ``language``."""

    title: Mapping[str, str]
    language: str
    steps: tuple[StoryStep, ...]
    path: Path | None = None


def load_story(path: str | Path) -> Story:
    """Read and check a story file; raises :class:`~graph.errors.DataError` listing problems.

    Each problem names the file and the step (counted from 1) and what to change.

    >>> import pathlib
    >>> story = load_story(pathlib.Path(__file__).parents[2] / "stories" / "cmi-overview.json")
    >>> [s.projection for s in story.steps][:2]
    ['people', 'people']
    """
    path = Path(path)
    name = path.name

    def unreadable(reason: str | Message) -> DataError:
        # One line about stories (not "nothing was imported": a story imports nothing).
        return DataError([], Message("story_check.unreadable", name=name, reason=reason))

    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_STORY_BYTES + 1)
    except OSError as exc:
        raise unreadable(exc.strerror or str(exc)) from None
    if len(data) > MAX_STORY_BYTES:
        raise unreadable(Message("story_check.too_large", mb=MAX_STORY_BYTES // 1_000_000,
                                 steps=MAX_STORY_STEPS))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise unreadable(Message("story_check.not_utf8", byte=exc.start + 1)) from None
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as exc:
        raise unreadable(Message("story_check.not_json", line=exc.lineno, column=exc.colno,
                                 detail=exc.msg)) from None
    except RecursionError:
        raise unreadable(Message("story_check.too_deep")) from None
    return story_from_dict(raw, name=name, path=path)


def story_from_dict(raw: object, *, name: str = "story", path: Path | None = None) -> Story:
    """Check a story given as parsed JSON (see :func:`load_story`); ``name`` names it in errors.

    >>> story_from_dict({"title": "Demo", "steps": [{"projection": "people"}]}).title
    {'en': 'Demo'}
    """
    problems: list[Problem] = []

    def bad(message: Localized, step: int | None = None, fix: Message | None = None) -> None:
        if step is not None:
            message = Message("story_check.at_step", step=step, message=message)
        problems.append(Problem(name, message, fix=fix))

    if not isinstance(raw, dict):
        raise DataError([Problem(name, Message("story_check.not_object"))])
    title = _texts(raw.get("title"))
    if not title:
        bad(Message("story_check.no_title"))
    language = raw.get("language", "en")
    if language not in i18n.LANGUAGES:
        bad(Message("story_check.bad_language", language=repr(language),
                    languages=i18n.LANGUAGES))
    for key in sorted(set(raw) - {"title", "language", "steps", "description"}):
        bad(Message("story_check.unknown_key", key=key), fix=Message("story_check.story_keys"))
    raw_steps = raw.get("steps")
    steps: list[StoryStep] = []
    if not isinstance(raw_steps, list) or not raw_steps:
        bad(Message("story_check.no_steps"))
        raw_steps = []
    elif len(raw_steps) > MAX_STORY_STEPS:
        raise DataError([], Message("story_check.too_many_steps", name=name,
                                    most=MAX_STORY_STEPS, n=len(raw_steps)))
    for number, item in enumerate(raw_steps, start=1):
        step = _check_step(item, number, bad)
        if step is not None:
            steps.append(step)
    if problems:
        raise DataError(problems, Message("story_check.problems", name=name, n=len(problems)))
    return Story(title=title, language=str(language), steps=tuple(steps), path=path)


def _check_step(item: object, number: int, bad: Any) -> StoryStep | None:
    if not isinstance(item, dict):
        bad(Message("story_check.step_not_object"), number)
        return None
    errors: list[Localized] = []

    def fail(message: Localized, fix: Message | None = None) -> None:
        errors.append(message)
        bad(message, number, fix)

    def not_one_of(key: str, value: object, allowed: Iterable[object]) -> None:
        fail(Message("story_check.not_one_of", key=key, value=repr(value),
                     allowed=[str(a) for a in allowed if a is not None]))

    for key in sorted(set(item) - _STEP_KEYS):
        fail(Message("story_check.unknown_key", key=key),
             Message("story_check.step_keys", keys=sorted(_STEP_KEYS)))
    projection = item.get("projection")
    if projection not in PROJECTIONS:
        not_one_of("projection", projection, PROJECTIONS)
    filters = item.get("filters") or {}
    if not isinstance(filters, dict):
        fail(Message("story_check.filters_object"))
        filters = {}
    try:
        filters_from_mapping(filters)  # the one parser of filters (graph.network)
    except CopkgError as exc:
        fail(exc)
    years = _check_years(item, filters, fail)
    layout = item.get("layout", "forceatlas2")
    if layout not in LAYOUTS:
        not_one_of("layout", layout, LAYOUTS)
    elif layout == "geo" and projection not in ("people", "organizations", "countries"):
        fail(Message("story_check.geo_actors"))
    focus = item.get("focus")
    if focus is not None and (not isinstance(focus, str) or not focus.strip()):
        fail(Message("story_check.focus"))
    radius = item.get("radius", 1)
    if not isinstance(radius, int) or isinstance(radius, bool) or not 0 <= radius <= 5:
        fail(Message("story_check.radius"))
    caption = _texts(item.get("caption"))
    if item.get("caption") is not None and not caption:
        fail(Message("story_check.caption"))
    for key, allowed in (("color_by", COLOR_BY), ("size_by", MEASURES),
                         ("aggregate", (*AGGREGATES, None))):
        if key in item and item[key] not in allowed:
            not_one_of(key, item[key], allowed)
    max_nodes = item.get("max_nodes")
    if max_nodes is not None and (not isinstance(max_nodes, int) or max_nodes < 1):
        fail(Message("story_check.max_nodes"))
    min_weight = item.get("min_weight")
    if min_weight is not None and (isinstance(min_weight, bool)
                                   or not isinstance(min_weight, int | float)
                                   or not math.isfinite(min_weight) or min_weight < 0):
        fail(Message("story_check.min_weight"))
    if errors:
        return None
    return StoryStep(
        projection=str(projection), filters=dict(filters), focus=focus, radius=int(radius),
        caption=caption, title=_texts(item.get("title")),
        color_by=str(item.get("color_by", "community")),
        size_by=str(item.get("size_by", "degree")), max_nodes=max_nodes,
        aggregate=item.get("aggregate"), min_weight=min_weight, years=years,
        layout=str(layout))


def _check_years(item: Mapping[str, Any], filters: Mapping[str, Any], fail: Any,
                 ) -> tuple[int | None, int] | None:
    """A step's ``year`` (up to it) or ``years`` (``[from, to]``), checked."""

    def is_year(value: object) -> bool:
        return (isinstance(value, int) and not isinstance(value, bool)
                and _YEARS[0] <= value <= _YEARS[1])

    if "year" in item and "years" in item:
        fail(Message("story_check.year_and_years"))
        return None
    if ("year" in item or "years" in item) and (
            filters.get("year_from") is not None or filters.get("year_to") is not None):
        fail(Message("story_check.years_twice"), Message("story_check.keep_one"))
        return None
    if "year" in item:
        if not is_year(item["year"]):
            fail(Message("story_check.year", first=_YEARS[0], last=_YEARS[1]))
            return None
        return (None, int(item["year"]))
    if "years" in item:
        value = item["years"]
        if not (isinstance(value, list) and len(value) == 2 and all(map(is_year, value))):
            fail(Message("story_check.years"))
            return None
        if value[0] > value[1]:
            fail(Message("story_check.years_empty", first=value[0], last=value[1]))
            return None
        return (int(value[0]), int(value[1]))
    return None


def _texts(value: object) -> dict[str, str]:
    if isinstance(value, str) and value.strip():
        return {"en": value}
    if isinstance(value, dict) and value and all(
            isinstance(k, str) and isinstance(v, str) for k, v in value.items()):
        return {k: v for k, v in value.items() if v.strip()}
    return {}


def story_graphs(story: Story, kg: Any) -> list[nx.Graph]:
    """The network of each step, built from ``kg`` (projection, filters, focus and radius).

    Calls ``graph.network.build_projection`` and ``graph.analysis.resolve`` /
    ``ego_network``; the focus node of an ego step is kept in ``G.graph["focus"]``.
    """
    from ..network import build_projection

    analysis: Any = importlib.import_module("graph.analysis")  # written in parallel

    graphs = []
    name = story.path.name if story.path is not None else "story"
    for number, step in enumerate(story.steps, start=1):
        try:
            filters = filters_from_mapping(step.filter_values)
            G = build_projection(kg, step.projection, filters)
            if step.focus:
                node = analysis.resolve(G, step.focus)
                G = analysis.ego_network(G, node, radius=step.radius)
                G.graph["focus"] = node
        except CopkgError as exc:
            # Names are checked against the data here: say which step names what.
            raise DataError([Problem(name, Message("story_check.at_step", step=number,
                                                   message=exc))],
                            Message("story_check.cannot_draw", name=name, step=number)) from exc
        graphs.append(G)
    return graphs


def story_html(story: Story, graphs_by_step: Sequence[nx.Graph], language: str | None = None,
               *, measures_by_step: Sequence[pd.DataFrame | None] | None = None,
               source_note: str | None = None, data_date: str | None = None,
               presentation: bool = True, start: int = 0) -> str:
    """One offline HTML page stepping through the story (buttons, arrow keys, PageUp/Down).

    Each step is laid out on its own. ``graphs_by_step[i]`` is the network of step ``i``
    (see :func:`story_graphs`); its focus is ``G.graph["focus"]`` or the node whose id, IRI
    or label is the step's ``focus``. The page opens on step ``start`` (counted from 0).

    >>> import networkx as nx
    >>> s = Story({"en": "Demo"}, "en", (StoryStep("people"), StoryStep("people", focus="1")))
    >>> page = story_html(s, [nx.path_graph(3), nx.path_graph(3)], "fr")
    >>> 'lang="fr"' in page and "Étape {n} sur {total}" in page
    True
    """
    views = story_views(story, graphs_by_step, language, measures_by_step=measures_by_step,
                        source_note=source_note, data_date=data_date)
    return story_page(story, views, language, presentation=presentation, start=start)


def story_views(story: Story, graphs_by_step: Sequence[nx.Graph], language: str | None = None,
                *, measures_by_step: Sequence[pd.DataFrame | None] | None = None,
                source_note: str | None = None, data_date: str | None = None
                ) -> list[dict[str, Any]]:
    """The drawable view of each step (the slow part of :func:`story_html`: reduction,
    layout, style), ready for :func:`story_page`."""
    lang = i18n.normalize_language(language or story.language)
    if len(graphs_by_step) != len(story.steps):
        raise ValueError(f"the story has {len(story.steps)} steps but "
                         f"{len(graphs_by_step)} graphs were given")
    palettes = story_palettes(story, graphs_by_step)
    views = []
    for number, (step, G) in enumerate(zip(story.steps, graphs_by_step, strict=True)):
        measures = measures_by_step[number] if measures_by_step else None
        keys = palettes.get(_color_by(step))
        if step.layout == "geo":
            options = _step_options(step, G, lang)
            views.append(geo_view(G, title=options["title"], language=lang,
                                  caption=options["caption"], source_note=source_note,
                                  data_date=data_date, color_by=_color_by(step),
                                  palette_keys=keys))
            continue
        view = map_view(G, measures=measures, source_note=source_note, data_date=data_date,
                        palette_keys=keys, **_step_options(step, G, lang))
        views.append(view.data)
    return views


def story_palettes(story: Story, graphs_by_step: Sequence[nx.Graph]) -> dict[str, list[str]]:
    """For each way the story's steps are coloured (``country``, ``community``...), the group
    keys over all its steps, largest first: given as ``palette_keys`` to every step, a
    country or a community keeps its colour from step to step (detected clusters, numbered
    anew in each step, are left out).

    >>> import networkx as nx
    >>> a, b = nx.Graph(), nx.Graph()
    >>> a.add_nodes_from([(1, {"country": "TN"}), (2, {"country": "FR"}), (3, {"country": "FR"})])
    >>> b.add_nodes_from([(1, {"country": "TN"}), (4, {"country": "MA"})])
    >>> s = Story({"en": "S"}, "en", (StoryStep("people", color_by="country"),
    ...                               StoryStep("people", layout="geo")))
    >>> story_palettes(s, [a, b])
    {'country': ['FR', 'TN', 'MA']}
    """
    totals: dict[str, Counter[str]] = defaultdict(Counter)
    for step, G in zip(story.steps, graphs_by_step, strict=True):
        by = _color_by(step)
        if by != "cluster":
            totals[by].update(group_counts(G, by))
    return {by: [k for k in sorted(counts, key=lambda k: (-counts[k], k)) if k]
            for by, counts in totals.items()}


def _color_by(step: StoryStep) -> str:
    """How the step's map is coloured (a map of the region by country unless told)."""
    return "country" if step.layout == "geo" and step.color_by == "community" else step.color_by


def story_page(story: Story, views: Sequence[Mapping[str, Any]], language: str | None = None,
               *, presentation: bool = True, start: int = 0) -> str:
    """The HTML page of a story from its :func:`story_views`, opening on step ``start``."""
    lang = i18n.normalize_language(language or story.language)
    if not 0 <= start < max(len(views), 1):
        raise ValueError(f"start step {start} is outside 0–{len(views) - 1}")
    title = i18n.label(story.title, lang)
    playback: dict[str, Any] = {"title": title, "steps": len(views)}
    if start:
        playback["start"] = start
    # Steps on the map of the region, or through the years: the basemap and slider add-on.
    addons = any(v.get("view") and ("basemap" in v["view"] or v["view"].get("years"))
                 for v in views)
    return render_page(views, title=title, language=lang, presentation=presentation,
                       story=playback, extra_js=geo_scripts() if addons else ())


def step_map_html(story: Story, graphs_by_step: Sequence[nx.Graph], step: int,
                  language: str | None = None, *, measures: pd.DataFrame | None = None,
                  source_note: str | None = None, data_date: str | None = None,
                  presentation: bool = True) -> str:
    """Step ``step`` (counted from 0) of the story alone, as a stand-alone offline map.

    >>> import networkx as nx
    >>> s = Story({"en": "Demo"}, "en", (StoryStep("people", caption={"en": "Hello"}),))
    >>> page = step_map_html(s, [nx.path_graph(3)], 0, "fr")
    >>> "Hello (en)" in page and 'lang="fr"' in page
    True
    """
    lang = i18n.normalize_language(language or story.language)
    if not 0 <= step < len(story.steps) or len(graphs_by_step) != len(story.steps):
        raise ValueError(f"step {step} is not one of the story's {len(story.steps)} steps")
    G = graphs_by_step[step]
    options = _step_options(story.steps[step], G, lang)
    # The colours of the whole story, so the step alone looks as it does in the story.
    keys = story_palettes(story, graphs_by_step).get(_color_by(story.steps[step]))
    if story.steps[step].layout == "geo":
        view = geo_view(G, title=options["title"], language=lang, caption=options["caption"],
                        source_note=source_note, data_date=data_date,
                        color_by=_color_by(story.steps[step]), palette_keys=keys)
        return render_page([view], title=options["title"], language=lang,
                           presentation=presentation, extra_js=geo_scripts())
    return map_html(G, measures=measures, source_note=source_note, data_date=data_date,
                    presentation=presentation, palette_keys=keys, **options)


def _step_options(step: StoryStep, G: nx.Graph, lang: str) -> dict[str, Any]:
    focus = G.graph.get("focus") if G.graph.get("focus") in G else _find_node(G, step.focus)
    title = i18n.label(step.title, lang) if step.title else i18n.t(
        f"projection.{step.projection}", lang)
    if step.years is not None:  # the period a step shows is always said in its title
        start, end = step.years
        period = (i18n.t("story.up_to", lang, year=end) if start is None
                  else i18n.t("story.years", lang, start=start, end=end))
        title = f"{title} · {period}"
    return {"title": title, "language": lang, "color_by": step.color_by,
            "size_by": step.size_by, "max_nodes": step.max_nodes, "aggregate": step.aggregate,
            "focus": focus, "caption": i18n.label(step.caption, lang, mark=True) or None,
            "min_weight": step.min_weight}


def _find_node(G: nx.Graph, text: str | None) -> Hashable | None:
    if not text:
        return None
    if text in G:
        return text
    wanted = text.strip().casefold()
    for node in sorted(G.nodes, key=str):
        if short_id(node).casefold() == wanted:
            return node
    for node in sorted(G.nodes, key=str):
        if str(G.nodes[node].get("label", "")).casefold() == wanted:
            return node
    return None


# --- writing stories ---------------------------------------------------------------------------

@dataclass(frozen=True)
class StoryFile:
    """A file of a stories folder: its :class:`Story`, or why it cannot be played."""

    path: Path
    story: Story | None = None
    error: str | None = None

    @property
    def slug(self) -> str:
        """The file name without ``.json`` (what links name the story by)."""
        return self.path.stem

    def title(self, language: str = "en") -> str:
        """The story's title in ``language`` (English or the file name as fallback)."""
        if self.story is None:
            return self.path.name
        return i18n.label(self.story.title, language, default=self.path.stem)


def list_stories(folder: str | Path) -> list[StoryFile]:
    """Every ``*.json`` of ``folder`` (sorted by file name), loaded; an unreadable or invalid
    file is listed with its error, never raised. A missing folder has no stories.

    >>> import pathlib
    >>> [f.slug for f in list_stories(pathlib.Path(__file__).parents[2] / "stories")][:1]
    ['cmi-overview']
    """
    folder = Path(folder)
    if not folder.is_dir():
        return []
    files = []
    for path in sorted(folder.glob("*.json")):
        try:
            files.append(StoryFile(path, load_story(path)))
        except DataError as exc:
            files.append(StoryFile(path, error=str(exc)))
    return files


def story_slug(text: str, *, max_length: int = 60) -> str:
    """A safe file name (without ``.json``) made of ``text``: ASCII letters, digits, dashes.

    Accents are dropped; a text with no Latin letter or digit (e.g. Arabic only) gives
    ``"story"``.

    >>> story_slug("Qui travaille avec qui ? (Été 2025)")
    'qui-travaille-avec-qui-ete-2025'
    >>> story_slug("../../etc/passwd"), story_slug("مجتمعات الممارسة")
    ('etc-passwd', 'story')
    """
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:max_length].rstrip("-") or "story"


def story_path(folder: str | Path, name: str) -> Path:
    """Where the story called ``name`` is saved in ``folder``: ``<folder>/<slug>.json``.

    >>> story_path("stories", "Transport & emploi").as_posix()
    'stories/transport-emploi.json'
    """
    return Path(folder) / f"{story_slug(name)}.json"


def story_to_dict(story: Story) -> dict[str, Any]:
    """The JSON-ready form of ``story`` (as in a story file); defaults are left out.

    :func:`story_from_dict` of the result gives back the same story.

    >>> s = Story({"en": "Demo"}, "fr", (StoryStep("people", {"countries": ("TN",)}),))
    >>> story_to_dict(s)["steps"]
    [{'projection': 'people', 'filters': {'countries': ['TN']}, 'focus': None, 'radius': 1}]
    """
    steps = []
    for step in story.steps:
        item: dict[str, Any] = {
            "projection": step.projection,
            "filters": {key: list(value) if isinstance(value, list | tuple) else value
                        for key, value in step.filters.items() if value is not None},
            "focus": step.focus,
            "radius": step.radius,
        }
        if step.caption:
            item["caption"] = dict(step.caption)
        if step.title:
            item["title"] = dict(step.title)
        if step.color_by != "community":
            item["color_by"] = step.color_by
        if step.size_by != "degree":
            item["size_by"] = step.size_by
        if step.max_nodes is not None:
            item["max_nodes"] = step.max_nodes
        if step.aggregate is not None:
            item["aggregate"] = step.aggregate
        if step.min_weight is not None:
            item["min_weight"] = step.min_weight
        if step.years is not None:
            if step.years[0] is None:
                item["year"] = step.years[1]
            else:
                item["years"] = list(step.years)
        if step.layout != "forceatlas2":
            item["layout"] = step.layout
        steps.append(item)
    return {"title": dict(story.title), "language": story.language, "steps": steps}


def save_story(story: Story, path: str | Path, *, overwrite: bool = False) -> Path:
    """Write ``story`` to ``path`` (a ``.json`` file) and return the path.

    The text is checked before anything is written, written to a temporary file beside
    ``path``, read back with :func:`load_story` and only then moved into place, so ``path``
    never holds invalid JSON or a half-written story. An existing file is replaced only with
    ``overwrite=True``; otherwise :class:`~graph.errors.DataError` says so.
    """
    path = Path(path)
    name = path.name
    if path.suffix != ".json":
        raise DataError([Problem(name, Message("story_check.suffix"))])
    data = story_to_dict(story)
    story_from_dict(data, name=name)  # the same checks as load_story, before writing
    if path.exists() and not overwrite:
        raise DataError([Problem(name, Message("story_check.exists"),
                                 fix=Message("story_check.exists_fix"))],
                        Message("story_check.exists_summary", name=name))
    if not path.parent.is_dir():
        raise DataError([Problem(name, Message("story_check.no_folder",
                                               folder=str(path.parent)))])
    text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    handle, temp = tempfile.mkstemp(prefix=f".{path.stem}-", suffix=".json.tmp",
                                    dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        if story_to_dict(load_story(temp)) != data:
            raise DataError([Problem(name, Message("story_check.read_back"))])
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return path
