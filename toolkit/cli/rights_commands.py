"""People's rights: access to everything the casebook holds about a person (inzage), and
erasure (vergeet)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import click

from toolkit.casebook.erasure import ERASURE_LOG
from toolkit.casebook.rights import (
    ErasurePlan,
    apply_erasure,
    check_allowed,
    plan_erasure,
    plan_lines,
    snapshot,
)
from toolkit.cli.base import TranslatedCommand
from toolkit.cli.options import (
    casebook_argument,
    date_option,
    lang_option,
    open_casebook,
    reference_day,
    refuse_inside_casebook,
)
from toolkit.cli.outputs import choose_format
from toolkit.files import write_atomic
from toolkit.i18n import _
from toolkit.reports.documents import ACCESS_FORMATS, AccessRequest, access_document


def render_plan(plan: ErasurePlan) -> str:
    """The plan as the coordinator sees it before confirming."""
    person = plan.person
    about = [person.name] if person.name else []
    if person.status:
        about.append(_("status {status}").format(status=person.status))
    lines = [_("Erase: {id}").format(id=plan.person_id)]
    if about:
        lines[0] += f" ({', '.join(about)})"
    if plan.erased_before is not None:
        lines.append(
            _("This id was erased before, on {date}; what has come back is removed now.").format(
                date=plan.erased_before.isoformat()
            )
        )
    lines.append(_("What changes:"))
    lines.extend(f"  - {line}" for line in plan_lines(plan))
    lines.append(
        _(
            "Then {log} gets one line: the date, a salted hash of the id and the counts (no name)."
        ).format(log=ERASURE_LOG)
    )
    if plan.notes:
        lines.append(_("Note:"))
        lines.extend(f"  - {note}" for note in plan.notes)
    return "\n".join(lines)


#: Answers that mean yes, in both languages (click.confirm knows only y and yes).
YES_ANSWERS = {"j", "ja", "y", "yes"}


def confirm(question: str) -> bool:
    """Ask a yes/no question in the active language; anything but yes is no."""
    choices = _("y/N")
    answer = click.prompt(
        f"{question} [{choices}]", default="", show_default=False, prompt_suffix=" "
    )
    return str(answer).strip().lower() in YES_ANSWERS


@click.command(cls=TranslatedCommand)
@click.argument("person_id", metavar="PERSON")
@casebook_argument
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@click.option(
    "--force",
    is_flag=True,
    help="Also erase a person whose placement is still running (status actief).",
)
@lang_option
def vergeet(person_id: str, casebook: Path, yes: bool, force: bool) -> None:
    """Erase a person: their file, their hours and every reference to them.

    Shows what will change and asks for confirmation first. A person with status actief is
    only erased with --force. The erasure is recorded in erasure-log.yaml without personal
    data, so that 'check' notices when the person comes back.
    """
    plan = plan_erasure(snapshot(casebook), person_id)
    check_allowed(plan, force=force)
    click.echo(render_plan(plan))
    if not yes and not confirm(_("Erase this person now?")):
        click.echo(_("Nothing was changed."))
        return
    log = apply_erasure(plan, force=force, today=date.today())
    click.echo(
        _("Erased. Files removed: {removed}; files edited: {edited}; recorded in {log}.").format(
            removed=len(plan.of("delete")), edited=len(plan.of("edit")), log=log
        )
    )
    manual = plan.of("manual")
    if manual:
        click.echo(_("Still to do by hand:"))
        for change in manual:
            click.echo(f"  - {change.path}: {change.reason}")


@click.command(cls=TranslatedCommand)
@click.argument("person_id", metavar="PERSON")
@casebook_argument
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="The file to write. It is a personal document: keep it out of shared folders.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(ACCESS_FORMATS),
    default=None,
    help="md, html or docx (Word); default: the extension of --out (.html, .docx), else md.",
)
@click.option("--force", is_flag=True, help="Replace --out if it exists.")
@date_option
@lang_option
def inzage(
    person_id: str, casebook: Path, out: Path, fmt: str | None, force: bool, today: Any
) -> None:
    """Write everything the casebook holds about one person, for a request for access.

    Their file in full, their placement, the sessions that discussed them, their hours, the
    coordinator's alerts about them and every other mention. The document holds personal and
    special-category data and is marked so: give it only to the person it is about.
    """
    refuse_inside_casebook(out, casebook)
    fmt = choose_format(out, fmt, ACCESS_FORMATS, default="md")
    request = AccessRequest(person=person_id, format=fmt, day=reference_day(today))
    document = access_document(open_casebook(casebook), request)
    write_atomic(out, document.data, overwrite=force, private=document.private)
    click.echo(
        _(
            "Written: {path}. This is a personal document: give it only to the person it is "
            "about, and do not keep copies."
        ).format(path=out)
    )
