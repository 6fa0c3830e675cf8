"""`burgerbaan sponsorplan` through the command line."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from tests.helpers import SETTINGS, person, sponsor, write_casebook
from toolkit.cli import main


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["sponsorplan", *args])
    return result.exit_code, result.output


def test_the_100000_example_in_english(tmp_path: Path) -> None:
    root = write_casebook(tmp_path / "cb")
    code, output = run("--obligation", "100000", "--years", "2", str(root), "--lang", "en")
    assert code == 0, output
    assert "Plan: 10 burgerbanen for 2 years" in output
    assert "= €50,000." in output
    assert "€5,000 SROI credit per burgerbaan-year" in output
    assert "verslag 4e dialoogavond" in output  # the source of the shipped credit
    assert "Rounded up" not in output


def test_a_casebook_override_of_the_credit_is_used_and_named(tmp_path: Path) -> None:
    root = write_casebook(tmp_path / "cb", settings={**SETTINGS, "sroi_credit_per_year": 4000})
    code, output = run("--obligation", "100000", "--years", "2", str(root))
    assert code == 0, output
    assert "Plan: 13 burgerbanen voor 2 jaar" in output
    assert "€ 65.000" in output
    assert "casebook.yaml" in output
    assert "Naar boven afgerond" in output


def test_a_sponsor_from_the_casebook(tmp_path: Path) -> None:
    root = write_casebook(
        tmp_path / "cb",
        people={
            "anna": person(
                status="actief",
                placement={
                    "opportunity": "keukenhulp",
                    "sponsor": "bouw",
                    "start": "2025-01-01",
                    "end": "2025-12-31",
                    "allowance_per_year": 2100,
                },
            )
        },
        sponsors={"bouw": sponsor(sroi_obligation=100000, sroi_deadline="2027-12-31")},
    )
    code, output = run("bouw", str(root), "--date", "2025-06-01")
    assert code == 0, output
    assert "€ 95.000" in output and "10 burgerbanen voor 2 jaar" in output


def test_mistakes_give_a_plain_message_and_exit_1(tmp_path: Path) -> None:
    root = write_casebook(tmp_path / "cb", sponsors={"bouw": sponsor()})
    for args in (
        (),
        ("bouw", str(root)),  # no obligation
        ("bouww", str(root)),  # unknown
        ("bouw", str(root), "--obligation", "1000"),  # both
    ):
        code, output = run(*args)
        assert code == 1, (args, output)
        assert "Traceback" not in output
