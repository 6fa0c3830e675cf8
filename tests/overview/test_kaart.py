"""`burgerbaan kaart`: the graph, its analysis, the drawing and the exports."""

from __future__ import annotations

import re
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner

from tests.overview.casebooks import DAY, OPPORTUNITIES, write_small_casebook
from toolkit.casebook import Casebook, load_casebook
from toolkit.casebook.public import pseudonyms
from toolkit.cli import main
from toolkit.reports.kaart import analyse, analysis_text, build_graph, person_node, render_map
from toolkit.reports.matchresults import MatchResults
from toolkit.reports.privacy import PrivacyError

MATCHES = MatchResults(
    options={"cees-cornelis": 0, "dirk-dekker": 3},
    proposals=[("dirk-dekker", "uitgifte"), ("anna-de-vries", "keukenhulp")],
)


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Casebook:
    return load_casebook(write_small_casebook(tmp_path_factory.mktemp("kaart") / "cb"))


def who(book: Casebook, person_id: str) -> str:
    return person_node(pseudonyms(book)[person_id])


def test_the_nodes(small: Casebook) -> None:
    graph = build_graph(small, DAY)
    people = {who(small, pid) for pid in small.people}
    assert (
        set(graph.nodes)
        == {
            "organisation:voedselbank",
            "organisation:tuin-oost",
            "opportunity:keukenhulp",
            "opportunity:uitgifte",
            "opportunity:tuinploeg",
            "sponsor:bouw-flevo",
            "sponsor:bank-noord",
            "session:avond-1",
        }
        | people
    )
    assert len(people) == 5
    assert not set(small.people) & {node.split(":", 1)[1] for node in graph.nodes}
    anna = graph.nodes[who(small, "anna-de-vries")]
    assert anna["kind"] == "person" and anna["status"] == "actief"
    assert anna["label"] == pseudonyms(small)["anna-de-vries"]


def test_the_edges(small: Casebook) -> None:
    graph = build_graph(small, DAY)
    edges = {(frozenset((u, v)), kind) for u, v, kind in graph.edges(data="kind")}
    assert edges == {
        (frozenset(("opportunity:keukenhulp", "organisation:voedselbank")), "offered_by"),
        (frozenset(("opportunity:uitgifte", "organisation:voedselbank")), "offered_by"),
        (frozenset(("opportunity:tuinploeg", "organisation:tuin-oost")), "offered_by"),
        (frozenset((who(small, "anna-de-vries"), "opportunity:keukenhulp")), "placement"),
        (frozenset((who(small, "bram-bakker"), "opportunity:tuinploeg")), "placement"),
        (frozenset((who(small, "eva-evers"), "opportunity:uitgifte")), "placement"),
        (frozenset(("sponsor:bouw-flevo", who(small, "anna-de-vries"))), "sponsorship"),
        (frozenset((who(small, "anna-de-vries"), "session:avond-1")), "took_part"),
        (frozenset((who(small, "cees-cornelis"), "session:avond-1")), "took_part"),
    }
    ended = graph.edges[who(small, "eva-evers"), "opportunity:uitgifte"]
    assert ended["active"] is False


def test_proposals_become_edges_when_given(small: Casebook) -> None:
    graph = build_graph(small, DAY, MATCHES)
    proposals = [(u, v) for u, v, kind in graph.edges(data="kind") if kind == "proposal"]
    # anna already holds keukenhulp: that proposal adds no second edge
    assert [frozenset(p) for p in proposals] == [
        frozenset((who(small, "dirk-dekker"), "opportunity:uitgifte"))
    ]


def test_the_analysis(small: Casebook) -> None:
    graph = build_graph(small, DAY)
    analysis = analyse(graph, small, DAY, None)
    assert analysis.open_places == (("Voedselbank Almere", "Almere Stad", 4),)
    assert analysis.sponsors_left == (("Bouw Flevo", 3.42), ("Bank Noord", 2))
    assert analysis.no_option is None
    # The component around anna is a tree: anna lies on 14 of the shortest paths, keukenhulp
    # on 12, the food bank on 10, the session and uitgifte on 6 (n = 13: normalised by 66).
    names = pseudonyms(small)
    assert [b.label for b in analysis.bridges] == [
        names["anna-de-vries"],
        "Keukenhulp",
        "Voedselbank Almere",
        "1e Dialoogavond",
        "Uitgifte",
    ]
    assert analysis.bridges[0].score == round(14 / 66, 4)
    text = analysis_text(analysis)
    assert "niet berekend" in text and "Voedselbank Almere (Almere Stad): 4" in text


def test_candidates_without_option_when_matcher_results_are_given(small: Casebook) -> None:
    analysis = analyse(build_graph(small, DAY, MATCHES), small, DAY, MATCHES)
    assert analysis.no_option == (pseudonyms(small)["cees-cornelis"],)
    assert "niet berekend" not in analysis_text(analysis)


def _no_personal_data(book: Casebook, text: str) -> None:
    lowered = text.lower()
    for person in book.people.values():
        assert person.id not in lowered
        assert person.name.lower() not in lowered
        first = person.name.split()[0].lower()
        assert not re.search(rf"(?<![\w-]){first}(?![\w-])", lowered), first


@pytest.mark.parametrize(("fmt", "reader"), [("graphml", nx.read_graphml), ("gexf", nx.read_gexf)])
def test_exports_load_back_without_personal_data(
    small: Casebook, tmp_path: Path, fmt: str, reader: object
) -> None:
    content = render_map(small, DAY, fmt, MATCHES)
    assert isinstance(content, str)
    path = tmp_path / f"kaart.{fmt}"
    path.write_text(content, encoding="utf-8")
    loaded = reader(path)  # type: ignore[operator]
    graph = build_graph(small, DAY, MATCHES)
    assert loaded.number_of_nodes() == graph.number_of_nodes() == 13
    assert loaded.number_of_edges() == graph.number_of_edges() == 10
    assert set(map(str, loaded.nodes)) == set(graph.nodes)
    kinds = sorted(data.get("kind") for _u, _v, data in loaded.edges(data=True))
    assert kinds.count("placement") == 3 and kinds.count("proposal") == 1
    _no_personal_data(small, content)


def test_the_drawings(small: Casebook, tmp_path: Path) -> None:
    png = render_map(small, DAY, "png")
    assert isinstance(png, bytes) and png.startswith(b"\x89PNG")
    (tmp_path / "kaart.png").write_bytes(png)
    assert 30_000 < (tmp_path / "kaart.png").stat().st_size < 5_000_000
    svg = render_map(small, DAY, "svg")
    assert isinstance(svg, bytes)
    text = svg.decode("utf-8")
    assert 20_000 < len(text) < 5_000_000
    assert "Sociale kaart van Kleine pilot" in text  # title, as text and in the metadata
    assert "<dc:description>" in text  # the alt text
    assert "Almere Haven" in text and "Voedselbank Almere" in text
    _no_personal_data(small, text)


def test_the_html_page(small: Casebook) -> None:
    html = render_map(small, DAY, "html")
    assert isinstance(html, str) and html.startswith("<!DOCTYPE html>")
    (svg,) = re.findall(r"<svg.*?</svg>", html, re.S)
    assert 'role="img"' in svg and '<title id="map-title">' in svg
    assert re.search(r'<desc id="map-desc">[^<]{60,}</desc>', svg)
    assert "<figcaption>" in html and "Wie verbindt het netwerk" in html
    assert not re.search(r"""(src|href)=["'](https?:)?//""", html)
    _no_personal_data(small, html)


def test_the_privacy_guard_stops_every_format(tmp_path: Path) -> None:
    root = write_small_casebook(
        tmp_path / "cb",
        opportunities={
            **OPPORTUNITIES,
            "uitgifte": {**OPPORTUNITIES["uitgifte"], "title": "Uitgifte met Bram Bakker"},
        },
    )
    book = load_casebook(root)
    for fmt in ("text", "graphml", "png"):
        with pytest.raises(PrivacyError):
            render_map(book, DAY, fmt)


def test_the_command(tmp_path: Path) -> None:
    root = write_small_casebook(tmp_path / "cb")
    base = ["kaart", str(root), "--date", "2025-06-15"]
    result = CliRunner().invoke(main, base)
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Sociale kaart van Kleine pilot")
    binary = CliRunner().invoke(main, [*base, "--format", "png"])
    assert binary.exit_code == 1 and "--out" in binary.output
    out = tmp_path / "kaart.gexf"
    written = CliRunner().invoke(main, [*base, "--format", "gexf", "--out", str(out)])
    assert written.exit_code == 0 and nx.read_gexf(out).number_of_nodes() == 13
    again = CliRunner().invoke(main, [*base, "--format", "gexf", "--out", str(out)])
    assert again.exit_code == 1
