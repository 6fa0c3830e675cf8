"""The ``burgerbaan`` command: thin commands over the importable toolkit.

Each command parses its options, calls a library function and prints the result. Library code
raises :class:`~toolkit.errors.ToolkitError`; only here does it become a message and exit code.
"""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path

import click

from toolkit import __version__
from toolkit.cli.base import ToolkitGroup
from toolkit.cli.clicktext import route_click_messages
from toolkit.cli.options import lang_option


@click.group(cls=ToolkitGroup)
@click.version_option(__version__, prog_name="burgerbaan")
@lang_option
def main() -> None:
    """Case files, matching and reports for the pilot Almeerse Burgerbaan.

    Every command reads a casebook: a folder of YAML case files (default: ./cases).
    Messages and reports are in Dutch; add --lang en for English.
    """


#: Commands that live outside toolkit/cli, by name: "module:attribute", imported when used.
LAZY_COMMANDS = {
    "web": "toolkit.web.command:web",
}


def _register() -> None:
    """Add the commands of every ``toolkit/cli/*_commands.py`` module (its ``COMMANDS`` list)."""
    package = Path(__file__).resolve().parent
    for module_info in sorted(pkgutil.iter_modules([str(package)]), key=lambda m: m.name):
        if module_info.name.endswith("_commands"):
            module = importlib.import_module(f"{__name__}.{module_info.name}")
            for command in module.COMMANDS:
                main.add_command(command)
    main.lazy_commands.update(LAZY_COMMANDS)


route_click_messages()
_register()
