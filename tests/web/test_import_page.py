"""The upload page (issue 11): preview, corrections in the form, all rows or none."""

from __future__ import annotations

import re
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.web.conftest import TOKEN, csrf_of
from tests.web.transfer_helpers import (
    DUPLICATE,
    HEADERS,
    NO_NAME,
    UNKNOWN_DISTRICT,
    cell_input,
    form_fields,
    people_rows,
    read_xlsx,
    refused_rows,
    upload,
    xlsx_of,
)
from toolkit.casebook import load_casebook
from toolkit.casebook.editing import file_hash, save_record
from toolkit.casebook.history import read_history
from toolkit.casebook.lock import casebook_lock

# --- done when: 40 people from Excel, three corrected in the form, exported to Excel ------------


def test_a_coordinator_imports_40_people_corrects_three_and_exports_them(
    coordinator: FlaskClient, casebook: Path
) -> None:
    before = set(load_casebook(casebook).people)
    response = upload(coordinator, xlsx_of(HEADERS, people_rows()), "deelnemers.xlsx")
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert refused_rows(html) == [UNKNOWN_DISTRICT, NO_NAME, DUPLICATE]
    assert "Almere Haven" in html  # the unknown district's message names the one meant
    assert "verplicht" in html  # the missing name, in Dutch
    assert "anouk-de-graaf" in html  # the possible duplicate names the record it may be
    assert re.search(r'<select id="kolom-8" name="kolom-8">\s*<option value="" selected>', html)
    assert set(load_casebook(casebook).people) == before  # a preview writes nothing

    fields = form_fields(html, "/importeren/controle")
    fields[cell_input(html, UNKNOWN_DISTRICT, "Wijk")] = "Almere Haven"
    fields[cell_input(html, NO_NAME, "Naam")] = "Noor Jansen"
    fields[cell_input(html, DUPLICATE, "Naam")] = "Anouk de Groot"
    fields["actie"] = "importeren"
    done = coordinator.post("/importeren/controle", data=fields)
    assert done.status_code == 303, done.get_data(as_text=True)
    assert "40 records geïmporteerd" in coordinator.get(done.location).get_data(as_text=True)

    book = load_casebook(casebook)
    new = set(book.people) - before
    assert len(new) == 40
    noor = book.people["noor-jansen"]
    assert noor.birth_year == 1960 + NO_NAME - 2
    assert book.people["bram-visser"].contact is not None
    assert book.people["bram-visser"].contact.phone == "0612345600"  # the leading 0 restored
    assert book.people["bram-visser"].consent.data.isoformat() == "2026-11-01"
    assert book.people["mehmet-visser"].district == "Almere Haven"  # the corrected cell
    lines = [c for c in read_history(casebook) if c.action == "imported"]
    assert {c.record_id for c in lines} == new and {c.actor for c in lines} == {"coordinator"}

    sheet = read_xlsx(coordinator.get("/mensen.xlsx?intern=1").data)
    header, rows = sheet[0], sheet[1:]
    by_id = {row[header.index("id")]: row for row in rows}
    assert set(by_id) == set(book.people)
    for person_id in new:
        row, record = by_id[person_id], book.people[person_id]
        assert row[header.index("Naam")] == record.name
        assert row[header.index("Geboortejaar")] == record.birth_year  # a number cell
        assert row[header.index("Wijk")] == record.district
        assert row[header.index("Telefoon")] == record.contact.phone  # type: ignore[union-attr]


def test_corrections_that_are_still_wrong_are_kept_in_the_form(coordinator: FlaskClient) -> None:
    html = upload(coordinator, xlsx_of(HEADERS, people_rows(12)), "lijst.xlsx").get_data(
        as_text=True
    )
    fields = form_fields(html, "/importeren/controle")
    fields[cell_input(html, UNKNOWN_DISTRICT, "Wijk")] = "Almere Nergens"
    fields[cell_input(html, UNKNOWN_DISTRICT, "Talenten")] = "zingen, dansen"
    fields["actie"] = "importeren"
    again = coordinator.post("/importeren/controle", data=fields)
    html = again.get_data(as_text=True)
    assert again.status_code == 422
    assert refused_rows(html) == [UNKNOWN_DISTRICT]
    assert 'value="Almere Nergens"' in html and 'value="zingen, dansen"' in html
    # Leaving the row out: the other eleven are imported.
    fields = form_fields(html, "/importeren/controle")
    fields[f"weglaten-{UNKNOWN_DISTRICT}"] = "1"
    fields["actie"] = "importeren"
    assert coordinator.post("/importeren/controle", data=fields).status_code == 303


def test_an_unknown_column_can_be_given_a_field(coordinator: FlaskClient, casebook: Path) -> None:
    rows = [["Wie", "Geboortejaar", "Wijk", "Heeft BSN", "Situatie"]]
    rows.append(["Ria Vos", 1971, "Almere Stad", "ja", "geen"])
    html = upload(coordinator, xlsx_of(tuple(rows[0]), rows[1:]), "l.xlsx").get_data(as_text=True)
    fields = form_fields(html, "/importeren/controle")
    assert fields["kolom-0"] == ""  # "Wie" is not recognised: ignored until chosen
    fields["kolom-0"] = "name"
    fields["actie"] = "importeren"
    assert coordinator.post("/importeren/controle", data=fields).status_code == 303
    assert load_casebook(casebook).people["ria-vos"].name == "Ria Vos"


def test_a_tampered_or_expired_preview_is_refused_in_dutch(coordinator: FlaskClient) -> None:
    html = upload(coordinator, xlsx_of(HEADERS, people_rows(3)), "l.xlsx").get_data(as_text=True)
    fields = form_fields(html, "/importeren/controle")
    fields["rijen"] = fields["rijen"][:-3] + "xyz"
    response = coordinator.post("/importeren/controle", data=fields)
    assert response.status_code == 400
    assert "upload het bestand opnieuw" in response.get_data(as_text=True)


# --- the upload's failures ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "filename", "status", "words"),
    [
        (b"%PDF-1.4 nothing", "lijst.pdf", 400, "is geen spreadsheet"),
        (b"", "lijst.xlsx", 400, "is leeg"),
        (b"PK\x03\x04 not really a zip", "lijst.xlsx", 400, "kan niet"),
        (b"Naam;Wijk\n", "lijst.csv", 400, "geen rijen"),
        (b"Schoenmaat;Kleur\n44;rood\n", "lijst.csv", 400, "Geen enkele kolom"),
        (b"x" * (1024 * 1024 + 10), "groot.xlsx", 413, "groter dan 1 MB"),
    ],
)
def test_a_bad_upload_gives_a_dutch_message_on_the_form(
    coordinator: FlaskClient, data: bytes, filename: str, status: int, words: str
) -> None:
    response = upload(coordinator, data, filename)
    html = response.get_data(as_text=True)
    assert response.status_code == status
    assert 'role="alert"' in html and words in html, html
    assert 'enctype="multipart/form-data"' in html  # the form again, to try once more
    assert "Traceback" not in html


def test_no_file_chosen_is_a_dutch_message(coordinator: FlaskClient) -> None:
    token = csrf_of(coordinator.get("/importeren").get_data(as_text=True))
    response = coordinator.post("/importeren", data={"csrf_token": token, "soort": "personen"})
    assert response.status_code == 400
    assert "Kies een bestand" in response.get_data(as_text=True)


# --- all or none --------------------------------------------------------------------------------


def _preview_fields(client: FlaskClient, count: int) -> dict[str, str]:
    rows = people_rows(count)
    for row, column, value in (
        (UNKNOWN_DISTRICT, 2, "Almere Haven"),
        (NO_NAME, 0, "Noor Jansen"),
        (DUPLICATE, 0, "Anouk de Groot"),
    ):
        if row - 2 < count:
            rows[row - 2][column] = value
    html = upload(client, xlsx_of(HEADERS, rows), "l.xlsx").get_data(as_text=True)
    assert refused_rows(html) == []
    fields = form_fields(html, "/importeren/controle")
    fields["actie"] = "importeren"
    return fields


def test_an_import_while_another_writer_holds_the_lock_writes_nothing(
    app: Flask, casebook: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import functools

    import toolkit.casebook.importing as importing

    client = app.test_client()
    client.get(f"/start?token={TOKEN}")
    fields = _preview_fields(client, 40)
    before = sorted(p.name for p in (casebook / "people").iterdir())
    monkeypatch.setattr(importing, "casebook_lock", functools.partial(casebook_lock, timeout=0.2))
    held, done = threading.Event(), threading.Event()

    def hold() -> None:  # another writer (a command, another user's save) holds the lock
        with casebook_lock(casebook):
            held.set()
            done.wait(timeout=60)

    writer = threading.Thread(target=hold)
    writer.start()
    held.wait(timeout=30)
    try:
        response = client.post("/importeren/controle", data=fields)
    finally:
        done.set()
        writer.join(timeout=30)
    html = response.get_data(as_text=True)
    assert response.status_code == 409 and "iemand anders" in html
    kept = form_fields(html, "/importeren/controle")["rijen"]
    assert kept.rsplit(".", 2)[0] == fields["rijen"].rsplit(".", 2)[0]  # the rows, signed anew
    assert sorted(p.name for p in (casebook / "people").iterdir()) == before
    assert client.post("/importeren/controle", data=fields).status_code == 303


def test_an_import_racing_edits_of_the_casebook_never_half_writes(
    app: Flask, casebook: Path
) -> None:
    client = app.test_client()
    client.get(f"/start?token={TOKEN}")
    fields = _preview_fields(client, 40)
    before = set(load_casebook(casebook).people)
    stop = threading.Event()
    seen: list[int] = []

    def edit() -> None:
        # Another user saving a person again and again, each save from the file's own hash.
        hours = 1
        while not stop.is_set():
            base = file_hash(casebook, "people", "anouk-de-graaf")
            save_record(
                casebook,
                "people",
                "anouk-de-graaf",
                {"availability.hours_per_week": hours},
                base_hash=base,
                actor="ander",
            )
            hours = hours % 20 + 1
            current = {p.stem for p in (casebook / "people").glob("*.yaml")} - before
            seen.append(len(current))
            # A breath between saves, as between two people's clicks: the file lock is not fair
            # (a waiter polls it), and a loop retaking it at once starved the import on a slow
            # CI host, which then rightly answered 409 after its ten seconds.
            time.sleep(0.02)

    editor = threading.Thread(target=edit)
    editor.start()
    try:
        response = client.post("/importeren/controle", data=fields)
    finally:
        stop.set()
        editor.join(timeout=60)
    assert response.status_code == 303
    # The editor only ever saw none or all of the imported files: it runs under the same lock.
    assert set(seen) <= {0, 40}, sorted(set(seen))
    book = load_casebook(casebook)
    assert len(set(book.people) - before) == 40


def test_a_write_failing_midway_leaves_no_imported_file(
    app: Flask, casebook: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import toolkit.casebook.importing as importing

    client = app.test_client()
    client.get(f"/start?token={TOKEN}")
    fields = _preview_fields(client, 40)
    before = sorted(p.name for p in (casebook / "people").iterdir())
    history = (
        (casebook / "history.jsonl").read_bytes() if (casebook / "history.jsonl").exists() else b""
    )
    real = importing.write_atomic
    count = {"n": 0}

    def failing(path: Path, *args: Any, **kwargs: Any) -> Any:
        count["n"] += 1
        if count["n"] == 25:
            raise OSError(28, "No space left on device")
        return real(path, *args, **kwargs)

    monkeypatch.setattr(importing, "write_atomic", failing)
    response = client.post("/importeren/controle", data=fields)
    assert response.status_code == 500
    assert "Traceback" not in response.get_data(as_text=True)
    assert sorted(p.name for p in (casebook / "people").iterdir()) == before
    after = (
        (casebook / "history.jsonl").read_bytes() if (casebook / "history.jsonl").exists() else b""
    )
    assert after == history


def test_two_columns_for_one_field_are_refused_until_one_is_ignored(
    coordinator: FlaskClient, casebook: Path
) -> None:
    headers = ("Naam", "Name", "Geboortejaar", "Wijk", "Heeft BSN", "Situatie")
    rows: list[list[Any]] = [["Ria Vos", "R. Vos", 1971, "Almere Stad", "ja", "geen"]]
    response = upload(coordinator, xlsx_of(headers, rows), "l.xlsx")
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "Naam, Name" in html
    fields = form_fields(html, "/importeren/controle")
    fields["actie"] = "importeren"
    assert coordinator.post("/importeren/controle", data=fields).status_code == 422
    assert "ria-vos" not in load_casebook(casebook).people
    fields["kolom-1"] = ""
    assert coordinator.post("/importeren/controle", data=fields).status_code == 303
    assert load_casebook(casebook).people["ria-vos"].name == "Ria Vos"


def test_a_phone_excel_kept_as_a_number_is_shown_with_its_zero_and_kept_as_such(
    coordinator: FlaskClient, casebook: Path
) -> None:
    rows = people_rows(6)
    html = upload(coordinator, xlsx_of(HEADERS, rows), "l.xlsx").get_data(as_text=True)
    phone = cell_input(html, UNKNOWN_DISTRICT, "Telefoon")
    assert f'name="{phone}" value="0612345604"' in html
    fields = form_fields(html, "/importeren/controle")
    fields[cell_input(html, UNKNOWN_DISTRICT, "Wijk")] = "Almere Haven"
    fields["actie"] = "importeren"
    assert coordinator.post("/importeren/controle", data=fields).status_code == 303
    contact = load_casebook(casebook).people["mehmet-visser"].contact
    assert contact is not None and contact.phone == "0612345604"


def test_a_dutch_csv_imports_as_well(coordinator: FlaskClient, casebook: Path) -> None:
    text = "Naam;Geboortejaar;Wijk;Heeft BSN;Situatie;Toestemming\r\n"
    text += "Jorien Dekker;1990;Almere Buiten;ja;geen;15-10-2026\r\n"
    response = upload(coordinator, ("\ufeff" + text).encode("utf-8"), "lijst.csv")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and refused_rows(html) == []  # the date the Dutch way
    fields = form_fields(html, "/importeren/controle")
    fields["actie"] = "importeren"
    assert coordinator.post("/importeren/controle", data=fields).status_code == 303
    consent = load_casebook(casebook).people["jorien-dekker"].consent
    assert consent is not None and consent.data.isoformat() == "2026-10-15"


def test_a_record_written_between_the_preview_and_the_import_is_caught(
    app: Flask, casebook: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Someone adds the same person (name and birth year) while the coordinator looks at the
    preview: the import checks again under the lock, refuses, and writes none of the rows."""
    import contextlib

    import toolkit.casebook.importing as importing

    client = app.test_client()
    client.get(f"/start?token={TOKEN}")
    fields = _preview_fields(client, 40)
    before = sorted(p.name for p in (casebook / "people").iterdir())
    real_lock = importing.casebook_lock

    @contextlib.contextmanager
    def lock_after_another_write(root: Path, **kwargs: Any) -> Any:
        save_record(
            root,
            "people",
            "bram-visser",
            {"name": "Bram Visser", "birth_year": 1960, "district": "Almere Stad"}
            | {"has_bsn": "ja", "situation": "geen"},
            base_hash=None,
            actor="ander",
        )
        with real_lock(root, **kwargs):
            yield

    monkeypatch.setattr(importing, "casebook_lock", lock_after_another_write)
    response = client.post("/importeren/controle", data=fields)
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and refused_rows(html) == [2]
    assert "bram-visser" in html  # the duplicate names the record written in between
    after = sorted(p.name for p in (casebook / "people").iterdir())
    assert set(after) - set(before) == {"bram-visser.yaml"}  # the other writer's, none of ours


def test_an_expired_preview_is_refused(
    coordinator: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    import toolkit.web.transfer as transfer

    html = upload(coordinator, xlsx_of(HEADERS, people_rows(3)), "l.xlsx").get_data(as_text=True)
    fields = form_fields(html, "/importeren/controle")
    monkeypatch.setattr(transfer, "PREVIEW_SECONDS", -1)
    response = coordinator.post("/importeren/controle", data=fields)
    assert response.status_code == 400
    assert "verlopen" in response.get_data(as_text=True)


def test_a_review_without_column_choices_keeps_the_recognised_columns(
    coordinator: FlaskClient, casebook: Path
) -> None:
    fields = _preview_fields(coordinator, 4)
    bare = {k: fields[k] for k in ("csrf_token", "rijen", "actie")}
    assert coordinator.post("/importeren/controle", data=bare).status_code == 303
    assert load_casebook(casebook).people["bram-visser"].district == "Almere Stad"
