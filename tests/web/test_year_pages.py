"""The coordinator's year in the app: answers, the path, hours, approval, payment lists, the sponsor
statement and renewals; each route's happy path and its refusals (the form again with what was
typed and the message at the field, HTTP 400 or 409, nothing written)."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from tests.web.conftest import csrf_of
from tests.year.yearbook import snapshot
from toolkit.casebook import load_casebook
from toolkit.casebook.alerts import casebook_alerts
from toolkit.casebook.year_edits import current_hash
from toolkit.web import common

TODAY = dt.date(2026, 12, 1)
PERSON = "erik-mulder"  # kandidaat, WW, born 1964
PLACE = "de-spaak-fietsenmaker"  # three open slots
SPONSOR = "flevo-spaarbank"  # a budget of 5 burgerbaan-years, none used


@pytest.fixture(autouse=True)
def fixed_day(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(common, "today", lambda: TODAY)
    yield


def form_of(client: FlaskClient, address: str, form_id: str) -> dict[str, str]:
    """The hidden fields of one form on a page (CSRF token, base hash, ids)."""
    html = client.get(address).get_data(as_text=True)
    start = html.index(f'id="{form_id}"') if form_id else 0
    part = html[start : html.index("</form>", start)]
    hidden = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', part))
    hidden.setdefault("csrf_token", csrf_of(html))
    return hidden


def accept(client: FlaskClient, **values: str) -> object:
    fields = form_of(client, f"/mensen/{PERSON}/antwoord?plek={PLACE}", "accept")
    fields.update({"sponsor": SPONSOR, "start": "01-09-2026", "allowance_per_year": "2.100"})
    fields.update(values)
    return client.post(f"/mensen/{PERSON}/plaatsen", data=fields)


def test_accepting_writes_the_placement_and_takes_slot_and_budget(
    coordinator: FlaskClient, casebook: Path
) -> None:
    before = load_casebook(casebook)
    page = coordinator.get(f"/mensen/{PERSON}/antwoord?plek={PLACE}").get_data(as_text=True)
    assert 'id="accept"' in page and 'id="decline"' in page
    response = accept(coordinator)
    assert response.status_code == 303, response.get_data(as_text=True)
    after = load_casebook(casebook)
    person = after.people[PERSON]
    assert person.status == "actief"
    assert person.placement is not None
    assert (person.placement.opportunity, person.placement.sponsor) == (PLACE, SPONSOR)
    assert person.placement.start == dt.date(2026, 9, 1)
    assert person.placement.end == dt.date(2027, 8, 31)
    assert person.placement.allowance_per_year == 2100
    assert after.open_slots(PLACE) == before.open_slots(PLACE) - 1
    assert after.sponsor_years_used(SPONSOR) == pytest.approx(1.0)
    assert person.status_history[-1].by == "coordinator"
    # The person page shows the new placement and the notice about WW.
    shown = coordinator.get(response.location).get_data(as_text=True)
    assert "De Spaak" in shown or PLACE in shown
    assert "UWV" in shown
    history = (casebook / "history.jsonl").read_text().splitlines()
    assert json.loads(history[-1])["id"] == PERSON


@pytest.mark.parametrize(
    ("field", "typed", "words"),
    [
        ("start", "31-02-2026", "DD-MM-JJJJ"),
        ("end", "morgen", "DD-MM-JJJJ"),
        ("allowance_per_year", "2.500", "2.200"),  # above the cap of 2026
        ("allowance_per_year", "12,345", "twee"),
        ("hourly_rate", "9", "5,75"),  # above the hourly cap at 62
    ],
)
def test_a_refused_accept_shows_the_form_again_with_the_message_at_the_field(
    coordinator: FlaskClient, casebook: Path, field: str, typed: str, words: str
) -> None:
    before = snapshot(casebook)
    response = accept(coordinator, **{field: typed})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    message = re.search(rf'<span id="{field}-error" class="error">([^<]+)</span>', html)
    assert message is not None, html
    assert words in message.group(1).replace("&#39;", "'")
    assert f'value="{typed}"' in html
    assert snapshot(casebook) == before


def test_a_sponsor_without_budget_is_refused_with_409_and_nothing_written(
    coordinator: FlaskClient, casebook: Path
) -> None:
    before = snapshot(casebook)
    response = accept(coordinator, sponsor="versmarkt-almere", end="31-08-2030")
    assert response.status_code == 409
    assert "burgerbaan-jaren" in response.get_data(as_text=True)
    assert snapshot(casebook) == before


def test_a_stale_form_gets_the_409_page_and_nothing_is_written(
    coordinator: FlaskClient, casebook: Path
) -> None:
    fields = form_of(coordinator, f"/mensen/{PERSON}/antwoord?plek={PLACE}", "accept")
    path = casebook / "people" / f"{PERSON}.yaml"
    path.write_text(path.read_text() + "# bewerkt door iemand anders\n")
    before = snapshot(casebook)
    fields.update({"start": "01-09-2026", "allowance_per_year": "2100"})
    response = coordinator.post(f"/mensen/{PERSON}/plaatsen", data=fields)
    assert response.status_code == 409
    assert "iemand anders" in response.get_data(as_text=True)
    assert snapshot(casebook) == before


def test_declining_puts_the_pair_in_the_exclusions_and_a_later_accept_is_refused(
    coordinator: FlaskClient, casebook: Path
) -> None:
    fields = form_of(coordinator, f"/mensen/{PERSON}/antwoord?plek={PLACE}", "decline")
    before = snapshot(casebook)
    empty = coordinator.post(f"/mensen/{PERSON}/afwijzen", data={**fields, "reason": " "})
    assert empty.status_code == 400
    assert 'id="reason-error"' in empty.get_data(as_text=True)
    assert snapshot(casebook) == before
    response = coordinator.post(
        f"/mensen/{PERSON}/afwijzen", data={**fields, "reason": "te ver weg"}
    )
    assert response.status_code == 303
    text = (casebook / "exclusions.yaml").read_text()
    assert f"person: {PERSON}" in text and f"opportunity: {PLACE}" in text
    assert "te ver weg" in text
    again = accept(coordinator)
    assert again.status_code == 409
    assert load_casebook(casebook).people[PERSON].status == "kandidaat"


def test_the_path_offers_only_the_allowed_steps_and_records_who_set_them(
    coordinator: FlaskClient, casebook: Path
) -> None:
    page = coordinator.get(f"/mensen/{PERSON}").get_data(as_text=True)
    offered = set(re.findall(r'name="status" value="([a-z]+)"', page))
    assert offered == {"voorgesteld", "gestopt"}  # from kandidaat
    fields = form_of(coordinator, f"/mensen/{PERSON}", "")
    fields["base_hash"] = current_hash(casebook / "people" / f"{PERSON}.yaml")
    before = snapshot(casebook)
    bad = coordinator.post(
        f"/mensen/{PERSON}/status", data={**fields, "status": "gestopt", "reason": "verveeld"}
    )
    assert bad.status_code == 400
    assert 'id="reason-error"' in bad.get_data(as_text=True)
    skip = coordinator.post(f"/mensen/{PERSON}/status", data={**fields, "status": "actief"})
    assert skip.status_code == 409
    assert snapshot(casebook) == before
    response = coordinator.post(
        f"/mensen/{PERSON}/status",
        data={**fields, "status": "gestopt", "reason": "opleiding", "note": "mbo"},
    )
    assert response.status_code == 303
    person = load_casebook(casebook).people[PERSON]
    last = person.status_history[-1]
    assert (person.status, last.reason, last.note, last.by) == (
        "gestopt",
        "opleiding",
        "mbo",
        "coordinator",
    )
    page = coordinator.get(f"/mensen/{PERSON}").get_data(as_text=True)
    assert set(re.findall(r'name="status" value="([a-z]+)"', page)) == {"kandidaat"}


def hours_form(client: FlaskClient, person: str) -> dict[str, str]:
    return form_of(client, f"/mensen/{person}/uren", "hours-form")


def test_hours_are_checked_as_typed_saved_without_javascript_and_refused_when_bad(
    coordinator: FlaskClient, casebook: Path
) -> None:
    assert accept(coordinator).status_code == 303
    fields = hours_form(coordinator, PERSON)
    # Over the cap per month (€ 220 in 2026): the check says so, and that all becomes taxable.
    check = coordinator.post(
        f"/mensen/{PERSON}/uren/controle",
        data={**fields, "month": "10-2026", "hours": "40", "amount": "250"},
    )
    assert check.status_code == 200
    text = check.get_data(as_text=True)
    assert "per maand" in text and "HELE" in text and "UWV" in text
    calm = coordinator.post(
        f"/mensen/{PERSON}/uren/controle", data={**fields, "month": "09-2026", "hours": "40"}
    ).get_data(as_text=True)
    assert "HELE" not in calm and "175,00" in calm
    typo = coordinator.post(
        f"/mensen/{PERSON}/uren/controle", data={**fields, "month": "09-2026", "hours": "veel"}
    ).get_data(as_text=True)
    assert 'class="error"' in typo
    before = snapshot(casebook)
    bad = coordinator.post(
        f"/mensen/{PERSON}/uren", data={**fields, "month": "09-2026", "hours": "veel"}
    )
    assert bad.status_code == 400
    assert 'id="hours-error"' in bad.get_data(as_text=True)
    assert 'value="veel"' in bad.get_data(as_text=True)
    early = coordinator.post(
        f"/mensen/{PERSON}/uren", data={**fields, "month": "06-2026", "hours": "10"}
    )
    assert early.status_code == 400 and 'id="month-error"' in early.get_data(as_text=True)
    assert snapshot(casebook) == before
    saved = coordinator.post(
        f"/mensen/{PERSON}/uren",
        data={**fields, "month": "10-2026", "hours": "40", "amount": "250"},
    )
    assert saved.status_code == 303
    statement = load_casebook(casebook).hours[PERSON].statements[0]
    assert (statement.month, statement.hours, statement.allowance_paid, statement.state) == (
        "2026-10",
        40,
        250,
        "ingediend",
    )
    # The warning travels with the saved entry, for those without JavaScript.
    assert "HELE" in coordinator.get(saved.location).get_data(as_text=True)
    # A form made before this save is stale now.
    stale = coordinator.post(
        f"/mensen/{PERSON}/uren", data={**fields, "month": "11-2026", "hours": "30"}
    )
    assert stale.status_code == 409


def enter(client: FlaskClient, person: str, month: str, hours: str, amount: str = "") -> None:
    fields = hours_form(client, person)
    data = {**fields, "month": month, "hours": hours, "amount": amount}
    response = client.post(f"/mensen/{person}/uren", data=data)
    assert response.status_code == 303, response.get_data(as_text=True)


def approve(client: FlaskClient, **values: str) -> object:
    token = csrf_of(client.get("/uren").get_data(as_text=True))
    return client.post("/uren/goedkeuren", data={"csrf_token": token, **values})


def test_approving_one_a_month_or_a_placement_and_the_payment_list_never_twice(
    coordinator: FlaskClient, casebook: Path
) -> None:
    from openpyxl import load_workbook

    assert accept(coordinator).status_code == 303
    for month in ("09-2026", "10-2026", "11-2026"):
        enter(coordinator, PERSON, month, "40")
    enter(coordinator, "anouk-de-graaf", "11-2026", "45")
    waiting = coordinator.get("/uren").get_data(as_text=True)
    assert waiting.count("2026-09") >= 1 and "Anouk" in waiting
    assert [a.code for a in casebook_alerts(load_casebook(casebook), TODAY)].count(
        "hours_waiting"
    ) == 2
    assert "2026-11" in coordinator.get("/problemen").get_data(as_text=True)

    before = snapshot(casebook)
    stale = approve(coordinator, person=PERSON, month="2026-09", base_hash="0" * 64)
    assert stale.status_code == 409
    assert snapshot(casebook) == before
    base = current_hash(casebook / "hours" / f"{PERSON}.yaml")
    assert approve(coordinator, person=PERSON, month="2026-09", base_hash=base).status_code == 303
    states = [s.state for s in load_casebook(casebook).hours[PERSON].statements]
    assert states == ["goedgekeurd", "ingediend", "ingediend"]
    listed = coordinator.get("/uren").get_data(as_text=True)
    approved = listed.split("niet op een betaallijst")[1]
    assert "2026-09" in approved and "2026-10" not in approved
    assert approve(coordinator, month="2026-11").status_code == 303
    book = load_casebook(casebook)
    assert [s.state for s in book.hours[PERSON].statements][2] == "goedgekeurd"
    assert book.hours["anouk-de-graaf"].statements[-1].state == "goedgekeurd"
    assert book.hours[PERSON].statements[1].state == "ingediend"
    assert approve(coordinator, person=PERSON, opportunity=PLACE).status_code == 303
    assert {s.state for s in load_casebook(casebook).hours[PERSON].statements} == {"goedgekeurd"}
    assert approve(coordinator, month="2026-11").status_code == 409  # nothing left

    token = csrf_of(coordinator.get("/betaallijsten").get_data(as_text=True))
    made = coordinator.post("/betaallijsten", data={"csrf_token": token, "month": "11-2026"})
    assert made.status_code == 303 and made.location.endswith("/betaallijsten/1")
    page = coordinator.get("/betaallijsten/1").get_data(as_text=True)
    assert "Flevo Spaarbank" in page and "coöperatie" in page
    workbook = load_workbook(io.BytesIO(coordinator.get("/betaallijsten/1.xlsx").data))
    values = [cell for row in workbook.active.iter_rows(values_only=True) for cell in row]
    assert values.count(175) == 4  # three months of Erik (2.100 / 12), one of Anouk
    again = coordinator.post("/betaallijsten", data={"csrf_token": token, "month": "11-2026"})
    assert again.status_code == 409
    assert "betaallijst 1" in again.get_data(as_text=True)
    assert sorted(p.name for p in (casebook / "payments").iterdir()) == ["betaallijst-0001.yaml"]
    listing = coordinator.get("/betaallijsten").get_data(as_text=True)
    assert "/betaallijsten/1.xlsx" in listing


def test_a_bad_month_for_the_payment_list_is_refused_at_the_field(
    coordinator: FlaskClient, casebook: Path
) -> None:
    token = csrf_of(coordinator.get("/betaallijsten").get_data(as_text=True))
    response = coordinator.post("/betaallijsten", data={"csrf_token": token, "month": "13-2026"})
    assert response.status_code == 400
    assert 'id="month-error"' in response.get_data(as_text=True)
    assert not (casebook / "payments").exists()
    assert coordinator.get("/betaallijsten/7").status_code == 404
    assert coordinator.get("/betaallijsten/zomaar").status_code == 404


def test_the_sponsor_statement_page_and_downloads_show_people_by_pseudonym_only(
    coordinator: FlaskClient, casebook: Path
) -> None:
    from docx import Document

    book = load_casebook(casebook)
    sponsor = "bouwcombinatie-weerwater"
    page = coordinator.get(f"/sponsors/{sponsor}/verklaring?jaar=2026")
    assert page.status_code == 200
    word = coordinator.get(f"/sponsors/{sponsor}/verklaring.docx?jaar=2026")
    assert word.status_code == 200
    text = "\n".join(p.text for p in Document(io.BytesIO(word.data)).paragraphs)
    html = coordinator.get(f"/sponsors/{sponsor}/verklaring.html?jaar=2026").get_data(as_text=True)
    for person in book.people.values():
        for shown in (page.get_data(as_text=True), text, html):
            assert person.name not in shown
    assert book.sponsors[sponsor].name in text
    assert coordinator.get("/sponsors/bestaat-niet/verklaring").status_code == 404
    assert coordinator.get(f"/sponsors/{sponsor}/verklaring.pdf").status_code == 404


def test_renewals_list_agreements_ending_in_the_window_and_renew_by_a_year(
    coordinator: FlaskClient, casebook: Path
) -> None:
    page = coordinator.get("/verlengingen").get_data(as_text=True)
    assert "Anouk de Graaf" in page  # her agreement ends on 31-12-2026
    assert "Anouk de Graaf" not in coordinator.get("/verlengingen?dagen=10").get_data(as_text=True)
    token = csrf_of(page)
    base = current_hash(casebook / "people" / "anouk-de-graaf.yaml")
    response = coordinator.post(
        "/mensen/anouk-de-graaf/verlengen", data={"csrf_token": token, "base_hash": base}
    )
    assert response.status_code == 303
    placement = load_casebook(casebook).people["anouk-de-graaf"].placement
    assert placement is not None and placement.end == dt.date(2027, 12, 31)
    stale = coordinator.post(
        "/mensen/anouk-de-graaf/verlengen", data={"csrf_token": token, "base_hash": base}
    )
    assert stale.status_code == 409


def test_the_round_offers_the_answer_for_every_proposal(coordinator: FlaskClient) -> None:
    page = coordinator.get("/ronde").get_data(as_text=True)
    links = re.findall(r'href="/mensen/([a-z-]+)/antwoord\?plek=([a-z-]+)&sponsor=([a-z-]*)"', page)
    table = page.split('<table id="round">')[1].split("</table>")[0]
    assert len(links) == table.count("<tr>") - 1 - table.count("geen voorstel") > 0
    for person, place, sponsor in links[:3]:
        answer = coordinator.get(f"/mensen/{person}/antwoord?plek={place}&sponsor={sponsor}")
        assert answer.status_code == 200
        # The funder the round proposed is the one chosen in the form.
        chosen = re.search(r'<option value="([a-z-]*)" selected>', answer.get_data(as_text=True))
        assert (chosen.group(1) if chosen else "") == sponsor


def test_the_hours_page_exports_every_statement_public_and_internal(
    coordinator: FlaskClient, casebook: Path
) -> None:
    from openpyxl import load_workbook

    from toolkit.casebook.public import pseudonyms

    assert accept(coordinator).status_code == 303
    enter(coordinator, PERSON, "10-2026", "40", "250")
    enter(coordinator, PERSON, "11-2026", "12,5")
    assert approve(coordinator, person=PERSON, month="2026-10").status_code == 303
    page = coordinator.get("/uren").get_data(as_text=True)
    assert 'href="/uren.xlsx"' in page and 'href="/uren.csv?intern=1"' in page
    book = load_casebook(casebook)
    name = book.people[PERSON].name

    def rows(address: str) -> list[tuple[object, ...]]:
        response = coordinator.get(address)
        assert response.status_code == 200, address
        sheet = load_workbook(io.BytesIO(response.data)).active
        assert sheet is not None
        return [tuple(r) for r in sheet.iter_rows(values_only=True)]

    internal = rows("/uren.xlsx?intern=1")
    public = rows("/uren.xlsx")
    # Both months, whatever their state, with hours and amounts as numbers.
    for table in (internal, public):
        cells = [c for r in table[1:] for c in r]
        assert 12.5 in cells and 250 in cells and 40 in cells
        assert len(table) - 1 == len(book.hours[PERSON].statements) + sum(
            len(h.statements) for pid, h in book.hours.items() if pid != PERSON
        )
    # The internal list names people by id (which is made from the name), the public one by
    # pseudonym only.
    assert any(c == PERSON for r in internal for c in r)
    assert not any(PERSON in str(c) or name in str(c) for r in public for c in r)
    assert any(c == pseudonyms(book)[PERSON] for r in public for c in r)
