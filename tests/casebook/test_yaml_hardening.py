"""Hostile and broken case files: each gets a plain message, none gets through or crashes."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.helpers import dump_yaml, person, write_casebook
from toolkit.casebook import load_casebook, yamlfile
from toolkit.casebook.records import ID_PATTERN
from toolkit.casebook.yamlfile import YamlProblem, read_yaml
from toolkit.cli import main
from toolkit.errors import CasebookError


def problem_of(path: Path) -> YamlProblem:
    with pytest.raises(YamlProblem) as caught:
        read_yaml(path)
    return caught.value


def write(tmp_path: Path, text: str | bytes, name: str = "x.yaml") -> Path:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def load_problems(root: Path) -> list[str]:
    with pytest.raises(CasebookError) as caught:
        load_casebook(root)
    return [str(problem) for problem in caught.value.problems]


@pytest.mark.parametrize(
    "text",
    [
        "name: !!python/object/apply:os.system ['true']\n",
        "name: !!python/object:os.system x\n",
        "birth_year: !!float\n",
        "name: !!binary aGVsbG8=\n",
        "name: !eigen x\n",
        "talents: !!set {a, b}\n",
    ],
)
def test_tags_are_refused_with_their_line(tmp_path: Path, text: str) -> None:
    problem = problem_of(write(tmp_path, "district: Almere Stad\n" + text)).problem
    assert "!!python/object" in problem.message  # the message names what is not allowed
    assert problem.line == 2


def test_too_many_values_stop_the_parser_early(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(yamlfile, "MAX_NODES", 50)
    path = write(tmp_path, "talents: [" + ", ".join(["koken"] * 60) + "]\n")
    assert "50" in problem_of(path).problem.message
    # Within the limit the same shape is fine.
    assert len(read_yaml(write(tmp_path, "talents: [a, b]\n", "y.yaml")).data["talents"]) == 2


def test_the_example_files_are_far_below_the_value_limit() -> None:
    from ruamel.yaml import YAML
    from ruamel.yaml.events import NodeEvent

    from tests.helpers import EXAMPLE_CASEBOOK

    biggest = max(
        sum(1 for e in YAML(typ="rt", pure=True).parse(p.read_text()) if isinstance(e, NodeEvent))
        for p in EXAMPLE_CASEBOOK.rglob("*.yaml")
    )
    assert biggest * 10 < yamlfile.MAX_NODES


def test_deep_flow_nesting_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "a: " + "[" * 200 + "]" * 200 + "\n")
    assert "24" in problem_of(path).problem.message


def test_a_file_that_grew_past_the_limit_is_not_read_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(tmp_path, "notes: " + "x" * 500 + "\n")
    monkeypatch.setattr(yamlfile, "MAX_FILE_BYTES", 100)
    assert "kB" in problem_of(path).problem.message


def test_a_symbolic_link_is_refused(tmp_path: Path) -> None:
    target = write(tmp_path, "name: x\n", "target.yaml")
    link = tmp_path / "link.yaml"
    link.symlink_to(target)
    assert "link" in problem_of(link).problem.message.lower()


def test_a_folder_or_a_pipe_is_not_read(tmp_path: Path) -> None:
    folder = tmp_path / "folder.yaml"
    folder.mkdir()
    assert problem_of(folder).problem.message
    pipe = tmp_path / "pipe.yaml"
    os.mkfifo(pipe)
    # Reading a pipe would wait for a writer forever; it must be refused before opening.
    assert problem_of(pipe).problem.message


def test_unreadable_file_is_a_problem_not_a_crash(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(tmp_path, "name: x\n")

    def denied(*args: object, **kwargs: object) -> int:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(yamlfile.os, "open", denied)
    assert "Permission denied" in problem_of(path).problem.message


def test_utf16_gets_its_own_message(tmp_path: Path) -> None:
    path = write(tmp_path, "name: Anna\n".encode("utf-16"))
    assert "UTF-16" in problem_of(path).problem.message


@pytest.mark.parametrize("text", ["? [a, b]\n: c\n", "? {a: 1}\n: c\n", ": zonder naam\n"])
def test_a_field_name_must_be_a_word(tmp_path: Path, text: str) -> None:
    assert problem_of(write(tmp_path, "name: x\n" + text)).problem.line == 2


def test_huge_integer_is_a_problem(tmp_path: Path) -> None:
    assert problem_of(write(tmp_path, "birth_year: " + "9" * 5000 + "\n")).problem.message


def test_ids_with_a_trailing_newline_are_not_ids() -> None:
    assert ID_PATTERN.match("anna-de-vries")
    assert not ID_PATTERN.match("anna\n")


@pytest.mark.parametrize("value", [".inf", "-.inf", ".nan", "1e999"])
def test_non_finite_numbers_are_refused(tmp_path: Path, value: str) -> None:
    root = write_casebook(tmp_path / "cases")
    path = root / "people" / "anna-de-vries.yaml"
    path.write_text(
        path.read_text() + f"placement:\n  opportunity: keukenhulp\n  start: 2025-01-01\n"
        f"  allowance_per_year: {value}\n"
    )
    problems = load_problems(root)
    assert any("allowance_per_year" in p and "oneindig" in p for p in problems), problems


def test_infinite_weight_in_settings_is_refused(tmp_path: Path) -> None:
    root = write_casebook(tmp_path / "cases")
    (root / "casebook.yaml").write_text("weights: {talents: .inf}\n")
    assert any("weights.talents" in p for p in load_problems(root))


def test_a_long_wrong_value_is_quoted_short(tmp_path: Path) -> None:
    root = write_casebook(tmp_path / "cases", people={"anna": person(birth_year="x" * 5000)})
    (problem,) = load_problems(root)
    assert "birth_year" in problem
    assert len(problem) < 300


def test_settings_file_that_is_a_list(tmp_path: Path) -> None:
    root = write_casebook(tmp_path / "cases")
    dump_yaml(root / "casebook.yaml", ["name", "x"])
    (problem,) = load_problems(root)
    assert "casebook.yaml" in problem and "lijst" in problem


def test_settings_file_that_is_a_folder_is_reported(tmp_path: Path) -> None:
    root = write_casebook(tmp_path / "cases")
    (root / "casebook.yaml").unlink()
    (root / "casebook.yaml").mkdir()
    (problem,) = load_problems(root)
    assert "casebook.yaml" in problem and "map" in problem


def test_a_folder_named_like_a_case_file_is_reported(tmp_path: Path) -> None:
    root = write_casebook(tmp_path / "cases")
    (root / "people" / "bert.yaml").mkdir()
    (problem,) = load_problems(root)
    assert "bert.yaml" in problem


def test_a_linked_case_file_is_reported(tmp_path: Path) -> None:
    root = write_casebook(tmp_path / "cases")
    outside = dump_yaml(tmp_path / "elders" / "bert.yaml", person(name="Bert"))
    (root / "people" / "bert.yaml").symlink_to(outside)
    (problem,) = load_problems(root)
    assert "bert.yaml" in problem and "link" in problem


def test_an_unreadable_folder_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = write_casebook(tmp_path / "cases")
    people = root / "people"
    real_iterdir = Path.iterdir

    def iterdir(self: Path):  # type: ignore[no-untyped-def]
        if self == people:
            raise PermissionError(13, "Permission denied")
        return real_iterdir(self)

    monkeypatch.setattr(Path, "iterdir", iterdir)
    (problem,) = load_problems(root)
    assert "people" in problem and "Permission denied" in problem


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
def test_reference_day_out_of_range_is_a_usage_error(tmp_path: Path, day: str) -> None:
    root = write_casebook(tmp_path / "cases")
    result = CliRunner().invoke(main, ["check", str(root), "--date", day])
    assert result.exit_code == 2
    assert "1900" in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_the_shared_reader_carries_nothing_from_one_file_to_the_next(tmp_path: Path) -> None:
    from toolkit.casebook.yamlfile import read_yaml

    old = tmp_path / "old.yaml"
    old.write_text("%YAML 1.1\n---\nflag: yes\nwhen: 2024-01-01\n")
    new = tmp_path / "new.yaml"
    new.write_text("flag: yes\nlist: [a, b]\n")
    alone = {path: read_yaml(path).data for path in (old, new)}
    for _round in range(2):
        for path in (new, old, new, old):
            assert read_yaml(path).data == alone[path]
    assert alone[new] == {"flag": "yes", "list": ["a", "b"]}
    assert alone[old]["when"] == "2024-01-01"
