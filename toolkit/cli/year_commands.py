"""The coordinator's year as commands: status, placement, hours, payment list, sponsor statement.

Thin: each command parses its input, calls one library function and prints what it says.
"""

from __future__ import annotations

import getpass
from pathlib import Path
from typing import Any

import click
from tabulate import tabulate

from toolkit.casebook.path import set_status, status_label
from toolkit.casebook.payments import (
    PaymentListView,
    draft_payment_list,
    kept_payment_list,
    make_payment_list,
)
from toolkit.casebook.placements import decline, place, renew, renewals_due
from toolkit.casebook.records import STATUSES, STOP_REASONS
from toolkit.casebook.statements import StatementCheck, approve_statement, record_statement
from toolkit.cli.base import TranslatedCommand
from toolkit.cli.options import (
    DayType,
    DutchNumber,
    casebook_argument,
    date_option,
    emit,
    lang_option,
    open_casebook,
    output_file_options,
    reference_day,
)
from toolkit.formatting import money
from toolkit.i18n import _
from toolkit.reports.documents import SponsorStatementRequest, make_document, render_document
from toolkit.reports.payment_list import payment_list_xlsx

#: How far ahead ``verlengingen`` looks for agreements that end, in days.
RENEWAL_WINDOW = 60


def _by_option(func: Any) -> Any:
    return click.option(
        "--door",
        "by",
        default=None,
        envvar="BURGERBAAN_DOOR",
        metavar="NAAM",
        help="Who records this (default: your user name, or BURGERBAAN_DOOR).",
    )(func)


def _who(by: str | None) -> str:
    return by if by else getpass.getuser()


#: Amounts and hours as a Dutch coordinator types them (``230,50``, ``€ 1.234,56``, ``12,5``).
AMOUNT = DutchNumber("amount")
HOURS = DutchNumber("hours")


@click.command(name="status", cls=TranslatedCommand)
@click.argument("person")
@click.argument("status", type=click.Choice(STATUSES))
@casebook_argument
@click.option(
    "--reden",
    "reason",
    type=click.Choice(STOP_REASONS),
    default=None,
    help="Why the person stops (only with gestopt).",
)
@click.option("--toelichting", "note", default="", help="Free text about this step.")
@_by_option
@date_option
@lang_option
def status_command(
    person: str,
    status: str,
    casebook: Path,
    reason: str | None,
    note: str,
    by: str | None,
    today: Any,
) -> None:
    """Take a step on a person's path: aanmelding, intake, kandidaat, voorgesteld, gestopt.

    A person becomes actief only with 'burgerbaan plaats'. Stopping needs --reden.
    """
    step = set_status(
        casebook, person, status, by=_who(by), day=reference_day(today), reason=reason, note=note
    )
    click.echo(
        _("{id}: status {status} from {day}.").format(
            id=person, status=status_label(status), day=step.change.date.isoformat()
        )
    )
    if step.ended_placement_on is not None:
        click.echo(
            _("The placement ends on {day}.").format(day=step.ended_placement_on.isoformat())
        )


def _day(value: Any) -> Any:
    return value.date() if value is not None else None


@click.command(name="plaats", cls=TranslatedCommand)
@click.argument("person")
@click.argument("opportunity")
@casebook_argument
@click.option(
    "--sponsor", default=None, help="The sponsor that funds it (default: the cooperative)."
)
@click.option(
    "--start",
    type=DayType(),
    default=None,
    help="First day (DD-MM-YYYY; default: today).",
)
@click.option(
    "--eind",
    "end",
    type=DayType(),
    default=None,
    help="Last day (DD-MM-YYYY; default: one year after the start).",
)
@click.option(
    "--vergoeding",
    "allowance",
    type=AMOUNT,
    default=None,
    help="Allowance per year in euros (default: the sponsor amount, within the cap).",
)
@click.option(
    "--uurtarief",
    "hourly_rate",
    type=AMOUNT,
    default=None,
    help="An hourly allowance agreed with the person, in euros.",
)
@_by_option
@date_option
@lang_option
def plaats(
    person: str,
    opportunity: str,
    casebook: Path,
    sponsor: str | None,
    start: Any,
    end: Any,
    allowance: float | None,
    hourly_rate: float | None,
    by: str | None,
    today: Any,
) -> None:
    """Record that PERSON accepted OPPORTUNITY: the placement, the slot and the budget at once.

    A person who is actief switches place: the allowance keeps running.
    """
    plan = place(
        casebook,
        person,
        opportunity,
        by=_who(by),
        day=reference_day(today),
        sponsor_id=sponsor,
        start=_day(start),
        end=_day(end),
        allowance_per_year=allowance,
        hourly_rate=hourly_rate,
    )
    placement = plan.placement
    if plan.switch and plan.previous is not None:
        click.echo(
            _("{id} switches from {old} (ends {end}) to {new}.").format(
                id=person,
                old=plan.previous.opportunity,
                end=plan.previous_end.isoformat() if plan.previous_end else "",
                new=opportunity,
            )
        )
    click.echo(
        _(
            "Placed: {id} at {opportunity} from {start} to {end}, {allowance} a year, "
            "funded by {funder}."
        ).format(
            id=person,
            opportunity=opportunity,
            start=placement.start.isoformat(),
            end=placement.end.isoformat() if placement.end else "…",
            allowance=money(placement.allowance_per_year),
            funder=placement.sponsor or _("the cooperative"),
        )
    )
    for notice in plan.notices:
        click.echo(click.wrap_text(_("Note: ") + notice, width=100))


@click.command(name="afwijzen", cls=TranslatedCommand)
@click.argument("person")
@click.argument("opportunity")
@casebook_argument
@click.option("--reden", "reason", required=True, help="Why the person declined the place.")
@_by_option
@date_option
@lang_option
def afwijzen(
    person: str, opportunity: str, casebook: Path, reason: str, by: str | None, today: Any
) -> None:
    """Record that PERSON declined OPPORTUNITY; later rounds leave the pair out."""
    declined = decline(
        casebook, person, opportunity, reason=reason, by=_who(by), day=reference_day(today)
    )
    click.echo(
        _("Declined: {id} – {opportunity} is in the exclusions.").format(
            id=person, opportunity=opportunity
        )
    )
    if declined.back_to_candidate:
        click.echo(_("{id} is kandidaat again.").format(id=person))


@click.command(name="verleng", cls=TranslatedCommand)
@click.argument("person")
@casebook_argument
@_by_option
@date_option
@lang_option
def verleng(person: str, casebook: Path, by: str | None, today: Any) -> None:
    """Renew PERSON's agreement for one more year (same place and funder)."""
    renewed = renew(casebook, person, by=_who(by), day=reference_day(today))
    click.echo(
        _("Renewed: {id} until {end}.").format(
            id=person, end=renewed.end.isoformat() if renewed.end else "…"
        )
    )


@click.command(name="verlengingen", cls=TranslatedCommand)
@casebook_argument
@click.option(
    "--venster",
    "window",
    type=click.IntRange(min=0, max=3650),
    default=RENEWAL_WINDOW,
    help="How many days ahead to look (default 60).",
)
@date_option
@lang_option
def verlengingen(casebook: Path, window: int, today: Any) -> None:
    """List the agreements that end within the window, each with its one-step renewal."""
    book = open_casebook(casebook)
    due = renewals_due(book, reference_day(today), window)
    if not due:
        click.echo(_("No agreement ends within {days} days.").format(days=window))
        return
    rows = [
        (
            a.person_id,
            a.opportunity_id,
            a.end.isoformat(),
            a.days_left,
            f"burgerbaan verleng {a.person_id}",
        )
        for a in due
    ]
    click.echo(tabulate(rows, headers=[_("person"), _("place"), _("ends"), _("days"), _("renew")]))


def _print_check(check: StatementCheck) -> None:
    click.echo(
        _(
            "{month}: {hours} hours, {amount} (month {month_total}, year so far {year_total})."
        ).format(
            month=check.month,
            hours=f"{check.hours:g}",
            amount=money(check.amount, decimals=True),
            month_total=money(check.month_total, decimals=True),
            year_total=money(check.year_total, decimals=True),
        )
    )
    labels = {"warning": _("WARNING: "), "guide": _("Guide: "), "notice": _("Note: ")}
    for finding in sorted(
        check.findings, key=lambda f: ("warning", "guide", "notice").index(f.level)
    ):
        click.echo(click.wrap_text(labels[finding.level] + finding.message, width=100))


@click.command(name="uren", cls=TranslatedCommand)
@click.argument("person")
@click.argument("month", metavar="MAAND")
@click.argument("hours", metavar="UREN", type=HOURS)
@casebook_argument
@click.option(
    "--bedrag",
    "amount",
    type=AMOUNT,
    default=None,
    help="The allowance for the month in euros (default: the agreed rate × hours, "
    "else a twelfth of the allowance per year).",
)
@click.option(
    "--plek", "opportunity", default=None, help="The place, if the person had two that month."
)
@click.option(
    "--afgetekend-door",
    "signed_off_by",
    default=None,
    help="Who signed the hours off at the organisation.",
)
@lang_option
def uren(
    person: str,
    month: str,
    hours: float,
    casebook: Path,
    amount: float | None,
    opportunity: str | None,
    signed_off_by: str | None,
) -> None:
    """Enter the hours statement of PERSON for MAAND (YYYY-MM), checked against every cap."""
    check = record_statement(
        casebook,
        person,
        month,
        hours,
        amount=amount,
        opportunity=opportunity,
        signed_off_by=signed_off_by,
    )
    click.echo(_("Entered (ingediend): {id}.").format(id=person))
    _print_check(check)


@click.command(name="uren-goedkeuren", cls=TranslatedCommand)
@click.argument("person")
@click.argument("month", metavar="MAAND")
@casebook_argument
@click.option(
    "--plek", "opportunity", default=None, help="The place, if the person had two that month."
)
@_by_option
@date_option
@lang_option
def uren_goedkeuren(
    person: str, month: str, casebook: Path, opportunity: str | None, by: str | None, today: Any
) -> None:
    """Approve the hours statement of PERSON for MAAND, so the next payment list takes it up."""
    statement = approve_statement(
        casebook, person, month, by=_who(by), day=reference_day(today), opportunity=opportunity
    )
    click.echo(
        _("Approved: {id}, {month}, {amount}.").format(
            id=person, month=statement.month, amount=money(statement.allowance_paid, decimals=True)
        )
    )


def _payment_table(view: PaymentListView) -> str:
    rows = [
        (r.month, r.name, r.opportunity, f"{r.hours:g}", money(r.amount, decimals=True), r.funder)
        for r in view.rows
    ]
    lines = [
        tabulate(
            rows, headers=[_("month"), _("name"), _("place"), _("hours"), _("amount"), _("funder")]
        )
    ]
    lines.append("")
    lines.append(
        tabulate(
            [(name, money(amount, decimals=True)) for name, amount in view.totals_by_funder()]
            + [(_("Total"), money(view.total, decimals=True))],
            headers=[_("funder"), _("amount")],
        )
    )
    return "\n".join(lines)


@click.command(name="betaallijst", cls=TranslatedCommand)
@click.argument("month", metavar="MAAND")
@casebook_argument
@output_file_options("Write the list as an Excel file (.xlsx).")
@click.option(
    "--proef", "dry_run", is_flag=True, help="Show what the list would hold; keep nothing."
)
@click.option(
    "--nummer",
    "number",
    type=click.IntRange(min=1),
    default=None,
    help="Export a kept list again instead of making a new one.",
)
@_by_option
@date_option
@lang_option
def betaallijst(
    month: str,
    casebook: Path,
    out: Path | None,
    force: bool,
    dry_run: bool,
    number: int | None,
    by: str | None,
    today: Any,
) -> None:
    """Make the payment list of MAAND for the fiscal host: approved statements not yet paid.

    The list is numbered and kept in the casebook (payments/), so nothing is paid twice.
    """
    day = reference_day(today)
    if number is not None:
        view = kept_payment_list(open_casebook(casebook), number)
    elif dry_run:
        view = draft_payment_list(open_casebook(casebook), month, by=_who(by), day=day)
    else:
        view = make_payment_list(casebook, month, by=_who(by), day=day)
        click.echo(
            _("Payment list {number} is kept in the casebook.").format(number=view.number), err=True
        )
    if out is not None:
        stem = f"betaallijst-{view.month}"
        emit(make_document(stem, "xlsx", payment_list_xlsx(view), private=True), out, force)
    else:
        click.echo(_payment_table(view))


@click.command(name="sponsorverklaring", cls=TranslatedCommand)
@click.argument("sponsor")
@casebook_argument
@click.option(
    "--jaar",
    "year",
    type=click.IntRange(2000, 2100),
    default=None,
    help="The calendar year (default: this year).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["docx", "html"]),
    required=True,
    help="docx (Word) or html.",
)
@output_file_options("The file to write.")
@date_option
@lang_option
def sponsorverklaring(
    sponsor: str,
    casebook: Path,
    year: int | None,
    fmt: str,
    out: Path | None,
    force: bool,
    today: Any,
) -> None:
    """The sponsor statement of one year, for the municipality: people by pseudonym only."""
    request = SponsorStatementRequest(sponsor, year, fmt, reference_day(today))
    emit(render_document("sponsorverklaring", open_casebook(casebook), request), out, force)
