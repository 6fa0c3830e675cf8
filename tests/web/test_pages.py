"""Pages and downloads: what each role sees, byte-equal documents, the access log, reloads,
the problems page, headers and errors."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from flask import Flask
from flask.testing import FlaskClient

from tests.web.conftest import csrf_of, sign_in
from toolkit.casebook import load_casebook
from toolkit.casebook.public import pseudonyms
from toolkit.casebook.viewlog import read_views, view_log_path
from toolkit.cli import main as cli
from toolkit.web.app import CSP

PERSON = "anouk-de-graaf"


def private_strings(casebook: Path) -> set[str]:
    """Names, ids (which are names), contact details and notes of every person."""
    book = load_casebook(casebook)
    found: set[str] = set()
    for person in book.people.values():
        found |= {person.name, person.id}
        if person.contact:
            found |= {v for v in (person.contact.phone, person.contact.email) if v}
    return found


@pytest.mark.parametrize("role", ["facilitator", "secretaris"])
def test_other_roles_never_see_a_name_or_id_of_a_person(
    team_app: Flask, team_casebook: Path, role: str
) -> None:
    client = sign_in(team_app, role)
    book = load_casebook(team_casebook)
    pseudonym = pseudonyms(book)[PERSON]
    pages = ["/", "/mensen", f"/mensen/{pseudonym}", "/plekken", "/bijeenkomsten", "/kaart"]
    if role == "facilitator":
        pages += ["/ronde", f"/mensen/{pseudonym}/opties", "/ronde?method=stable"]
    secrets = private_strings(team_casebook)
    for page in pages:
        response = client.get(page)
        assert response.status_code == 200, page
        text = response.get_data(as_text=True)
        leaked = sorted(s for s in secrets if s in text)
        assert leaked == [], (page, leaked)
    # The id (a name) is not an address for them: only the pseudonym is.
    assert client.get(f"/mensen/{PERSON}").status_code == 404


def test_the_coordinator_sees_names_and_the_situation(coordinator: FlaskClient) -> None:
    text = coordinator.get(f"/mensen/{PERSON}").get_data(as_text=True)
    assert "Anouk" in text
    people = coordinator.get("/mensen?situation=bijstand").get_data(as_text=True)
    assert "situation" in people or "situatie" in people


def test_lists_search_and_filter(coordinator: FlaskClient, casebook: Path) -> None:
    book = load_casebook(casebook)
    everyone = coordinator.get("/mensen").get_data(as_text=True)
    assert all(f'/mensen/{pid}"' in everyone for pid in book.people)
    kandidaten = coordinator.get("/mensen?status=kandidaat").get_data(as_text=True)
    shown = {pid for pid in book.people if f'/mensen/{pid}"' in kandidaten}
    assert shown == {p.id for p in book.candidates()}
    found = coordinator.get("/mensen?q=anouk").get_data(as_text=True)
    assert f'/mensen/{PERSON}"' in found and '/mensen/bram-hendriks"' not in found
    # htmx asks for the rows only.
    partial = coordinator.get("/mensen?q=anouk", headers={"HX-Request": "true"})
    assert partial.get_data(as_text=True).lstrip().startswith('<div id="rows">')
    district = next(iter(book.sponsors.values())).sector
    sponsors = coordinator.get(f"/sponsors?sector={district}").get_data(as_text=True)
    assert all(
        (f'/sponsors/{s.id}"' in sponsors) == (s.sector == district) for s in book.sponsors.values()
    )


def _cli_bytes(tmp_path: Path, *args: str) -> bytes:
    out = tmp_path / "out.bin"
    if out.exists():
        out.unlink()
    result = CliRunner().invoke(cli, [*args, "--out", str(out)], prog_name="burgerbaan")
    assert result.exit_code == 0, result.output
    return out.read_bytes()


def test_downloads_are_byte_for_byte_the_commands_output(
    coordinator: FlaskClient, casebook: Path, tmp_path: Path
) -> None:
    session = next(iter(load_casebook(casebook).sessions))
    for fmt in ("md", "html", "docx"):
        web = coordinator.get(f"/bijeenkomsten/{session}/verslag.{fmt}").data
        assert web == _cli_bytes(tmp_path, "verslag", session, str(casebook), "--format", fmt)
        web = coordinator.get(f"/bijeenkomsten/{session}/verslag-intern.{fmt}").data
        assert web == _cli_bytes(
            tmp_path, "verslag", session, str(casebook), "--format", fmt, "--intern"
        )
    for fmt in ("md", "html"):
        web = coordinator.get(f"/vragen.{fmt}").data
        assert web == _cli_bytes(tmp_path, "qa", str(casebook), "--format", fmt)
        web = coordinator.get(f"/overzicht.{fmt}").data
        assert web == _cli_bytes(tmp_path, "overzicht", str(casebook), "--format", fmt)
    for fmt in ("gexf", "graphml", "svg"):
        web = coordinator.get(f"/kaart.{fmt}").data
        assert web == _cli_bytes(tmp_path, "kaart", str(casebook), "--format", fmt)
    web = coordinator.get(f"/inzage/{PERSON}.md").data
    assert web == _cli_bytes(tmp_path, "inzage", PERSON, str(casebook), "--format", "md")


def test_match_reports_are_byte_for_byte_the_commands_output(
    coordinator: FlaskClient, team_app: Flask, casebook: Path, tmp_path: Path
) -> None:
    for fmt in ("md", "html", "csv", "json"):
        web = coordinator.get(f"/ronde.{fmt}?method=stable").data
        cli_args = ["match", str(casebook), "--round", "--method", "stable", "--format", fmt]
        assert web == _cli_bytes(tmp_path, *cli_args)
        web = coordinator.get(f"/ronde.{fmt}?method=flow&intern=1").data
        assert web == _cli_bytes(
            tmp_path, "match", str(casebook), "--round", "--format", fmt, "--intern"
        )
        web = coordinator.get(f"/mensen/{PERSON}/opties.{fmt}?top=5").data
        cli_args = ["match", str(casebook), "--person", PERSON, "--top", "5", "--format", fmt]
        assert web == _cli_bytes(tmp_path, *cli_args)
    candidate = load_casebook(casebook).candidates()[0].id
    assert candidate not in coordinator.get("/ronde.md").get_data(as_text=True)
    assert candidate in coordinator.get("/ronde.md?intern=1").get_data(as_text=True)
    assert coordinator.get("/ronde.table").status_code == 404
    assert coordinator.get("/ronde.md?method=greedy").status_code == 400
    # The report carries reasons about a person's situation: not for the facilitator.
    facilitator = sign_in(team_app, "facilitator")
    assert facilitator.get("/ronde.md").status_code == 403
    page = coordinator.get("/ronde").get_data(as_text=True)
    assert re.search(r'href="/ronde\.csv\?method=flow&(amp;)?intern=1"', page)
    assert "/ronde.csv" not in facilitator.get("/ronde").get_data(as_text=True)


def test_opening_a_person_is_logged_by_id_only(coordinator: FlaskClient, casebook: Path) -> None:
    assert read_views(casebook) == []
    coordinator.get(f"/mensen/{PERSON}")
    (view,) = read_views(casebook)
    assert (view.user, view.role, view.person_id) == ("coordinator", "coordinator", PERSON)
    line = json.loads(view_log_path(casebook).read_text(encoding="utf-8"))
    assert set(line) == {"when", "user", "role", "person"}
    log_page = coordinator.get("/inzagelog").get_data(as_text=True)
    assert PERSON in log_page
    # The log lives in the hidden folder: the casebook still loads, vergeet passes it over.
    load_casebook(casebook)


def test_changes_on_disk_are_picked_up_at_the_next_request(
    app: Flask, coordinator: FlaskClient, casebook: Path
) -> None:
    store = app.extensions["burgerbaan"].store
    coordinator.get("/plekken")
    coordinator.get("/plekken")
    assert store.loads == 1  # kept in memory
    path = casebook / "opportunities" / "voedselbank-keukenhulp.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("title: ", "title: Vernieuwd ", 1), encoding="utf-8")
    os.utime(path, ns=(1, 1))  # a different mtime even on a coarse clock
    page = coordinator.get("/plekken/voedselbank-keukenhulp").get_data(as_text=True)
    assert "Vernieuwd" in page
    assert store.loads == 2


def test_an_invalid_casebook_shows_its_problems_without_personal_details_to_others(
    team_app: Flask, team_casebook: Path
) -> None:
    path = team_casebook / "people" / f"{PERSON}.yaml"
    original = path.read_bytes()
    try:
        path.write_text(original.decode().replace("birth_year:", "birth_year: veertig #"), "utf-8")
        coordinator = sign_in(team_app, "coordinator")
        text = coordinator.get("/mensen").get_data(as_text=True)
        assert "Problemen in het casebook" in text
        assert f"people/{PERSON}.yaml" in text and "birth_year" in text
        secretaris = sign_in(team_app, "secretaris")
        text = secretaris.get("/").get_data(as_text=True)
        assert "Problemen in het casebook" in text
        assert PERSON not in text and "birth_year" in text
        assert "Traceback" not in text
    finally:
        path.write_bytes(original)
        os.utime(path, ns=(2, 2))


def test_headers_forbid_inline_scripts_and_caching(coordinator: FlaskClient) -> None:
    response = coordinator.get(f"/mensen/{PERSON}")
    assert response.headers["Content-Security-Policy"] == CSP
    assert "unsafe-inline" not in CSP and "script-src 'self'" in CSP
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    text = response.get_data(as_text=True)
    assert "<script>" not in text and " style=" not in text and "<style" not in text
    assert coordinator.get("/static/htmx.min.js").status_code == 200


def test_errors_are_dutch_pages_by_kind(coordinator: FlaskClient) -> None:
    missing = coordinator.get("/plekken/bestaat-niet")
    assert missing.status_code == 404 and "Pagina niet gevonden" in missing.get_data(as_text=True)
    bad = coordinator.get("/ronde?method=raden")
    assert bad.status_code == 400 and "Onbekende methode" in bad.get_data(as_text=True)
    assert coordinator.get("/kaart.exe").status_code == 404


def test_the_language_switch_changes_only_this_session(
    app: Flask, coordinator: FlaskClient
) -> None:
    assert "<h1>Personen</h1>" in coordinator.get("/mensen").get_data(as_text=True)
    token = csrf_of(coordinator.get("/").get_data(as_text=True))
    coordinator.post("/taal", data={"lang": "en", "csrf_token": token, "next": "/mensen"})
    assert "<h1>People</h1>" in coordinator.get("/mensen").get_data(as_text=True)
    other = app.test_client()
    assert 'lang="nl"' in other.get("/inloggen").get_data(as_text=True)


def test_options_show_parts_reasons_and_the_round_a_table(coordinator: FlaskClient) -> None:
    book_people = coordinator.get("/mensen?status=kandidaat").get_data(as_text=True)
    assert "kandidaat" in book_people
    text = coordinator.get(f"/mensen/{PERSON}/opties?top=5").get_data(as_text=True)
    assert "<meter" in text or "Waarom er geen optie is" in text
    assert coordinator.get(f"/mensen/{PERSON}/opties?top=7").status_code == 400
    for method in ("flow", "stable"):
        page = coordinator.get(f"/ronde?method={method}").get_data(as_text=True)
        assert '<table id="round">' in page


def test_vergeet_shows_the_plan_and_erases_only_that_plan(
    coordinator: FlaskClient, casebook: Path
) -> None:
    person = "bram-hendriks"
    plan_page = coordinator.get(f"/vergeet/{person}").get_data(as_text=True)
    token = csrf_of(plan_page)
    assert (casebook / "people" / f"{person}.yaml").exists()
    stale = coordinator.post(
        f"/vergeet/{person}", data={"csrf_token": token, "digest": "0" * 64, "force": "1"}
    )
    assert stale.status_code == 409
    assert (casebook / "people" / f"{person}.yaml").exists()
    digest = plan_page.split('name="digest" value="')[1].split('"')[0]
    done = coordinator.post(
        f"/vergeet/{person}", data={"csrf_token": token, "digest": digest, "force": "1"}
    )
    assert done.status_code == 200, done.get_data(as_text=True)
    assert not (casebook / "people" / f"{person}.yaml").exists()
    load_casebook(casebook)  # still valid after the erasure
    assert coordinator.get(f"/mensen/{person}").status_code == 404


def test_the_cli_does_not_import_the_web_app_and_the_web_not_the_cli() -> None:
    probe = (
        "import sys, toolkit.cli; "
        "print(any(m == 'flask' or m.startswith('toolkit.web') for m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
    web = Path(__file__).resolve().parents[2] / "toolkit" / "web"
    for source in web.glob("*.py"):
        assert "toolkit.cli" not in source.read_text(encoding="utf-8"), source


def test_two_sessions_in_two_languages_at_the_same_time(team_app: Flask) -> None:
    import threading

    dutch = sign_in(team_app, "secretaris")
    english = sign_in(team_app, "facilitator")
    token = csrf_of(english.get("/").get_data(as_text=True))
    english.post("/taal", data={"lang": "en", "csrf_token": token})
    wrong: list[str] = []

    def read(client: FlaskClient, heading: str) -> None:
        for _ in range(15):
            text = client.get("/plekken").get_data(as_text=True)
            if heading not in text:
                wrong.append(heading)

    threads = [
        threading.Thread(target=read, args=(dutch, "<h1>Plekken</h1>")),
        threading.Thread(target=read, args=(english, "<h1>Opportunities</h1>")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert wrong == []


def test_a_candidate_without_options_gets_why_not_per_limit(
    coordinator: FlaskClient, casebook: Path
) -> None:
    path = casebook / "people" / "abena-owusu.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("needs: []", "needs: [gebarentolk]"), encoding="utf-8")
    os.utime(path, ns=(3, 3))
    page = coordinator.get("/mensen/abena-owusu/opties").get_data(as_text=True)
    assert "Waarom er geen optie is" in page
    assert "<meter" not in page
    assert "gebarentolk" in page  # the coordinator sees which need is missing
