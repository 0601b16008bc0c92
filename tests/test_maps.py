"""Offline HTML maps, layouts, reductions, stories, images and network files."""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd
import pytest
from conftest import ROOT
from map_graphs import HOSTILE, ID, demo_graph
from PIL import Image

from graph.errors import DataError
from graph.maps import (
    aggregate_graph,
    edges_csv,
    layout,
    load_story,
    map_html,
    map_view,
    reduce_graph,
    save_image,
    story_html,
    to_gexf,
    to_graphml,
)
from graph.maps.html import vis_network_js

URL = re.compile(r"https?://", re.IGNORECASE)


@pytest.fixture(scope="module")
def graph() -> nx.Graph:
    return demo_graph()


# --- layout -----------------------------------------------------------------------------------

def test_layout_is_deterministic_and_independent_of_insertion_order() -> None:
    G = nx.florentine_families_graph()
    shuffled = nx.Graph()
    edges = list(G.edges)
    random.Random(3).shuffle(edges)
    shuffled.add_edges_from(edges)
    assert layout(G) == layout(shuffled) == layout(G, seed=42)
    assert layout(G, seed=1) != layout(G)


def test_layout_handles_isolates_components_and_scale() -> None:
    G = nx.disjoint_union(nx.path_graph(5), nx.complete_graph(4))
    G.add_node("alone")
    pos = layout(G)
    assert set(pos) == set(G)
    assert len(set(pos.values())) == len(pos)  # nobody on top of anybody
    assert layout(nx.Graph()) == {}


def test_layout_of_5000_nodes() -> None:  # its speed: benchmarks/bench_map_quality.py
    G = nx.random_geometric_graph(5000, 0.025, seed=2)
    pos = layout(G)
    assert len(pos) == 5000


# --- HTML -------------------------------------------------------------------------------------

def test_vis_network_is_inlined_without_urls() -> None:
    js = vis_network_js()
    assert "@version 9.1.2" in js and "@license" in js and "Almende" in js
    assert not URL.search(js)
    assert "sourceMappingURL" not in js and "</script" not in js.lower()


@pytest.mark.parametrize("lang", ["en", "fr", "ar"])
def test_html_is_offline_and_escaped(graph: nx.Graph, lang: str) -> None:
    page = map_html(graph, title=HOSTILE[1], language=lang, source_note=HOSTILE[0],
                    data_date="2026-11")
    assert not URL.search(page), URL.search(page)
    assert "bootstrap" not in page.lower() and "cdn" not in page.lower().replace("cdnjs", "")
    # Markup from the data never appears as markup: only in <title> (escaped) and JSON.
    ours = page.replace(vis_network_js(), "")
    assert all(bad not in ours for bad in ("<img", "<b>", "<!-- ", "onerror=\"window"))
    assert page.count("</script>") == 3  # data, vis-network, copkg: nothing injected
    assert "&lt;/script&gt;&lt;script&gt;" in page.split("</title>")[0]
    data = json.loads(re.search(r'<script id="copkg-data" type="application/json">(.*?)'
                                r"</script>", page, re.S).group(1))
    view = data["views"][0]
    assert {n["l"] for n in view["nodes"]} >= set(HOSTILE)
    assert view["illustrative"] is True
    assert f'lang="{lang}" dir="{"rtl" if lang == "ar" else "ltr"}"' in page


def test_html_keeps_french_and_arabic_text(graph: nx.Graph) -> None:
    page = map_html(graph, title="Réseau des experts — été", language="fr",
                    color_by="community")
    assert "Réseau des experts — été" in page and "Élodie Bénard" in page
    assert "Transport urbain" in page and "Légende" in page
    arabic = map_html(graph, title="شبكة الخبراء", language="ar")
    assert "خبير 7" in arabic and "النقل الحضري" in arabic and "مفتاح الخريطة" in arabic


def test_legend_counts_every_node(graph: nx.Graph) -> None:
    for color_by in ("community", "country", "type", "kind", "organization"):
        view = map_view(graph, title="t", color_by=color_by).data
        assert sum(e["count"] for e in view["legend"]) == graph.number_of_nodes()
        assert all(not URL.match(e["label"]) for e in view["legend"])


def test_measures_frame_sizes_nodes(graph: nx.Graph) -> None:
    nodes = sorted(graph)
    table = pd.DataFrame({"node": nodes, "betweenness": [float(i == 5) for i in
                                                         range(len(nodes))]})
    view = map_view(graph, title="t", size_by="betweenness", measures=table).data
    sizes = {n["id"]: n["s"] for n in view["nodes"]}
    assert max(sizes, key=sizes.__getitem__) == "p0005"


def test_max_nodes_keeps_top_nodes_and_says_so() -> None:
    G = nx.barabasi_albert_graph(300, 2, seed=1)
    view = map_view(G, title="t", max_nodes=50, rank_by="degree").data
    assert len(view["nodes"]) == 50
    assert "50" in view["notes"][1] and "300" in view["notes"][1]
    H, how = reduce_graph(G, max_nodes=50)
    top = sorted(G.degree, key=lambda nd: (-nd[1], str(nd[0])))[:50]
    assert set(H) == {n for n, _ in top} and how.mode == "top"


@pytest.mark.parametrize("by", ["organization", "country", "community"])
def test_aggregate_groups_nodes(graph: nx.Graph, by: str) -> None:
    H = aggregate_graph(graph, by)
    assert sum(d["members"] for _, d in H.nodes(data=True)) == graph.number_of_nodes()
    view = map_view(graph, title="t", aggregate=by, language="fr").data
    assert view["reduction"]["mode"] == "aggregate"
    assert "regroupés" in view["notes"][1]
    assert all(not n["l"].startswith("group:") for n in view["nodes"])


def test_story_file_loads_and_renders(graph: nx.Graph) -> None:
    story = load_story(ROOT / "stories" / "cmi-overview.json")
    assert len(story.steps) == 4 and story.steps[-1].focus == "p0001"
    assert story.steps[1].filters == {"communities": ["urban-transport"], "ties": ["coauthorship"]}
    focus = f"{ID}person/p0001"
    ego = nx.ego_graph(graph, focus)
    page = story_html(story, [graph, graph, graph, ego], "ar")
    assert not URL.search(page) and 'dir="rtl"' in page
    data = json.loads(re.search(r'application/json">(.*?)</script>', page, re.S).group(1))
    assert len(data["views"]) == 4
    assert data["views"][3]["focus"] is not None
    assert "للنقل الحضري المستدام" in data["views"][1]["caption"]


def test_story_errors_name_file_and_step(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"title": "x", "language": "de", "steps": [
        {"projection": "people"},
        {"projection": "nope", "radius": -1, "filters": {"colour": []}, "colour": 1},
    ]}), encoding="utf-8")
    with pytest.raises(DataError) as info:
        load_story(bad)
    text = str(info.value)
    assert "bad.json" in text and "step 2" in text and "'nope'" in text and "'de'" in text
    assert "radius" in text and "'colour'" in text and "step 1" not in text
    broken = tmp_path / "broken.json"
    broken.write_text("{\n  \"title\": ", encoding="utf-8")
    with pytest.raises(DataError, match=r"broken.json.*line 2"):
        load_story(broken)


# --- images -----------------------------------------------------------------------------------

def test_png_has_requested_size_and_is_not_blank(graph: nx.Graph, tmp_path: Path) -> None:
    out = save_image(graph, tmp_path / "map.png", title="Réseau", language="fr",
                     width=1280, height=720)
    image = Image.open(out)
    assert image.size == (1280, 720)
    assert np.asarray(image.convert("L"), dtype=float).std() > 10


def test_svg_and_pdf_sizes(graph: nx.Graph, tmp_path: Path) -> None:
    svg = save_image(graph, tmp_path / "map.svg", title="خريطة", language="ar")
    head = svg.read_text(encoding="utf-8")[:2000]
    assert 'width="1920"' in head and 'height="1080"' in head
    assert 'viewBox="0 0 1920 1080"' in head
    pdf = save_image(graph, tmp_path / "map.pdf", title="A4", paper="a4")
    box = re.search(rb"/MediaBox \[ ?0 0 ([\d.]+) ([\d.]+) ?\]", pdf.read_bytes())
    assert box and abs(float(box.group(1)) - 841.7) < 2 and abs(float(box.group(2)) - 595.4) < 2
    a4 = save_image(graph, tmp_path / "a4.png", paper="a4")
    assert Image.open(a4).size == (3507, 2481) or abs(Image.open(a4).size[0] - 3507) <= 2


# --- network files ----------------------------------------------------------------------------

def test_gexf_and_graphml_round_trip(graph: nx.Graph, tmp_path: Path) -> None:
    table = pd.DataFrame({"node": sorted(graph), "pagerank": np.linspace(0, 1, len(graph))})
    for write, read, name in ((to_gexf, nx.read_gexf, "g.gexf"),
                              (to_graphml, nx.read_graphml, "g.graphml")):
        path = write(graph, tmp_path / name, measures=table)
        back = read(path)
        assert set(back.nodes) == set(graph.nodes)
        assert {frozenset(e) for e in back.edges} == {frozenset(e) for e in graph.edges}
        node = f"{ID}person/p0003"
        data = back.nodes[node]
        assert data["label"] == HOSTILE[3] and "Élodie" in data["label"]
        assert json.loads(data["labels"])["fr"] == HOSTILE[3]
        assert json.loads(data["communities"]) == list(graph.nodes[node]["communities"])
        assert data["illustrative"] in (True, "true")
        assert float(data["pagerank"]) == pytest.approx(3 / (len(graph) - 1))
        u, v = next(iter(graph.edges))
        edge = back.edges[u, v]
        assert json.loads(edge["evidence"]) == graph.edges[u, v]["evidence"]
        assert float(edge["weight"]) == graph.edges[u, v]["weight"]


def test_edges_csv_keeps_accents(graph: nx.Graph, tmp_path: Path) -> None:
    df = edges_csv(graph, language="ar")
    assert len(df) == graph.number_of_edges()
    path = tmp_path / "edges.csv"
    df.to_csv(path, index=False, encoding="utf-8-sig")
    back = pd.read_csv(path, encoding="utf-8-sig")
    assert back["evidence"].str.contains("Élodie Bénard").any()
    assert back["target_label"].str.contains("خبير").any()


def test_cli_parses_map_and_story_commands() -> None:
    from graph.cli import build_parser

    args = build_parser().parse_args([
        "map", "--projection", "people", "--community", "urban-transport", "--country", "tn",
        "--focus", "p0001", "--radius", "2", "--language", "ar", "--aggregate", "country",
        "--format", "png", "--out", "x.png", "--paper", "a4"])
    assert (args.community, args.country, args.radius, args.paper) == (
        ["urban-transport"], ["tn"], 2, "a4")
    story = build_parser().parse_args(["story", "stories/cmi-overview.json", "--language",
                                       "fr", "--out", "s.html"])
    assert story.file.name == "cmi-overview.json" and story.handler.__name__ == "_story"
