"""The monthly payment list for the cooperative's fiscal host: who gets how much, from whom.

A list takes every *approved* hours statement (:mod:`toolkit.casebook.statements`) of its month or
earlier that no kept list holds yet, says per line which funder pays (the sponsor of the placement
that month, else the cooperative) and totals per funder. Each list is numbered and kept in the
casebook (``payments/betaallijst-0001.yaml``, …), written under the casebook lock; a statement on a
kept list is never listed again, so nothing is paid twice.

:class:`PaymentListView` is what a page or a spreadsheet shows;
:func:`toolkit.reports.payment_list.payment_list_xlsx` makes the Excel file for the fiscal
host. Both carry names: the list is internal.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import Field, ValidationError

from toolkit.casebook.casebook import Casebook
from toolkit.casebook.hours import Month, place_of
from toolkit.casebook.messages import problems_from
from toolkit.casebook.records import Model, RecordId
from toolkit.casebook.statements import parse_month, placement_in
from toolkit.casebook.yamlfile import YamlProblem, read_yaml
from toolkit.casebook.year_edits import Edit, apply_edits, locked_casebook, new_text
from toolkit.errors import CasebookError, ConflictError, InvalidInputError, NotFoundError, Problem
from toolkit.i18n import _

PAYMENTS_FOLDER = "payments"
_FILE_NAME = re.compile(r"^betaallijst-(\d{4,})\.yaml$")


class PaymentLine(Model):
    #: A person id; after ``vergeet`` the erased person's id is replaced by a marker, while the
    #: amount stays (what was paid is kept for the books).
    person: str = Field(min_length=1)
    opportunity: RecordId
    month: Month
    hours: float = Field(ge=0)
    amount: float = Field(ge=0)
    #: The sponsor who funds this month of the placement; absent: the cooperative itself.
    funder: RecordId | None = None


class PaymentListFile(Model):
    number: int = Field(ge=1)
    month: Month
    made_on: dt.date
    made_by: str = Field(min_length=1)
    lines: list[PaymentLine] = Field(default_factory=list)


def payment_list_path(root: Path, number: int) -> Path:
    return Path(root) / PAYMENTS_FOLDER / f"betaallijst-{number:04d}.yaml"


def read_payment_lists(root: Path | str) -> list[PaymentListFile]:
    """Every kept list, by number; :class:`CasebookError` if one cannot be read."""
    folder = Path(root) / PAYMENTS_FOLDER
    if not folder.is_dir():
        return []
    problems: list[Problem] = []
    found: list[PaymentListFile] = []
    for path in sorted(folder.iterdir()):
        if path.name.startswith("."):
            continue
        match = _FILE_NAME.match(path.name)
        if match is None:
            problems.append(
                Problem(
                    file=path,
                    message=_(
                        "Only payment lists (betaallijst-0001.yaml, ...) belong in this folder."
                    ),
                )
            )
            continue
        try:
            document = read_yaml(path)
            kept = PaymentListFile.model_validate(dict(document.data))
        except YamlProblem as exc:
            problems.append(exc.problem)
            continue
        except ValidationError as exc:
            problems.extend(problems_from(exc, PaymentListFile, document))
            continue
        if kept.number != int(match.group(1)):
            problems.append(
                Problem(
                    file=path,
                    field="number",
                    message=_(
                        "The number {number} differs from the number in the file name."
                    ).format(number=kept.number),
                )
            )
            continue
        found.append(kept)
    if problems:
        raise CasebookError(problems, heading=_("The kept payment lists cannot be read:"))
    return sorted(found, key=lambda kept: kept.number)


def payment_problems(casebook: Casebook) -> list[Problem]:
    """Problems in the kept payment lists (for ``check``); none without a payments folder."""
    try:
        read_payment_lists(casebook.root)
    except CasebookError as exc:
        return exc.problems
    return []


def paid_keys(kept: list[PaymentListFile]) -> dict[tuple[str, str, str], int]:
    """(person, month, opportunity) of every line on a kept list, with the list's number."""
    return {
        (line.person, line.month, line.opportunity): payment.number
        for payment in kept
        for line in payment.lines
    }


@dataclass(frozen=True)
class PaymentRow:
    person_id: str
    name: str
    opportunity_id: str
    opportunity: str
    organisation: str
    month: str
    hours: float
    amount: float
    funder_id: str | None
    funder: str


@dataclass(frozen=True)
class PaymentListView:
    """A payment list as a page or a spreadsheet shows it (``number`` None: not yet kept)."""

    number: int | None
    month: str
    made_on: dt.date
    made_by: str
    rows: tuple[PaymentRow, ...]

    @property
    def total(self) -> float:
        return round(sum(row.amount for row in self.rows), 2)

    @property
    def hours(self) -> float:
        return round(sum(row.hours for row in self.rows), 2)

    def totals_by_funder(self) -> list[tuple[str, float]]:
        """(funder, amount), sponsors by name, the cooperative last."""
        totals: dict[tuple[bool, str], float] = defaultdict(float)
        for row in self.rows:
            totals[(row.funder_id is None, row.funder)] += row.amount
        return [(name, round(amount, 2)) for (_own, name), amount in sorted(totals.items())]


def cooperative_label() -> str:
    return _("the cooperative (own funds)")


def _row(casebook: Casebook, line: PaymentLine) -> PaymentRow:
    person = casebook.people.get(line.person)
    opportunity = casebook.opportunities.get(line.opportunity)
    organisation = casebook.organisations.get(opportunity.organisation) if opportunity else None
    sponsor = casebook.sponsors.get(line.funder) if line.funder else None
    return PaymentRow(
        person_id=line.person,
        name=person.name if person else line.person,
        opportunity_id=line.opportunity,
        opportunity=opportunity.title if opportunity else line.opportunity,
        organisation=organisation.name if organisation else "",
        month=line.month,
        hours=line.hours,
        amount=line.amount,
        funder_id=line.funder,
        funder=sponsor.name if sponsor else (line.funder or cooperative_label()),
    )


def due_lines(casebook: Casebook, month: str) -> list[PaymentLine]:
    """Approved statements of ``month`` or earlier that no kept list holds, by person and month."""
    paid = paid_keys(read_payment_lists(casebook.root))
    lines = []
    for person_id in sorted(casebook.hours):
        person = casebook.people.get(person_id)
        if person is None:
            continue
        for statement in casebook.hours[person_id].statements:
            if statement.state != "goedgekeurd" or statement.month > month:
                continue
            place = place_of(statement, person)
            if place is None or (person_id, statement.month, place) in paid:
                continue
            placement = placement_in(person, statement.month, place)
            lines.append(
                PaymentLine(
                    person=person_id,
                    opportunity=place,
                    month=statement.month,
                    hours=statement.hours,
                    amount=statement.allowance_paid,
                    funder=placement.sponsor if placement else None,
                )
            )
    return sorted(lines, key=lambda line: (line.month, line.person, line.opportunity))


def draft_payment_list(casebook: Casebook, month: str, *, by: str, day: dt.date) -> PaymentListView:
    """The list that :func:`make_payment_list` would keep now (nothing is written)."""
    month = parse_month(month)
    lines = due_lines(casebook, month)
    return PaymentListView(
        number=None,
        month=month,
        made_on=day,
        made_by=by,
        rows=tuple(_row(casebook, line) for line in lines),
    )


def view_of(casebook: Casebook, kept: PaymentListFile) -> PaymentListView:
    return PaymentListView(
        number=kept.number,
        month=kept.month,
        made_on=kept.made_on,
        made_by=kept.made_by,
        rows=tuple(_row(casebook, line) for line in kept.lines),
    )


def kept_payment_list(casebook: Casebook, number: int) -> PaymentListView:
    """A kept list, to show or export again (it is never made a second time)."""
    for kept in read_payment_lists(casebook.root):
        if kept.number == number:
            return view_of(casebook, kept)
    raise NotFoundError(_("There is no payment list number {number}.").format(number=number))


def _plain(value: float) -> float | int:
    return int(value) if float(value).is_integer() else round(value, 2)


def make_payment_list(root: Path | str, month: str, *, by: str, day: dt.date) -> PaymentListView:
    """Number and keep the list of what is due up to ``month``; refused when nothing is due."""
    month = parse_month(month)
    if not by.strip():
        raise InvalidInputError(_("Say who makes the payment list."))
    with locked_casebook(root) as casebook:
        kept = read_payment_lists(casebook.root)
        lines = due_lines(casebook, month)
        if not lines:
            on_lists = sorted({k.number for k in kept for line in k.lines if line.month == month})
            if on_lists:
                raise ConflictError(
                    _(
                        "Nothing new to pay up to {month}: its approved statements are on "
                        "payment list {numbers} already."
                    ).format(month=month, numbers=", ".join(str(n) for n in on_lists))
                )
            raise ConflictError(
                _("There are no approved statements to pay up to {month}.").format(month=month)
            )
        number = max((k.number for k in kept), default=0) + 1
        data: dict[str, Any] = {
            "number": number,
            "month": month,
            "made_on": day,
            "made_by": by.strip(),
            "lines": [
                {
                    key: _plain(value) if isinstance(value, float) else value
                    for key, value in line.model_dump().items()
                    if value is not None
                }
                for line in lines
            ],
        }
        header = _(
            "Payment list {number} for the fiscal host, made with burgerbaan betaallijst.\n"
            "Never edit or remove: a statement on a kept list is never paid again. Internal."
        ).format(number=number)
        path = payment_list_path(casebook.root, number)
        edit = Edit(path, new_text(data, header), private=True, fields=("lines",))
        apply_edits(casebook.root, [edit], actor=by)
        return view_of(casebook, read_payment_lists(casebook.root)[-1])
