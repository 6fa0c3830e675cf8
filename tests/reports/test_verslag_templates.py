"""Templates: a secretary's own copy wins, runs sandboxed, and a broken one is reported plainly."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import example_casebook
from toolkit.casebook import Casebook
from toolkit.reports.environment import TemplateError
from toolkit.reports.verslag import VerslagOptions, render_verslag


@pytest.fixture(scope="module")
def example() -> Casebook:
    return example_casebook()


def folder_with(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / "sjablonen" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return tmp_path / "sjablonen"


def verslag(book: Casebook, fmt: str, folder: Path | None) -> str:
    result = render_verslag(book, "dialoogavond-4", VerslagOptions(format=fmt, templates=folder))
    assert isinstance(result, str)
    return result


@pytest.mark.parametrize("name", ["verslag/verslag.md.j2", "verslag.md.j2"])
def test_a_users_template_wins_and_the_others_stay_shipped(
    example: Casebook, tmp_path: Path, name: str
) -> None:
    folder = folder_with(
        tmp_path, name, "EIGEN {{ verslag.title }} op {{ verslag.session.date|long_date }}\n"
    )
    assert verslag(example, "md", folder) == (
        "EIGEN 4e Dialoogavond Pilot Almeerse Burgerbaan op 23 oktober 2024\n"
    )
    assert verslag(example, "html", folder) == verslag(example, "html", None)


def test_a_users_template_runs_in_the_sandbox(example: Casebook, tmp_path: Path) -> None:
    folder = folder_with(
        tmp_path, "verslag.md.j2", "{{ ().__class__.__base__.__subclasses__() }}\n"
    )
    with pytest.raises(
        TemplateError, match=r"verslag\.md\.j2 probeert iets wat niet is toegestaan"
    ):
        verslag(example, "md", folder)


def test_the_sandbox_keeps_the_data_unchanged(example: Casebook, tmp_path: Path) -> None:
    folder = folder_with(tmp_path, "verslag.md.j2", "{{ verslag.session.questions.append(1) }}\n")
    with pytest.raises(TemplateError, match="niet is toegestaan"):
        verslag(example, "md", folder)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{% for part in verslag.parts %}\n{{ part.title }}\n", r"heeft een fout op regel 2"),
        ("{{ verslag.no_such_field }}\n", r"gebruikt iets wat niet bestaat"),
        ("{{ 1 / 0 }}\n", r"kon niet worden gemaakt: division by zero"),
        ("{% include 'bestaat-niet.j2' %}\n", r"bestaat-niet\.j2 is niet gevonden"),
    ],
)
def test_a_broken_users_template_gets_a_plain_message_naming_the_file(
    example: Casebook, tmp_path: Path, text: str, message: str
) -> None:
    folder = folder_with(tmp_path, "verslag.md.j2", text)
    with pytest.raises(TemplateError, match=message) as caught:
        verslag(example, "md", folder)
    if "niet gevonden" not in message:
        assert str(folder / "verslag.md.j2") in str(caught.value)


def test_a_missing_template_folder(example: Casebook, tmp_path: Path) -> None:
    with pytest.raises(TemplateError, match="bestaat niet"):
        verslag(example, "md", tmp_path / "nergens")
