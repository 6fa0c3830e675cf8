"""import and export through the command line, as a coordinator runs them."""

from __future__ import annotations

import io
from pathlib import Path

from click.testing import CliRunner
from python_calamine import CalamineWorkbook

from tests.editing.spreadsheets import xlsx_bytes
from tests.editing.test_import import people_rows, with_three_bad_rows
from tests.helpers import write_casebook
from toolkit.casebook import load_casebook
from toolkit.cli import main


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    assert "Traceback" not in result.output
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.output


def test_import_previews_then_writes_with_ja(tmp_path: Path) -> None:
    root = write_casebook(tmp_path / "cb")
    sheet = tmp_path / "deelnemers.xlsx"
    sheet.write_bytes(xlsx_bytes(people_rows()))
    code, output = run("import", "personen", str(sheet), str(root))
    assert code == 0, output
    assert "--ja" in output
    assert len(load_casebook(root).people) == 1
    code, output = run("import", "people", str(sheet), str(root), "--ja")
    assert code == 0, output
    assert len(load_casebook(root).people) == 41


def test_import_with_bad_rows_fails_and_names_row_and_column(tmp_path: Path) -> None:
    root = write_casebook(tmp_path / "cb")
    sheet = tmp_path / "deelnemers.xlsx"
    sheet.write_bytes(xlsx_bytes(with_three_bad_rows()))
    code, output = run("import", "people", str(sheet), str(root), "--ja")
    assert code == 1
    assert "[Wijk]" in output and "Almere Haven" in output
    assert len(load_casebook(root).people) == 1


def test_import_mapping_option(tmp_path: Path) -> None:
    root = write_casebook(tmp_path / "cb")
    sheet = tmp_path / "x.xlsx"
    rows = [
        ["Wie", "Geboortejaar", "Wijk", "Heeft BSN", "Situatie", "Intern"],
        ["Piet Puk", 1975, "Almere Stad", "ja", "geen", "x"],
    ]
    sheet.write_bytes(xlsx_bytes(rows))
    code, output = run(
        "import",
        "people",
        str(sheet),
        str(root),
        "--kolom",
        "Wie=name",
        "--kolom",
        "Intern=",
        "--ja",
    )
    assert code == 0, output
    assert "piet-puk" in load_casebook(root).people


def test_export_writes_an_excel_file(tmp_path: Path) -> None:
    root = write_casebook(tmp_path / "cb")
    out = tmp_path / "mensen.xlsx"
    code, output = run("export", "people", str(root), "--out", str(out))
    assert code == 0, output
    rows = CalamineWorkbook.from_filelike(io.BytesIO(out.read_bytes())).get_sheet_by_index(0)
    assert len(rows.to_python()) == 2
    code, output = run("export", "people", str(root), "--out", str(out))
    assert code == 1  # never over an existing file without --force


def test_sponsorplan_reads_a_dutch_amount(tmp_path: Path) -> None:
    root = write_casebook(tmp_path / "cb")
    code, dutch = run("sponsorplan", "--obligation", "50.000", str(root))
    assert code == 0, dutch
    code, plain = run("sponsorplan", "--obligation", "50000", str(root))
    assert dutch == plain
    code, output = run("sponsorplan", "--obligation", "50.5", str(root))
    assert code == 2 and "505" in output


def test_wijzigingen_lists_who_changed_what_without_values(tmp_path: Path) -> None:
    root = write_casebook(tmp_path / "cb")
    sheet = tmp_path / "x.xlsx"
    sheet.write_bytes(xlsx_bytes(people_rows(2)))
    run("import", "people", str(sheet), str(root), "--ja")
    code, output = run("wijzigingen", str(root))
    assert code == 0, output
    assert "people/sanne-jansen" in output and "geïmporteerd" in output and "lokaal" in output
    assert "0612340000" not in output and "persoon0@example.nl" not in output
    code, output = run("wijzigingen", str(root), "--id", "daan-jansen")
    assert "sanne-jansen" not in output and "daan-jansen" in output
