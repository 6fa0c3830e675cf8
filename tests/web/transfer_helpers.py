"""What the import and export tests share: an Excel list made the way Excel makes one, and a
reader of a page's form that sends what a browser would send."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from html.parser import HTMLParser
from typing import Any

from flask.testing import FlaskClient
from openpyxl import Workbook, load_workbook

from tests.web.conftest import csrf_of

HEADERS = (
    "Naam",
    "Geboortejaar",
    "Wijk",
    "Telefoon",
    "Heeft BSN",
    "Situatie",
    "Talenten",
    "Toestemming gegevens (datum)",
    "Schoenmaat",  # no field of the casebook: the mapping step shows it as ignored
)
FIRST = ("Bram", "Sanne", "Youssef", "Lotte", "Mehmet", "Fenna", "Dewi", "Joris", "Ilse", "Koen")
LAST = ("Visser", "Brouwer", "Kok", "Mulder", "Bos")
DISTRICTS = ("Almere Stad", "Almere Buiten", "Almere Poort", "Almere Haven")
#: The rows the preview refuses, by their row in the sheet (the header is row 1).
UNKNOWN_DISTRICT, NO_NAME, DUPLICATE = 6, 17, 30


def people_rows(count: int = 40) -> list[list[Any]]:
    """``count`` invented people; three of them refused: an unknown district, no name, and the
    name and birth year of Anouk de Graaf, who is in the example casebook."""
    rows: list[list[Any]] = []
    for index in range(count):
        name = f"{FIRST[index % 10]} {LAST[index // 10 % 5]}"
        if index >= 10 * len(LAST):
            name += f" {index}"
        rows.append(
            [
                name,
                1960 + index,  # a number cell, as Excel keeps a year
                DISTRICTS[index % 4],
                612345600 + index,  # typed as 0612345600: Excel dropped the leading 0
                "ja",
                "geen",
                "koken, tuinieren",
                dt.datetime(2026, 11, 1 + index % 28),  # a date cell (Excel: a datetime)
                38 + index % 8,
            ]
        )
    for sheet_row, column, value in (
        (UNKNOWN_DISTRICT, 2, "Haven"),
        (NO_NAME, 0, None),
        (DUPLICATE, 0, "Anouk de Graaf"),
        (DUPLICATE, 1, 1986),
    ):
        if sheet_row - 2 < count:
            rows[sheet_row - 2][column] = value
    return rows


def xlsx_of(headers: tuple[str, ...], rows: list[list[Any]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Deelnemers"
    sheet.append(list(headers))
    for row in rows:
        sheet.append(row)
    for cell in sheet["H"][1:]:
        cell.number_format = "dd-mm-yyyy"  # as Dutch Excel shows a date
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


class FormReader(HTMLParser):
    """The fields of the form posting to ``action`` as a browser sends them: inputs with their
    value (checkboxes only when checked), selects with their selected option."""

    def __init__(self, action: str) -> None:
        super().__init__()
        self.action = action
        self.inside = False
        self.fields: dict[str, str] = {}
        self.checkboxes: set[str] = set()
        self.buttons: list[tuple[str, str]] = []
        self._select: str | None = None
        self._first_option: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.inside = a.get("action") == self.action
        if not self.inside:
            return
        if tag == "input" and a.get("name"):
            if a.get("type") == "checkbox":
                self.checkboxes.add(a["name"])
                if "checked" in a:
                    self.fields[a["name"]] = a.get("value", "on")
            elif a.get("type") != "file":
                self.fields[a["name"]] = a.get("value", "")
        elif tag == "select":
            self._select = a.get("name")
            self._first_option = None
        elif tag == "option" and self._select:
            if self._first_option is None:
                self._first_option = a.get("value", "")
                self.fields.setdefault(self._select, self._first_option)
            if "selected" in a:
                self.fields[self._select] = a.get("value", "")
        elif tag == "button" and a.get("name"):
            self.buttons.append((a["name"], a.get("value", "")))

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None
        if tag == "form":
            self.inside = False


def form_fields(html: str, action: str) -> dict[str, str]:
    reader = FormReader(action)
    reader.feed(html)
    assert reader.fields, f"no form posting to {action}"
    return reader.fields


def upload(client: FlaskClient, data: bytes, filename: str, kind: str = "personen") -> Any:
    token = csrf_of(client.get("/importeren").get_data(as_text=True))
    return client.post(
        "/importeren",
        data={"csrf_token": token, "soort": kind, "bestand": (io.BytesIO(data), filename)},
        content_type="multipart/form-data",
    )


def refused_rows(html: str) -> list[int]:
    return [int(n) for n in re.findall(r'<tr id="rij-(\d+)" class="refused"', html)]


def cell_input(html: str, row: int, header: str) -> str:
    """The name of the input of ``header`` in the correction of ``row``."""
    found = re.search(rf'<label for="(cel-{row}-\d+)">{re.escape(header)}</label>', html)
    assert found, (row, header)
    return found.group(1)


def read_xlsx(data: bytes) -> list[list[Any]]:
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet is not None
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def read_csv(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf"), "no byte order mark: Dutch Excel misreads it"
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
