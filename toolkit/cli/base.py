"""Command classes: help in the active language, and the toolkit's errors as plain messages."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import click

from toolkit.errors import ToolkitError
from toolkit.i18n import gettext


class TranslatedHelp(click.Command):
    """Help shown in the active language: the source text is English, Dutch comes from gettext."""

    def format_help_text(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        with _translated_help(self, ctx):
            super().format_help_text(ctx, formatter)

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        with _translated_help(self, ctx):
            super().format_options(ctx, formatter)

    def get_short_help_str(self, limit: int = 45) -> str:
        original = self.help
        try:
            self.help = gettext(original) if original else original
            return super().get_short_help_str(limit)
        finally:
            self.help = original


@contextmanager
def _translated_help(command: click.Command, ctx: click.Context) -> Iterator[None]:
    originals: list[tuple[Any, str | None]] = [(command, command.help)]
    originals.extend((p, getattr(p, "help", None)) for p in command.get_params(ctx))
    try:
        for owner, text in originals:
            if text:
                owner.help = gettext(text)
        yield
    finally:
        for owner, text in originals:
            owner.help = text


class TranslatedCommand(TranslatedHelp):
    """Every command of the toolkit is of this class."""


class ToolkitGroup(TranslatedHelp, click.Group):
    """Turns the toolkit's own errors into a plain message and exit code 1, never a traceback."""

    command_class = TranslatedCommand

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except ToolkitError as exc:
            raise click.ClickException(str(exc)) from exc
