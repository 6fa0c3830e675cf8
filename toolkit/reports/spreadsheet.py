"""Tables as Excel files and as CSV that Dutch Excel opens in columns, with no live formula.

A text cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is read by
Excel and LibreOffice as a formula: a name typed as ``=HYPERLINK(...)`` in a case file would run
when the coordinator opens the export. :func:`inert` makes such text plain, as OWASP advises for
CSV injection: a leading apostrophe, which spreadsheets show as text. Every export goes through
it, the match CSV included. Numbers, amounts and dates are typed cells that the toolkit itself
produces, so they are never text that could start a formula.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

CellKind = Literal["text", "int", "number", "euro", "date", "hours"]

#: The characters that make a spreadsheet read a cell as a formula (OWASP, CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER_FORMATS: dict[str, str] = {
    "int": "0",
    "number": "#,##0.##",
    "hours": "#,##0.##",
    "euro": '"€" #,##0.00',
    "date": "dd-mm-yyyy",
}
#: What Excel cannot store in a cell: the control characters other than tab, newline and CR.
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
#: Column width in characters: at least the header, at most this.
MAX_WIDTH = 60


def inert(text: str) -> str:
    """``text`` as a spreadsheet shows it but never evaluates it."""
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


@dataclass(frozen=True)
class Column:
    header: str
    kind: CellKind = "text"


@dataclass
class Table:
    """One sheet: a title (the sheet's name), typed columns and rows of plain values."""

    title: str
    columns: Sequence[Column]
    rows: list[list[Any]] = field(default_factory=list)


def cell_text(value: Any) -> str:
    """A value as text, lists joined by commas: for CSV and for text cells."""
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return ", ".join(cell_text(v) for v in value)
    if isinstance(value, bool):
        return "ja" if value else "nee"
    return str(value)


def _csv_value(value: Any, kind: CellKind) -> str:
    if value is None or value == "":
        return ""
    if kind == "date" and isinstance(value, dt.date):
        return value.strftime("%d-%m-%Y")
    if kind in ("number", "hours", "euro", "int") and isinstance(value, (int, float)):
        text = f"{value:.2f}" if kind == "euro" else f"{value:g}" if kind != "int" else str(value)
        return text.replace(".", ",")
    return inert(cell_text(value))


def to_csv(table: Table) -> bytes:
    """UTF-8 with a byte order mark and ``;`` between cells: Dutch Excel opens it in columns."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([inert(column.header) for column in table.columns])
    for row in table.rows:
        writer.writerow(
            [
                _csv_value(value, column.kind)
                for value, column in zip(row, table.columns, strict=True)
            ]
        )
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(table: Table) -> bytes:
    """An Excel workbook: typed cells (numbers, dates, euros), widths, the header frozen."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    # Excel allows 31 characters and no []:*?/\ in a sheet name.
    sheet.title = "".join(c for c in table.title if c not in "[]:*?/\\")[:31] or "Blad1"
    widths = [len(column.header) for column in table.columns]
    sheet.append([inert(_ILLEGAL.sub("", column.header)) for column in table.columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row_number, row in enumerate(table.rows, start=2):
        for index, (value, column) in enumerate(zip(row, table.columns, strict=True)):
            cell = sheet.cell(row=row_number, column=index + 1)
            typed = _xlsx_value(value, column.kind)
            cell.value = typed
            if isinstance(typed, str):
                # Set after the value: openpyxl reads a leading "=" as a formula otherwise.
                cell.data_type = "s"
            elif column.kind in _NUMBER_FORMATS and typed is not None:
                cell.number_format = _NUMBER_FORMATS[column.kind]
            shown = (
                len(typed.strftime("%d-%m-%Y"))
                if isinstance(typed, dt.date)
                else len(cell_text(typed))
            )
            widths[index] = max(widths[index], shown)
    for index, width in enumerate(widths):
        letter = get_column_letter(index + 1)
        sheet.column_dimensions[letter].width = min(MAX_WIDTH, width + 2)
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _xlsx_value(value: Any, kind: CellKind) -> Any:
    if value is None or value == "":
        return None
    if kind in ("int", "number", "hours", "euro") and isinstance(value, (int, float)):
        return value
    if kind == "date" and isinstance(value, dt.date):
        return value
    # Control characters cannot be stored in a worksheet; dropped before the formula check, so
    # that "\x1f=1" cannot become "=1".
    return inert(_ILLEGAL.sub("", cell_text(value)))


FORMATS: tuple[str, ...] = ("xlsx", "csv")


def render_table(table: Table, fmt: str) -> bytes:
    return to_xlsx(table) if fmt == "xlsx" else to_csv(table)
