"""save_record: in place, no lost update, one writer at a time, a history without values."""

from __future__ import annotations

import json
import multiprocessing
import shutil
import threading
from pathlib import Path

import pytest

from tests.helpers import EXAMPLE_CASEBOOK, write_casebook
from toolkit.casebook import load_casebook
from toolkit.casebook.editing import (
    RecordConflictError,
    RecordInvalidError,
    file_hash,
    save_record,
)
from toolkit.casebook.history import read_history
from toolkit.casebook.lock import casebook_lock

COMMENTED = """\
# Anna, aangemeld op de dialoogavond
name: Anna de Vries        # roepnaam Anna
birth_year: 1990
district: Almere Stad
has_bsn: ja
situation: [geen]
talents:
  - koken     # vooral soep
  - tuin
availability: {hours_per_week: 8, days: [ma, di]}
consent:
  data: 2024-09-01
"""


@pytest.fixture
def root(tmp_path: Path) -> Path:
    root = write_casebook(tmp_path / "cb")
    (root / "people" / "anna-de-vries.yaml").write_text(COMMENTED, encoding="utf-8")
    return root


def test_saving_the_same_values_leaves_the_file_byte_identical(root: Path) -> None:
    path = root / "people" / "anna-de-vries.yaml"
    before = path.read_bytes()
    result = save_record(
        root,
        "person",
        "anna-de-vries",
        {
            "name": "Anna de Vries",
            "birth_year": "1990",
            "has_bsn": True,
            "talents": "koken, tuinieren",
            "availability.hours_per_week": "8,0",
            "notes": "",
            "consent.data": "2024-09-01",
        },
        base_hash=file_hash(root, "person", "anna-de-vries"),
    )
    assert result.fields == ()
    assert not result.written
    assert path.read_bytes() == before
    assert read_history(root) == []


def test_a_change_keeps_comments_order_and_layout(root: Path) -> None:
    path = root / "people" / "anna-de-vries.yaml"
    result = save_record(
        root,
        "people",
        "anna-de-vries",
        {"district": "Almere Haven", "availability": {"hours_per_week": "35,5"}},
        base_hash=file_hash(root, "people", "anna-de-vries"),
        actor="coordinator@example.nl",
    )
    assert result.fields == ("district", "availability.hours_per_week")
    expected = COMMENTED.replace("district: Almere Stad", "district: Almere Haven").replace(
        "hours_per_week: 8,", "hours_per_week: 35.5,"
    )
    assert path.read_text(encoding="utf-8") == expected
    assert load_casebook(root).people["anna-de-vries"].district == "Almere Haven"
    (change,) = read_history(root, folder="people", record_id="anna-de-vries")
    assert change.actor == "coordinator@example.nl"
    assert change.fields == ("district", "availability.hours_per_week")
    # The values never reach the history (the time stamp left out: at hh:35 it holds "35").
    line = json.loads((root / "history.jsonl").read_text(encoding="utf-8"))
    del line["when"]
    history = json.dumps(line)
    assert "Almere Haven" not in history and "35" not in history


def test_a_new_optional_field_goes_where_the_model_has_it(root: Path) -> None:
    save_record(
        root,
        "person",
        "anna-de-vries",
        {"contact.phone": "06-12345678"},
        base_hash=file_hash(root, "person", "anna-de-vries"),
    )
    lines = (root / "people" / "anna-de-vries.yaml").read_text(encoding="utf-8").splitlines()
    assert lines[2:5] == ["contact:", "  phone: 06-12345678", "birth_year: 1990"]


def test_removing_an_optional_field(root: Path) -> None:
    result = save_record(
        root,
        "person",
        "anna-de-vries",
        {"availability": None},
        base_hash=file_hash(root, "person", "anna-de-vries"),
    )
    assert result.fields == ("availability",)
    assert "availability" not in (root / "people" / "anna-de-vries.yaml").read_text()


def test_refused_values_come_back_per_field_and_nothing_is_written(root: Path) -> None:
    path = root / "people" / "anna-de-vries.yaml"
    before = path.read_bytes()
    with pytest.raises(RecordInvalidError) as caught:
        save_record(
            root,
            "person",
            "anna-de-vries",
            {
                "name": "",
                "birth_year": "negentien",
                "district": "Haven",
                "contact.phone": "06-00000000",
                "availability.hours_per_week": "1.5",
            },
            base_hash=file_hash(root, "person", "anna-de-vries"),
        )
    fields = caught.value.by_field()
    assert set(fields) == {
        "name",
        "birth_year",
        "district",
        "contact.phone",
        "availability.hours_per_week",
    }
    assert "Almere Haven" in fields["district"][0]
    assert path.read_bytes() == before
    assert read_history(root) == []


def test_a_reference_to_a_missing_record_is_a_field_error(root: Path) -> None:
    with pytest.raises(RecordInvalidError) as caught:
        save_record(
            root,
            "opportunity",
            "keukenhulp",
            {"organisation": "voedselbnak"},
            base_hash=file_hash(root, "opportunity", "keukenhulp"),
        )
    assert "voedselbank" in caught.value.by_field()["organisation"][0]


def test_a_save_from_an_old_version_is_refused_with_both_versions(root: Path) -> None:
    path = root / "people" / "anna-de-vries.yaml"
    base = file_hash(root, "person", "anna-de-vries")
    first = save_record(root, "person", "anna-de-vries", {"birth_year": 1991}, base_hash=base)
    after_first = path.read_bytes()
    with pytest.raises(RecordConflictError) as caught:
        save_record(root, "person", "anna-de-vries", {"birth_year": 1992}, base_hash=base)
    assert caught.value.current_hash == first.hash
    assert caught.value.current_text == after_first.decode()
    assert caught.value.changes == {"birth_year": 1992}
    assert path.read_bytes() == after_first


def test_two_concurrent_saves_from_the_same_version(root: Path) -> None:
    base = file_hash(root, "person", "anna-de-vries")
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def save(year: int) -> None:
        barrier.wait()
        try:
            save_record(root, "person", "anna-de-vries", {"birth_year": year}, base_hash=base)
            outcomes.append(f"saved {year}")
        except RecordConflictError:
            outcomes.append("conflict")

    threads = [threading.Thread(target=save, args=(year,)) for year in (1980, 1981)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes)[0] == "conflict"
    assert len([o for o in outcomes if o.startswith("saved")]) == 1
    saved_year = int(next(o for o in outcomes if o.startswith("saved")).split()[1])
    assert load_casebook(root).people["anna-de-vries"].birth_year == saved_year
    assert len(read_history(root)) == 1


def _command_writing(root: str, ready: object, go: object) -> None:
    """A command (another process) that holds the lock while it rewrites the file."""
    path = Path(root) / "people" / "anna-de-vries.yaml"
    with casebook_lock(Path(root)):
        ready.set()  # type: ignore[attr-defined]
        go.wait(10)  # type: ignore[attr-defined]
        path.write_text(path.read_text().replace("birth_year: 1990", "birth_year: 1970"))


def test_a_command_writing_during_a_save(root: Path) -> None:
    """The save waits for the command's lock, then sees the changed file and refuses."""
    base = file_hash(root, "person", "anna-de-vries")
    ctx = multiprocessing.get_context("spawn")
    ready, go = ctx.Event(), ctx.Event()
    command = ctx.Process(target=_command_writing, args=(str(root), ready, go))
    command.start()
    outcome: list[object] = []
    try:
        assert ready.wait(30)

        def save() -> None:
            try:
                save_record(
                    root, "person", "anna-de-vries", {"district": "Almere Haven"}, base_hash=base
                )
                outcome.append("saved")
            except RecordConflictError as exc:
                outcome.append(exc)

        saver = threading.Thread(target=save)
        saver.start()
        saver.join(0.5)
        assert saver.is_alive(), "the save did not wait for the command's lock"
        go.set()
        saver.join(30)
    finally:
        go.set()
        command.join(30)
    (result,) = outcome
    assert isinstance(result, RecordConflictError)
    text = (root / "people" / "anna-de-vries.yaml").read_text()
    assert "birth_year: 1970" in text and "Almere Haven" not in text


def test_creating_a_record(root: Path) -> None:
    result = save_record(
        root,
        "sponsor",
        "bakkerij",
        {"name": "Bakkerij", "sector": "voeding", "sroi_obligation": "€ 50.000,00"},
        base_hash=None,
    )
    assert result.created
    assert load_casebook(root).sponsors["bakkerij"].sroi_obligation == 50000
    with pytest.raises(RecordConflictError):
        save_record(root, "sponsor", "bakkerij", {"name": "Ander"}, base_hash=None)
    (change,) = read_history(root, record_id="bakkerij")
    assert change.action == "created"


def test_a_new_person_needs_an_explicit_consent(root: Path) -> None:
    with pytest.raises(RecordInvalidError) as caught:
        save_record(
            root,
            "person",
            "nieuw",
            {
                "name": "Nieuwe Persoon",
                "birth_year": 1980,
                "district": "Almere Stad",
                "has_bsn": "nee",
                "situation": "geen",
                "consent.data": "JJJJ-MM-DD",
            },
            base_hash=None,
        )
    assert "consent.data" in caught.value.by_field()
    assert not (root / "people" / "nieuw.yaml").exists()


def test_editing_every_example_record_without_change_is_byte_identical(tmp_path: Path) -> None:
    root = tmp_path / "cases"
    shutil.copytree(EXAMPLE_CASEBOOK, root)
    book = load_casebook(root)
    for folder in ("people", "opportunities", "organisations", "sponsors", "sessions"):
        for record_id, record in book.records(folder).items():
            path = book.path_of(record)
            before = path.read_bytes()
            data = record.model_dump(mode="json", by_alias=True, exclude={"id"})
            result = save_record(
                root, folder, record_id, data, base_hash=file_hash(root, folder, record_id)
            )
            assert result.fields == (), (path, result.fields)
            assert path.read_bytes() == before


def test_a_starter_file_is_in_the_history(root: Path) -> None:
    from toolkit.casebook.starter import write_starter

    write_starter(root, "sponsor", "nieuwe-sponsor")
    (change,) = read_history(root, folder="sponsors")
    assert (change.record_id, change.action, change.actor) == (
        "nieuwe-sponsor",
        "created",
        "lokaal",
    )


def test_a_damaged_history_line_is_skipped(root: Path) -> None:
    save_record(
        root,
        "person",
        "anna-de-vries",
        {"birth_year": 1991},
        base_hash=file_hash(root, "person", "anna-de-vries"),
    )
    with (root / "history.jsonl").open("a", encoding="utf-8") as handle:
        handle.write('{"when": "2026-01-01T00:00:00+00:00", "by": "x"\n')
    assert len(read_history(root)) == 1
    load_casebook(root)  # the loader accepts the history file


def test_a_list_written_one_item_per_line_stays_so(root: Path) -> None:
    save_record(
        root,
        "person",
        "anna-de-vries",
        {"talents": "koken, tuinieren, fietsen"},
        base_hash=file_hash(root, "person", "anna-de-vries"),
    )
    text = (root / "people" / "anna-de-vries.yaml").read_text(encoding="utf-8")
    assert "talents:\n  - koken\n  - tuinieren\n  - fietsen\n" in text


def test_removing_the_last_field_of_a_group_removes_the_group(root: Path) -> None:
    path = root / "people" / "anna-de-vries.yaml"
    base = file_hash(root, "person", "anna-de-vries")
    first = save_record(root, "person", "anna-de-vries", {"contact.phone": "06-1"}, base_hash=base)
    save_record(root, "person", "anna-de-vries", {"contact.phone": ""}, base_hash=first.hash)
    assert path.read_text(encoding="utf-8") == COMMENTED


def test_erasing_a_person_removes_their_lines_from_the_history(root: Path) -> None:
    import datetime as dt

    from toolkit.casebook.rights import apply_erasure, plan_erasure, snapshot

    save_record(
        root,
        "person",
        "anna-de-vries",
        {"birth_year": 1991},
        base_hash=file_hash(root, "person", "anna-de-vries"),
    )
    save_record(
        root, "sponsor", "bakkerij", {"name": "Bakkerij", "sector": "voeding"}, base_hash=None
    )
    plan = plan_erasure(snapshot(root), "anna-de-vries")
    (change,) = [c for c in plan.changes if c.path == "history.jsonl"]
    assert change.action == "edit" and change.entries == ("[1]",)
    apply_erasure(plan, today=dt.date(2026, 12, 1))
    history = (root / "history.jsonl").read_text(encoding="utf-8")
    assert "anna" not in history
    assert [c.record_id for c in read_history(root)] == ["bakkerij"]
