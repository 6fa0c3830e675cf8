"""The cache of parsed case files: used when the bytes are the same, never stale, safe when
broken or tampered with, private, purged by ``vergeet``, and never changing what loading gives."""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from tests.helpers import dump_yaml, person, session, write_casebook
from toolkit.casebook import casebook as casebook_module
from toolkit.casebook import load_casebook
from toolkit.casebook.cache import (
    CACHE_FOLDER,
    ENV_SWITCH,
    cache_path,
    clear_cache,
    content_key,
)
from toolkit.casebook.rights import apply_erasure, plan_erasure, snapshot
from toolkit.cli import main
from toolkit.errors import CasebookError

ROOT = Path(__file__).resolve().parents[2]


def outcome(root: Path) -> Any:
    """Everything loading tells: the records (as data) and every line of every problem."""
    try:
        book = load_casebook(root)
    except CasebookError as exc:
        return ("problems", [(str(p.file), p.line, p.field, p.message) for p in exc.problems])
    folders = ("people", "opportunities", "organisations", "sponsors", "sessions", "hours")
    return (
        "records",
        {f: {k: r.model_dump() for k, r in book.records(f).items()} for f in folders},
    )


def cached_entries(root: Path) -> dict[str, Any]:
    entries: dict[str, Any] = json.loads(cache_path(root).read_bytes())["entries"]
    return entries


@pytest.fixture
def book(tmp_path: Path) -> Path:
    return write_casebook(
        tmp_path / "cases",
        people={
            "anna-de-vries": person(
                name="Anna de Vries", contact={"phone": "06-11112222", "email": "anna@example.nl"}
            ),
            "bert-bos": person(name="Bert Bos"),
        },
    )


def test_an_unchanged_casebook_is_read_from_the_cache(
    book: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = outcome(book)
    keys = {content_key(p.read_bytes()) for p in book.glob("*/*.yaml")}
    assert set(cached_entries(book)) == keys

    def no_parsing(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("a file was parsed although its bytes are in the cache")

    monkeypatch.setattr(casebook_module, "parse_yaml", no_parsing)
    assert outcome(book) == first


def test_a_changed_file_of_the_same_size_and_time_is_read_anew(book: Path) -> None:
    path = book / "people" / "bert-bos.yaml"
    load_casebook(book)
    info = path.stat()
    text = path.read_text(encoding="utf-8")
    assert "Bert Bos" in text
    path.write_text(text.replace("Bert Bos", "Bart Bos"), encoding="utf-8")
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns))
    assert path.stat().st_size == info.st_size and path.stat().st_mtime_ns == info.st_mtime_ns

    assert load_casebook(book).people["bert-bos"].name == "Bart Bos"


@pytest.mark.parametrize(
    "garbage",
    [
        b"\x00\xff\xfe garbage \x80",
        b"{",
        b"[]",
        b'{"format": "burgerbaan-parsed-cache", "fingerprint": 1, "entries": []}',
        b"9" * 100_000,
        b"[" * 100_000,
    ],
)
def test_a_broken_cache_is_ignored_and_rebuilt(book: Path, garbage: bytes) -> None:
    expected = outcome(book)
    cache_path(book).write_bytes(garbage)
    assert outcome(book) == expected
    assert set(cached_entries(book)) == {content_key(p.read_bytes()) for p in book.glob("*/*.yaml")}


def test_an_entry_of_the_wrong_shape_discards_the_cache(book: Path) -> None:
    expected = outcome(book)
    document = json.loads(cache_path(book).read_bytes())
    key = content_key((book / "people" / "anna-de-vries.yaml").read_bytes())
    document["entries"][key]["lines"] = ["1"]
    document["entries"][key]["data"]["name"] = "Vervalst"
    cache_path(book).write_text(json.dumps(document), encoding="utf-8")
    assert outcome(book) == expected


def test_data_from_the_cache_is_validated_again(book: Path) -> None:
    """What the cache says is held to the same rules as a case file: a tampered entry cannot
    smuggle in a value that a case file could not hold."""
    load_casebook(book)
    document = json.loads(cache_path(book).read_bytes())
    key = content_key((book / "people" / "anna-de-vries.yaml").read_bytes())
    document["entries"][key]["data"]["birth_year"] = "__import__('os')"
    cache_path(book).write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(CasebookError) as caught:
        load_casebook(book)
    assert [p.field for p in caught.value.problems] == ["birth_year"]


def test_the_cache_is_private_and_outside_git(book: Path) -> None:
    load_casebook(book)
    folder = book / CACHE_FOLDER
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert stat.S_IMODE(cache_path(book).stat().st_mode) == 0o600
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    subprocess.run(["git", "init", "-q", str(book)], check=True)
    subprocess.run(["git", "-C", str(book), "add", "-A"], check=True)
    staged = subprocess.run(
        ["git", "-C", str(book), "ls-files"], check=True, capture_output=True, text=True
    ).stdout.split()
    assert "people/anna-de-vries.yaml" in staged
    assert not [name for name in staged if name.startswith(".burgerbaan/cache")]


def test_the_cache_is_not_read_as_part_of_the_casebook(book: Path) -> None:
    expected = outcome(book)
    assert cache_path(book).exists()
    assert outcome(book) == expected  # no "stray file" from the cache folder
    from toolkit.casebook.rights import snapshot as files_of

    assert not [name for name in files_of(book).files if ".burgerbaan" in name]


def test_entries_of_removed_and_changed_files_are_pruned(book: Path) -> None:
    dump_yaml(book / "people" / "carla-smit.yaml", person(name="Carla Smit"))
    load_casebook(book)
    load_casebook(book)  # every file from the cache
    assert b"Bert Bos" in cache_path(book).read_bytes()
    (book / "people" / "bert-bos.yaml").unlink()
    anna = book / "people" / "anna-de-vries.yaml"
    anna.write_text(anna.read_text(encoding="utf-8").replace("Anna", "Anne"), encoding="utf-8")
    load_casebook(book)
    held = cache_path(book).read_bytes()
    assert b"Bert Bos" not in held and b"Anna" not in held and b"Anne de Vries" in held
    assert b"Carla Smit" in held  # the unchanged file stays in the cache


def test_a_removed_file_alone_is_pruned(book: Path) -> None:
    load_casebook(book)
    (book / "people" / "bert-bos.yaml").unlink()
    load_casebook(book)  # nothing new to cache, one entry no longer used
    assert b"Bert Bos" not in cache_path(book).read_bytes()


def test_a_file_changed_while_loading_is_not_cached(book: Path) -> None:
    """Entries are written under the casebook lock, each checked against the file as it is
    then: what a writer (``vergeet``) changed in between never lands in the cache."""
    from toolkit.casebook.cache import ParsedCache
    from toolkit.casebook.yamlfile import parse_yaml

    path = book / "people" / "bert-bos.yaml"
    raw = path.read_bytes()
    cache = ParsedCache.open(book)
    document = parse_yaml(raw, path)
    cache.put(content_key(raw), path, document.data, document.node)
    path.write_text(raw.decode("utf-8").replace("Bert Bos", "Bart Bos"), encoding="utf-8")
    cache.save()
    assert content_key(raw) not in cached_entries(book)
    assert b"Bert Bos" not in cache_path(book).read_bytes()


def test_files_json_cannot_hold_faithfully_are_not_cached(book: Path) -> None:
    path = book / "organisations" / "numbers.yaml"
    path.write_text("name: Getallen\nkind: non-profit\n1: een\n", encoding="utf-8")
    first = outcome(book)
    assert content_key(path.read_bytes()) not in cached_entries(book)
    assert outcome(book) == first


def test_lines_stay_right_in_a_file_with_a_merge_key(book: Path) -> None:
    """A merge key (``<<``) brings fields in from elsewhere in the file: from the cache, its
    messages name the same lines as when the file is parsed."""
    path = book / "people" / "bert-bos.yaml"
    path.write_text(
        "<<: {extra: 1}\n" + path.read_text(encoding="utf-8").replace("1990", "never"),
        encoding="utf-8",
    )
    first = outcome(book)
    assert first[0] == "problems", first
    assert [(f, line) for _p, line, f, _m in first[1]] == [("birth_year", 7), ("extra", 1)]
    assert outcome(book) == first


def test_vergeet_leaves_no_byte_of_the_person_anywhere(tmp_path: Path) -> None:
    root = write_casebook(
        tmp_path / "cases",
        people={
            "zora-quist": person(
                name="Zora Quist",
                birth_year=1961,
                contact={"phone": "06-98765432", "email": "zora.quist@example.nl"},
                wishes={"causes": ["voedsel"], "text": "Zora kookt graag.", "max_travel_km": 10},
            ),
            "bert-bos": person(name="Bert Bos"),
        },
        sessions={"avond-1": session(tables=[{"theme": "Werk", "cases": ["zora-quist"]}])},
    )
    load_casebook(root)
    personal = [b"Zora", b"Quist", b"06-98765432", b"zora.quist@example.nl", b"zora-quist"]
    assert all(value in cache_path(root).read_bytes() for value in personal)

    apply_erasure(plan_erasure(snapshot(root), "zora-quist"), today=date(2026, 3, 1))

    def leftovers() -> list[tuple[Path, list[bytes]]]:
        found = []
        for path in root.rglob("*"):
            if path.is_file():
                data = path.read_bytes().lower()
                hits = [value for value in personal if value.lower() in data]
                if hits:
                    found.append((path, hits))
        return found

    assert leftovers() == []  # right after the erasure, before any other command
    load_casebook(root)  # the next load rebuilds the cache from what is left
    assert cache_path(root).exists()
    assert leftovers() == []


def test_cache_wissen_removes_the_cache(book: Path) -> None:
    load_casebook(book)
    runner = CliRunner()
    result = runner.invoke(main, ["cache-wissen", str(book), "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert "removed" in result.output
    assert not (book / CACHE_FOLDER).exists()
    again = runner.invoke(main, ["cache-wissen", str(book), "--lang", "en"])
    assert again.exit_code == 0 and "no cache" in again.output
    assert clear_cache(book) is False


def test_the_cache_can_be_switched_off(book: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV_SWITCH, "0")
    load_casebook(book)
    assert not cache_path(book).exists()


def test_files_with_findings_are_not_cached_and_keep_their_messages(book: Path) -> None:
    """A file with a problem that reading finds (an amount written 50.000) is parsed every
    time, and its message stays the same, line included."""
    dump_yaml(book / "sponsors" / "bouw.yaml", {"name": "Bouw", "budget_person_years": 2})
    path = book / "sponsors" / "bouw.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "sroi_obligation: 50.000\n", "utf-8")
    first = outcome(book)
    assert first[0] == "problems"
    assert content_key(path.read_bytes()) not in cached_entries(book)
    assert outcome(book) == first


LOADER = """
import sys
from pathlib import Path
from toolkit.casebook import load_casebook
from toolkit.casebook.cache import cache_path
root = Path(sys.argv[1])
for _ in range(8):
    try:
        cache_path(root).unlink()
    except OSError:
        pass
    book = load_casebook(root)
    assert book.people["anna-de-vries"].name == "Anna de Vries", book.people
"""


def test_processes_writing_the_cache_at_once_never_break_it(book: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    runs = [
        subprocess.Popen([sys.executable, "-c", LOADER, str(book)], env=env, cwd=ROOT)
        for _ in range(4)
    ]
    assert [run.wait(timeout=300) for run in runs] == [0, 0, 0, 0]
    expected = outcome(book)
    if cache_path(book).exists():
        document = json.loads(cache_path(book).read_bytes())
        assert set(document["entries"]) <= {
            content_key(p.read_bytes()) for p in book.glob("*/*.yaml")
        }
    assert not [p for p in (book / CACHE_FOLDER).iterdir() if p.name.endswith(".tmp")]
    assert outcome(book) == expected


def test_a_cache_of_another_toolkit_or_reader_is_ignored(
    book: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The fingerprint (toolkit version, schema, the reading code) ties the cache to the reader
    that wrote it: entries of another one, even with the right keys, are not used."""
    from toolkit.casebook import cache as cache_module

    load_casebook(book)
    document = json.loads(cache_path(book).read_bytes())
    key = content_key((book / "people" / "anna-de-vries.yaml").read_bytes())
    document["entries"][key]["data"]["name"] = "Uit een andere versie"
    cache_path(book).write_text(json.dumps(document), encoding="utf-8")
    assert load_casebook(book).people["anna-de-vries"].name == "Uit een andere versie"
    monkeypatch.setattr(cache_module, "SCHEMA", cache_module.SCHEMA + 1)
    cache_module._fingerprint.cache_clear()
    try:
        assert load_casebook(book).people["anna-de-vries"].name == "Anna de Vries"
    finally:
        monkeypatch.undo()
        cache_module._fingerprint.cache_clear()


def test_a_cache_folder_that_is_a_link_is_not_written_through(book: Path, tmp_path: Path) -> None:
    outside = tmp_path / "elders"
    outside.mkdir()
    (book / ".burgerbaan").mkdir()
    (book / CACHE_FOLDER).symlink_to(outside, target_is_directory=True)
    expected = outcome(book)
    assert list(outside.iterdir()) == []
    assert outcome(book) == expected
