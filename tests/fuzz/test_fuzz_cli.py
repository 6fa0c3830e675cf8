"""Every command meets broken casebooks and odd arguments: it succeeds or says what is wrong.

The commands are taken from ``toolkit.cli.main`` itself, so a command added later is fuzzed
without touching this file. Arguments are generated from each parameter's click type. Each
example runs in a fresh temporary folder that is also the working directory, so whatever a
command writes (``new``, ``vergeet``, ``--out``) stays there.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import tempfile
import traceback
from pathlib import Path
from typing import Any

import click
import pytest
from click.testing import CliRunner, Result
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.fuzz.strategies import damages, fuzzed_casebook
from toolkit.cli import main

#: Examples per command: enough to meet each kind of damage a few times, small enough that the
#: whole fuzz suite stays under a minute.
EXAMPLES = 50

# Text a person could type as an argument. No NUL (a command line cannot carry one), no path
# separators and no leading dot, so that nothing is written outside the example's folder.
typed_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00/\\"),
    max_size=24,
).filter(lambda t: not t.startswith("."))

IDS = ["anna-de-vries", "bert-bos", "keukenhulp", "voedselbank", "avond-1", "Anna", "niemand"]
FILES = ["out.md", "out.html", "bestaand.md", "uit/verslag.md", "uit.docx"]
PATHS = [
    "cases",
    "cases/people",
    "cases/people/anna-de-vries.yaml",
    "cases/casebook.yaml",
    "bestaat-niet",
    "out.md",
    "out.html",
    "uit/verslag.md",
    "bestaand.md",
]


def mostly(valid: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """Mostly a valid value, so that most examples get past option parsing into the command;
    now and then anything a person could type."""
    return st.integers(0, 9).flatmap(lambda n: typed_text if n == 0 else valid)


def value_for(param: click.Parameter, root: Path) -> st.SearchStrategy[str]:
    kind = param.type
    if isinstance(kind, click.Choice):
        return mostly(st.sampled_from([str(c) for c in kind.choices]))
    if isinstance(kind, click.DateTime):
        return mostly(
            st.one_of(
                st.dates(dt.date(1990, 1, 1), dt.date(2035, 12, 31)).map(dt.date.isoformat),
                st.sampled_from(["0001-01-01", "9999-12-31", "2024-02-30", "gisteren"]),
            )
        )
    if isinstance(kind, click.Path):
        # A folder parameter mostly gets the casebook, a file parameter mostly an output file;
        # both sometimes get any of the other paths.
        likely = [str(root)] if not kind.file_okay else FILES if not kind.dir_okay else PATHS
        return mostly(
            st.one_of(st.sampled_from(likely), st.sampled_from(likely), st.sampled_from(PATHS))
        )
    if isinstance(kind, (click.types.IntParamType, click.types.FloatParamType)):
        return mostly(st.integers(-(10**30), 10**30).map(str))
    return mostly(st.sampled_from(IDS))


@st.composite
def arguments_for(draw: Any, command: click.Command, root: Path) -> list[str]:
    """A command line for ``command``: its arguments in order, some of its options, noise."""
    args: list[str] = []
    for param in command.params:
        if isinstance(param, click.Argument):
            if param.required or draw(st.booleans()):
                args.extend(draw(value_for(param, root)) for _ in range(max(param.nargs, 1)))
            else:
                break  # an optional positional left out ends the positionals
    for param in command.params:
        if not isinstance(param, click.Option) or not (param.required or draw(st.booleans())):
            continue
        name = max(param.opts, key=len)
        if param.is_flag:
            args.append(name)
        else:
            args.extend([name, draw(value_for(param, root))])
    if draw(st.integers(0, 9)) == 0:
        args.insert(draw(st.integers(0, len(args))), draw(st.sampled_from(["--help", "--x", "-"])))
    return args


def assert_handled(result: Result, args: list[str]) -> None:
    """Success, or the project's own message with exit code 1 (2 for a usage error)."""
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        trace = "".join(traceback.format_exception(result.exception))
        pytest.fail(f"burgerbaan {args!r} crashed:\n{trace}\n{result.output}")
    assert "Traceback" not in result.output, (args, result.output)
    assert result.exit_code in (0, 1, 2), (args, result.exit_code, result.output)
    if result.exit_code:
        assert result.output.strip(), (args, "an error without a message")


@pytest.mark.parametrize("name", main.list_commands(click.Context(main)))
def test_command_handles_hostile_input(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    command = main.get_command(click.Context(main), name)
    assert command is not None
    if name == "web":
        # Everything up to serving is fuzzed (the casebook, the host, the port); the server
        # itself would run until stopped, so here it stops at once as after Ctrl-C.
        def stopped(*args: Any, **kwargs: Any) -> None:
            raise KeyboardInterrupt

        monkeypatch.setattr("waitress.serve", stopped)
        monkeypatch.setattr("webbrowser.open", lambda *args, **kwargs: True)

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
        database=None,
    )
    @given(data=st.data(), damage=st.one_of(st.none(), st.none(), damages))
    def run(data: st.DataObject, damage: Any) -> None:
        with tempfile.TemporaryDirectory() as folder:
            here = Path(folder)
            root = fuzzed_casebook(here / "cases", damage)
            (here / "bestaand.md").write_text("al aanwezig\n")
            args = [name, *data.draw(arguments_for(command, root), label="args")]
            answer = data.draw(st.sampled_from([None, "", "j\n", "n\n", "ja\n"]), label="input")
            with contextlib.chdir(here):
                result = CliRunner().invoke(main, args, input=answer, catch_exceptions=True)
            assert_handled(result, args)
            assert (here / "bestaand.md").read_text() == "al aanwezig\n" or "--force" in args

    run()


@pytest.mark.parametrize(
    "args",
    [
        ["--help"],
        ["--version"],
        ["bestaat-niet"],
        ["--lang", "fr", "check"],
        ["check", "--lang", "en", "bestaat-niet"],
        [],
    ],
)
def test_group_level_input(args: list[str], tmp_path: Path) -> None:
    with contextlib.chdir(tmp_path):
        result = CliRunner().invoke(main, args, catch_exceptions=True)
    assert_handled(result, args)
