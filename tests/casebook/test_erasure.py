"""Erasure (vergeet): plan, apply, log; what stays byte for byte; check when someone comes back."""

from __future__ import annotations

import hashlib
import hmac
import shutil
from datetime import date
from pathlib import Path

import pytest

from tests.helpers import EXAMPLE_CASEBOOK, dump_yaml, person, session, write_casebook
from toolkit.casebook import load_casebook
from toolkit.casebook.erasure import ERASURE_LOG, read_erasure_log
from toolkit.casebook.lock import LOCK_NAME
from toolkit.casebook.rights import (
    PLACEHOLDER,
    apply_erasure,
    plan_erasure,
    snapshot,
)
from toolkit.casebook.roundtrip import load_editable
from toolkit.errors import (
    CasebookError,
    ConflictError,
    InvalidInputError,
    NotFoundError,
    OutputError,
    Remedy,
)
from toolkit.files import write_atomic

TODAY = date(2026, 3, 1)
ENDED = {
    "opportunity": "keukenhulp",
    "start": "2025-01-01",
    "end": "2025-06-30",
    "allowance_per_year": 2000,
}

SESSION_TEXT = """\
# Verdiepingssessie over dagbesteding.
kind: verdiepingssessie   # soort bijeenkomst
title: Sessie over dagbesteding
date: 2025-02-01
secretary: ~              # nog niet bekend
tables:
  - theme: Dagbesteding
    findings:
      - Anna de Vries vertelde over haar ervaring.   # met toestemming
    cases:
      - anna-de-vries   # besproken aan tafel 1
# Tweede tafel
  - theme: Werk
    cases: [bert-bos, anna-de-vries, 'carla-smit']
closing: |
  Bel Anna de Vries terug (06-11112222).
  Verder niets.
"""


def snapshot_bytes(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and p.name != LOCK_NAME
    }


@pytest.fixture
def book(tmp_path: Path) -> Path:
    root = write_casebook(
        tmp_path / "cases",
        people={
            "anna-de-vries": person(
                name="Anna de Vries",
                contact={"phone": "06-11112222", "email": "anna@example.nl"},
                status="gestopt",
                placement=ENDED,
            ),
            "bert-bos": person(name="Bert Bos"),
            "carla-smit": person(name="Carla Smit"),
        },
    )
    (root / "sessions").mkdir(exist_ok=True)
    (root / "sessions" / "sessie-1.yaml").write_text(SESSION_TEXT, encoding="utf-8")
    dump_yaml(
        root / "hours" / "anna-de-vries.yaml",
        {"statements": [{"month": "2025-03", "hours": 20, "allowance_paid": 100}]},
    )
    load_casebook(root)  # the example is valid before the erasure
    return root


def erase(root: Path, person_id: str = "anna-de-vries", **kwargs: object) -> Path:
    return apply_erasure(plan_erasure(snapshot(root), person_id), today=TODAY, **kwargs)  # type: ignore[arg-type]


def test_planning_changes_nothing(book: Path) -> None:
    before = snapshot_bytes(book)
    plan = plan_erasure(snapshot(book), "anna-de-vries")
    assert snapshot_bytes(book) == before
    assert [(c.action, c.path) for c in plan.changes] == [
        ("delete", "hours/anna-de-vries.yaml"),
        ("delete", "people/anna-de-vries.yaml"),
        ("edit", "sessions/sessie-1.yaml"),
    ]
    (edit,) = plan.of("edit")
    assert edit.references == ("tables[1].cases[1]", "tables[2].cases[2]")
    assert edit.mentions == 3  # the name twice, the phone number once
    assert edit.faithful


def test_apply_removes_the_person_and_every_reference(book: Path) -> None:
    erase(book)
    assert not (book / "people" / "anna-de-vries.yaml").exists()
    assert not (book / "hours" / "anna-de-vries.yaml").exists()
    text = (book / "sessions" / "sessie-1.yaml").read_text()
    assert "anna" not in text.lower() and "06-11112222" not in text
    assert PLACEHOLDER in text
    casebook = load_casebook(book)  # still valid: no dangling reference
    tables = casebook.sessions["sessie-1"].tables
    assert tables[0].cases == [] and tables[1].cases == ["bert-bos", "carla-smit"]


def test_touched_file_keeps_comments_and_every_untouched_line(book: Path) -> None:
    erase(book)
    expected = (
        SESSION_TEXT.replace(
            "    cases:\n      - anna-de-vries   # besproken aan tafel 1\n", "    cases: []\n"
        )
        .replace("[bert-bos, anna-de-vries, 'carla-smit']", "[bert-bos, 'carla-smit']")
        .replace("Anna de Vries", PLACEHOLDER)
        .replace("06-11112222", PLACEHOLDER)
    )
    assert (book / "sessions" / "sessie-1.yaml").read_text() == expected
    assert "# Tweede tafel" in expected and "# soort bijeenkomst" in expected


def test_untouched_files_are_byte_for_byte_the_same(book: Path) -> None:
    before = snapshot_bytes(book)
    erase(book)
    after = snapshot_bytes(book)
    changed = {"sessions/sessie-1.yaml", "people/anna-de-vries.yaml", "hours/anna-de-vries.yaml"}
    # The cache of parsed files held the person's data: the erasure removes all of it.
    cache = {path for path in before if path.startswith(".burgerbaan/cache/")}
    assert cache and not cache & set(after)
    for path, data in before.items():
        if path not in changed | cache:
            assert after[path] == data, path
    assert set(after) - set(before) == {ERASURE_LOG}


def test_the_log_holds_a_salted_hash_and_counts_but_no_personal_data(book: Path) -> None:
    erase(book)
    text = (book / ERASURE_LOG).read_text()
    for personal in ("anna", "Anna", "Vries", "06-1111", "example.nl", "sessie-1", "hours/"):
        assert personal not in text
    log = read_erasure_log(book)
    assert log is not None
    (entry,) = log.erased
    assert entry.date == TODAY
    expected = hmac.new(log.salt.encode(), b"anna-de-vries", hashlib.sha256).hexdigest()
    assert entry.id_hash == expected
    assert entry.removed == {
        "person_file": 1,
        "hours_file": 1,
        "files_edited": 1,
        "references": 2,
        "mentions": 3,
    }


def test_salts_differ_between_casebooks(tmp_path: Path) -> None:
    hashes = []
    for name in ("a", "b"):
        root = write_casebook(tmp_path / name)
        erase(root)
        log = read_erasure_log(root)
        assert log is not None
        hashes.append(log.erased[0].id_hash)
    assert hashes[0] != hashes[1]


def test_a_second_erasure_appends_and_keeps_the_log(book: Path) -> None:
    erase(book)
    first = (book / ERASURE_LOG).read_text()
    erase(book, "bert-bos")
    second = (book / ERASURE_LOG).read_text()
    assert second.startswith(first)
    log = read_erasure_log(book)
    assert log is not None and len(log.erased) == 2


def test_a_hand_edited_log_still_gets_the_entry(book: Path) -> None:
    erase(book)
    path = book / ERASURE_LOG
    text = path.read_text()
    salt_line = next(line for line in text.splitlines() if line.startswith("salt:"))
    # Someone moved the salt below the entries and added a comment.
    body = text.replace(salt_line + "\n", "") + salt_line + "   # niet wijzigen\n"
    path.write_text(body)
    erase(book, "bert-bos")
    log = read_erasure_log(book)
    assert log is not None and len(log.erased) == 2
    assert "# niet wijzigen" in path.read_text()


def test_check_fails_when_an_erased_person_comes_back(book: Path) -> None:
    saved = (book / "people" / "anna-de-vries.yaml").read_bytes()
    erase(book)
    (book / "people" / "anna-de-vries.yaml").write_bytes(saved)
    with pytest.raises(CasebookError) as caught:
        load_casebook(book)
    (problem,) = caught.value.problems
    assert problem.file == book / "people" / "anna-de-vries.yaml"
    assert "vergeten" in problem.message and TODAY.isoformat() in problem.message


def test_check_fails_when_a_reference_to_an_erased_person_comes_back(book: Path) -> None:
    erase(book)
    path = book / "sessions" / "sessie-1.yaml"
    path.write_text(path.read_text().replace("[bert-bos,", "[anna-de-vries, bert-bos,"))
    with pytest.raises(CasebookError) as caught:
        load_casebook(book)
    found = [p for p in caught.value.problems if "vergeten" in p.message]
    assert len(found) == 1
    assert found[0].field == "tables[2].cases[1]" and found[0].line == 13


def test_check_fails_when_an_erased_persons_hours_come_back(book: Path) -> None:
    erase(book)
    dump_yaml(book / "hours" / "anna-de-vries.yaml", {"statements": []})
    with pytest.raises(CasebookError, match="vergeten"):
        load_casebook(book)


def test_a_broken_log_is_a_problem_for_check(book: Path) -> None:
    erase(book)
    (book / ERASURE_LOG).write_text("salt: kort\n")
    with pytest.raises(CasebookError, match=ERASURE_LOG):
        load_casebook(book)


def test_erasing_again_says_it_was_erased(book: Path) -> None:
    erase(book)
    with pytest.raises(NotFoundError, match=TODAY.isoformat()):
        plan_erasure(snapshot(book), "anna-de-vries")


def test_erasing_again_removes_what_came_back(book: Path) -> None:
    saved = (book / "people" / "anna-de-vries.yaml").read_bytes()
    erase(book)
    (book / "people" / "anna-de-vries.yaml").write_bytes(saved)
    plan = plan_erasure(snapshot(book), "anna-de-vries")
    assert plan.erased_before == TODAY
    erase(book)
    load_casebook(book)


def test_an_active_person_is_refused_unless_forced(tmp_path: Path) -> None:
    placement = {"opportunity": "keukenhulp", "start": "2025-01-01", "allowance_per_year": 2000}
    root = write_casebook(
        tmp_path / "cases", people={"anna-de-vries": person(status="actief", placement=placement)}
    )
    before = snapshot_bytes(root)
    with pytest.raises(ConflictError, match="actief") as caught:
        erase(root)
    assert caught.value.remedy is Remedy.ERASE_ANYWAY
    assert caught.value.path == root / "people" / "anna-de-vries.yaml"
    assert snapshot_bytes(root) == before
    erase(root, force=True)
    assert not (root / "people" / "anna-de-vries.yaml").exists()


def test_a_file_changed_after_planning_stops_everything(book: Path) -> None:
    plan = plan_erasure(snapshot(book), "anna-de-vries")
    path = book / "sessions" / "sessie-1.yaml"
    path.write_text(path.read_text() + "informal: nieuw\n")
    before = snapshot_bytes(book)
    with pytest.raises(OutputError, match=r"sessions/sessie-1\.yaml"):
        apply_erasure(plan, today=TODAY)
    assert snapshot_bytes(book) == before


def test_a_failure_halfway_keeps_old_files_whole_and_a_rerun_finishes(
    book: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from toolkit.casebook import rights

    session_before = (book / "sessions" / "sessie-1.yaml").read_bytes()

    def failing(path: Path, content: str | bytes, *, overwrite: bool = False) -> None:
        if path.name == "sessie-1.yaml":
            raise OutputError("disk full")
        write_atomic(path, content, overwrite=overwrite)

    monkeypatch.setattr(rights, "write_atomic", failing)
    with pytest.raises(OutputError, match="vergeet anna-de-vries"):
        erase(book)
    assert (book / "sessions" / "sessie-1.yaml").read_bytes() == session_before
    assert (book / "people" / "anna-de-vries.yaml").exists()
    # The log says the person was erased, so check points at what is left...
    with pytest.raises(CasebookError, match="vergeten"):
        load_casebook(book)
    # ...and running the erasure again finishes it.
    monkeypatch.undo()
    erase(book)
    load_casebook(book)


def test_key_named_after_the_person_is_removed_through_the_round_trip_writer(
    tmp_path: Path,
) -> None:
    root = write_casebook(tmp_path / "cases")
    extra = root / "hours" / "overzicht.yaml"
    extra.parent.mkdir()
    extra.write_text("# uren per persoon\ntotals:\n  anna-de-vries: 12   # jan-mrt\n  bert: 4\n")
    plan = plan_erasure(snapshot(root), "anna-de-vries")
    change = next(c for c in plan.changes if c.path == "hours/overzicht.yaml")
    assert change.action == "edit" and change.entries == ("totals.anna-de-vries",)
    assert not change.faithful
    assert change.new_text == "# uren per persoon\ntotals:\n  bert: 4\n"


def test_files_the_toolkit_cannot_edit_are_left_for_hand(tmp_path: Path) -> None:
    root = write_casebook(tmp_path / "cases")
    (root / "notities.md").write_text("anna-de-vries belde.\n")
    (root / "sessions").mkdir()
    (root / "sessions" / "kapot.yaml").write_text("title: [anna-de-vries\n")
    plan = plan_erasure(snapshot(root), "anna-de-vries")
    manual = {c.path: c.reason for c in plan.of("manual")}
    assert set(manual) == {"notities.md", "sessions/kapot.yaml"}
    erase(root)
    assert (root / "notities.md").read_text() == "anna-de-vries belde.\n"
    log = read_erasure_log(root)
    assert log is not None and log.erased[0].removed["left_for_hand"] == 2


def test_a_longer_id_or_name_is_not_mistaken_for_the_person(tmp_path: Path) -> None:
    root = write_casebook(
        tmp_path / "cases",
        people={"anna": person(name="Anna Jansen"), "anna-2": person(name="Anna Jansen-Bos")},
        sessions={"s": session(tables=[{"theme": "T", "cases": ["anna-2"]}])},
    )
    plan = plan_erasure(snapshot(root), "anna")
    assert [c.path for c in plan.changes] == ["people/anna.yaml"]


@pytest.mark.parametrize("wrong", ["Anna", "../people/x", "anna\n", ""])
def test_an_invalid_id_is_refused(book: Path, wrong: str) -> None:
    with pytest.raises(InvalidInputError):
        plan_erasure(snapshot(book), wrong)


def test_an_unknown_id_suggests_close_ones(book: Path) -> None:
    with pytest.raises(NotFoundError, match="anna-de-vries"):
        plan_erasure(snapshot(book), "anna-de-vris")


def test_every_example_file_is_reproduced_exactly_by_the_round_trip_writer() -> None:
    for path in sorted(EXAMPLE_CASEBOOK.rglob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        editable = load_editable(text)
        assert editable.faithful, path
        assert editable.dump() == text


def test_erasing_from_a_copy_of_the_example_casebook(tmp_path: Path) -> None:
    root = tmp_path / "cases"
    shutil.copytree(EXAMPLE_CASEBOOK, root)
    before = snapshot_bytes(root)
    erase(root, "abena-owusu")
    after = snapshot_bytes(root)
    removed = set(before) - set(after)
    # The cache of parsed files (if the copy has one) goes whole: it held the person's data.
    assert {p for p in removed if not p.startswith(".burgerbaan/cache/")} == {
        "people/abena-owusu.yaml"
    }
    assert not [p for p in after if p.startswith(".burgerbaan/cache/")]
    assert all(after[p] == before[p] for p in after if p in before)
    load_casebook(root)


def test_an_unreadable_person_file_is_refused_unless_forced(book: Path) -> None:
    path = book / "people" / "anna-de-vries.yaml"
    path.write_text("name: [kapot\n")
    with pytest.raises(ConflictError, match="niet te lezen") as caught:
        erase(book)
    assert caught.value.remedy is Remedy.ERASE_ANYWAY
    assert path.exists()
    erase(book, force=True)
    assert not path.exists()
    # Without a readable name, only the id was searched for: the name stays in the session.
    assert "Anna de Vries" in (book / "sessions" / "sessie-1.yaml").read_text()


def test_a_casebook_in_git_gets_a_note_about_its_history(book: Path) -> None:
    assert not any("git" in note for note in plan_erasure(snapshot(book), "bert-bos").notes)
    (book / ".git").mkdir()
    notes = plan_erasure(snapshot(book), "bert-bos").notes
    assert any("git" in note for note in notes)
    assert ".git" not in str([c.path for c in plan_erasure(snapshot(book), "bert-bos").changes])


def test_a_file_named_after_the_person_is_left_for_hand_whatever_it_holds(tmp_path: Path) -> None:
    root = write_casebook(tmp_path / "cases")
    (root / "brieven").mkdir()
    (root / "brieven" / "anna-de-vries.pdf").write_bytes(b"%PDF-1.4 ...")
    plan = plan_erasure(snapshot(root), "anna-de-vries")
    assert [c.path for c in plan.of("manual")] == ["brieven/anna-de-vries.pdf"]


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_byte_order_mark_and_line_ends_are_kept(book: Path, newline: str) -> None:
    path = book / "sessions" / "sessie-1.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + SESSION_TEXT.replace("\n", newline).encode())
    erase(book)
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    text = data[3:].decode()
    assert text.count(newline) == SESSION_TEXT.count("\n") - 1  # one reference line removed
    assert "# Tweede tafel" in text and "anna" not in text.lower()
