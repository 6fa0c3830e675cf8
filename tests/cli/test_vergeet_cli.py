"""burgerbaan vergeet: shows the plan, asks, refuses active people, then erases."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.helpers import person, session, write_casebook
from toolkit.casebook.erasure import ERASURE_LOG
from toolkit.cli import main

PLACEMENT = {"opportunity": "keukenhulp", "start": "2025-01-01", "allowance_per_year": 2000}


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return write_casebook(
        tmp_path / "cases",
        people={
            "anna-de-vries": person(name="Anna de Vries"),
            "bert-bos": person(name="Bert Bos", status="actief", placement=PLACEMENT),
        },
        sessions={"avond": session(tables=[{"theme": "T", "cases": ["anna-de-vries"]}])},
    )


def run(*args: str, input: str | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args), input=input)
    assert result.exception is None or isinstance(result.exception, SystemExit)
    return result.exit_code, result.output


def test_plan_then_confirm(root: Path) -> None:
    code, output = run("vergeet", "anna-de-vries", str(root), input="j\n")
    assert code == 0, output
    assert "Wat er verandert:" in output
    assert "verwijderen: people/anna-de-vries.yaml" in output
    assert "verwijzing weggehaald uit tables[1].cases[1]" in output
    assert "Vergeten." in output
    assert not (root / "people" / "anna-de-vries.yaml").exists()
    assert (root / ERASURE_LOG).exists()
    assert run("check", str(root))[0] == 0


def test_declining_changes_nothing(root: Path) -> None:
    before = sorted(p.read_bytes() for p in root.rglob("*.yaml"))
    code, output = run("vergeet", "anna-de-vries", str(root), input="n\n")
    assert code == 0
    assert "Er is niets gewijzigd." in output
    assert sorted(p.read_bytes() for p in root.rglob("*.yaml")) == before


def test_yes_skips_the_question(root: Path) -> None:
    code, output = run("vergeet", "anna-de-vries", str(root), "--yes")
    assert code == 0 and "[j/N]" not in output
    assert not (root / "people" / "anna-de-vries.yaml").exists()


def test_active_person_is_refused_without_force(root: Path) -> None:
    code, output = run("vergeet", "bert-bos", str(root), "--yes")
    assert code == 1
    assert "status actief" in output and "--force" in output
    assert (root / "people" / "bert-bos.yaml").exists()
    code, output = run("vergeet", "bert-bos", str(root), "--yes", "--force")
    assert code == 0, output
    assert not (root / "people" / "bert-bos.yaml").exists()


def test_restored_file_makes_check_fail(root: Path) -> None:
    saved = (root / "people" / "anna-de-vries.yaml").read_bytes()
    run("vergeet", "anna-de-vries", str(root), "--yes")
    (root / "people" / "anna-de-vries.yaml").write_bytes(saved)
    code, output = run("check", str(root))
    assert code == 1
    assert "vergeten" in output and "burgerbaan vergeet anna-de-vries" in output


def test_unknown_person_is_a_clear_error(root: Path) -> None:
    code, output = run("vergeet", "anna-de-vris", str(root), "--yes")
    assert code == 1
    assert "anna-de-vries" in output  # suggested


def test_english(root: Path) -> None:
    code, output = run("vergeet", "anna-de-vries", str(root), "--lang", "en", input="y\n")
    assert code == 0, output
    assert "What changes:" in output and "Erased." in output
