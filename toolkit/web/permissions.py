"""Who may do what: every route's rule in one table, and the one check that applies it.

The rules follow the role table of the web app (issue 10): the coordinator sees everything; a
facilitator sees people only through their public view and the matcher by pseudonym; a
secretaris sees people only through their public view and no matcher at all; inzage, vergeet,
accounts and the access log are the coordinator's alone.

:func:`allowed` is called for every request before its view runs (``before_request`` in
:mod:`toolkit.web.app`), so no view can forget it. A route without a rule is refused (fail
closed), and a test holds every registered route against every role. :data:`CAPABILITIES` says
what a view may *show* once it runs (names or pseudonyms, the internal verslag, full problems).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

from toolkit.casebook.accounts import ROLES

COORDINATOR: Final = "coordinator"
FACILITATOR: Final = "facilitator"
SECRETARIS: Final = "secretaris"

#: Anyone, also without a session: the log-in, the token, the language switch, static files.
EVERYONE: Final = frozenset({"", *ROLES})
#: Every role, once signed in.
SIGNED_IN: Final = frozenset(ROLES)
COORDINATOR_ONLY: Final = frozenset({COORDINATOR})
MATCHING: Final = frozenset({COORDINATOR, FACILITATOR})

#: Endpoint (``blueprint.view``) -> the roles that may open it ("" is: no session).
RULES: Final[Mapping[str, frozenset[str]]] = {
    "static": EVERYONE,
    "auth.login": EVERYONE,
    "auth.token": EVERYONE,
    "auth.logout": SIGNED_IN,
    "main.language": EVERYONE,
    "main.home": SIGNED_IN,
    "main.chart": SIGNED_IN,
    "main.problems": SIGNED_IN,
    "records.people": SIGNED_IN,
    "records.person": SIGNED_IN,
    "records.opportunities": SIGNED_IN,
    "records.opportunity": SIGNED_IN,
    "records.organisations": SIGNED_IN,
    "records.organisation": SIGNED_IN,
    "records.sponsors": SIGNED_IN,
    "records.sponsor": SIGNED_IN,
    "records.sessions": SIGNED_IN,
    "records.session": SIGNED_IN,
    "matching.options": MATCHING,
    "matching.round": MATCHING,
    # The match report as the command writes it (md, html, csv, json): it carries the reasons
    # and warnings about a person's situation, which the facilitator's pages leave out.
    "matching.options_download": COORDINATOR_ONLY,
    "matching.round_download": COORDINATOR_ONLY,
    "documents.verslag_download": SIGNED_IN,
    "documents.verslag_intern_download": frozenset({COORDINATOR, SECRETARIS}),
    "documents.qa": SIGNED_IN,
    "documents.qa_download": SIGNED_IN,
    "documents.kaart": SIGNED_IN,
    "documents.kaart_download": SIGNED_IN,
    "documents.overzicht_download": SIGNED_IN,
    "documents.sponsorplan": SIGNED_IN,
    "casussen.form": SIGNED_IN,
    "casussen.download": SIGNED_IN,
    "casussen.key": COORDINATOR_ONLY,
    "rights.inzage": COORDINATOR_ONLY,
    "rights.inzage_download": COORDINATOR_ONLY,
    "rights.vergeet": COORDINATOR_ONLY,
    "rights.vergeet_confirm": COORDINATOR_ONLY,
    "rights.views": COORDINATOR_ONLY,
    "rights.accounts": COORDINATOR_ONLY,
    # The coordinator's year (issue 12): answers, the path, hours, payments, sponsor statements.
    "year.answer": COORDINATOR_ONLY,
    "year.accept": COORDINATOR_ONLY,
    "year.refuse": COORDINATOR_ONLY,
    "year.path": COORDINATOR_ONLY,
    "year.status": COORDINATOR_ONLY,
    "year.renewals": COORDINATOR_ONLY,
    "year.renew_agreement": COORDINATOR_ONLY,
    "money.hours": COORDINATOR_ONLY,
    "money.hours_check": COORDINATOR_ONLY,
    "money.statements": COORDINATOR_ONLY,
    "money.approve": COORDINATOR_ONLY,
    "money.payments": COORDINATOR_ONLY,
    "money.payment": COORDINATOR_ONLY,
    "money.payment_download": COORDINATOR_ONLY,
    "money.sponsor_statement": COORDINATOR_ONLY,
    "money.sponsor_statement_download": COORDINATOR_ONLY,
    # Forms (issue 11): the coordinator makes and edits every kind; a secretaris sessions only.
    "editing.new_record": COORDINATOR_ONLY,
    "editing.create_record": COORDINATOR_ONLY,
    "editing.edit_record": COORDINATOR_ONLY,
    "editing.save_record_form": COORDINATOR_ONLY,
    "editing.new_session": frozenset({COORDINATOR, SECRETARIS}),
    "editing.create_session": frozenset({COORDINATOR, SECRETARIS}),
    "editing.edit_session": frozenset({COORDINATOR, SECRETARIS}),
    "editing.save_session": frozenset({COORDINATOR, SECRETARIS}),
    "editing.settings": COORDINATOR_ONLY,
    "editing.save_settings": COORDINATOR_ONLY,
    "history.changes": COORDINATOR_ONLY,
    # Import (issue 11): the coordinator's alone; it writes records.
    "transfer.upload": COORDINATOR_ONLY,
    "transfer.review": COORDINATOR_ONLY,
    "transfer.done": COORDINATOR_ONLY,
    # Exports of the lists: each role the list it sees (people in their public view unless
    # people.private; the internal list is refused to others in the view).
    "transfer.people_export": SIGNED_IN,
    "transfer.opportunities_export": SIGNED_IN,
    "transfer.organisations_export": SIGNED_IN,
    "transfer.sponsors_export": SIGNED_IN,
    "transfer.sponsor_figures_export": SIGNED_IN,
    "transfer.sessions_export": SIGNED_IN,
    "transfer.round_export": MATCHING,
    # Hours and allowances per person: money and names, like the hours page itself.
    "transfer.hours_export": COORDINATOR_ONLY,
}

#: What a view may show once it runs, by role.
CAPABILITIES: Final[Mapping[str, frozenset[str]]] = {
    # Names, contact, birth year, notes, situation; ids (which are names) in addresses.
    "people.private": COORDINATOR_ONLY,
    # The matcher's options, "why not" and the round (by pseudonym unless people.private).
    "matching": MATCHING,
    # The internal verslag, which names the people whose cases were discussed.
    "verslag.intern": frozenset({COORDINATOR, SECRETARIS}),
    # The casebook's problems with the values and files that name people.
    "problems.full": COORDINATOR_ONLY,
    # The casussen key, which names the people behind the pseudonyms.
    "casussen.key": COORDINATOR_ONLY,
    # The match report as a download (see RULES).
    "matching.download": COORDINATOR_ONLY,
    # Inzage, vergeet, accounts, the access log.
    "rights": COORDINATOR_ONLY,
    # The year's records and money: answers, path, hours, payment lists (names and amounts).
    "year": COORDINATOR_ONLY,
    # Importing lists from a spreadsheet (the upload page).
    "import": COORDINATOR_ONLY,
}


def allowed(endpoint: str | None, role: str | None) -> bool:
    """Whether ``role`` (None or "": no session) may open ``endpoint``; unknown ones never."""
    if endpoint is None:
        return False
    rule = RULES.get(endpoint)
    return rule is not None and (role or "") in rule


def can(role: str | None, capability: str) -> bool:
    return (role or "") in CAPABILITIES[capability]
