"""Maps and figures fit for a paper: readable, Chinese relation labels, filters that say what they did,
a search box, a geographic layout, and static figures."""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import quote

import networkx as nx
import pytest

import ruralgraph
from browser import SETTLED, Tab, drawn_labels, overlapping, render, screenshot, zoom_in
from conftest import run_cli
from ruralgraph.model import RELATIONSHIP_RULES
from ruralgraph.places import coordinates, gazetteer
from ruralgraph.views.figure import cjk_font
from ruralgraph.views.maps import (
    FOCUS_COLOUR,
    FOCUS_PX,
    LABEL_PX,
    build_map,
    label_box,
    project,
    province_outlines,
    spread_layout,
    wrapped,
)


def drawn_nodes(page_html: str) -> dict[str, dict]:
    """The nodes a map page hands vis-network, by id."""
    found = re.search(r"nodes = new vis\.DataSet\((\[.*?\])\);", page_html)
    assert found, "the page holds no node data"
    return {node["id"]: node for node in json.loads(found.group(1))}


def map_args(seed_db: Path, page: Path, *args: str) -> list[str]:
    return ["map", "-o", str(page), "--db", str(seed_db), *args]


@pytest.mark.parametrize(
    ("option", "value", "listed"),
    [("--kind", "charity", "foundation"), ("--type", "FUNDED", "CO_FOUNDED"), ("--region", "火星", "隰县")],
)
def test_unknown_filter_values_exit_2_listing_the_allowed_ones(
    seed_db: Path, tmp_path: Path, option: str, value: str, listed: str
) -> None:
    page = tmp_path / "x.html"
    result = run_cli(*map_args(seed_db, page, option, value))
    assert result.exit_code == 2, result.stderr
    assert value in result.stderr and listed in result.stderr and not page.exists()


def test_nodes_a_filter_leaves_alone_are_dropped_unless_asked(seed_db: Path) -> None:
    with ruralgraph.connect(db=seed_db) as g:
        dropped = g.map(kinds=["foundation"])
        kept = g.map(kinds=["foundation"], keep_isolated=True)
    left_alone = set(drawn_nodes(kept.html)) - set(drawn_nodes(dropped.html))
    assert left_alone == {"securities-action"}  # launched by 中国证券业协会, an industry association


def test_relation_labels_are_chinese_unless_english_is_asked(seed_db: Path) -> None:
    with ruralgraph.connect(db=seed_db) as g:
        chinese, english = g.map(types=["CO_FOUNDED"]), g.map(types=["CO_FOUNDED"], labels="en")
    zh = RELATIONSHIP_RULES["CO_FOUNDED"].zh
    assert f'"label": "{zh}"' in chinese.html and '"label": "CO_FOUNDED"' not in chinese.html
    assert '"label": "CO_FOUNDED"' in english.html


def test_the_title_states_the_filters(seed_db: Path, tmp_path: Path) -> None:
    page = tmp_path / "x.html"
    result = run_cli(*map_args(seed_db, page, "--kind", "foundation", "--type", "CO_FOUNDED", "--region", "隰县"))
    assert result.exit_code == 0, result.stderr
    header = page.read_text(encoding="utf-8").split('<div id="rg-header">')[1].split("</div></div>")[0]
    assert "kind: foundation" in header and "type: CO_FOUNDED (联合发起)" in header and "region: 隰县" in header


def test_an_ego_map_highlights_its_focus(seed_db: Path) -> None:
    with ruralgraph.connect(db=seed_db) as g:
        ego = g.map(focus="中国证券业协会", hops=1)
    nodes = drawn_nodes(ego.html)
    focus = nodes["sac"]
    assert focus["color"]["border"] == FOCUS_COLOUR and focus["borderWidth"] > 1 and focus["font"]["bold"]
    assert all(n["color"]["border"] != FOCUS_COLOUR for key, n in nodes.items() if key != "sac")
    assert "focus" in ego.html and "中国证券业协会, 1 hops" in ego.html


@pytest.mark.browser
def test_the_map_fills_the_window_with_labels_readable_at_fit_zoom(seed_db: Path, tmp_path: Path) -> None:
    page = tmp_path / "map.html"
    assert run_cli(*map_args(seed_db, page)).exit_code == 0
    drawn = render(page)
    width, height = (int(v) for v in drawn["window"].split("x"))
    canvas_width, canvas_height = (int(v) for v in drawn["canvas"].split("x"))
    assert drawn["scroll"] == drawn["window"], "the page scrolls"
    assert canvas_width == width and canvas_height > 0.85 * height
    assert drawn["physics"] == "off" and drawn["errors"] == []


def most_connected_names(page_html: str, count: int) -> list[str]:
    """The names of the ``count`` nodes with the most distinct neighbours on the page (ties by name)."""
    neighbours: dict[str, set[str]] = {node: set() for node in drawn_nodes(page_html)}
    for start, end in edge_ends(page_html).values():
        neighbours[start].add(end)
        neighbours[end].add(start)
    names = {node: data["label"].replace("\n", "") for node, data in drawn_nodes(page_html).items()}
    return [names[node] for node in sorted(names, key=lambda node: (-len(neighbours[node]), names[node]))[:count]]


@pytest.mark.browser
@pytest.mark.parametrize("layout", ["network", "geo"])
def test_labels_at_fit_zoom_are_readable_apart_name_the_hubs_and_zooming_in_adds_more(
    seed_db: Path, tmp_path: Path, layout: str
) -> None:
    page = tmp_path / f"{layout}.html"
    assert run_cli(*map_args(seed_db, page, "--layout", layout)).exit_code == 0
    with Tab(page) as tab:
        tab.wait_for(SETTLED)
        at_fit = drawn_labels(tab)
        zoom_in(tab, 3)
        tab.wait_for(SETTLED)
        closer = drawn_labels(tab)
    for labels in (at_fit, closer):
        assert min(label["px"] for label in labels) >= LABEL_PX, "a label is drawn smaller than 11 px on screen"
        assert overlapping(labels) == [], "labels overlap as drawn"
    hubs = most_connected_names(page.read_text(encoding="utf-8"), 20)
    named = [hub for hub in hubs if hub in {label["text"] for label in at_fit}]
    assert len(named) >= 16, f"only {len(named)} of the 20 most connected nodes are labelled at fit zoom"
    assert len(at_fit) >= 80 and len(closer) > 1.5 * len(at_fit), "zooming in draws no more labels"


@pytest.mark.browser
def test_the_focus_of_an_ego_map_is_labelled_first(seed_db: Path, tmp_path: Path) -> None:
    page = tmp_path / "ego.html"
    assert run_cli(*map_args(seed_db, page, "--focus", "中国乡村发展基金会")).exit_code == 0
    with Tab(page) as tab:
        tab.wait_for(SETTLED)
        labels = drawn_labels(tab)
    focus = [label for label in labels if label["text"] == "中国乡村发展基金会"]
    assert len(focus) == 1 and focus[0]["px"] == pytest.approx(FOCUS_PX, abs=0.01)
    assert overlapping(labels) == []


@pytest.mark.browser
def test_a_search_hit_is_labelled(seed_db: Path, tmp_path: Path) -> None:
    page = tmp_path / "map.html"
    assert run_cli(*map_args(seed_db, page)).exit_code == 0
    with Tab(page, "?find=" + quote("上海交通大学")) as tab:
        tab.wait_for(SETTLED)
        labels = drawn_labels(tab)
    assert "上海交通大学" in {label["text"] for label in labels} and overlapping(labels) == []


def test_the_figure_layout_keeps_every_label_clear_of_the_others(seed_db: Path) -> None:
    with ruralgraph.connect(db=seed_db) as g:
        graph = g.to_networkx()
    graph.remove_nodes_from([n for n in list(graph) if graph.degree(n) == 0])
    boxes = {n: label_box(wrapped(str(d["label"])), "dot", 9.0, 7.6) for n, d in graph.nodes(data=True)}
    positions = spread_layout(graph, boxes)
    placed = [(positions[n][0], positions[n][1] + box.below, box) for n, box in boxes.items()]
    overlapping = [
        (a, b)
        for i, a in enumerate(placed)
        for b in placed[i + 1 :]
        if abs(a[0] - b[0]) < (a[2].width + b[2].width) / 2 and abs(a[1] - b[1]) < (a[2].height + b[2].height) / 2
    ]
    assert len(placed) > 200 and overlapping == []


@pytest.mark.browser
def test_the_search_box_finds_a_node_by_name(seed_db: Path, tmp_path: Path) -> None:
    page = tmp_path / "map.html"
    assert run_cli(*map_args(seed_db, page)).exit_code == 0
    assert "rg-query" in page.read_text(encoding="utf-8")
    drawn = render(page, "?find=" + quote("隰县政府"))
    assert drawn["selected"] == ["xixian-gov"]


def test_county_coordinates_agree_with_the_gazetteer() -> None:
    points, regions = coordinates(), gazetteer()
    shared = set(points) & set(regions)
    assert len(shared) > 2800
    placeholders = {code for code in shared if regions[code].name.endswith(("市辖区", "市县"))}
    assert all(points[code].name == regions[code].name for code in shared - placeholders)
    assert (round(points["141031"].longitude, 2), round(points["141031"].latitude, 2)) == (110.94, 36.69)


def test_the_geographic_map_puts_regions_at_their_coordinates(seed_db: Path) -> None:
    with ruralgraph.connect(db=seed_db) as g:
        geo = g.map(layout="geo")
    nodes = drawn_nodes(geo.html)
    known = coordinates()
    for node_id, code in (("cn-141031", "141031"), ("cn-520622", "520622")):
        x, y = project(known[code].longitude, known[code].latitude)
        assert (round(nodes[node_id]["x"]), round(nodes[node_id]["y"])) == (round(x), round(y))
    assert nodes["cn-520622"]["y"] > nodes["cn-141031"]["y"], "玉屏 (Guizhou) lies south of 隰县 (Shanxi)"
    assert '"curvedCW"' in geo.html and '"enabled": false' in geo.html


@pytest.mark.browser
def test_docs_screenshots_of_the_map_and_geographic_map(seed_db: Path, tmp_path: Path) -> None:
    for name, args in (("map", []), ("map-geo", ["--layout", "geo"])):
        page = tmp_path / f"{name}.html"
        assert run_cli(*map_args(seed_db, page, *args)).exit_code == 0
        assert screenshot(page, tmp_path / f"{name}.png").stat().st_size > 30_000


@pytest.mark.slow
@pytest.mark.parametrize("suffix", [".svg", ".png", ".pdf"])
def test_a_figure_for_a_paper(seed_db: Path, tmp_path: Path, suffix: str) -> None:
    target = tmp_path / f"fig{suffix}"
    result = run_cli("figure", "-o", str(target), "--db", str(seed_db))
    assert result.exit_code == 0, result.stderr
    assert target.stat().st_size > 10_000
    assert f"font: {cjk_font()}" in result.stderr


@pytest.mark.slow
def test_the_figure_is_the_same_every_time_with_a_chinese_font_and_a_legend(seed_db: Path, tmp_path: Path) -> None:
    assert cjk_font() is not None, "no CJK font: install fonts-wqy-microhei (scripts/test.sh does)"
    first, second = tmp_path / "a.svg", tmp_path / "b.svg"
    for target in (first, second):
        assert run_cli("figure", "-o", str(target), "--db", str(seed_db)).exit_code == 0
    text = first.read_text(encoding="utf-8")
    assert text == second.read_text(encoding="utf-8")
    # The most connected node is labelled first; edge labels are the vocabulary's Chinese ones.
    assert "国家乡村振兴重点帮扶县" in text and "kind / node type" in text
    assert any(f">{rule.zh}<" in text for rule in RELATIONSHIP_RULES.values())


@pytest.mark.slow
def test_the_figure_fits_a_page_with_labels_of_9_pt(seed_db: Path, tmp_path: Path) -> None:
    target = tmp_path / "fig.svg"
    result = run_cli("figure", "-o", str(target), "--db", str(seed_db))
    assert result.exit_code == 0, result.stderr
    text = target.read_text(encoding="utf-8")
    width = float(re.search(r'<svg[^>]*width="([0-9.]+)pt"', text).group(1))
    sizes = [float(size) for size in re.findall(r"font-size: ([0-9.]+)px", text)]
    assert width <= 7.0 * 72, "the figure is wider than a page's text"
    assert sizes and min(sizes) >= 9.0, "a label is smaller than 9 pt at the figure's own size"
    assert int(re.search(r"(\d+) labelled", result.stderr).group(1)) >= 40


def dated_graph() -> nx.MultiDiGraph:
    """Four organisations: a partnership in 2016–2018, one since 2019, one undated, one with an unknown start."""
    graph = nx.MultiDiGraph()
    for node, name, kind in (
        ("a", "甲基金会", "foundation"),
        ("b", "乙公司", "enterprise"),
        ("c", "丙大学", "university"),
        ("d", "丁协会", "industry_association"),
        ("e", "戊集团", "enterprise"),
    ):
        graph.add_node(node, node_type="Organization", id=node, name=name, kind=kind)
    graph.add_edge("a", "b", relationship="PARTNERS_WITH", valid_from="2016-01-01", valid_to="2018-12-31")
    graph.add_edge("a", "c", relationship="PARTNERS_WITH", valid_from="2019-03-01")
    graph.add_edge("b", "d", relationship="PARTNERS_WITH")
    graph.add_edge("c", "e", relationship="PARTNERS_WITH", valid_to="2017-06-30")
    return graph


def edge_ends(page_html: str) -> dict[str, tuple[str, str]]:
    """Each edge's id on the page, with its two ends."""
    found = re.search(r"edges = new vis\.DataSet\((\[.*?\])\);", page_html)
    assert found, "the page holds no edge data"
    return {edge["id"]: (edge["from"], edge["to"]) for edge in json.loads(found.group(1))}


def test_a_map_with_no_dated_relationship_has_no_year_slider() -> None:
    undated = dated_graph()
    for _, _, data in undated.edges(data=True):
        data.pop("valid_from", None)
        data.pop("valid_to", None)
    assert 'id="rg-year"' not in build_map(undated, title="t").html
    assert 'id="rg-year"' in build_map(dated_graph(), title="t").html


@pytest.mark.browser
@pytest.mark.parametrize(
    ("query", "edges", "hidden_nodes"),
    [
        ("", {("a", "b"), ("a", "c"), ("b", "d"), ("c", "e")}, set()),
        ("?year=2017", {("a", "b"), ("b", "d"), ("c", "e")}, set()),
        ("?year=2020", {("a", "c"), ("b", "d")}, {"e"}),
        ("?year=2020&undated=0", {("a", "c")}, {"b", "d", "e"}),
        ("?year=2016&undated=0", {("a", "b"), ("c", "e")}, {"d"}),
    ],
)
def test_the_year_slider_shows_the_network_as_it_stood_in_a_year(
    tmp_path: Path, query: str, edges: set[tuple[str, str]], hidden_nodes: set[str]
) -> None:
    page = build_map(dated_graph(), title="years").write(tmp_path / "years.html")
    ends = edge_ends(page.read_text(encoding="utf-8"))
    drawn = render(page, query)
    shown = json.loads(drawn["shown-edges"].replace("&quot;", '"'))
    assert {ends[edge] for edge in shown} == edges
    assert set(json.loads(drawn["shown-nodes"].replace("&quot;", '"'))) == set("abcde") - hidden_nodes
    assert drawn["errors"] == []


@pytest.mark.browser
def test_screenshot_of_the_year_slider(tmp_path: Path) -> None:
    page = build_map(dated_graph(), title="ruralgraph: partnerships by year").write(tmp_path / "years.html")
    assert screenshot(page, tmp_path / "map-years.png", query="?year=2017").stat().st_size > 10_000


def test_the_geographic_map_draws_province_outlines(seed_db: Path) -> None:
    from matplotlib.path import Path as Outline

    outlines = province_outlines()
    assert len(outlines) == 34, "every province-level division has an outline"
    xixian = project(coordinates()["141031"].longitude, coordinates()["141031"].latitude)
    inside = {code for code, rings in outlines.items() if any(Outline(ring).contains_point(xixian) for ring in rings)}
    assert inside == {"140000"}, "隰县 lies in Shanxi and in no other province"
    with ruralgraph.connect(db=seed_db) as g:
        geo, network = g.map(layout="geo"), g.map()
    assert "rgOutlines" in geo.html and "rgOutlines" not in network.html
    assert len(geo.html.encode()) - len(network.html.encode()) < 200_000, "the outlines keep the file small"


@pytest.mark.browser
def test_the_geographic_map_draws_its_outlines_in_a_browser(seed_db: Path, tmp_path: Path) -> None:
    page = tmp_path / "geo.html"
    assert run_cli(*map_args(seed_db, page, "--layout", "geo")).exit_code == 0
    drawn = render(page)
    assert int(drawn["outlines"]) > 30 and drawn["errors"] == [] and drawn["resources"] == []
