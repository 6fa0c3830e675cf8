"""`burgerbaan overzicht`: the figures, the Markdown (golden file), the HTML page and its charts."""

from __future__ import annotations

import os
import re
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.overview.casebooks import DAY, OPPORTUNITIES, write_small_casebook
from toolkit.casebook import Casebook, load_casebook
from toolkit.cli import main
from toolkit.i18n import set_language
from toolkit.reports.matchresults import MatchResults
from toolkit.reports.overview import build_overview, overview_charts, render_overview
from toolkit.reports.privacy import PrivacyError

GOLDEN = Path(__file__).resolve().parent.parent / "golden" / "overview" / "overzicht.md"
PERSONAL = [
    "Anna de Vries",
    "anna-de-vries",
    "Bram Bakker",
    "bram-bakker",
    "06-11112222",
    "anna@example.nl",
    "Joke Jansen",
    "cees-cornelis",
    "Cees Cornelis",
]


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Casebook:
    return load_casebook(write_small_casebook(tmp_path_factory.mktemp("small") / "cb"))


@pytest.fixture(scope="module")
def small_html(small: Casebook) -> str:
    set_language("nl")
    return render_overview(small, build_overview(small, DAY, window=60), "html")


def test_the_figures(small: Casebook) -> None:
    o = build_overview(small, DAY, window=60)
    assert (o.active, o.goal.count, o.goal_share, o.goal_passed) == (2, 10, 20, False)
    assert [(r.label, r.count) for r in o.by_organisation] == [
        ("Buurttuin Oost", 1),
        ("Voedselbank Almere", 1),
    ]
    assert [r.count for r in o.by_sponsor] == [1, 1]
    assert o.candidates.total == 2 and not o.candidates.computed
    # anna is above the hourly guide of her agreed rate: a warning, not taxable by itself
    assert sorted((r.months, r.paid, r.taxable, r.above_guide) for r in o.allowances) == [
        (2, 350, False, False),
        (3, 525, False, True),
    ]
    assert len(o.agreements) == 1 and o.agreements[0].days_left == 46
    assert o.own_cost_total == 2500
    # anna (2025-01-01..2025-07-31) and bram (from 2024-09-01); eva 2024-03-01..2024-12-31
    assert o.progress == (
        (DAY.replace(year=2024, month=3, day=1), 1),
        (DAY.replace(year=2024, month=9, day=1), 2),
        (DAY.replace(year=2025, month=1, day=1), 2),
    )


def test_candidates_with_matcher_results(small: Casebook) -> None:
    matches = MatchResults(
        options={"cees-cornelis": 2, "dirk-dekker": 0}, proposals=[("cees-cornelis", "tuinploeg")]
    )
    o = build_overview(small, DAY, window=60, matches=matches)
    assert o.candidates.with_options == 1 and o.candidates.not_assessed == 0
    assert len(o.candidates.without_options or ()) == 1
    text = render_overview(small, o, "md")
    assert "2 kandidaten, van wie 1 ten minste één haalbare plek heeft" in text
    assert "niet berekend" not in text
    unassessed = build_overview(small, DAY, window=60, matches=MatchResults(options={}))
    assert unassessed.candidates.with_options == 0 and unassessed.candidates.not_assessed == 2


def test_without_matcher_results_it_says_not_computed(small: Casebook) -> None:
    text = render_overview(small, build_overview(small, DAY, window=60), "md")
    assert "niet berekend" in text


def test_markdown_matches_the_golden_file(small: Casebook) -> None:
    text = render_overview(small, build_overview(small, DAY, window=60), "md")
    if os.environ.get("UPDATE_GOLDEN") == "1":
        GOLDEN.parent.mkdir(parents=True, exist_ok=True)
        GOLDEN.write_text(text, encoding="utf-8")
    assert text == GOLDEN.read_text(encoding="utf-8")


def test_no_personal_data_in_either_format(small: Casebook, small_html: str) -> None:
    markdown = render_overview(small, build_overview(small, DAY, window=60), "md")
    for fmt, text in (("md", markdown), ("html", small_html)):
        for needle in PERSONAL:
            assert needle.lower() not in text.lower(), (fmt, needle)


def test_the_html_page_is_self_contained_with_three_labelled_charts(small_html: str) -> None:
    html = small_html
    assert html.startswith("<!DOCTYPE html>")
    svgs = re.findall(r"<svg.*?</svg>", html, re.S)
    assert len(svgs) == 3
    for svg in svgs:
        assert 'role="img"' in svg
        title = re.search(r"<title id=\"(\w+)-title\">([^<]+)</title>", svg)
        desc = re.search(r"<desc id=\"\w+-desc\">([^<]+)</desc>", svg)
        assert title and desc and len(desc.group(1)) > 40
        assert f'aria-labelledby="{title.group(1)}-title {title.group(1)}-desc"' in svg
    assert html.count("<figcaption>") == 3
    assert "@@chart" not in html
    # self-contained: nothing loaded from elsewhere
    assert not re.search(r"""(src|href)=["'](https?:)?//""", html)
    assert "<script" not in html
    assert "@media print" in html


def test_the_charts_are_drawn(small: Casebook, tmp_path: Path) -> None:
    charts = overview_charts(build_overview(small, DAY, window=60))
    assert [c.key for c in charts] == ["progress", "organisations", "sponsors"]
    for chart in charts:
        path = tmp_path / f"{chart.key}.svg"
        path.write_text(chart.svg, encoding="utf-8")
        assert 5_000 < path.stat().st_size < 200_000
        assert chart.title and chart.alt
        assert chart.title in chart.svg
    assert "Buurttuin Oost" in charts[1].alt and "Bouw Flevo" in charts[2].svg


def test_the_privacy_guard_stops_the_overview(tmp_path: Path) -> None:
    # A place named after a person would put a real name in the overview.
    root = write_small_casebook(
        tmp_path / "cb",
        opportunities={
            **OPPORTUNITIES,
            "keukenhulp": {**OPPORTUNITIES["keukenhulp"], "title": "Keuken van Anna de Vries"},
        },
    )
    book = load_casebook(root)
    overview = build_overview(book, DAY, window=60)
    for fmt in ("md", "html"):
        with pytest.raises(PrivacyError):
            render_overview(book, overview, fmt)  # type: ignore[arg-type]
    out = tmp_path / "o.md"
    result = CliRunner().invoke(
        main, ["overzicht", str(root), "--date", "2025-06-15", "--out", str(out)]
    )
    assert result.exit_code == 1
    assert "persoonsgegevens" in result.output
    assert not out.exists()


def test_the_command_writes_a_file_once(tmp_path: Path) -> None:
    root = write_small_casebook(tmp_path / "cb")
    out = tmp_path / "overzicht.html"
    args = ["overzicht", str(root), "--date", "2025-06-15", "--format", "html", "--out", str(out)]
    first = CliRunner().invoke(main, args)
    assert first.exit_code == 0, first.output
    assert out.stat().st_size > 20_000
    again = CliRunner().invoke(main, args)
    assert again.exit_code == 1 and "--force" in again.output
    # --force replaces it; the format follows the file name (Markdown into .html is refused)
    refused = CliRunner().invoke(main, [*args[:4], "--format", "md", "--out", str(out), "--force"])
    assert refused.exit_code == 1 and "past niet bij de bestandsnaam" in refused.output
    markdown = tmp_path / "overzicht.md"
    markdown.write_text("oud", encoding="utf-8")
    forced = CliRunner().invoke(main, [*args[:4], "--out", str(markdown), "--force"])
    assert forced.exit_code == 0, forced.output
    assert markdown.read_text(encoding="utf-8").startswith("# Overzicht")


def test_the_command_prints_markdown_and_takes_a_window(tmp_path: Path) -> None:
    root = write_small_casebook(tmp_path / "cb")
    base = ["overzicht", str(root), "--date", "2025-06-15"]
    result = CliRunner().invoke(main, base)
    assert result.exit_code == 0 and result.output.startswith("# Overzicht: Kleine pilot")
    narrow = CliRunner().invoke(main, [*base, "--window", "30"])
    assert "31 juli 2025" in result.output and "31 juli 2025" not in narrow.output


def test_the_example_casebook_in_english(example_book: Casebook) -> None:
    set_language("en")
    overview = build_overview(example_book, date(2026, 11, 26), window=60)
    text = render_overview(example_book, overview, "md")
    assert "**5 active burgerbanen** against a goal of 20 (25%)" in text
    assert "That date has passed." in text
    assert "WHOLE allowance" in text
    for person in example_book.people.values():
        assert person.name not in text and person.id not in text
