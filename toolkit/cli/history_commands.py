"""What has changed in the casebook: the change history, per record or for the whole casebook."""

from __future__ import annotations

from pathlib import Path

import click
from tabulate import tabulate

from toolkit.casebook.history import read_history
from toolkit.cli.base import TranslatedCommand
from toolkit.cli.options import casebook_argument, lang_option
from toolkit.errors import NotFoundError
from toolkit.i18n import _


@click.command(name="wijzigingen", cls=TranslatedCommand)
@casebook_argument
@click.option("--id", "record_id", default=None, help="Only the changes of this record.")
@click.option("--last", type=click.IntRange(min=1), default=50, help="How many (default 50).")
@lang_option
def changes_command(casebook: Path, record_id: str | None, last: int) -> None:
    """What has changed: who changed which record when, and which fields (never the values).

    Lists the saves of the web app, imports and new records, newest first.
    """
    if not casebook.is_dir():
        raise NotFoundError(_("The casebook folder {path} does not exist.").format(path=casebook))
    changes = read_history(casebook, record_id=record_id)[-last:]
    if not changes:
        click.echo(_("No changes recorded."))
        return
    actions = {"created": _("created"), "changed": _("changed"), "imported": _("imported")}
    rows = [
        (
            change.when.astimezone().strftime("%Y-%m-%d %H:%M"),
            change.actor,
            f"{change.folder}/{change.record_id}",
            actions.get(change.action, change.action),
            ", ".join(change.fields),
        )
        for change in reversed(changes)
    ]
    headers = [_("when"), _("by"), _("record"), _("what"), _("fields")]
    click.echo(tabulate(rows, headers=headers, tablefmt="simple"))
