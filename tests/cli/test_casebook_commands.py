"""The casebook commands through click's test runner, as a coordinator would call them."""

from __future__ import annotations

import shutil
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from tests.helpers import EXAMPLE_CASEBOOK, person, write_casebook
from toolkit.casebook import load_casebook
from toolkit.cli import main
from toolkit.i18n import gettext, set_language


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    assert "Traceback" not in result.output
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.output


def all_commands() -> list[tuple[str, click.Command]]:
    found: list[tuple[str, click.Command]] = []

    def visit(command: click.Command, path: str) -> None:
        found.append((path, command))
        if isinstance(command, click.Group):
            for name, sub in command.commands.items():
                visit(sub, f"{path} {name}")

    visit(main, "burgerbaan")
    return found


@pytest.mark.parametrize("language", ["nl", "en"])
def test_every_command_has_help_text(language: str) -> None:
    set_language(language)
    for path, command in all_commands():
        args = path.split()[1:]
        code, output = run(*args, "--help", "--lang", language)
        assert code == 0, path
        assert command.help and len(command.help.strip()) > 20, f"{path} has no help text"
        shown = gettext(command.help).split()[:3]
        assert " ".join(shown) in " ".join(output.split()), f"{path} help not shown"
        for param in command.params:
            if isinstance(param, click.Option) and param.name != "help":
                assert param.help, f"{path} {param.opts[0]} has no help text"


def test_help_is_dutch_by_default_and_english_on_request() -> None:
    assert "Controleer een casebook" in run("check", "--help")[1]
    assert "Check a casebook" in run("check", "--help", "--lang", "en")[1]


def test_check_passes_on_the_example_and_shows_summary_and_alerts() -> None:
    code, output = run("check", str(EXAMPLE_CASEBOOK), "--date", "2026-11-26")
    assert code == 0
    assert "is in orde" in output
    assert "kandidaten" in output and "actieve burgerbaners" in output
    assert "open plaatsen" in output and "sponsorbudget over" in output
    for alert in ("geen BSN", "asielzoeker", "PGB", "Wajong", "jonger dan 27", "toestemming"):
        assert alert in output
    assert "binnen 60 dagen" in output


def test_check_fails_with_exit_1_and_lists_problems(tmp_path: Path) -> None:
    root = write_casebook(tmp_path / "cb", people={"p": person(status="werkend")})
    code, output = run("check", str(root))
    assert code == 1
    assert "p.yaml" in output and "[status]" in output and "werkend" in output


def test_check_on_a_missing_folder_is_a_plain_error(tmp_path: Path) -> None:
    code, output = run("check", str(tmp_path / "nergens"))
    assert code == 1
    assert "bestaat niet" in output


def test_list_people_shows_pseudonyms_unless_intern() -> None:
    book = load_casebook(EXAMPLE_CASEBOOK)
    code, public = run("list", "people", str(EXAMPLE_CASEBOOK))
    assert code == 0
    for p in book.people.values():
        assert p.name not in public
        assert p.id not in public
    code, internal = run("list", "people", str(EXAMPLE_CASEBOOK), "--intern")
    assert all(p.name in internal for p in book.people.values())


@pytest.mark.parametrize("kind", ["opportunities", "organisations", "sponsors", "sessions"])
def test_list_each_kind(kind: str) -> None:
    book = load_casebook(EXAMPLE_CASEBOOK)
    code, output = run("list", kind, str(EXAMPLE_CASEBOOK))
    assert code == 0
    assert all(record_id in output for record_id in book.records(kind))


@pytest.mark.parametrize(
    ("kind", "folder"),
    [
        ("person", "people"),
        ("opportunity", "opportunities"),
        ("organisation", "organisations"),
        ("sponsor", "sponsors"),
        ("session", "sessions"),
    ],
)
def test_new_writes_a_commented_starter_that_loads(tmp_path: Path, kind: str, folder: str) -> None:
    root = tmp_path / "cases"
    shutil.copytree(EXAMPLE_CASEBOOK, root)
    code, output = run("new", kind, "nieuw-record", str(root))
    assert code == 0, output
    written = root / folder / "nieuw-record.yaml"
    text = written.read_text(encoding="utf-8")
    assert text.count("#") >= 5
    assert load_casebook(root).records(folder)["nieuw-record"]


def test_new_never_overwrites(tmp_path: Path) -> None:
    root = write_casebook(tmp_path / "cb")
    before = (root / "people" / "anna-de-vries.yaml").read_bytes()
    code, output = run("new", "person", "anna-de-vries", str(root))
    assert code == 1
    assert "bestaat al" in output
    assert (root / "people" / "anna-de-vries.yaml").read_bytes() == before


def test_new_refuses_a_bad_id(tmp_path: Path) -> None:
    root = write_casebook(tmp_path / "cb")
    code, output = run("new", "person", "Anna de Vries", str(root))
    assert code == 1
    assert "geen geldige id" in output
    assert not list((root / "people").glob("Anna*"))


def test_messages_in_english_with_lang_en(tmp_path: Path) -> None:
    root = write_casebook(tmp_path / "cb", people={"p": person(status="werkend")})
    code, output = run("check", str(root), "--lang", "en")
    assert code == 1
    assert "is not allowed; choose one of" in output
    code, output = run("--lang", "en", "check", str(root))
    assert "is not allowed; choose one of" in output


def test_check_advises_a_secret_pseudonym_salt(tmp_path: Path) -> None:
    root = write_casebook(tmp_path / "cb")
    code, output = run("check", str(root))
    assert code == 0 and "pseudonym_salt" in output
    salted = write_casebook(
        tmp_path / "salted", settings={"name": "x", "pseudonym_salt": "geheim-woord"}
    )
    code, output = run("check", str(salted))
    assert code == 0 and "pseudonym_salt" not in output
