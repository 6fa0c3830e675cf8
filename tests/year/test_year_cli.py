"""The year's commands on a copy of the example casebook, as the 'done when' of issue 12 reads:
a candidate from proposal to an active placement, three months of hours (one over a cap, with
the warning), approved, the month's payment list as Excel and a sponsor statement as Word."""

from __future__ import annotations

import io
import shutil
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from tests.helpers import EXAMPLE_CASEBOOK
from toolkit.casebook import load_casebook
from toolkit.cli import main


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args), env={"BURGERBAAN_DOOR": "Coördinator"})
    assert "Traceback" not in result.output
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.output


@pytest.fixture
def root(tmp_path: Path) -> Path:
    copy = tmp_path / "cases"
    shutil.copytree(EXAMPLE_CASEBOOK, copy)
    return copy


def test_a_year_from_proposal_to_sponsor_statement(root: Path, tmp_path: Path) -> None:
    cb = str(root)
    candidate = "abena-owusu"
    code, out = run("status", candidate, "actief", cb)
    assert code == 1 and "plaatsing" in out
    assert run("status", candidate, "voorgesteld", cb, "--date", "2026-08-20")[0] == 0
    code, out = run(
        "plaats",
        candidate,
        "voedselbank-uitgifte",
        cb,
        "--sponsor",
        "versmarkt-almere",
        "--start",
        "2026-09-01",
        "--date",
        "2026-08-25",
    )
    assert code == 0, out
    assert "Geplaatst" in out
    for month in ("09", "10"):
        code, out = run("uren", candidate, f"2026-{month}", "32", cb)
        assert code == 0 and "WAARSCHUWING" not in out
    code, out = run("uren", candidate, "2026-11", "40", cb, "--bedrag", "230,50")
    assert code == 0
    assert "WAARSCHUWING" in out and "HELE vergoeding" in out
    for month in ("09", "10", "11"):
        assert (
            run("uren-goedkeuren", candidate, f"2026-{month}", cb, "--date", "2026-12-01")[0] == 0
        )
    xlsx = tmp_path / "betaallijst.xlsx"
    code, out = run("betaallijst", "2026-11", cb, "--out", str(xlsx), "--date", "2026-12-02")
    assert code == 0, out
    sheet = load_workbook(io.BytesIO(xlsx.read_bytes())).worksheets[0]
    amounts = [row[5].value for row in sheet.iter_rows(min_row=2) if row[0].value != "Totaal"]
    assert amounts == [175, 175, 230.5]
    code, out = run("betaallijst", "2026-11", cb, "--date", "2026-12-02")
    assert code == 1 and "betaallijst 1" in out
    docx = tmp_path / "verklaring.docx"
    code, out = run(
        "sponsorverklaring",
        "versmarkt-almere",
        cb,
        "--jaar",
        "2026",
        "--format",
        "docx",
        "--out",
        str(docx),
        "--date",
        "2026-12-02",
    )
    assert code == 0, out
    with zipfile.ZipFile(docx) as archive:
        text = archive.read("word/document.xml").decode()
    assert "Versmarkt Almere" in text and "Abena" not in text
    load_casebook(root)  # still valid


def test_decline_renew_and_the_renewal_list(root: Path) -> None:
    cb = str(root)
    code, out = run("afwijzen", "abena-owusu", "voedselbank-uitgifte", cb, "--reden", "Te ver")
    assert code == 0 and "uitsluitingen" in out
    code, out = run("afwijzen", "abena-owusu", "voedselbank-uitgifte", cb, "--reden", "Te ver")
    assert code == 1
    code, out = run("verlengingen", cb, "--date", "2026-12-01")
    assert code == 0 and "burgerbaan verleng anouk-de-graaf" in out
    code, out = run("verleng", "anouk-de-graaf", cb, "--date", "2026-12-01")
    assert code == 0 and "2027-12-31" in out


def test_stop_with_a_reason_and_bad_input_give_exit_code_1(root: Path) -> None:
    cb = str(root)
    code, out = run("status", "samir-haddou", "gestopt", cb, "--reden", "betaald-werk")
    assert code == 0 and "eindigt" in out
    code, out = run("uren", "anouk-de-graaf", "2026-13", "10", cb)
    assert code == 1 and "JJJJ-MM" in out
    code, out = run("uren", "anouk-de-graaf", "2026-11", "tien", cb)
    assert code == 2 and "geen getal" in out
    code, out = run("sponsorverklaring", "versmarkt-almere", cb, "--format", "docx")
    assert code == 1 and "--out" in out  # a Word file is not printed
    code, out = run("sponsorverklaring", "versmarkt-almere", cb, "--format", "html")
    assert code == 0 and "<html" in out


def test_check_alerts_for_hours_waiting_for_approval(root: Path) -> None:
    cb = str(root)
    assert run("uren", "anouk-de-graaf", "2026-11", "40", cb)[0] == 0
    _code, out = run("check", cb, "--date", "2026-12-01")
    assert "2026-11 wacht op goedkeuring" in out
    assert run("uren-goedkeuren", "anouk-de-graaf", "2026-11", cb, "--date", "2026-12-01")[0] == 0
    _code, out = run("check", cb, "--date", "2026-12-01")
    assert "wacht op goedkeuring" not in out
