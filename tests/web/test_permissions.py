"""Every route against every role and against no session, from the permission table.

The expected answer comes from the role table of the issue, written out here independently of
``toolkit.web.permissions`` (an oracle): a route added to the app without a rule, or a rule that
drifts from the role table, fails.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest
from flask import Flask

from tests.web.conftest import ROLES, sign_in
from toolkit.casebook import Casebook, load_casebook
from toolkit.casebook.public import pseudonyms
from toolkit.web import permissions

C, F, S = "coordinator", "facilitator", "secretaris"
ALL = {C, F, S}

#: The role table of issue 10, per endpoint: who may open it ("" is no session).
EXPECTED: dict[str, set[str]] = {
    "static": {"", *ALL},
    "auth.login": {"", *ALL},
    "auth.token": {"", *ALL},
    "auth.logout": ALL,
    "main.language": {"", *ALL},
    "main.home": ALL,
    "main.chart": ALL,
    "main.problems": ALL,
    "records.people": ALL,
    "records.person": ALL,  # the public view for F and S (checked in test_privacy)
    "records.opportunities": ALL,
    "records.opportunity": ALL,
    "records.organisations": ALL,
    "records.organisation": ALL,
    "records.sponsors": ALL,
    "records.sponsor": ALL,
    "records.sessions": ALL,
    "records.session": ALL,
    "matching.options": {C, F},
    "matching.round": {C, F},
    "matching.options_download": {C},
    "matching.round_download": {C},
    "documents.verslag_download": ALL,
    "documents.verslag_intern_download": {C, S},
    "documents.qa": ALL,
    "documents.qa_download": ALL,
    "documents.kaart": ALL,
    "documents.kaart_download": ALL,
    "documents.overzicht_download": ALL,
    "documents.sponsorplan": ALL,
    "casussen.form": ALL,  # people by pseudonym for F and S (test_casussen_page)
    "casussen.download": ALL,
    "casussen.key": {C},  # the key names the people behind the pseudonyms
    "rights.inzage": {C},
    "rights.inzage_download": {C},
    "rights.vergeet": {C},
    "rights.vergeet_confirm": {C},
    "rights.views": {C},
    "rights.accounts": {C},
    # The coordinator's year (issue 12): names, situations and money, so the coordinator's.
    "year.answer": {C},
    "year.accept": {C},
    "year.refuse": {C},
    "year.path": {C},
    "year.status": {C},
    "year.renewals": {C},
    "year.renew_agreement": {C},
    "money.hours": {C},
    "money.hours_check": {C},
    "money.statements": {C},
    "money.approve": {C},
    "money.payments": {C},
    "money.payment": {C},
    "money.payment_download": {C},
    "money.sponsor_statement": {C},
    "money.sponsor_statement_download": {C},
    # Forms (issue 11): the coordinator makes and edits every kind, a secretaris sessions only.
    "editing.new_record": {C},
    "editing.create_record": {C},
    "editing.edit_record": {C},
    "editing.save_record_form": {C},
    "editing.new_session": {C, S},
    "editing.create_session": {C, S},
    "editing.edit_session": {C, S},
    "editing.save_session": {C, S},
    "editing.settings": {C},
    "editing.save_settings": {C},
    "history.changes": {C},
    "transfer.upload": {C},
    "transfer.review": {C},
    "transfer.done": {C},
    "transfer.people_export": ALL,  # the public view unless C asks for the internal list
    "transfer.opportunities_export": ALL,
    "transfer.organisations_export": ALL,  # contact persons only in C's internal list
    "transfer.sponsors_export": ALL,
    "transfer.sponsor_figures_export": ALL,
    "transfer.sessions_export": ALL,
    "transfer.round_export": {C, F},
    "transfer.hours_export": {C},
}

PERSON = "anouk-de-graaf"


@cache
def _book(casebook: Path) -> Casebook:
    return load_casebook(casebook)


def sample(endpoint: str, role: str, casebook: Path) -> tuple[str, str]:
    """The method and a real address for ``endpoint``, as ``role`` would name it."""
    book = _book(casebook)
    key = PERSON if role == C else pseudonyms(book)[PERSON]
    session = next(iter(book.sessions))
    addresses: dict[str, tuple[str, str]] = {
        "static": ("GET", "/static/web.css"),
        "auth.login": ("GET", "/inloggen"),
        "auth.token": ("GET", "/start?token=wrong"),
        "auth.logout": ("POST", "/uitloggen"),
        "main.language": ("POST", "/taal"),
        "main.home": ("GET", "/"),
        "main.chart": ("GET", "/grafiek/progress.svg"),
        "main.problems": ("GET", "/problemen"),
        "records.people": ("GET", "/mensen"),
        "records.person": ("GET", f"/mensen/{key}"),
        "records.opportunities": ("GET", "/plekken"),
        "records.opportunity": ("GET", "/plekken/voedselbank-keukenhulp"),
        "records.organisations": ("GET", "/organisaties"),
        "records.organisation": ("GET", "/organisaties/voedselbank-almere"),
        "records.sponsors": ("GET", "/sponsors"),
        "records.sponsor": ("GET", "/sponsors/flevo-spaarbank"),
        "records.sessions": ("GET", "/bijeenkomsten"),
        "records.session": ("GET", f"/bijeenkomsten/{session}"),
        "matching.options": ("GET", f"/mensen/{key}/opties"),
        "matching.round": ("GET", "/ronde"),
        "matching.options_download": ("GET", f"/mensen/{key}/opties.md"),
        "matching.round_download": ("GET", "/ronde.csv"),
        "documents.verslag_download": ("GET", f"/bijeenkomsten/{session}/verslag.md"),
        "documents.verslag_intern_download": (
            "GET",
            f"/bijeenkomsten/{session}/verslag-intern.md",
        ),
        "documents.qa": ("GET", "/vragen"),
        "documents.qa_download": ("GET", "/vragen.md"),
        "documents.kaart": ("GET", "/kaart"),
        "documents.kaart_download": ("GET", "/kaart.gexf"),
        "documents.overzicht_download": ("GET", "/overzicht.md"),
        "documents.sponsorplan": ("GET", "/sponsorplan"),
        "casussen.form": ("GET", "/casussen"),
        "casussen.download": ("POST", "/casussen.zip"),
        "casussen.key": ("POST", "/casussen/sleutel"),
        "rights.inzage": ("GET", f"/inzage/{PERSON}"),
        "rights.inzage_download": ("GET", f"/inzage/{PERSON}.md"),
        "rights.vergeet": ("GET", f"/vergeet/{PERSON}"),
        "rights.vergeet_confirm": ("POST", f"/vergeet/{PERSON}"),
        "rights.views": ("GET", "/inzagelog"),
        "rights.accounts": ("GET", "/gebruikers"),
        "year.answer": ("GET", f"/mensen/{key}/antwoord?plek=voedselbank-keukenhulp"),
        "year.accept": ("POST", f"/mensen/{key}/plaatsen"),
        "year.refuse": ("POST", f"/mensen/{key}/afwijzen"),
        "year.path": ("GET", f"/mensen/{key}/pad"),
        "year.status": ("POST", f"/mensen/{key}/status"),
        "year.renewals": ("GET", "/verlengingen"),
        "year.renew_agreement": ("POST", f"/mensen/{key}/verlengen"),
        "money.hours": ("GET", f"/mensen/{key}/uren"),
        "money.hours_check": ("POST", f"/mensen/{key}/uren/controle"),
        "money.statements": ("GET", "/uren"),
        "money.approve": ("POST", "/uren/goedkeuren"),
        "money.payments": ("GET", "/betaallijsten"),
        "money.payment": ("GET", "/betaallijsten/2026-11"),
        "money.payment_download": ("GET", "/betaallijsten/2026-11.xlsx"),
        "money.sponsor_statement": ("GET", "/sponsors/flevo-spaarbank/verklaring"),
        "money.sponsor_statement_download": ("GET", "/sponsors/flevo-spaarbank/verklaring.docx"),
        "editing.new_record": ("GET", "/bewerken/mensen/nieuw"),
        "editing.create_record": ("POST", "/bewerken/mensen/nieuw"),
        "editing.edit_record": ("GET", f"/bewerken/mensen/{PERSON}"),
        "editing.save_record_form": ("POST", f"/bewerken/mensen/{PERSON}"),
        "editing.new_session": ("GET", "/bewerken/bijeenkomsten/nieuw"),
        "editing.create_session": ("POST", "/bewerken/bijeenkomsten/nieuw"),
        "editing.edit_session": ("GET", f"/bewerken/bijeenkomsten/{session}"),
        "editing.save_session": ("POST", f"/bewerken/bijeenkomsten/{session}"),
        "editing.settings": ("GET", "/instellingen"),
        "editing.save_settings": ("POST", "/instellingen"),
        "history.changes": ("GET", "/wijzigingen"),
        "transfer.upload": ("GET", "/importeren"),
        "transfer.review": ("POST", "/importeren/controle"),
        "transfer.done": ("GET", "/importeren/klaar?soort=personen&aantal=1"),
        "transfer.people_export": ("GET", "/mensen.xlsx"),
        "transfer.opportunities_export": ("GET", "/plekken.csv"),
        "transfer.organisations_export": ("GET", "/organisaties.csv"),
        "transfer.sponsors_export": ("GET", "/sponsors.xlsx"),
        "transfer.sponsor_figures_export": ("GET", "/sponsorcijfers.csv"),
        "transfer.sessions_export": ("GET", "/bijeenkomsten.xlsx"),
        "transfer.round_export": ("GET", "/ronde/voorstellen.csv"),
        "transfer.hours_export": ("GET", "/uren.xlsx"),
    }
    return addresses[endpoint]


def test_every_route_has_a_rule_and_the_rules_match_the_role_table(team_app: Flask) -> None:
    registered = {rule.endpoint for rule in team_app.url_map.iter_rules()}
    assert registered - set(permissions.RULES) == set(), "routes without a rule"
    assert set(permissions.RULES) - registered == set(), "rules without a route"
    assert {endpoint: set(roles) for endpoint, roles in permissions.RULES.items()} == EXPECTED


@pytest.mark.parametrize("role", ["", *ROLES])
def test_every_route_answers_each_role_as_the_table_says(
    team_app: Flask, team_casebook: Path, role: str
) -> None:
    client = sign_in(team_app, role) if role else team_app.test_client()
    for rule in team_app.url_map.iter_rules():
        endpoint = rule.endpoint
        if endpoint == "auth.token":
            continue  # open to all; the view itself checks the token (test_auth)
        method, address = sample(endpoint, role, team_casebook)
        # POSTs go without a CSRF token: allowed ones are refused by CSRF (400), not by role.
        response = client.open(address, method=method)
        status = response.status_code
        if role in EXPECTED[endpoint]:
            assert status != 403 and not _to_login(response), (role, endpoint, status)
            if method == "POST":
                assert status == 400, (role, endpoint, status)
            else:
                assert status == 200, (role, endpoint, status)
        elif role:
            assert status == 403, (role, endpoint, status)
        else:
            assert _to_login(response), (endpoint, status)
        if endpoint == "auth.logout" and role:
            client = sign_in(team_app, role)  # stay signed in for the rest (it was a 400)


def _to_login(response: object) -> bool:
    status = getattr(response, "status_code", 0)
    location = getattr(response, "location", "") or ""
    return status == 302 and "/inloggen" in location


def test_without_accounts_and_without_the_token_every_page_is_refused(app: Flask) -> None:
    client = app.test_client()
    for rule in app.url_map.iter_rules():
        if rule.endpoint in ("static", "auth.login", "auth.token", "main.language"):
            continue
        method = (
            "POST"
            if "POST" in (rule.methods or ()) and "GET" not in (rule.methods or ())
            else "GET"
        )
        address = rule.rule.replace("<path:key>", PERSON).replace("<key>", "progress")
        address = address.replace("<record_id>", "x").replace("<person_id>", PERSON)
        address = address.replace("<fmt>", "md").replace("<kind>", "mensen")
        assert client.open(address, method=method).status_code == 403, rule.endpoint
