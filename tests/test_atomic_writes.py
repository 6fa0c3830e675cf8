"""Nothing lost: a write that fails halfway leaves the old file whole and no temporary file."""

from __future__ import annotations

import hashlib
import os
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.helpers import EXAMPLE_CASEBOOK, write_casebook
from toolkit import files
from toolkit.casebook.lock import LOCK_NAME
from toolkit.cli import main
from toolkit.errors import ConflictError, OutputError, Remedy
from toolkit.files import write_atomic

OLD = "name: Oud\nnotes: alles wat er al stond\n"


def snapshot(root: Path) -> dict[str, str]:
    """Every file under ``root`` by relative path, with a hash of its bytes."""
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file() and p.name != LOCK_NAME
    }


@pytest.fixture
def old_file(tmp_path: Path) -> Path:
    path = tmp_path / "record.yaml"
    path.write_text(OLD, encoding="utf-8")
    return path


def test_new_file_is_written(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "new.yaml"
    write_atomic(path, "a: 1\n")
    assert path.read_text() == "a: 1\n"
    assert os.listdir(path.parent) == ["new.yaml"]


def test_existing_file_is_not_overwritten_without_force(old_file: Path) -> None:
    with pytest.raises(OutputError, match="bestaat al") as caught:
        write_atomic(old_file, "nieuw\n")
    assert old_file.read_text() == OLD
    # A conflict the web answers with 409, naming the file in the way and what would resolve it.
    assert isinstance(caught.value, ConflictError)
    assert caught.value.path == old_file
    assert caught.value.remedy is Remedy.REPLACE


def test_overwrite_replaces_whole(old_file: Path) -> None:
    write_atomic(old_file, "nieuw\n", overwrite=True)
    assert old_file.read_text() == "nieuw\n"


def test_failing_rename_leaves_old_file_whole(
    old_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken_replace(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(files.os, "replace", broken_replace)
    with pytest.raises(OutputError, match="No space left"):
        write_atomic(old_file, "nieuw\n" * 1000, overwrite=True)
    assert old_file.read_text() == OLD
    assert os.listdir(old_file.parent) == [old_file.name]


def test_failure_after_half_the_data_leaves_old_file_whole(
    old_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken_fsync(fd: int) -> None:
        # The temporary file holds the new bytes by now; the disk "fails" before the rename.
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(files.os, "fsync", broken_fsync)
    with pytest.raises(OutputError, match="Input/output error"):
        write_atomic(old_file, "nieuw\n" * 1000, overwrite=True)
    assert old_file.read_text() == OLD
    assert os.listdir(old_file.parent) == [old_file.name]


def test_interrupt_leaves_old_file_whole_and_is_not_swallowed(
    old_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def interrupted(src: str, dst: str) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(files.os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_atomic(old_file, "nieuw\n", overwrite=True)
    assert old_file.read_text() == OLD
    assert os.listdir(old_file.parent) == [old_file.name]


def test_unwritable_folder_is_an_output_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def denied(*args: object, **kwargs: object) -> tuple[int, str]:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(files.tempfile, "mkstemp", denied)
    with pytest.raises(OutputError, match="Permission denied"):
        write_atomic(tmp_path / "x.yaml", "a: 1\n")
    assert not (tmp_path / "x.yaml").exists()


def test_new_refuses_an_existing_record_and_changes_nothing(tmp_path: Path) -> None:
    root = write_casebook(tmp_path / "cases")
    before = snapshot(root)
    result = CliRunner().invoke(main, ["new", "person", "anna-de-vries", str(root)])
    assert result.exit_code == 1
    assert "bestaat al" in result.output and "--force" not in result.output
    assert snapshot(root) == before


def test_new_adds_one_file_and_leaves_every_other_byte_alone(tmp_path: Path) -> None:
    import shutil

    root = tmp_path / "cases"
    shutil.copytree(EXAMPLE_CASEBOOK, root)
    before = snapshot(root)
    result = CliRunner().invoke(main, ["new", "person", "nieuwe-kandidaat", str(root)])
    assert result.exit_code == 0, result.output
    after = snapshot(root)
    added = set(after) - set(before)
    # Besides the record: the change history (the snapshot passes over the hidden lock file).
    assert added == {"people/nieuwe-kandidaat.yaml", "history.jsonl"}
    assert {k: after[k] for k in before} == before
    written = (root / "people" / "nieuwe-kandidaat.yaml").read_text()
    assert "# De bestandsnaam (nieuwe-kandidaat)" in written  # the starter's comments are kept


def test_permissions_new_files_follow_the_umask_private_ones_are_owner_only(
    tmp_path: Path,
) -> None:
    old = os.umask(0o022)
    try:
        write_atomic(tmp_path / "report.md", "x")
        write_atomic(tmp_path / "intern.md", "x", private=True)
        shared = tmp_path / "shared.md"
        shared.write_text("old")
        shared.chmod(0o640)
        write_atomic(shared, "new", overwrite=True)
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "report.md").stat().st_mode) == 0o644
    assert stat.S_IMODE((tmp_path / "intern.md").stat().st_mode) == 0o600
    assert stat.S_IMODE(shared.stat().st_mode) == 0o640
    assert shared.read_text() == "new"
