"""Commands are registered by name and imported on first use; listing them imports none."""

from __future__ import annotations

import subprocess
import sys

import click
import pytest
from click.testing import CliRunner

from toolkit.cli import COMMANDS, main


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_table_short_help_is_the_commands_own(name: str) -> None:
    command = main.get_command(click.Context(main), name)
    assert isinstance(command, click.Command)
    assert command.name == name or name in ("list",)
    first_paragraph = " ".join((command.help or "").split("\n\n")[0].split())
    assert COMMANDS[name][1] == first_paragraph


def test_help_lists_every_command_without_importing_them() -> None:
    code = (
        "import sys; from click.testing import CliRunner; from toolkit.cli import main;"
        "r = CliRunner().invoke(main, ['--help', '--lang', 'en']); print(r.output);"
        "heavy = [m for m in ('sklearn', 'scipy', 'docx', 'matplotlib', 'networkx', 'ortools',"
        " 'toolkit.matching', 'toolkit.reports', 'toolkit.cli.match_commands')"
        " if m in sys.modules];"
        "print('HEAVY', heavy)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert "HEAVY []" in out
    for name, (_target, short) in COMMANDS.items():
        assert name in out
        assert short.split()[0] in out


def test_help_is_translated_before_any_command_is_imported() -> None:
    code = (
        "from click.testing import CliRunner; from toolkit.cli import main;"
        "print(CliRunner().invoke(main, ['--help', '--lang', 'nl']).output)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert "Controleer een casebook" in out


def test_a_command_still_runs_and_shows_its_help() -> None:
    result = CliRunner().invoke(main, ["list", "--help", "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert "List the records of one kind" in result.output
