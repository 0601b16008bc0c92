"""Present: play a saved story (``stories/*.json``) full-width for a projector, download it as
one offline HTML file, and build new stories step by step.

The stories folder is ``$COPKG_STORIES`` (default: ``stories/`` beside ``app.py``). The URL
(``?story=<file name>&lang=ar&step=2``) reproduces what is shown.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st

from graph import KnowledgeGraph, i18n
from graph.errors import CopkgError, DataError
from graph.maps import (
    COLOR_BY,
    MEASURES,
    Story,
    StoryFile,
    list_stories,
    load_story,
    save_story,
    step_map_html,
    story_from_dict,
    story_graphs,
    story_page,
    story_path,
    story_slug,
    story_to_dict,
    story_views,
)
from graph.maps.story import LAYOUTS, PROJECTIONS
from graph.network import DEFAULT_TIES
from views.ui.access import can, require_action
from views.ui.cache import filter_options
from views.ui.choice import TIES
from views.ui.lang import LANG_NAMES, LANGS, current_lang, label_of, tr
from views.ui.maps import map_credits_in
from views.ui.nodes import short_id
from views.ui.show import md, page_header, show_error
from views.ui.store import data_version, get_kg
from views.ui.tables import country_namer, show_table
from views.ui.url import UrlState, init_widget

ROOT = Path(__file__).resolve().parents[1]
HEIGHT = 800
DRAFT = "present_draft"
WHEN = ("all", "upto", "period")  # a step's years: all, "year" (up to it), "years" (a period)


def stories_folder() -> Path:
    return Path(os.environ.get("COPKG_STORIES") or ROOT / "stories")


def _mtime(path: Path) -> int:
    try:
        return path.stat().st_mtime_ns
    except OSError:
        return 0  # gone since it was listed: load_story then says so


# --------------------------------------------------------------------------------- caches
@st.cache_resource(show_spinner=False, max_entries=8)
def _views(_kg: KnowledgeGraph, path: str, mtime: int, lang: str, version: str,
           credits: tuple[str | None, str | None]) -> list[Any]:
    # A resource: the views (laid-out networks) are large and only read, so shared, not copied.
    story = load_story(path)
    source_note, data_date = credits  # the title block's last lines, as `copkg story` says them
    return story_views(story, story_graphs(story, _kg), lang, source_note=source_note,
                       data_date=data_date)


@st.cache_data(show_spinner=False, max_entries=8)
def _story_page(_kg: KnowledgeGraph, path: str, mtime: int, lang: str, start: int,
                version: str, credits: tuple[str | None, str | None]) -> str:
    return story_page(load_story(path), _views(_kg, path, mtime, lang, version, credits), lang,
                      start=start)


@st.cache_data(show_spinner=False, max_entries=8)
def _step_page(_kg: KnowledgeGraph, path: str, mtime: int, lang: str, step: int,
               version: str, credits: tuple[str | None, str | None]) -> str:
    story = load_story(path)
    source_note, data_date = credits
    return step_map_html(story, story_graphs(story, _kg), step, lang, source_note=source_note,
                         data_date=data_date)


# --------------------------------------------------------------------------------- player
def play(kg: KnowledgeGraph, url: UrlState, files: list[StoryFile], folder: Path) -> None:
    by_slug = {f.slug: f for f in files}
    wanted = url.raw("story")
    if wanted is not None and wanted not in by_slug:
        st.warning(tr("present.unknown_story", name=md(wanted[:80]), folder=md(folder)))
        st.markdown("\n".join(f"- {md(f.title(current_lang()))} (`{f.slug}`)" for f in files))
        wanted = None
    if st.session_state.get("present_story") not in by_slug:
        st.session_state.pop("present_story", None)
    init_widget("present_story", wanted or files[0].slug)
    init_widget("present_lang", current_lang())

    c1, c2, c3 = st.columns([4, 1, 2])
    with c1:
        slug = st.selectbox(tr("present.story"), list(by_slug), key="present_story",
                            format_func=lambda s: _story_title(by_slug[s]))
    with c2:
        lang = st.selectbox(tr("present.language"), LANGS, key="present_lang",
                            format_func=LANG_NAMES.__getitem__)
    entry = by_slug[slug]
    if entry.story is None:
        url.show_warnings()
        st.error(tr("present.invalid_story", name=md(entry.path.name)))
        st.code(entry.error or "", language=None)
        url.write(story=slug, lang=_lang_param(lang))
        return
    story = entry.story
    count = len(story.steps)
    init_widget("present_step", url.integer("step", 1, 1, count))
    if st.session_state["present_step"] not in range(1, count + 1):
        st.session_state["present_step"] = 1  # another story, with fewer steps
    with c3:
        step = st.selectbox(tr("present.step"), list(range(1, count + 1)), key="present_step",
                            format_func=lambda n: tr("present.step_of", n=n, total=count))
    url.show_warnings()

    path, mtime, version = str(entry.path), _mtime(entry.path), data_version(kg)
    credits = map_credits_in(lang)
    try:
        with st.spinner(tr("present.building", n=count)):
            shown = _story_page(kg, path, mtime, lang, step - 1, version, credits)
            whole = (shown if step == 1
                     else _story_page(kg, path, mtime, lang, 0, version, credits))
            single = _step_page(kg, path, mtime, lang, step - 1, version, credits)
    except CopkgError as exc:
        show_error(exc, tr("present.build_failed", name=md(entry.path.name)))
        url.write(story=slug, lang=_lang_param(lang), step=step if step > 1 else None)
        return

    st.caption(tr("present.fullscreen_hint"))
    st.iframe(shown, height=HEIGHT, alt=i18n.label(story.title, lang))
    d1, d2 = st.columns(2)
    with d1:
        st.download_button(tr("present.download_story"), whole.encode("utf-8"),
                           file_name=f"{slug}-{lang}.html", mime="text/html",
                           key="present_download_story", on_click="ignore",
                           icon="⬇️")
    with d2:
        st.download_button(tr("present.download_step", n=step), single.encode("utf-8"),
                           file_name=f"{slug}-{lang}-step{step}.html", mime="text/html",
                           key="present_download_step", on_click="ignore")
    st.caption(tr("present.offline_note"))

    st.subheader(tr("present.steps"))
    lines = []
    for number, item in enumerate(story.steps, start=1):
        caption = i18n.label(item.caption, lang, mark=True) or tr("present.no_caption")
        where = f"**{number}.**" if number == step else f"{number}."
        lines.append(f"{where} {md(caption)}")
    st.markdown("  \n".join(lines))
    url.write(story=slug, lang=_lang_param(lang), step=step if step > 1 else None)


def _story_title(entry: StoryFile) -> str:
    if entry.story is None:
        return tr("present.invalid_title", name=entry.path.name)
    return entry.title(current_lang())


def _when_text(item: dict[str, Any]) -> str:
    """A draft step's years, as its map's title says them."""
    if item.get("year") is not None:
        return tr("story.up_to", year=int(item["year"]))
    if item.get("years"):
        return tr("story.years", start=int(item["years"][0]), end=int(item["years"][1]))
    return tr("present.when_all")


def _lang_param(lang: str) -> str | None:
    # The app keeps its own language in ?lang=; the story's language wins here when it differs.
    return lang if lang != "en" or current_lang() != "en" else None


# --------------------------------------------------------------------------------- editor
def editor(kg: KnowledgeGraph, files: list[StoryFile], folder: Path) -> None:
    require_action("save_story")
    st.caption(tr("present.editor_help", folder=md(folder)))
    draft: list[dict[str, Any]] = st.session_state.setdefault(DRAFT, [])
    playable = {f.slug: f for f in files if f.story is not None}
    if playable:
        s1, s2 = st.columns([3, 1], vertical_alignment="bottom")
        source = s1.selectbox(tr("present.start_from"), list(playable), key="present_e_source",
                              format_func=lambda s: _story_title(playable[s]))
        if s2.button(tr("present.copy_steps"), key="present_copy"):
            story = playable[source].story
            assert story is not None
            draft[:] = story_to_dict(story)["steps"]
    opts = filter_options(kg)
    communities = {short_id(iri): labels for iri, labels in opts["communities"].items()}
    y0, y1 = opts["years"]

    with st.form("present_step_form", clear_on_submit=False, border=True):
        st.markdown(f"**{tr('present.add_step_heading', n=len(draft) + 1)}**")
        c1, c2, c3 = st.columns(3)
        projection = c1.selectbox(tr("present.projection"), PROJECTIONS, key="present_e_projection",
                                  format_func=lambda p: tr(f"projection.{p}"))
        color_by = c2.selectbox(tr("present.color_by"), COLOR_BY, key="present_e_color",
                                format_func=lambda c: tr(f"app.colour_{c}"))
        size_by = c3.selectbox(tr("present.size_by"), MEASURES, key="present_e_size",
                               format_func=lambda m: tr(f"measure.{m}"))
        chosen_communities = st.multiselect(
            tr("present.communities"), list(communities), key="present_e_comm",
            placeholder=tr("app.choose_options"),
            format_func=lambda c: label_of(communities.get(c), c))
        countries = st.multiselect(tr("present.countries"), opts["countries"],
                                   key="present_e_country", placeholder=tr("app.choose_options"),
                                   format_func=country_namer())
        last = max(y1, y0 + 1)
        c4, c5, c6 = st.columns([2, 2, 3])
        when = c4.radio(tr("present.when"), WHEN, key="present_e_when",
                        format_func=lambda w: tr(f"present.when_{w}"))
        year = c5.slider(tr("present.year"), y0, last, last, key="present_e_year")
        years = c6.slider(tr("present.years"), y0, last, (y0, last), key="present_e_years")
        layout = st.radio(tr("present.layout"), LAYOUTS, key="present_e_layout",
                          horizontal=True, format_func=lambda lay: tr(f"present.layout_{lay}"))
        ties = st.multiselect(tr("present.ties"), list(TIES), default=list(DEFAULT_TIES),
                              key="present_e_ties", placeholder=tr("app.choose_options"),
                              format_func=lambda k: tr(f"tie.{k}"))
        c7, c8 = st.columns([3, 1])
        focus = c7.text_input(tr("present.focus"), key="present_e_focus",
                              placeholder=tr("present.focus_placeholder"))
        radius = c8.number_input(tr("present.radius"), 0, 5, 1, key="present_e_radius")
        captions = {code: st.text_area(tr("present.caption_in", language=LANG_NAMES[code]),
                                       key=f"present_e_caption_{code}", height=68)
                    for code in LANGS}
        added = st.form_submit_button(tr("present.add_step"), key="present_add_step")
    if added:
        filters: dict[str, Any] = {}
        if chosen_communities:
            filters["communities"] = list(chosen_communities)
        if countries:
            filters["countries"] = list(countries)
        if ties and set(ties) != set(DEFAULT_TIES):
            filters["ties"] = list(ties)
        item: dict[str, Any] = {"projection": projection, "filters": filters,
                                "focus": focus.strip() or None, "radius": int(radius),
                                "caption": {k: v.strip() for k, v in captions.items()
                                            if v.strip()}}
        if color_by != "community":
            item["color_by"] = color_by
        if size_by != "degree":
            item["size_by"] = size_by
        if when == "upto":
            item["year"] = int(year)
        elif when == "period":
            item["years"] = [int(years[0]), int(years[1])]
        if layout != "forceatlas2":
            item["layout"] = layout
        if not item["caption"].get("en"):
            st.error(tr("present.need_english_caption"))
        else:
            try:
                story_from_dict({"title": "draft", "steps": [item]},
                                name=tr("present.new_step", n=len(draft) + 1))
            except DataError as exc:
                show_error(exc)
            else:
                draft.append(item)

    if draft:
        st.markdown(tr("present.draft_count", n=len(draft)))
        rows = [{"#": n, tr("present.projection"): tr(f"projection.{item['projection']}"),
                 tr("present.filters"): ", ".join(f"{k}={v}"
                                                  for k, v in item["filters"].items()),
                 tr("present.when"): _when_text(item),
                 tr("present.layout"): tr(f"present.layout_{item.get('layout') or LAYOUTS[0]}"),
                 tr("present.focus"): item.get("focus") or "",
                 tr("present.caption"): i18n.label(item.get("caption"), current_lang(),
                                                   mark=True)}
                for n, item in enumerate(draft, start=1)]
        show_table(pd.DataFrame(rows), headers=False)
        b1, b2 = st.columns(2)
        if b1.button(tr("present.remove_last"), key="present_remove_last"):
            draft.pop()
            st.rerun()
        if b2.button(tr("present.clear_draft"), key="present_clear"):
            draft.clear()
            st.rerun()
    else:
        st.info(tr("present.draft_empty"))

    st.subheader(tr("present.save_heading"))
    titles = {code: st.text_input(tr("present.title_in", language=LANG_NAMES[code]),
                                  key=f"present_e_title_{code}") for code in LANGS}
    default_language = st.selectbox(tr("present.story_language"), LANGS, key="present_e_language",
                                    format_func=LANG_NAMES.__getitem__)
    name = st.text_input(tr("present.file_name"), key="present_e_file",
                         placeholder=story_slug(titles["en"]) if titles["en"].strip() else "",
                         help=tr("present.file_name_help"))
    target = story_path(folder, name.strip() or titles["en"].strip() or "story")
    exists = target.exists()
    st.caption(tr("present.will_save_as", path=md(target)))
    replace = False
    if exists:
        st.warning(tr("present.exists", name=md(target.name)))
        replace = st.checkbox(tr("present.replace"), key="present_replace")
    if not st.button(tr("present.save"), key="present_save", type="primary"):
        return
    require_action("save_story")  # in the action too: widget values can be forged
    if not titles["en"].strip():
        st.error(tr("present.need_title"))
        return
    if not draft:
        st.error(tr("present.need_steps"))
        return
    if exists and not replace:
        st.error(tr("present.not_replaced", name=md(target.name)))
        return
    raw = {"title": {k: v.strip() for k, v in titles.items() if v.strip()},
           "language": default_language, "steps": draft}
    try:
        new_story: Story = story_from_dict(raw, name=target.name)
        with st.spinner(tr("present.checking")):
            story_graphs(new_story, kg)  # every focus must name someone in its network
        save_story(new_story, target, overwrite=replace)
    except CopkgError as exc:
        show_error(exc, tr("present.not_saved"))
        return
    except OSError as exc:
        st.error(f"{tr('present.not_saved')}: {md(exc)}")
        return
    st.success(tr("present.saved", path=md(target), story=md(target.stem)))
    st.session_state[DRAFT] = []


# --------------------------------------------------------------------------------- page
require_action("browse")
page_header(tr("present.title"), tr("present.intro"))
url = UrlState()
kg = get_kg()
if kg.is_empty():
    st.info(tr("present.empty_store"))
    st.stop()
folder = stories_folder()
files = list_stories(folder)
modes = {"play": tr("present.mode_play"), "edit": tr("present.mode_edit")}
if not can("save_story"):  # building and saving stories is for editors
    del modes["edit"]
if st.session_state.get("present_mode", "play") not in modes:
    st.session_state["present_mode"] = "play"
init_widget("present_mode", url.choice("mode", list(modes), "play"))
mode = st.radio(tr("present.mode"), list(modes), key="present_mode", horizontal=True,
                format_func=modes.__getitem__, label_visibility="collapsed")
if mode not in modes:  # a value the page did not offer (forged widget state)
    mode = "play"
if mode == "edit":
    url.show_warnings()
    editor(kg, files, folder)
    url.write(mode="edit")
elif not files:
    url.show_warnings()
    st.info(tr("present.no_stories", folder=md(folder)))
else:
    play(kg, url, files, folder)
