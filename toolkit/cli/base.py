"""Command classes: help in the active language, and the toolkit's errors as plain messages."""

from __future__ import annotations

import importlib
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

import click

from toolkit.cli.hints import with_hint
from toolkit.cli.process import started_from_command_line
from toolkit.errors import ToolkitError
from toolkit.i18n import LANGUAGES, gettext, set_language, use_language


class TranslatedHelp(click.Command):
    """Help shown in the active language: the source text is English, Dutch comes from gettext."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        # ``--help`` is acted on while the arguments are parsed, possibly before ``--lang``
        # is; look for the language first so that help appears in the language asked for.
        language = _language_in(args)
        if language is not None:
            set_language(language)
            ctx.find_root().meta["burgerbaan.lang"] = language
        return super().parse_args(ctx, args)

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


def _language_in(args: list[str]) -> str | None:
    for index, arg in enumerate(args):
        if arg == "--":
            return None
        if arg == "--lang" and index + 1 < len(args) and args[index + 1] in LANGUAGES:
            return args[index + 1]
        if arg.startswith("--lang=") and arg.split("=", 1)[1] in LANGUAGES:
            return arg.split("=", 1)[1]
    return None


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

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except ToolkitError as exc:
            # Here the command is known: add how to fix the error with its own options.
            raise click.ClickException(with_hint(exc, self)) from exc


class ToolkitGroup(TranslatedHelp, click.Group):
    """Turns the toolkit's own errors into a plain message and exit code 1, never a traceback.

    ``lazy_commands`` maps a command name to ``("module:attribute", short help)``: the module
    is imported only when the command is run or its own help shown, and the group's help
    lists the short help without importing anything.
    """

    command_class = TranslatedCommand

    def __init__(
        self,
        *args: Any,
        lazy_commands: Mapping[str, tuple[str, str]] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.lazy_commands: Mapping[str, tuple[str, str]] = lazy_commands or {}

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*self.commands, *self.lazy_commands})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        command = self.commands.get(cmd_name)
        if command is None and cmd_name in self.lazy_commands:
            module_name, _, attribute = self.lazy_commands[cmd_name][0].partition(":")
            command = getattr(importlib.import_module(module_name), attribute)
            if not isinstance(command, click.Command):
                raise TypeError(f"{module_name}:{attribute} is not a click command")
            if type(command) is click.Command:
                # A command defined outside toolkit/cli (which it may not import) still gets
                # its help in the active language.
                command.__class__ = TranslatedCommand
            self.add_command(command, cmd_name)
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = []
        limit = formatter.width - 6 - max((len(n) for n in self.list_commands(ctx)), default=0)
        for name in self.list_commands(ctx):
            if name in self.commands:
                command = self.commands[name]
                if command.hidden:
                    continue
                short = command.get_short_help_str(limit)
            else:
                # Shortened as click shortens a command's own help, without importing it.
                text = gettext(self.lazy_commands[name][1])
                short = click.Command(name, help=text).get_short_help_str(limit)
            rows.append((name, short))
        if rows:
            # The heading is click's own text, translated as click's texts are.
            with formatter.section(gettext("Commands")):
                formatter.write_dl(rows)

    def main(self, *args: Any, **kwargs: Any) -> Any:
        # Each invocation starts from the default (or BURGERBAAN_LANG), whatever language an
        # earlier invocation in the same process chose, and leaves the caller's language as it
        # found it: ``--lang`` belongs to one invocation only.
        if (args[0] if args else kwargs.get("args")) is None:
            # The arguments come from sys.argv: this process is the command's own.
            started_from_command_line()
        with use_language(None):
            return super().main(*args, **kwargs)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except ToolkitError as exc:
            raise click.ClickException(str(exc)) from exc
