"""The overview and the social map show the matcher's figures, computed for real."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from tests.helpers import EXAMPLE_CASEBOOK, opportunity, person, write_casebook
from toolkit.casebook import load_casebook
from toolkit.cli import main
from toolkit.matching import Matcher
from toolkit.reports.matchresults import compute_match_results


def test_feasible_counts_follow_the_hard_limits(tmp_path: Path) -> None:
    root = write_casebook(
        tmp_path / "cb",
        people={
            "kan-overal": person(),
            "rolstoel": person(name="Twee Drie", needs=["rolstoeltoegankelijk"]),
        },
        opportunities={
            "trap": opportunity(),
            "lift": opportunity(offers=["rolstoeltoegankelijk"]),
            "vol": opportunity(slots=0),
        },
    )
    book = load_casebook(root)
    assert Matcher(book).feasible_counts() == {"kan-overal": 2, "rolstoel": 1}
    results = compute_match_results(book)
    assert dict(results.options) == {"kan-overal": 2, "rolstoel": 1}
    assert sorted(p for p, _o in results.proposals) == ["kan-overal", "rolstoel"]


def test_overzicht_and_kaart_report_the_matcher_on_the_example() -> None:
    book = load_casebook(EXAMPLE_CASEBOOK)
    candidates = len(book.candidates())
    runner = CliRunner()
    overview = runner.invoke(main, ["overzicht", str(EXAMPLE_CASEBOOK), "--date", "2026-11-26"])
    assert overview.exit_code == 0, overview.output
    assert f"{candidates} kandidaten, van wie" in overview.output
    assert "niet berekend" not in overview.output
    kaart = runner.invoke(main, ["kaart", str(EXAMPLE_CASEBOOK)])
    assert kaart.exit_code == 0, kaart.output
    assert "voorstel (matcher) 0" not in kaart.output
    assert "Kandidaten zonder haalbare plek" in kaart.output
