"""The monthly payment list as an Excel workbook for the fiscal host (Dutch headers).

Internal: it names the people to be paid. Amounts are numbers in a euro format, the header row
stays in view, and no cell can start a formula (text that would is prefixed with ``'``).
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.writer.excel import ExcelWriter

from toolkit.casebook.payments import PaymentListView
from toolkit.i18n import _
from toolkit.reports.word import stable_zip

#: Characters that make a spreadsheet read a cell as a formula (or a DDE command).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
EURO_FORMAT = '"€" #,##0.00'


def safe_cell(value: Any) -> Any:
    """Text that cannot start a formula: a leading ``'`` before ``=``, ``+``, ``-``, ``@``."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def payment_list_xlsx(view: PaymentListView) -> bytes:
    """The list as an Excel workbook: one sheet of lines, one of totals per funder."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = _("Payment list")
    headers = [
        _("Month"),
        _("Name"),
        _("Place"),
        _("Organisation"),
        _("Hours"),
        _("Amount"),
        _("Funder"),
    ]
    sheet.append(headers)
    for row in view.rows:
        sheet.append(
            [
                safe_cell(value)
                for value in (
                    row.month,
                    row.name,
                    row.opportunity,
                    row.organisation,
                    row.hours,
                    row.amount,
                    row.funder,
                )
            ]
        )
    sheet.append([_("Total"), "", "", "", view.hours, view.total, ""])
    for cells in sheet.iter_rows(min_row=2, min_col=6, max_col=6):
        for cell in cells:
            cell.number_format = EURO_FORMAT
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    widths = [10, 28, 34, 30, 8, 12, 30]
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width

    totals = workbook.create_sheet(_("Per funder"))
    totals.append([_("Funder"), _("Amount")])
    for name, amount in view.totals_by_funder():
        totals.append([safe_cell(name), amount])
    totals.append([_("Total"), view.total])
    for cells in totals.iter_rows(min_row=2, min_col=2, max_col=2):
        for cell in cells:
            cell.number_format = EURO_FORMAT
    for cell in totals[1]:
        cell.font = Font(bold=True)
    totals.freeze_panes = "A2"
    totals.column_dimensions["A"].width = 36
    totals.column_dimensions["B"].width = 14

    info = workbook.create_sheet(_("About"))
    number = str(view.number) if view.number is not None else _("draft")
    for label, value in (
        (_("Payment list"), number),
        (_("Month"), view.month),
        (_("Made on"), view.made_on.isoformat()),
        (_("Made by"), view.made_by),
    ):
        info.append([label, safe_cell(value)])
    info.column_dimensions["A"].width = 18
    info.column_dimensions["B"].width = 30
    # A fixed creation time, so the same list gives the same file.
    workbook.properties.created = dt.datetime.combine(view.made_on, dt.time())
    workbook.properties.modified = workbook.properties.created
    buffer = io.BytesIO()
    # Not workbook.save(): it stamps the time of saving as "modified", so the same list would
    # give other bytes on every download.
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(workbook, archive).save()
    return stable_zip(buffer.getvalue())
