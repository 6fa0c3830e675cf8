"""Hostile files and concurrent writers: no file makes a command crash, two writers never
interleave, a killed write leaves nothing for long, documents stay outside the casebook, and a
user's template cannot exhaust time or memory."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import jinja2
import pytest
from click.testing import CliRunner

from tests.helpers import EXAMPLE_CASEBOOK
from toolkit.cli import main
from toolkit.reports import environment
from toolkit.reports.environment import TemplateError, make_environment, render

DEEP = {
    "brackets": "[" * 100_000,
    "braces": "{a: " * 30_000,
    "dashes": "a:\n  " + "- " * 50_000 + "x\n",
    "anchored": "a: &x " + "[" * 100_000,
    "indented": "".join(" " * i + f"k{i}:\n" for i in range(400)),
}
FILES = ["people/x.yaml", "casebook.yaml", "exclusions.yaml", "erasure-log.yaml", "hours/x.yaml"]


def burgerbaan(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "toolkit", *args], capture_output=True, text=True, check=False
    )


CASES = [(kind, "people/x.yaml") for kind in sorted(DEEP)] + [
    ("brackets", relative) for relative in FILES[1:]
]


@pytest.mark.parametrize(("kind", "relative"), CASES)
def test_deep_nesting_is_a_message_not_a_crash(tmp_path: Path, kind: str, relative: str) -> None:
    root = tmp_path / "cases"
    (root / "people").mkdir(parents=True)
    (root / "hours").mkdir()
    (root / relative).write_text(DEEP[kind], encoding="utf-8")
    done = burgerbaan("check", str(root))
    assert done.returncode == 1, done.stderr  # a segmentation fault gives -11
    assert "Traceback" not in done.stderr
    assert relative.split("/")[-1] in done.stderr


def test_a_leftover_of_a_killed_write_is_reported_then_removed_by_the_next_write(
    tmp_path: Path,
) -> None:
    root = tmp_path / "cases"
    shutil.copytree(EXAMPLE_CASEBOOK, root)
    leftover = root / "people" / ".anouk-de-graaf.yaml.k2j4x9qa.tmp"
    leftover.write_text("name: Anouk de Graaf\n", encoding="utf-8")
    done = burgerbaan("check", str(root))
    assert done.returncode == 0
    assert ".anouk-de-graaf.yaml.k2j4x9qa.tmp" in done.stdout
    assert burgerbaan("new", "person", "nieuw-iemand", str(root)).returncode == 0
    assert not leftover.exists()


@pytest.mark.parametrize(
    "args",
    [
        ["verslag", "dialoogavond-4", "--out", "{root}/people/x.yaml"],
        ["qa", "--out", "{root}/qa.html"],
        ["match", "--format", "json", "--out", "{root}/sessions/m.json"],
        ["kaart", "--format", "svg", "--out", "{root}/kaart.svg"],
        ["overzicht", "--out", "{root}/../cases/o.md"],
        ["inzage", "anouk-de-graaf", "--out", "{root}/people/anouk-de-graaf.yaml", "--force"],
        ["casussen", "--people", "abena-owusu", "--format", "md", "--out", "{root}/tafels"],
    ],
)
def test_out_inside_the_casebook_is_refused_before_anything_is_written(
    tmp_path: Path, args: list[str]
) -> None:
    root = tmp_path / "cases"
    shutil.copytree(EXAMPLE_CASEBOOK, root)
    before = {p: p.read_bytes() for p in root.rglob("*") if p.is_file()}
    command = [a.format(root=root) for a in args]
    if command[0] in ("verslag", "inzage"):
        command.insert(2, str(root))
    else:
        command.insert(1, str(root))
    result = CliRunner().invoke(main, command)
    assert result.exit_code == 1, result.output
    assert "casebookmap" in result.output
    assert {p: p.read_bytes() for p in root.rglob("*") if p.is_file()} == before


HOSTILE_TEMPLATES = {
    "power": "{{ 10 ** 100000000 }}",
    "repeat": '{{ "x" * 10000000000 }}',
    "padding": '{{ "a".center(3000000000) }}',
    "list": "{{ [1] * 10**8 }}",
    "range": "{% for i in range(100000000) %}x{% endfor %}",
    "output": '{% for i in range(9000) %}{{ "y" * 900000 }}{% endfor %}',
}


@pytest.mark.parametrize("name", sorted(HOSTILE_TEMPLATES))
def test_a_users_template_is_stopped_with_a_message(tmp_path: Path, name: str) -> None:
    (tmp_path / "t.md.j2").write_text(HOSTILE_TEMPLATES[name], encoding="utf-8")
    with pytest.raises(TemplateError, match="gestopt"):
        render(make_environment(tmp_path), "t.md.j2")


def test_a_slow_template_is_stopped_at_the_time_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(environment, "MAX_SECONDS", 0.2)
    (tmp_path / "t.md.j2").write_text(
        "{% for i in range(9000) %}{% for j in range(9000) %}{% endfor %}{% endfor %}", "utf-8"
    )
    with pytest.raises(TemplateError, match="langer dan"):
        render(make_environment(tmp_path), "t.md.j2")


def test_the_limits_leave_ordinary_templates_alone(tmp_path: Path) -> None:
    (tmp_path / "t.md.j2").write_text(
        '{% for i in range(50) %}{{ "ab" * 3 }}{{ 2 ** 10 }}{% endfor %}', "utf-8"
    )
    assert render(make_environment(tmp_path), "t.md.j2") == ("ababab1024" * 50)
    assert isinstance(make_environment(), jinja2.Environment)


def test_vergeet_and_casussen_session_in_two_processes_never_write_the_id_back(
    tmp_path: Path,
) -> None:
    root = tmp_path / "cases"
    shutil.copytree(EXAMPLE_CASEBOOK, root)
    out = tmp_path / "tafels"
    writers = [
        subprocess.Popen(
            [sys.executable, "-m", "toolkit", "vergeet", "abena-owusu", str(root), "--yes"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        ),
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "toolkit",
                "casussen",
                str(root),
                "--people",
                "abena-owusu,aylin-demir",
                "--session",
                "dialoogavond-4",
                "--format",
                "md",
                "--out",
                str(out),
                "--force",
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        ),
    ]
    for writer in writers:
        writer.communicate(timeout=120)
    assert writers[0].returncode == 0
    assert burgerbaan("check", str(root)).returncode == 0
    assert "abena-owusu" not in (root / "sessions" / "dialoogavond-4.yaml").read_text("utf-8")
