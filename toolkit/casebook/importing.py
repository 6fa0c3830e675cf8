"""Importing records from a spreadsheet (.xlsx, .ods, .csv): a preview first, then all or none.

:func:`preview_import` reads the file (python-calamine for Excel and OpenDocument, the csv
module for CSV), recognises the columns (:mod:`toolkit.casebook.columns`, plus a mapping for
others), turns each row into a record with an id made from its name, and checks it with the same
models and checks as a save (:func:`~toolkit.casebook.editing.prepare_record`). Every problem is
kept with its row and column; people with the name and birth year of an existing record are
flagged as possible duplicates. :func:`import_records` writes the rows only if none has a
problem, all under the casebook lock, and removes what it wrote if any write fails.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from toolkit.casebook.columns import COLUMNS, recognise
from toolkit.casebook.editing import FieldError, folder_of, prepare_record
from toolkit.casebook.history import LOCAL_ACTOR, Change, now, record_changes
from toolkit.casebook.lock import casebook_lock
from toolkit.casebook.records import ID_PATTERN
from toolkit.casebook.tags import fold
from toolkit.casebook.yamlfile import YamlProblem, read_yaml
from toolkit.errors import ConflictError, InvalidInputError
from toolkit.files import write_atomic
from toolkit.i18n import _

IMPORT_KINDS: tuple[str, ...] = ("people", "opportunities", "organisations", "sponsors")
SUFFIXES: tuple[str, ...] = (".xlsx", ".xlsm", ".xls", ".ods", ".csv")
#: The field that names a record of each kind, for its id.
_NAME_FIELD = {
    "people": "name",
    "opportunities": "title",
    "organisations": "name",
    "sponsors": "name",
}
#: More rows than any list of the cooperative; bounds the time one upload can take.
MAX_ROWS = 5000
_NOT_ID = re.compile(r"[^a-z0-9]+")
#: Dates a person types the Dutch way (23-10-2024), in a CSV file or a text cell.
_DUTCH_DATE = re.compile(r"^(\d{1,2})-(\d{1,2})-(\d{4})$")
_DATE_FIELDS = frozenset({"consent.data", "sroi_deadline"})
#: Fields that hold text even when a spreadsheet cell holds a number.
_TEXT_FIELDS = frozenset(
    {"name", "title", "sector", "statement", "description", "notes", "website", "wishes.text"}
    | {"contact.name", "contact.email", "organisation"}
)


@dataclass(frozen=True)
class ImportProblem:
    """One problem of one row: ``row`` as the spreadsheet numbers it, ``column`` its header."""

    row: int
    column: str | None
    field: str | None
    message: str


@dataclass
class ImportRow:
    row: int
    record_id: str
    values: dict[str, Any]
    problems: list[ImportProblem] = field(default_factory=list)
    #: Ids of existing records (or earlier rows) with the same name and birth year.
    duplicates: list[str] = field(default_factory=list)
    text: str = ""


@dataclass
class ImportPreview:
    """What an import would write: shown before anything is written."""

    folder: str
    source: str
    #: Each header of the file and the field it fills (None: ignored).
    columns: dict[str, str | None]
    rows: list[ImportRow]

    @property
    def ignored(self) -> list[str]:
        return [header for header, target in self.columns.items() if target is None]

    @property
    def problems(self) -> list[ImportProblem]:
        return [problem for row in self.rows for problem in row.problems]

    @property
    def doubled(self) -> dict[str, list[str]]:
        """Fields that more than one column fills (one would win in silence), with the columns."""
        by_field: dict[str, list[str]] = {}
        for header, target in self.columns.items():
            if target:
                by_field.setdefault(target, []).append(header)
        return {target: headers for target, headers in by_field.items() if len(headers) > 1}

    @property
    def doubled_message(self) -> str:
        return "\n".join(
            _(
                "The columns {columns} all fill the field {field}; choose 'ignore' for all but "
                "one of them."
            ).format(columns=", ".join(headers), field=target)
            for target, headers in self.doubled.items()
        )

    @property
    def ok(self) -> bool:
        return bool(self.rows) and not self.problems and not self.doubled


#: The rows of a sheet as :func:`read_table` gives them: (row number, typed cells), headers first.
Rows = list[tuple[int, list[Any]]]


def preview_import(
    root: Path,
    kind: str,
    data: bytes,
    filename: str,
    *,
    mapping: Mapping[str, str] | None = None,
    allow_duplicates: bool = False,
) -> ImportPreview:
    """The preview of importing ``data`` (the bytes of ``filename``) into the casebook."""
    _import_folder(kind)
    return preview_rows(
        root,
        kind,
        read_table(data, filename),
        filename,
        mapping=mapping,
        allow_duplicates=allow_duplicates,
    )


def preview_rows(
    root: Path,
    kind: str,
    table: Rows,
    filename: str,
    *,
    mapping: Mapping[str, str] | None = None,
    allow_duplicates: bool = False,
) -> ImportPreview:
    """The preview of importing the rows of a sheet already read (:func:`read_table`), perhaps
    corrected since: the web app keeps them between the preview and the import."""
    root = Path(root)
    folder = _import_folder(kind)
    if len(table) < 2:  # no rows, or headers only
        raise InvalidInputError(_("{file} holds no rows.").format(file=filename))
    headers = table[0][1]
    columns = _columns(folder, headers, mapping or {})
    if not any(columns.values()):
        raise InvalidInputError(
            _(
                "No column of {file} is recognised; the first row must hold headers such as "
                "{examples}."
            ).format(file=filename, examples=", ".join(c.header for c in COLUMNS[folder][:4]))
        )
    if len(table) - 1 > MAX_ROWS:
        raise InvalidInputError(
            _("{file} has more than {count} rows.").format(file=filename, count=MAX_ROWS)
        )
    taken = _existing_ids(root / folder)
    known = _people_by_name_and_year(root) if folder == "people" else {}
    rows = []
    for number, cells in table[1:]:
        rows.append(
            _row(root, folder, number, headers, cells, columns, taken, known, allow_duplicates)
        )
    return ImportPreview(folder, filename, columns, rows)


def _import_folder(kind: str) -> str:
    folder = folder_of(kind)
    if folder not in IMPORT_KINDS:
        raise InvalidInputError(
            _("Only {kinds} can be imported.").format(kinds=", ".join(IMPORT_KINDS))
        )
    return folder


def import_records(
    root: Path,
    kind: str,
    data: bytes,
    filename: str,
    *,
    mapping: Mapping[str, str] | None = None,
    allow_duplicates: bool = False,
    actor: str = LOCAL_ACTOR,
) -> ImportPreview:
    """Import every row, or none: the preview is made again under the lock, and only written
    if no row has a problem. Returns the preview; ``ok`` says whether it was written."""
    _import_folder(kind)
    return import_rows(
        root,
        kind,
        read_table(data, filename),
        filename,
        mapping=mapping,
        allow_duplicates=allow_duplicates,
        actor=actor,
    )


def import_rows(
    root: Path,
    kind: str,
    table: Rows,
    filename: str,
    *,
    mapping: Mapping[str, str] | None = None,
    allow_duplicates: bool = False,
    actor: str = LOCAL_ACTOR,
) -> ImportPreview:
    """:func:`import_records` for the rows of a sheet already read (see :func:`preview_rows`)."""
    root = Path(root)
    with casebook_lock(root):
        preview = preview_rows(
            root, kind, table, filename, mapping=mapping, allow_duplicates=allow_duplicates
        )
        if not preview.ok:
            return preview
        written: list[Path] = []
        try:
            for row in preview.rows:
                path = root / preview.folder / f"{row.record_id}.yaml"
                if path.exists():
                    raise ConflictError(
                        _("{path} appeared while importing; nothing was imported.").format(
                            path=path
                        )
                    )
                write_atomic(path, row.text)
                written.append(path)
        except BaseException:
            for path in written:
                with contextlib.suppress(OSError):
                    path.unlink()
            raise
        when = now()
        record_changes(
            root,
            [
                Change(when, actor, preview.folder, row.record_id, "imported", tuple(row.values))
                for row in preview.rows
            ],
        )
        return preview


# --- reading the file --------------------------------------------------------------------------


def read_table(data: bytes, filename: str) -> Rows:
    """The non-empty rows of the first sheet with their row numbers, values typed: numbers,
    dates and text as the spreadsheet holds them."""
    suffix = Path(filename).suffix.lower()
    if suffix not in SUFFIXES:
        raise InvalidInputError(
            _("{file} is not a spreadsheet; import an .xlsx, .ods or .csv file.").format(
                file=filename
            )
        )
    rows = _csv_rows(data, filename) if suffix == ".csv" else _sheet_rows(data, filename)
    numbered = []
    for number, cells in enumerate(rows, start=1):
        values = [_cell(value) for value in cells]
        if any(value not in (None, "") for value in values):
            numbered.append((number, values))
        if len(numbered) > MAX_ROWS + 1:
            break
    return numbered


def _sheet_rows(data: bytes, filename: str) -> list[list[Any]]:
    from python_calamine import CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheet = workbook.get_sheet_by_index(0)
        rows: list[list[Any]] = sheet.to_python(skip_empty_area=False)
    except Exception as exc:  # calamine raises its own errors and ValueError for broken files
        raise InvalidInputError(
            _("{file} cannot be read as a spreadsheet: {reason}").format(file=filename, reason=exc)
        ) from exc
    return rows


def _csv_rows(data: bytes, filename: str) -> list[list[Any]]:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - cp1252 decodes almost anything
        raise InvalidInputError(_("{file} is not a text file.").format(file=filename))
    sample = text[:4096]
    try:
        dialect: Any = csv.Sniffer().sniff(sample, delimiters=";,\t")
    except csv.Error:
        dialect = csv.excel
        dialect.delimiter = ";" if sample.count(";") >= sample.count(",") else ","
    return list(csv.reader(io.StringIO(text), dialect))


def _cell(value: Any) -> Any:
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dt.datetime):
        return value.date() if value.time() == dt.time() else value
    return value


# --- rows into records ---------------------------------------------------------------------------


def _columns(folder: str, headers: list[Any], mapping: Mapping[str, str]) -> dict[str, str | None]:
    chosen = {fold(str(k)): v for k, v in mapping.items()}
    columns: dict[str, str | None] = {}
    for header in headers:
        name = str(header if header is not None else "")
        if not name:
            continue
        target = chosen.get(fold(name))
        if target is not None:
            columns[name] = target or None
        else:
            columns[name] = recognise(folder, name)
    return columns


def _row(
    root: Path,
    folder: str,
    number: int,
    headers: list[Any],
    cells: list[Any],
    columns: dict[str, str | None],
    taken: set[str],
    known: dict[tuple[str, int], list[str]],
    allow_duplicates: bool,
) -> ImportRow:
    values: dict[str, Any] = {}
    # Every mapped column, filled or not: a required field left empty is that column's problem.
    column_of: dict[str, str] = {target: header for header, target in columns.items() if target}
    for index, header in enumerate(headers):
        target = columns.get(str(header if header is not None else ""))
        if target is None or index >= len(cells):
            continue
        value = cells[index]
        if value in (None, ""):
            continue
        if isinstance(value, dt.date):
            value = value.isoformat()
        elif target in _DATE_FIELDS and isinstance(value, str) and _DUTCH_DATE.match(value):
            day, month, year = _DUTCH_DATE.match(value).groups()  # type: ignore[union-attr]
            # Left as typed when it is no date (31-02-2026): the check then names the field.
            value = f"{year}-{int(month):02d}-{int(day):02d}"
        elif target == "contact.phone" and isinstance(value, int):
            # Excel keeps 0612345678 as the number 612345678: the leading zero is the phone's.
            value = f"0{value}" if len(str(value)) == 9 else str(value)
        elif target in _TEXT_FIELDS and not isinstance(value, str):
            value = str(value)
        values[target] = value
    name = str(values.get(_NAME_FIELD[folder], "")).strip()
    record_id = unique_id(name or f"rij-{number}", taken)
    taken.add(record_id)
    row = ImportRow(number, record_id, values)
    text, errors = prepare_record(root, folder, record_id, values)
    row.text = text
    row.problems.extend(_located(number, column_of, errors))
    if folder == "people" and name:
        year = values.get("birth_year")
        if isinstance(year, str) and year.strip().isdigit():
            year = int(year)
        key = (fold(name), year) if isinstance(year, int) else None
        if key is not None:
            row.duplicates = list(known.get(key, []))
            known.setdefault(key, []).append(record_id)
        if row.duplicates and not allow_duplicates:
            row.problems.append(
                ImportProblem(
                    number,
                    column_of.get("name"),
                    "name",
                    _(
                        "Possibly already in the casebook: {ids} has the same name and birth "
                        "year. Leave this row out, or import duplicates on purpose."
                    ).format(ids=", ".join(row.duplicates)),
                )
            )
    return row


def _located(
    number: int, column_of: dict[str, str], errors: list[FieldError]
) -> list[ImportProblem]:
    problems = []
    for error in errors:
        # "wishes.districts[2]" is filled from the column of "wishes.districts".
        base = re.sub(r"\[\d+\]", "", error.field)
        column = column_of.get(base)
        while column is None and "." in base:
            base = base.rsplit(".", 1)[0]
            column = next((c for f, c in column_of.items() if f.startswith(base + ".")), None)
        problems.append(ImportProblem(number, column, error.field or None, error.message))
    return problems


def unique_id(name: str, taken: set[str]) -> str:
    """An id made from ``name`` (``Fatima El Amrani`` → ``fatima-el-amrani``), not in ``taken``."""
    base = _NOT_ID.sub("-", fold(name)).strip("-")[:60].strip("-") or "record"
    if not ID_PATTERN.match(base):
        base = "record"
    candidate, number = base, 2
    while candidate in taken:
        candidate = f"{base}-{number}"
        number += 1
    return candidate


def _existing_ids(folder: Path) -> set[str]:
    if not folder.is_dir():
        return set()
    return {path.stem for path in folder.iterdir() if path.suffix.lower() in (".yaml", ".yml")}


def _people_by_name_and_year(root: Path) -> dict[tuple[str, int], list[str]]:
    found: dict[tuple[str, int], list[str]] = {}
    folder = root / "people"
    if not folder.is_dir():
        return found
    for path in sorted(folder.glob("*.yaml")):
        try:
            data = read_yaml(path).data
        except YamlProblem:
            continue  # check reports the file; it cannot be compared
        name, year = data.get("name"), data.get("birth_year")
        if isinstance(name, str) and isinstance(year, int):
            found.setdefault((fold(name), year), []).append(path.stem)
    return found
