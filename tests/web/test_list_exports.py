"""The downloads under every list (issue 11): exactly the rows shown, inert, private."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from tests.helpers import organisation, person, sponsor, write_casebook
from tests.web.conftest import TOKEN, sign_in
from tests.web.transfer_helpers import read_csv, read_xlsx
from toolkit.casebook import load_casebook
from toolkit.reports.privacy import check_public
from toolkit.reports.spreadsheet import FORMULA_STARTS
from toolkit.web.app import create_app

EXPORTS = (
    "/mensen",
    "/plekken",
    "/organisaties",
    "/sponsors",
    "/sponsorcijfers",
    "/bijeenkomsten",
    "/ronde/voorstellen",
)


# --- exports ----------------------------------------------------------------------------------


def _shown_first_cells(client: FlaskClient, address: str) -> list[str]:
    html = client.get(address).get_data(as_text=True)
    body = html[html.index('<div id="rows">') :]
    return re.findall(r"<tr><td><a href=\"[^\"]+\">([^<]*)</a></td>", body)


def _unescape(text: str) -> str:
    import html

    return html.unescape(text)


#: Each list, the export of it, and the export's column that the list's first column shows.
LISTS = {
    "/mensen": ("/mensen.csv", {"coordinator": "Naam", "facilitator": "Pseudoniem"}),
    "/plekken": ("/plekken.csv", {"": "Titel"}),
    "/organisaties": ("/organisaties.csv", {"": "Naam"}),
    "/sponsors": ("/sponsors.csv", {"": "Naam"}),
    "/bijeenkomsten": ("/bijeenkomsten.csv", {"": "Titel"}),
}


def _filters(client: FlaskClient, address: str) -> dict[str, list[str]]:
    html = client.get(address).get_data(as_text=True)
    found: dict[str, list[str]] = {}
    for name, body in re.findall(r'<select id="f-[^"]+" name="([^"]+)">(.*?)</select>', html, re.S):
        found[name] = [_unescape(v) for v in re.findall(r'<option value="([^"]*)"', body)]
    return found


@pytest.mark.parametrize("role", ["coordinator", "facilitator"])
@pytest.mark.parametrize("listing", sorted(LISTS))
@settings(
    max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
@example(data=None)
def test_an_export_holds_exactly_the_rows_the_filtered_list_shows(
    team_app: Flask, role: str, listing: str, data: Any
) -> None:
    client = sign_in(team_app, role)
    export, columns = LISTS[listing]
    column = columns.get(role, columns.get("", ""))
    if role == "coordinator" and listing == "/mensen":
        export += "?intern=1"
    args: dict[str, str] = {}
    if data is not None:
        for name, choices in _filters(client, listing).items():
            args[name] = data.draw(st.sampled_from(choices), label=name)
        args["q"] = data.draw(st.sampled_from(["", "a", "almere", "ke", "zz"]), label="q")
    query = "&".join(f"{k}={v}" for k, v in args.items())
    shown = [_unescape(c) for c in _shown_first_cells(client, f"{listing}?{query}")]
    lines = read_csv(client.get(f"{export}{'&' if '?' in export else '?'}{query}").data)
    exported = [line[lines[0].index(column)] for line in lines[1:]]
    assert exported == shown


def test_the_sponsor_figures_follow_the_sponsors_list(team_app: Flask) -> None:
    client = sign_in(team_app, "secretaris")
    sectors = _filters(client, "/sponsors")["sector"]
    for sector in sectors:
        shown = _shown_first_cells(client, f"/sponsors?sector={sector}")
        lines = read_csv(client.get(f"/sponsorcijfers.csv?sector={sector}").data)
        assert [line[0] for line in lines[1:]] == [_unescape(s) for s in shown]


def test_the_round_export_holds_every_candidate_of_the_round(team_app: Flask) -> None:
    client = sign_in(team_app, "coordinator")
    for method in ("flow", "stable"):
        html = client.get(f"/ronde?method={method}").get_data(as_text=True)
        shown = re.findall(r"<td><a href=\"/mensen/([^/\"]+)/opties\">", html)
        lines = read_csv(client.get(f"/ronde/voorstellen.csv?method={method}&intern=1").data)
        assert sorted(line[0] for line in lines[1:]) == sorted(shown)


def test_excel_exports_have_dutch_headers_typed_cells_and_a_frozen_header(
    team_app: Flask,
) -> None:
    client = sign_in(team_app, "coordinator")
    response = client.get("/sponsorcijfers.xlsx")
    assert response.headers["Content-Disposition"] == 'attachment; filename="sponsorcijfers.xlsx"'
    sheet = load_workbook(io.BytesIO(response.data)).active
    assert sheet is not None and sheet.freeze_panes == "A2"
    assert sheet["A1"].value == "Sponsor"
    assert isinstance(sheet["B2"].value, (int, float))
    lines = read_csv(client.get("/mensen.csv").data)
    assert lines[0][0] == "Pseudoniem"


def test_a_facilitators_exports_hold_no_name_or_contact(
    team_app: Flask, team_casebook: Path
) -> None:
    book = load_casebook(team_casebook)
    client = sign_in(team_app, "facilitator")
    for address in EXPORTS:
        for fmt in ("csv", "xlsx"):
            response = client.get(f"{address}.{fmt}")
            assert response.status_code == 200, address
            cells = (
                [str(v) for row in read_xlsx(response.data) for v in row if v is not None]
                if fmt == "xlsx"
                else [v for row in read_csv(response.data) for v in row]
            )
            # The privacy guard of every public output: names, ids, phones, e-mail addresses.
            check_public(book, [(address, fmt, "\n".join(cells))])
            for record in book.organisations.values():
                if record.contact and record.contact.name:
                    assert record.contact.name not in cells
    for address in ("/mensen.csv?intern=1", "/ronde/voorstellen.csv?intern=1"):
        assert client.get(address).status_code == 403
    secretaris = sign_in(team_app, "secretaris")
    assert secretaris.get("/mensen.csv?intern=1").status_code == 403
    assert secretaris.get("/ronde/voorstellen.csv").status_code == 403


HOSTILE = ('=HYPERLINK("http://x")', "+31 6 1", "-2+3", "@SUM(A1)", "\t=1", "\r=1")


def test_no_cell_of_any_export_starts_a_formula(tmp_path: Path) -> None:
    root = write_casebook(
        tmp_path / "cb",
        people={
            "x": person(
                name=HOSTILE[0], talents=list(HOSTILE[1:4]), notes=HOSTILE[4], status="kandidaat"
            )
        },
        organisations={"voedselbank": organisation(name=HOSTILE[3], contact={"name": HOSTILE[2]})},
        sponsors={"s": sponsor(name=HOSTILE[2], sector="@bouw", statement=HOSTILE[5])},
    )
    (root / "accounts.yaml").unlink(missing_ok=True)
    client = create_app(root, token=TOKEN, secret_key="t", testing=True).test_client()
    client.get(f"/start?token={TOKEN}")
    checked = 0
    for address in EXPORTS:
        for fmt in ("csv", "xlsx"):
            for intern in ("", "?intern=1"):
                if intern and address not in ("/mensen", "/ronde/voorstellen"):
                    continue
                response = client.get(f"{address}.{fmt}{intern}")
                assert response.status_code == 200, (address, response.get_data(as_text=True))
                if fmt == "csv":
                    cells = [v for row in read_csv(response.data) for v in row]
                else:
                    sheet = load_workbook(io.BytesIO(response.data)).active
                    assert sheet is not None
                    typed = [c for row in sheet.iter_rows() for c in row if c.value is not None]
                    assert all(c.data_type != "f" for c in typed)
                    cells = [str(c.value) for c in typed if isinstance(c.value, str)]
                assert not [c for c in cells if c.startswith(FORMULA_STARTS)], address
                checked += len(cells)
    # The match report's CSV (the round as the command writes it) as well.
    for intern in ("", "&intern=1"):
        lines = read_csv_plain(client.get(f"/ronde.csv?method=flow{intern}").data)
        assert not [c for row in lines for c in row if c.startswith(FORMULA_STARTS)]
    assert checked > 0


def read_csv_plain(data: bytes) -> list[list[str]]:
    text = data.decode("utf-8-sig")
    delimiter = ";" if text.count(";") > text.count(",") else ","
    return list(csv.reader(io.StringIO(text), delimiter=delimiter))


def test_an_unknown_format_is_not_found(coordinator: FlaskClient) -> None:
    assert coordinator.get("/mensen.pdf").status_code == 404


def test_json_is_not_an_export(coordinator: FlaskClient) -> None:
    # Only the formats export_bytes makes; the match report keeps its own json download.
    assert coordinator.get("/plekken.json").status_code == 404
    assert json.loads(coordinator.get("/ronde.json").data)


def test_the_round_export_lists_candidates_without_a_proposal_as_the_page_does(
    tmp_path: Path,
) -> None:
    people = {f"p{n}": person(name=f"Kandidaat Nummer{n}", birth_year=1980 + n) for n in range(4)}
    root = write_casebook(tmp_path / "cb", people=people)  # one place with two slots
    client = create_app(root, token=TOKEN, secret_key="t", testing=True).test_client()
    client.get(f"/start?token={TOKEN}")
    html = client.get("/ronde").get_data(as_text=True)
    shown = re.findall(r"<td><a href=\"/mensen/([^/\"]+)/opties\">", html)
    assert len(shown) == 4 and html.count('<td colspan="3">') == 2  # two without a proposal
    lines = read_csv(client.get("/ronde/voorstellen.csv?intern=1").data)
    assert sorted(line[0] for line in lines[1:]) == sorted(shown)
    assert sum(1 for line in lines[1:] if not line[1]) == 2
