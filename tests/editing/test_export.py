"""Exports: read back with calamine, typed cells, Dutch CSV, never a live formula."""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from python_calamine import CalamineWorkbook

from tests.helpers import example_casebook, person, sponsor, write_casebook
from toolkit.casebook import load_casebook
from toolkit.casebook.importing import import_records
from toolkit.reports.export import EXPORT_KINDS, export_bytes
from toolkit.reports.spreadsheet import FORMULA_STARTS, Column, Table, inert, to_csv, to_xlsx


def read_xlsx(data: bytes) -> list[list[object]]:
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0)
    return sheet.to_python()


def read_csv(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))


@pytest.mark.parametrize("kind", EXPORT_KINDS)
@pytest.mark.parametrize("intern", [False, True])
def test_every_list_reads_back_in_both_formats(kind: str, intern: bool) -> None:
    book = example_casebook()
    day = dt.date(2026, 6, 1)
    rows = read_xlsx(export_bytes(book, kind, "xlsx", intern=intern, day=day))
    lines = read_csv(export_bytes(book, kind, "csv", intern=intern, day=day))
    assert len(rows) == len(lines) > 1
    assert [str(h) for h in rows[0]] == lines[0]


def test_the_public_people_list_holds_no_name_or_id() -> None:
    book = example_casebook()
    text = export_bytes(book, "people", "csv").decode("utf-8-sig")
    for person_id, record in book.people.items():
        assert person_id not in text
        assert record.name not in text


def test_internal_people_list_imports_into_an_empty_casebook(tmp_path: Path) -> None:
    source = write_casebook(tmp_path / "a", people={"jan-smit": person(name="Jan Smit")})
    data = export_bytes(load_casebook(source), "people", "xlsx", intern=True)
    target = write_casebook(tmp_path / "b", people={})
    preview = import_records(target, "people", data, "mensen.xlsx")
    assert preview.ok, preview.problems
    assert load_casebook(target).people["jan-smit"] == load_casebook(source).people["jan-smit"]


def test_excel_cells_are_typed_with_formats_widths_and_a_frozen_header(tmp_path: Path) -> None:
    root = write_casebook(
        tmp_path / "cb",
        sponsors={"bouw": sponsor(sroi_obligation=50000, sroi_deadline="2027-12-31")},
    )
    data = export_bytes(load_casebook(root), "sponsors", "xlsx")
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet is not None
    assert sheet.freeze_panes == "A2"
    headers = [c.value for c in sheet[1]]
    obligation = sheet.cell(row=2, column=headers.index("SROI-verplichting (€)") + 1)
    assert obligation.value == 50000 and obligation.data_type == "n"
    assert "€" in obligation.number_format
    deadline = sheet.cell(row=2, column=headers.index("SROI-termijn") + 1)
    assert deadline.is_date
    assert all((sheet.column_dimensions[c].width or 0) >= 4 for c in "ABC")


def test_csv_numbers_and_dates_the_dutch_way() -> None:
    table = Table("t", [Column("Bedrag", "euro"), Column("Uren", "hours"), Column("Op", "date")])
    table.rows.append([1234.5, 35.5, dt.date(2026, 3, 1)])
    assert read_csv(to_csv(table))[1] == ["1234,50", "35,5", "01-03-2026"]


DANGEROUS = st.builds(
    lambda start, rest: start + rest,
    st.sampled_from([*FORMULA_STARTS, "", " ", "a"]),
    st.text(max_size=20),
)


# No deadline: writing a workbook takes tens of milliseconds, more on a busy machine.
@settings(deadline=None, max_examples=60)
@given(st.lists(st.tuples(DANGEROUS, DANGEROUS), min_size=1, max_size=5))
@example([('=HYPERLINK("http://x","klik")', "@SUM(1+1)*cmd|' /C calc'!A0")])
@example([("+31 6 1234", "-2+3")])
@example([("\t=1", "\r=1")])
@example([("=", "=\x1f")])
@example([("\x1f=1", "a")])
@example([("", "")])
def test_no_export_cell_starts_a_formula(cells: list[tuple[str, str]]) -> None:
    table = Table("t", [Column("=kop"), Column("b")], [list(row) for row in cells])
    for row in read_csv(to_csv(table)):
        for value in row:
            assert not value.startswith(FORMULA_STARTS)
    data = to_xlsx(table)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        sheet_xml = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml and "<f " not in sheet_xml
    for row in read_xlsx(data):
        for value in row:
            assert not str(value).startswith(FORMULA_STARTS)
    # The text itself is kept: only the apostrophe is added, and only where needed.
    # An empty cell is no cell: a row of empty cells is not in the sheet at all.
    first = [*read_xlsx(data)[1:2], []][0]
    first = [*first, *[""] * (2 - len(first))]
    for original, shown in zip(cells[0], first, strict=True):
        clean = ILLEGAL_CHARACTERS_RE.sub("", original)
        assert str(shown) in (clean, "'" + clean)


def test_inert_leaves_ordinary_text_alone() -> None:
    assert inert("Almere Haven") == "Almere Haven"
    assert inert("=1+1") == "'=1+1"
    assert inert("") == ""


def test_a_hostile_name_in_a_case_file_stays_text(tmp_path: Path) -> None:
    root = write_casebook(
        tmp_path / "cb", people={"x": person(name='=HYPERLINK("http://evil")', notes="@x")}
    )
    book = load_casebook(root)
    for fmt in ("csv", "xlsx"):
        data = export_bytes(book, "people", fmt, intern=True)
        rows = read_xlsx(data) if fmt == "xlsx" else read_csv(data)
        assert all(not str(v).startswith(FORMULA_STARTS) for row in rows for v in row)


def test_the_match_csv_is_inert_too(tmp_path: Path) -> None:
    from toolkit.reports.matches import MatchReport, ShownPerson, render_csv

    report = MatchReport(
        title="t",
        casebook="c",
        day="d",
        mode="options",
        method="flow",
        top=3,
        intern=True,
        notes=(),
        summary=(),
        people=(ShownPerson("=cmd", "=cmd", (), None, ("-2+3",)),),
        places=(),
    )
    for row in csv.reader(io.StringIO(render_csv(report))):
        assert all(not value.startswith(FORMULA_STARTS) for value in row)
