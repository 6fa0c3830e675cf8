"""Every command that writes into a casebook takes the casebook lock, as a save in the app does.

Another writer (here a thread standing in for a save in the web app) holds the lock; the command
must wait until it lets go, and only then write. A command that wrote without the lock would
finish while the lock is still held, and the test would see that.
"""

from __future__ import annotations

import shutil
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.editing.spreadsheets import xlsx_bytes
from tests.editing.test_import import people_rows
from tests.helpers import EXAMPLE_CASEBOOK
from toolkit.casebook.lock import casebook_lock
from toolkit.cli import main

#: How long the other writer holds the lock; the command must still be waiting by then.
HOLD_SECONDS = 0.5


def _new(root: Path, tmp: Path) -> list[str]:
    return ["new", "person", "nieuwe-kandidaat", str(root)]


def _vergeet(root: Path, tmp: Path) -> list[str]:
    person = sorted(p.stem for p in (root / "people").glob("*.yaml"))[-1]
    return ["vergeet", person, str(root), "--yes", "--force"]


def _verslag_new(root: Path, tmp: Path) -> list[str]:
    return ["verslag", "new", str(root)]


def _casussen_session(root: Path, tmp: Path) -> list[str]:
    session = next(p.stem for p in (root / "sessions").glob("*.yaml"))
    out = tmp / "casussen"
    return [
        *("casussen", str(root), "--select", "4", "--session", session, "--format", "md"),
        *("--out", str(out), "--date", "2026-06-01"),
    ]


def _import(root: Path, tmp: Path) -> list[str]:
    sheet = tmp / "mensen.xlsx"
    sheet.write_bytes(xlsx_bytes(people_rows(3)))
    return ["import", "people", str(sheet), str(root), "--ja"]


COMMANDS: dict[str, Callable[[Path, Path], list[str]]] = {
    "new": _new,
    "vergeet": _vergeet,
    "verslag new": _verslag_new,
    "casussen --session": _casussen_session,
    "import": _import,
}


@pytest.mark.parametrize("name", list(COMMANDS))
def test_the_command_waits_for_the_casebook_lock(tmp_path: Path, name: str) -> None:
    root = tmp_path / "cases"
    shutil.copytree(EXAMPLE_CASEBOOK, root, ignore=shutil.ignore_patterns(".*"))
    args = COMMANDS[name](root, tmp_path)
    holding, released = threading.Event(), threading.Event()
    times: dict[str, int] = {}

    def other_writer() -> None:
        with casebook_lock(root):
            times["held"] = time.time_ns()
            holding.set()
            released.wait(HOLD_SECONDS)  # never set by anyone else: a fixed hold
            times["released"] = time.time_ns()
            released.set()

    writer = threading.Thread(target=other_writer)
    writer.start()
    assert holding.wait(10)
    result = CliRunner().invoke(main, args)
    writer.join(10)
    assert result.exit_code == 0, result.output
    # Whatever the command wrote into the casebook, it wrote after the lock was let go, and
    # nothing while it was held.
    written = {p: p.stat().st_mtime_ns for p in root.rglob("*") if p.is_file()}
    during = [p for p, t in written.items() if times["held"] <= t < times["released"]]
    after = [p for p, t in written.items() if t >= times["released"]]
    assert during == [], f"{name} wrote while another writer held the casebook lock"
    assert after, f"{name} wrote nothing into the casebook"
