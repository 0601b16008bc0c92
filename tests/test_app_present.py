"""The Present page (play a story, download it offline, build and save a new one), the story
files it writes, and the exported story in a real browser (arrow keys, nodes drawn).

AppTest runs no JavaScript: the page is checked for the story HTML it puts in the iframe and in
the download buttons; ``test_exported_story_steps_in_chromium`` plays the file in Chromium.
Screenshots go to ``tests/screenshots/present/`` (git-ignored).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage
from streamlit.testing.v1 import AppTest
from test_app import iframe_srcdoc, open_page, texts

from graph import KnowledgeGraph
from graph.errors import DataError
from graph.maps import (
    Story,
    StoryStep,
    list_stories,
    load_story,
    save_story,
    story_from_dict,
    story_graphs,
    story_page,
    story_path,
    story_slug,
    story_to_dict,
    story_views,
)

ROOT = Path(__file__).resolve().parents[1]
STORY = ROOT / "stories" / "cmi-overview.json"
SHOTS = ROOT / "tests" / "screenshots" / "present"
URL = re.compile(r"https?://")
FIRST_CAPTION = json.loads(STORY.read_text(encoding="utf-8"))["steps"][0]["caption"]

pytestmark = pytest.mark.usefixtures("app_env")


@pytest.fixture
def downloads(monkeypatch: pytest.MonkeyPatch) -> dict[str, bytes]:
    """The bytes behind every download button of the runs, by file name (AppTest keeps them in
    a media store that disappears with its run)."""
    seen: dict[str, bytes] = {}
    original = MemoryMediaFileStorage.load_and_get_id

    def record(self: Any, path_or_data: Any, mimetype: str, kind: Any,
               filename: str | None = None) -> str:
        if filename and isinstance(path_or_data, bytes):
            seen[filename] = path_or_data
        return original(self, path_or_data, mimetype, kind, filename)

    monkeypatch.setattr(MemoryMediaFileStorage, "load_and_get_id", record)
    return seen


@pytest.fixture
def stories(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private stories folder (``$COPKG_STORIES``) holding a copy of the example story."""
    folder = tmp_path / "stories"
    folder.mkdir()
    (folder / STORY.name).write_bytes(STORY.read_bytes())
    monkeypatch.setenv("COPKG_STORIES", str(folder))
    return folder


# --------------------------------------------------------------------------------- playing
def test_present_plays_the_story_and_offers_offline_downloads(
        downloads: dict[str, bytes]) -> None:
    at = open_page("present")
    assert not at.exception, at.exception
    assert at.title[0].value == "Present"
    story_box = at.selectbox(key="present_story")
    assert "Who works with whom in the CMI communities of practice" in story_box.options
    assert at.selectbox(key="present_lang").value == "en"
    html = iframe_srcdoc(at)
    assert FIRST_CAPTION["en"] in html and "copkgNetwork" in html
    assert '<html lang="en" dir="ltr">' in html and 'class="copkg-presentation"' in html
    assert not URL.search(html)
    labels = [b.label for b in at.download_button]
    assert any("offline" in label for label in labels) and len(labels) == 2
    story = downloads["cmi-overview-en.html"].decode("utf-8")
    step = downloads["cmi-overview-en-step1.html"].decode("utf-8")
    for page in (story, step):
        assert page.startswith("<!DOCTYPE html>") and not URL.search(page)
        assert FIRST_CAPTION["en"] in page
    assert '"steps":4' in story
    assert "F11" in texts(at.caption)
    assert "The whole network" in texts(at.markdown)  # the list of steps (markdown-escaped)


def _credit_notes(page: str) -> list[list[str]]:
    """The last two lines of each step's title block (data date, source) of a story page."""
    return [json.loads(m.group(1))[-2:] for m in re.finditer(r'"notes":(\[[^\]]*\])', page)]


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_present_credits_say_what_copkg_story_says(
        lang: str, bundled_store_dir: Path, tmp_path: Path,
        downloads: dict[str, bytes]) -> None:
    """QA: the Present page's title block said "Drawn on Nov 30, 2026 / Source: copkg
    knowledge graph" while `copkg story` on the same story said "Data as of … / Source:
    cmi.ttl, events.csv, memberships.csv and 7 more files" (README: the same line)."""
    from graph.cli import main

    out = tmp_path / "story.html"
    assert main(["story", str(STORY), "--language", lang, "--out", str(out),
                 "--store", str(bundled_store_dir)]) == 0
    cli = _credit_notes(out.read_text(encoding="utf-8"))
    at = open_page("present", lang=lang)
    assert not at.exception, at.exception
    app = _credit_notes(iframe_srcdoc(at))
    assert len(cli) == 4 and app == cli
    assert _credit_notes(downloads[f"cmi-overview-{lang}.html"].decode("utf-8")) == cli
    assert "cmi.ttl" in cli[0][1]  # the imported files, not "copkg knowledge graph"


def test_present_in_arabic_at_a_given_step_is_right_to_left() -> None:
    at = open_page("present", lang="ar", step="3")
    assert not at.exception, at.exception
    assert at.selectbox(key="present_lang").value == "ar"
    assert at.selectbox(key="present_step").value == 3
    html = iframe_srcdoc(at)
    assert '<html lang="ar" dir="rtl">' in html
    assert FIRST_CAPTION["ar"] in html and '"start":2' in html
    assert any("direction: rtl" in str(m.value) for m in at.markdown)
    assert at.query_params["step"] == "3" and at.query_params["lang"] == "ar"
    assert at.title[0].value == "العرض"


def test_unknown_story_and_bad_step_warn_and_list_the_stories() -> None:
    at = open_page("present", story="nope", step="99")
    assert not at.exception, at.exception
    warnings = texts(at.warning)
    assert "nope" in warnings and "`story`" in warnings and "`step`" in warnings
    assert "Who works with whom" in texts(at.markdown)
    assert at.selectbox(key="present_story").value == "cmi-overview"
    assert at.selectbox(key="present_step").value == 1


def test_invalid_and_missing_stories_give_messages(stories: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    (stories / "broken.json").write_text('{"title": "Broken", "steps": [{"projection": "x"}]}',
                                         encoding="utf-8")
    at = open_page("present", story="broken")
    assert not at.exception, at.exception
    assert r"broken\.json" in texts(at.error) and "cannot be played" in texts(at.error)
    assert "'x'" in texts(at.code)
    assert not at.get("iframe")

    monkeypatch.setenv("COPKG_STORIES", str(stories / "missing"))
    at = open_page("present")
    assert not at.exception, at.exception
    assert "No story to present" in texts(at.info)


def test_empty_store_says_there_is_nothing_to_present(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    store = tmp_path / "empty"
    KnowledgeGraph.open(store).close()
    monkeypatch.setenv("COPKG_STORE", str(store))
    at = open_page("present")
    assert not at.exception, at.exception
    assert "no data yet" in texts(at.info)
    assert not at.get("iframe")


def test_story_whose_focus_is_unknown_says_so(stories: Path) -> None:
    data = json.loads(STORY.read_text(encoding="utf-8"))
    data["steps"] = [{"projection": "people", "focus": "Nobody Atall",
                      "caption": {"en": "Nobody"}}]
    (stories / "nobody.json").write_text(json.dumps(data), encoding="utf-8")
    at = open_page("present", story="nobody")
    assert not at.exception, at.exception
    assert "cannot be shown" in texts(at.error) and "Nobody Atall" in texts(at.error)


# --------------------------------------------------------------------------------- editor
def _fill_step(at: AppTest, *, caption_en: str = "", focus: str = "",
               community: str | None = None) -> AppTest:
    at.selectbox(key="present_e_projection").set_value("people")
    at.selectbox(key="present_e_color").set_value("country")
    if community:
        at.multiselect(key="present_e_comm").select(community)
    at.text_input(key="present_e_focus").input(focus)
    at.text_area(key="present_e_caption_en").input(caption_en)
    at.text_area(key="present_e_caption_fr").input("Le transport urbain")
    at.button(key="present_add_step").click()
    return at.run()


def test_editor_saves_a_valid_story_and_refuses_to_overwrite(stories: Path) -> None:
    at = open_page("present", mode="edit")
    assert not at.exception, at.exception
    at = _fill_step(at, caption_en="", community="urban-transport")
    assert "caption in English" in texts(at.error)
    assert not at.session_state["present_draft"]
    at = _fill_step(at, caption_en="Urban transport, by country",
                    community="urban-transport")
    assert not at.exception, at.exception
    assert len(at.session_state["present_draft"]) == 1

    at.button(key="present_save").click().run()  # no title yet
    assert "English title" in texts(at.error)
    assert sorted(p.name for p in stories.iterdir()) == ["cmi-overview.json"]

    at.text_input(key="present_e_title_en").input("Transport: who takes part?")
    at.text_input(key="present_e_title_ar").input("النقل الحضري")
    at.run()
    at.button(key="present_save").click().run()
    assert not at.exception, at.exception
    saved = stories / "transport-who-takes-part.json"
    assert saved.exists(), texts(at.error)
    story = load_story(saved)
    assert story.title == {"en": "Transport: who takes part?", "ar": "النقل الحضري"}
    assert story.steps[0].filters == {"communities": ["urban-transport"]}
    assert story.steps[0].color_by == "country"
    assert story.steps[0].caption == {"en": "Urban transport, by country",
                                      "fr": "Le transport urbain"}
    assert r"transport\-who\-takes\-part" in texts(at.success)  # markdown-escaped

    # The same name again: refused until "replace" is ticked.
    before = saved.read_bytes()
    at = _fill_step(at, caption_en="Again")
    at.text_input(key="present_e_file").input("Transport: who takes part?").run()
    assert "already exists" in texts(at.warning)
    at.button(key="present_save").click().run()
    assert "Nothing was saved" in texts(at.error) and saved.read_bytes() == before
    at.checkbox(key="present_replace").check().run()
    at.button(key="present_save").click().run()
    assert not at.exception, at.exception
    assert load_story(saved).steps[0].caption["en"] == "Again"


def test_editor_refuses_an_unknown_focus_and_keeps_the_folder_clean(stories: Path) -> None:
    at = open_page("present", mode="edit")
    at = _fill_step(at, caption_en="Someone", focus="Nobody Atall")
    at.text_input(key="present_e_title_en").input("Nobody").run()
    at.button(key="present_save").click().run()
    assert not at.exception, at.exception
    assert "not saved" in texts(at.error) and "Nobody Atall" in texts(at.error)
    assert sorted(p.name for p in stories.iterdir()) == ["cmi-overview.json"]


def test_editor_builds_steps_through_the_years_on_the_map(stories: Path) -> None:
    at = open_page("present", mode="edit")
    assert not at.exception, at.exception
    assert "Years shown" in [r.label for r in at.radio]
    at.radio(key="present_e_when").set_value("upto")
    at.slider(key="present_e_year").set_value(2015)
    at.radio(key="present_e_layout").set_value("geo")
    at = _fill_step(at, caption_en="Up to 2015, on the map")
    assert not at.exception, at.exception
    at.radio(key="present_e_when").set_value("period")
    at.slider(key="present_e_years").set_value((2012, 2016))
    at.radio(key="present_e_layout").set_value("forceatlas2")
    at = _fill_step(at, caption_en="2012 to 2016")
    assert at.session_state["present_draft"][-2:] == [
        {"projection": "people", "filters": {}, "focus": None, "radius": 1,
         "caption": {"en": "Up to 2015, on the map", "fr": "Le transport urbain"},
         "color_by": "country", "year": 2015, "layout": "geo"},
        {"projection": "people", "filters": {}, "focus": None, "radius": 1,
         "caption": {"en": "2012 to 2016", "fr": "Le transport urbain"},
         "color_by": "country", "years": [2012, 2016]}]
    table = at.dataframe[0].value
    assert list(table["Years shown"]) == ["up to 2015", "2012–2016"]
    assert list(table["Draw it"]) == ["on the map of the region", "as a network (groups apart)"]

    # A two-mode network cannot go on the map: the story's own check says so, nothing added.
    at.selectbox(key="present_e_projection").set_value("person-event")
    at.radio(key="present_e_layout").set_value("geo")
    at.text_area(key="present_e_caption_en").input("Events on the map")
    at.button(key="present_add_step").click()
    at = at.run()
    assert "geographic layout draws networks of actors" in texts(at.error)
    assert len(at.session_state["present_draft"]) == 2

    at.text_input(key="present_e_title_en").input("Growth").run()
    at.button(key="present_save").click().run()
    assert not at.exception, at.exception
    story = load_story(stories / "growth.json")
    assert [(s.years, s.layout) for s in story.steps] == [((None, 2015), "geo"),
                                                          ((2012, 2016), "forceatlas2")]


def test_editor_copies_the_steps_of_a_story(stories: Path) -> None:
    at = open_page("present", mode="edit")
    at.button(key="present_copy").click().run()
    assert not at.exception, at.exception
    assert at.session_state["present_draft"] == story_to_dict(load_story(STORY))["steps"]


# --------------------------------------------------------------------------------- core
def test_story_round_trips_through_save_and_load(tmp_path: Path) -> None:
    story = load_story(STORY)
    path = save_story(story, tmp_path / "copy.json")
    again = load_story(path)
    assert story_to_dict(again) == story_to_dict(story)
    assert again.steps == story.steps and again.title == story.title
    assert json.loads(path.read_text(encoding="utf-8"))["title"]["ar"].startswith("من يعمل")
    with pytest.raises(DataError, match="already exists"):
        save_story(story, path)
    save_story(Story({"en": "Short"}, "fr", (StoryStep("countries"),)), path, overwrite=True)
    assert load_story(path).title == {"en": "Short"}


def test_save_story_never_writes_an_invalid_story(tmp_path: Path) -> None:
    bad = Story({"en": "Bad"}, "en", (StoryStep("nope", radius=9),))
    with pytest.raises(DataError, match=r"step 1.*'nope'"):
        save_story(bad, tmp_path / "bad.json")
    with pytest.raises(DataError, match="must end in .json"):
        save_story(load_story(STORY), tmp_path / "story.txt")
    with pytest.raises(DataError, match="does not exist"):
        save_story(load_story(STORY), tmp_path / "no" / "story.json")
    assert list(tmp_path.iterdir()) == []


def test_file_names_are_sanitised() -> None:
    assert story_slug("../../etc/passwd") == "etc-passwd"
    assert story_slug("Mobilité urbaine — 2025!") == "mobilite-urbaine-2025"
    assert story_slug("النقل") == "story" and story_slug("") == "story"
    assert len(story_slug("x" * 500)) == 60
    assert story_path("/s", "../A b").as_posix() == "/s/a-b.json"


def test_list_stories_lists_invalid_files_with_their_error(tmp_path: Path) -> None:
    (tmp_path / "a.json").write_text("{", encoding="utf-8")
    (tmp_path / "b.json").write_bytes(STORY.read_bytes())
    files = list_stories(tmp_path)
    assert [f.slug for f in files] == ["a", "b"]
    assert files[0].story is None and "a story is JSON, and this is not" in (files[0].error or "")
    assert files[1].title("fr").startswith("Qui travaille")
    assert list_stories(tmp_path / "missing") == []


def test_story_from_dict_checks_like_load_story() -> None:
    with pytest.raises(DataError, match=r"draft.*'steps' must be a non-empty list"):
        story_from_dict({"title": "x", "steps": []}, name="draft")


# --------------------------------------------------------------------------------- browser
@pytest.mark.browser
def test_exported_story_steps_in_chromium(browser: Any, bundled_kg: KnowledgeGraph,
                                          tmp_path: Path) -> None:
    story = load_story(STORY)
    page_html = story_page(story, story_views(story, story_graphs(story, bundled_kg), "en"))
    path = tmp_path / "cmi-overview-en.html"
    path.write_text(page_html, encoding="utf-8")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page = browser.new_page(viewport={"width": 1600, "height": 900})
    page.set_default_timeout(60_000)
    errors: list[str] = []
    requests: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("request", lambda r: requests.append(r.url))
    try:
        page.goto(path.as_uri())
        page.wait_for_function("window.copkgFirstDraw !== undefined")
        first = page.inner_text("#copkg-title .copkg-caption")
        assert first == FIRST_CAPTION["en"]
        assert page.inner_text("#copkg-step") == "Step 1 of 4"
        assert page.is_visible("#copkg-fullscreen")
        page.screenshot(path=str(SHOTS / "step1.png"))
        page.keyboard.press("ArrowRight")
        page.wait_for_function("document.getElementById('copkg-step').textContent"
                               " === 'Step 2 of 4'")
        second = page.inner_text("#copkg-title .copkg-caption")
        assert second != first and "Sustainable Urban Transport" in second
        assert page.evaluate("window.copkgNodes.length") > 0
        assert page.evaluate("Object.keys(window.copkgNetwork.body.nodes).length") > 0
        page.screenshot(path=str(SHOTS / "step2.png"))
        assert errors == []
        assert all(url.startswith(("file:", "data:", "about:")) for url in requests), requests
    finally:
        page.close()
