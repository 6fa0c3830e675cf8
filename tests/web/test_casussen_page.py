"""The casussen page: the form, its preview and its downloads are the library's handouts.

The zip is compared with ``render_document("casussen", ...)`` (what ``burgerbaan casussen``
and every other caller get); people appear by name only to the coordinator; a refused request
shows the form again with what was typed and the message at the field; the key is the
coordinator's alone.
"""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.web.conftest import csrf_of, sign_in
from toolkit.casebook import load_casebook
from toolkit.casebook.public import pseudonyms
from toolkit.i18n import use_language
from toolkit.reports.casussen.job import matcher_options, render_casussen
from toolkit.reports.casussen.request import Request
from toolkit.reports.casussen.selection import eligible
from toolkit.reports.documents import render_document


def token(client: FlaskClient) -> str:
    response = client.get("/casussen")
    assert response.status_code == 200
    return csrf_of(response.get_data(as_text=True))


def names(casebook: Path) -> list[str]:
    book = load_casebook(casebook)
    return [book.people[pid].name for pid in eligible(book)]


def test_the_form_offers_people_by_name_to_the_coordinator_only(
    team_app: Flask, team_casebook: Path
) -> None:
    book = load_casebook(team_casebook)
    aliases = pseudonyms(book)
    for role in ("coordinator", "facilitator", "secretaris"):
        html = sign_in(team_app, role).get("/casussen").get_data(as_text=True)
        values = re.findall(r'name="people" value="([^"]+)"', html)
        if role == "coordinator":
            assert sorted(values) == sorted(eligible(book))
            assert all(name in html for name in names(team_casebook))
            assert "/casussen/sleutel" in html
        else:
            assert sorted(values) == sorted(aliases[pid] for pid in eligible(book))
            leaked = [n for n in names(team_casebook) if n in html]
            leaked += [pid for pid in book.people if f'value="{pid}"' in html]
            assert leaked == [], role
            assert "/casussen/sleutel" not in html


@pytest.mark.parametrize("role", ["facilitator", "secretaris"])
def test_picking_by_pseudonym_previews_without_names(
    team_app: Flask, team_casebook: Path, role: str
) -> None:
    book = load_casebook(team_casebook)
    picked = [pseudonyms(book)[pid] for pid in eligible(book)[:3]]
    client = sign_in(team_app, role)
    response = client.post(
        "/casussen",
        data={"csrf_token": token(client), "mode": "people", "people": picked, "tables": "2"},
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200, html
    assert "tafel-1.md" in html and "tafel-2.md" in html
    assert all(alias in html for alias in picked)
    assert [n for n in names(team_casebook) if n in html] == []


def test_a_facilitator_cannot_pick_by_id(team_app: Flask, team_casebook: Path) -> None:
    pid = eligible(load_casebook(team_casebook))[0]
    client = sign_in(team_app, "facilitator")
    response = client.post(
        "/casussen", data={"csrf_token": token(client), "mode": "people", "people": [pid]}
    )
    assert response.status_code == 400
    assert 'id="people-error"' in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"mode": "select", "select": "drie", "tables": "2"}, "select"),
        ({"mode": "select", "select": "0"}, "select"),
        ({"mode": "select", "select": "999"}, "select"),  # more than there are people
        ({"mode": "select", "select": "3", "tables": "0"}, "tables"),
        ({"mode": "select", "select": "3", "themes": "bestaat-niet"}, "themes"),
        ({"mode": "select", "select": "3", "format": "pdf"}, "format"),
        ({"mode": "people"}, "people"),
    ],
)
def test_a_refused_request_shows_the_form_again_with_the_message_at_the_field(
    coordinator: FlaskClient, data: dict[str, str], field: str
) -> None:
    response = coordinator.post("/casussen", data={"csrf_token": token(coordinator), **data})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert f'id="{field}-error" class="error"' in html
    assert html.count('class="error"') == 1
    if data.get("select"):
        assert (
            f'id="select" name="select" inputmode="numeric" size="4" value="{data["select"]}"'
            in html
        )
    if data.get("tables"):
        assert f'value="{data["tables"]}"' in html
    assert "Traceback" not in html


def test_picked_themes_and_people_stay_checked_after_a_refusal(coordinator: FlaskClient) -> None:
    response = coordinator.post(
        "/casussen",
        data={
            "csrf_token": token(coordinator),
            "mode": "people",
            "people": ["bestaat-niet"],
            "themes": ["pgb", "wajong"],
            "tables": "2",
        },
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert re.search(r'id="mode-people" name="mode" value="people" checked', html)
    assert re.search(r'name="themes" value="pgb" checked', html)
    assert re.search(r'name="themes" value="wajong" checked', html)
    assert not re.search(r'name="themes" value="wmo" checked', html)


@pytest.mark.parametrize("fmt", ["md", "html", "docx"])
def test_the_zip_is_the_librarys_byte_for_byte(
    coordinator: FlaskClient, casebook: Path, fmt: str
) -> None:
    form = {"mode": "select", "select": "4", "tables": "2", "themes": ["pgb", "wajong"]}
    response = coordinator.post(
        "/casussen.zip", data={"csrf_token": token(coordinator), "format": fmt, **form}
    )
    assert response.status_code == 200
    assert response.mimetype == "application/zip"
    assert response.headers["Cache-Control"] == "no-store"
    request = Request(
        out=Path("x"), format=fmt, select=4, tables=2, themes="pgb,wajong", day=date.today()
    )
    with use_language("nl"):
        expected = render_document("casussen", load_casebook(casebook), request).data
    assert response.data == expected
    names_in_zip = zipfile.ZipFile(io.BytesIO(response.data)).namelist()
    assert f"tafel-2.{fmt}" in names_in_zip
    assert not any(name.startswith("intern-sleutel") for name in names_in_zip)


def test_the_key_is_the_coordinators_and_not_kept(team_app: Flask, team_casebook: Path) -> None:
    form = {"mode": "select", "select": "3", "format": "md"}
    client = sign_in(team_app, "coordinator")
    response = client.post("/casussen/sleutel", data={"csrf_token": token(client), **form})
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    assert 'filename="intern-sleutel.md"' in response.headers["Content-Disposition"]
    book = load_casebook(team_casebook)
    request = Request(out=Path("x"), format="md", select=3, intern=True, day=date.today())
    with use_language("nl"):
        rendered = render_casussen(book, request, matcher_options(book))
    assert response.data == rendered.files["intern-sleutel.md"]
    for role in ("facilitator", "secretaris"):
        other = sign_in(team_app, role)
        refused = other.post("/casussen/sleutel", data={"csrf_token": token(other), **form})
        assert refused.status_code == 403
        assert rendered.files["intern-sleutel.md"] not in refused.data
