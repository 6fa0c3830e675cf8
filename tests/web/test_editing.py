"""Creating and editing records through the forms of the web app (issue 11).

Every test goes through the test client as a browser would: it opens the form, reads what the
form carries (the fields, the hidden hash, the CSRF token) from the HTML, changes some fields and
sends it back; then it reads the file on disk.
"""

from __future__ import annotations

import hashlib
import json
import string
import threading
from html.parser import HTMLParser
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict
from werkzeug.test import TestResponse

from tests.web.conftest import PASSWORD, ROLES, copy_example, sign_in
from toolkit.casebook import load_casebook
from toolkit.casebook.accounts import add_account
from toolkit.casebook.history import HISTORY_FILE
from toolkit.casebook.lock import casebook_lock
from toolkit.casebook.yamlfile import read_yaml
from toolkit.web.app import create_app

PERSON = "anouk-de-graaf"
#: One record of each kind in the example casebook: (form address, file).
EDITS = {
    "people": ("/bewerken/mensen/anouk-de-graaf", "people/anouk-de-graaf.yaml"),
    "opportunities": (
        "/bewerken/plekken/voedselbank-keukenhulp",
        "opportunities/voedselbank-keukenhulp.yaml",
    ),
    "organisations": (
        "/bewerken/organisaties/voedselbank-almere",
        "organisations/voedselbank-almere.yaml",
    ),
    "sponsors": ("/bewerken/sponsors/flevo-spaarbank", "sponsors/flevo-spaarbank.yaml"),
    "sessions": ("/bewerken/bijeenkomsten/dialoogavond-4", "sessions/dialoogavond-4.yaml"),
    "settings": ("/instellingen", "casebook.yaml"),
}


class _Form(HTMLParser):
    """The values a browser would send for the first form with a ``base_hash`` field."""

    def __init__(self) -> None:
        super().__init__()
        self.values: MultiDict[str, str] = MultiDict()
        self.forms = 0
        self.in_edit = False
        self.select: str | None = None
        self.selected = ""
        self.textarea: str | None = None
        self.text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.in_edit = "edit-form" in a.get("class", "")
        if not self.in_edit:
            return
        if tag == "input":
            kind = a.get("type", "text")
            if kind == "checkbox":
                if "checked" in a:
                    self.values.add(a["name"], a.get("value", "on"))
            else:
                self.values.add(a["name"], a.get("value", ""))
        elif tag == "select":
            self.select, self.selected = a["name"], ""
        elif tag == "option" and self.select is not None and "selected" in a:
            self.selected = a.get("value", "")
        elif tag == "textarea":
            self.textarea, self.text = a["name"], ""

    def handle_data(self, data: str) -> None:
        if self.textarea is not None:
            self.text += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.in_edit = False
        elif tag == "select" and self.select is not None:
            self.values.add(self.select, self.selected)
            self.select = None
        elif tag == "textarea" and self.textarea is not None:
            # As a browser sends it: every line break of a text area as CR LF.
            self.values.add(self.textarea, self.text.replace("\r\n", "\n").replace("\n", "\r\n"))
            self.textarea = None


def form_of(client: FlaskClient, address: str) -> MultiDict[str, str]:
    response = client.get(address)
    assert response.status_code == 200, response.get_data(as_text=True)[-500:]
    parser = _Form()
    parser.feed(response.get_data(as_text=True))
    assert "base_hash" in parser.values and "csrf_token" in parser.values
    return parser.values


def send(
    client: FlaskClient, address: str, values: MultiDict[str, str], **changes: object
) -> TestResponse:
    data = MultiDict(values)
    for name, value in changes.items():
        name = name.replace("__", ".")
        if isinstance(value, list):
            data.setlist(name, value)
        elif value is None:
            data.poplist(name)
        else:
            data[name] = str(value)
    return client.post(address, data=data)


@pytest.fixture
def team(tmp_path: Path) -> Path:
    root = copy_example(tmp_path / "cases")
    for role in ROLES:
        add_account(root, role, role, PASSWORD)
    return root


@pytest.fixture
def team_flask(team: Path) -> Flask:
    return create_app(team, secret_key="test", testing=True)


# --- editing keeps the file -----------------------------------------------------------------


@pytest.mark.parametrize("kind", list(EDITS))
def test_an_unchanged_save_leaves_the_file_byte_identical(
    coordinator: FlaskClient, casebook: Path, kind: str
) -> None:
    address, file = EDITS[kind]
    before = (casebook / file).read_bytes()
    response = send(coordinator, address, form_of(coordinator, address))
    assert response.status_code == 302, response.get_data(as_text=True)[-1500:]
    assert (casebook / file).read_bytes() == before
    assert not (casebook / HISTORY_FILE).exists()  # nothing written, nothing to record


#: Per kind: a field to change, the value typed, and the line the file must then hold.
CHANGES = {
    "people": ("contact.phone", "06-99990000", 'phone: "06-99990000"'),
    "opportunities": ("title", "Keukenhulp op zaterdag", "title: Keukenhulp op zaterdag"),
    "organisations": (
        "website",
        "https://voedselbank.example.nl",
        "website: https://voedselbank.example.nl",
    ),
    "sponsors": ("sroi_obligation", "€ 50.000,00", "sroi_obligation: 50000"),
    "sessions": ("venue", "De Kubus", "venue: De Kubus"),
    "settings": ("retention_months", "36", "retention_months: 36"),
}


@pytest.mark.parametrize("kind", list(EDITS))
def test_an_edit_changes_that_field_and_keeps_comments_and_order(
    coordinator: FlaskClient, casebook: Path, kind: str
) -> None:
    address, file = EDITS[kind]
    path = casebook / file
    # A comment of the coordinator's own, above and beside the first key: both must stay.
    lines = path.read_text(encoding="utf-8").splitlines()
    first = next(i for i, line in enumerate(lines) if line and not line.startswith("#"))
    lines[first] += "  # mijn opmerking"
    lines.insert(0, "# Bijgewerkt met de hand")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    before = path.read_text(encoding="utf-8").splitlines()

    field, typed, expected = CHANGES[kind]
    response = send(coordinator, address, form_of(coordinator, address), **{field: typed})
    assert response.status_code == 302, response.get_data(as_text=True)[-1500:]
    after = path.read_text(encoding="utf-8").splitlines()
    assert any(expected in line for line in after), after
    assert after[0] == "# Bijgewerkt met de hand"
    assert after[first + 1].endswith("  # mijn opmerking")
    # Every line that was there is still there, in the same order; one changed or was added.
    unchanged = [line for line in before if line in after]
    assert len(unchanged) >= len(before) - 1
    assert unchanged == [line for line in after if line in before]
    assert load_casebook(casebook).root == casebook  # the casebook still loads
    history = (casebook / HISTORY_FILE).read_text(encoding="utf-8").splitlines()
    entry = json.loads(history[-1])
    assert entry["by"] == "lokaal" and entry["fields"] == [field] and entry["action"] == "changed"


# --- making new records ---------------------------------------------------------------------

NEW = {
    "people": (
        "/bewerken/mensen/nieuw",
        {
            "name": "Fatima El Amrani",
            "birth_year": "1979",
            "district": "Almere Haven",
            "has_bsn": "ja",
            "situation": ["bijstand"],
            "talents": "koken, keuken, naaien",
            "availability.hours_per_week": "35,5",
            "availability.days": ["ma", "di"],
        },
        "people/fatima-el-amrani.yaml",
    ),
    "organisations": (
        "/bewerken/organisaties/nieuw",
        {"name": "Buurthuis De Schakel Oost", "kind": "non-profit", "district": "Almere Buiten"},
        "organisations/buurthuis-de-schakel-oost.yaml",
    ),
    "opportunities": (
        "/bewerken/plekken/nieuw",
        {
            "organisation": "voedselbank-almere",
            "title": "Inpakker",
            "district": "Almere Stad",
            "hours_per_week.min": "4",
            "hours_per_week.max": "12,5",
        },
        "opportunities/inpakker.yaml",
    ),
    "sponsors": (
        "/bewerken/sponsors/nieuw",
        {"name": "Bouwbedrijf Polder", "sector": "bouw", "sroi_obligation": "50.000"},
        "sponsors/bouwbedrijf-polder.yaml",
    ),
    "sessions": (
        "/bewerken/bijeenkomsten/nieuw",
        {"kind": "verdiepingssessie", "title": "Verdieping werkgevers", "date": "2026-12-10"},
        "sessions/verdieping-werkgevers.yaml",
    ),
}


@pytest.mark.parametrize("kind", list(NEW))
def test_a_new_record_is_made_from_the_form_with_an_id_from_its_name(
    coordinator: FlaskClient, casebook: Path, kind: str
) -> None:
    address, typed, file = NEW[kind]
    response = send(coordinator, address, form_of(coordinator, address), **typed)
    assert response.status_code == 302, response.get_data(as_text=True)[-2000:]
    assert (casebook / file).is_file()
    book = load_casebook(casebook)
    record = book.records(kind)[Path(file).stem]
    if kind == "people":
        assert record.availability.hours_per_week == 35.5  # Dutch notation
        assert record.talents == ["koken", "naaien"]  # "keuken" is a synonym of koken
        assert record.consent is None  # never given by default
    if kind == "sponsors":
        assert record.sroi_obligation == 50000  # not fifty
    if kind == "opportunities":
        assert record.hours_per_week.max == 12.5
    # The same name again gets an id of its own, never the first one's file.
    again = send(coordinator, address, form_of(coordinator, address), **typed)
    assert again.status_code == 302
    assert (casebook / file.replace(".yaml", "-2.yaml")).is_file()


def test_the_new_person_form_has_no_consent_and_no_example_values(coordinator: FlaskClient) -> None:
    values = form_of(coordinator, "/bewerken/mensen/nieuw")
    assert "consent.given" not in values  # the box is not ticked
    assert values["consent.data"] == ""
    assert values["name"] == "" and values["has_bsn"] == ""
    assert "contact.name" not in values  # a person's own contact has no contact person


def test_groups_left_empty_are_left_out(coordinator: FlaskClient, casebook: Path) -> None:
    """No contact and no availability typed: no such groups, rather than groups that lack
    their required parts."""
    address, typed, file = NEW["people"]
    without = {k: v for k, v in typed.items() if not k.startswith("availability.")}
    response = send(coordinator, address, form_of(coordinator, address), **without)
    assert response.status_code == 302, response.get_data(as_text=True)[-1500:]
    data = read_yaml(casebook / file).data
    assert "availability" not in data and "contact" not in data


def test_consent_needs_the_box_and_the_date(coordinator: FlaskClient, casebook: Path) -> None:
    address, typed, file = NEW["people"]
    values = form_of(coordinator, address)
    only_date = send(coordinator, address, values, **typed, consent__data="2026-11-30")
    assert only_date.status_code == 400
    only_box = send(coordinator, address, values, **typed, consent__given="ja")
    assert only_box.status_code == 400
    assert "toestemming" in only_box.get_data(as_text=True)
    assert not (casebook / file).exists()
    both = send(
        coordinator, address, values, **typed, consent__given="ja", consent__data="2026-11-30"
    )
    assert both.status_code == 302
    assert str(read_yaml(casebook / file).data["consent"]["data"]) == "2026-11-30"


# --- a refused save -------------------------------------------------------------------------


def test_a_refused_save_keeps_everything_typed_and_shows_each_problem_by_its_field(
    coordinator: FlaskClient, casebook: Path
) -> None:
    address, file = EDITS["people"]
    before = (casebook / file).read_bytes()
    response = send(
        coordinator,
        address,
        form_of(coordinator, address),
        name="Anouk de Graaf-Visser",
        birth_year="1850",
        availability__hours_per_week="1.5",
        notes="Belde op maandag terug",
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Traceback" not in html
    assert (casebook / file).read_bytes() == before
    parser = _Form()
    parser.feed(html)
    assert parser.values["name"] == "Anouk de Graaf-Visser"
    assert parser.values["notes"] == "Belde op maandag terug"
    assert parser.values["availability.hours_per_week"] == "1.5"
    # The problem is inside the field's own block, in Dutch.
    block = html.split('id="f-availability-hours-per-week"')[1].split('class="field')[0]
    assert "f-availability-hours-per-week-error" in block and "op twee manieren" in block
    # The models' problems with the other fields come in the same round.
    block = html.split('id="f-birth-year"')[1].split('class="field')[0]
    assert 'id="f-birth-year-error"' in block and "minstens 1.900" in block


def test_a_model_error_is_shown_next_to_its_field(coordinator: FlaskClient, casebook: Path) -> None:
    address, file = EDITS["people"]
    before = (casebook / file).read_bytes()
    response = send(coordinator, address, form_of(coordinator, address), birth_year="1850")
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    block = html.split('id="f-birth-year"')[1].split('class="field')[0]
    assert 'id="f-birth-year-error"' in block and "minstens 1.900" in block
    assert (casebook / file).read_bytes() == before


def test_an_unknown_district_is_refused(coordinator: FlaskClient, casebook: Path) -> None:
    address, _file = EDITS["people"]
    response = send(coordinator, address, form_of(coordinator, address), district="Haven")
    assert response.status_code == 400
    assert "Almere Haven" in response.get_data(as_text=True)


# --- no lost update -------------------------------------------------------------------------


def test_two_saves_from_the_same_version_one_wins_the_other_sees_both(
    app: Flask, coordinator: FlaskClient, casebook: Path
) -> None:
    address, file = EDITS["organisations"]
    first = form_of(coordinator, address)
    second = MultiDict(first)
    won = send(coordinator, address, first, website="https://winnaar.example.nl")
    assert won.status_code == 302
    winner = (casebook / file).read_bytes()
    lost = send(coordinator, address, second, website="https://verliezer.example.nl")
    html = lost.get_data(as_text=True)
    assert lost.status_code == 409
    assert "https://winnaar.example.nl" in html and "https://verliezer.example.nl" in html
    assert 'href="/bewerken/organisaties/voedselbank-almere"' in html  # start again
    assert (casebook / file).read_bytes() == winner


def test_two_saves_at_the_same_moment_never_both_win(team_flask: Flask, team: Path) -> None:
    address, file = EDITS["sponsors"]
    clients = [sign_in(team_flask, "coordinator") for _ in range(2)]
    forms = [form_of(c, address) for c in clients]
    barrier = threading.Barrier(2)
    results: dict[int, tuple[int, str]] = {}

    def save(index: int) -> None:
        barrier.wait()
        response = send(clients[index], address, forms[index], statement=f"Versie {index}")
        results[index] = (response.status_code, response.get_data(as_text=True))

    threads = [threading.Thread(target=save, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    statuses = sorted(status for status, _html in results.values())
    assert statuses == [302, 409]
    winner = next(i for i, (status, _html) in results.items() if status == 302)
    assert read_yaml(team / file).data["statement"] == f"Versie {winner}"
    history = [json.loads(line) for line in (team / HISTORY_FILE).read_text().splitlines()]
    assert [(h["id"], h["by"]) for h in history] == [("flevo-spaarbank", "coordinator")]


def test_a_command_writing_during_a_save_makes_the_save_wait_and_then_refuse(
    coordinator: FlaskClient, casebook: Path
) -> None:
    """A writer holding the casebook lock (as every command does) is never interleaved with:
    the save waits for the lock, then finds the file changed and refuses."""
    address, file = EDITS["sponsors"]
    values = form_of(coordinator, address)
    holding = threading.Event()
    released = threading.Event()

    def command() -> None:
        with casebook_lock(casebook):
            holding.set()
            released.wait(0.5)  # the save arrives meanwhile and must wait
            path = casebook / file
            path.write_text(path.read_text() + "sroi_deadline: 2027-01-01\n")
            released.set()

    writer = threading.Thread(target=command)
    writer.start()
    assert holding.wait(10)
    response = send(coordinator, address, values, statement="Tegelijk getypt")
    # The response came only after the command let go, and saw what it wrote.
    assert released.is_set()
    writer.join(10)
    assert response.status_code == 409
    text = (casebook / file).read_text()
    assert "sroi_deadline: 2027-01-01" in text and "Tegelijk getypt" not in text


def test_a_save_waits_for_a_command_and_then_saves(
    coordinator: FlaskClient, casebook: Path
) -> None:
    address, file = EDITS["sponsors"]
    values = form_of(coordinator, address)
    holding, released = threading.Event(), threading.Event()

    def command() -> None:
        with casebook_lock(casebook):
            holding.set()
            released.wait(0.5)
            released.set()

    writer = threading.Thread(target=command)
    writer.start()
    assert holding.wait(10)
    response = send(coordinator, address, values, statement="Na het commando")
    assert released.is_set()
    writer.join(10)
    assert response.status_code == 302
    assert read_yaml(casebook / file).data["statement"] == "Na het commando"


# --- the change history ---------------------------------------------------------------------


def test_the_history_holds_who_and_which_fields_never_the_values(
    team_flask: Flask, team: Path
) -> None:
    client = sign_in(team_flask, "coordinator")
    address, typed, _file = NEW["people"]
    personal = {
        "contact.phone": "06-31415926",
        "contact.email": "fatima.amrani@example.nl",
        "wishes.text": "Graag koken voor ouderen in de wijk",
        "notes": "Belt liever na vijf uur",
        "birth_year": "1979",
    }
    assert (
        send(client, address, form_of(client, address), **{**typed, **personal}).status_code == 302
    )
    edit = "/bewerken/mensen/fatima-el-amrani"
    changed = {"contact.phone": "06-27182818", "notes": "Heeft een nieuwe telefoon"}
    assert send(client, edit, form_of(client, edit), **changed).status_code == 302
    log = (team / HISTORY_FILE).read_text(encoding="utf-8")
    for value in [*personal.values(), *changed.values(), typed["name"], "Almere Haven", "bijstand"]:
        assert str(value) not in log, value
    entries = [json.loads(line) for line in log.splitlines()]
    assert [(e["action"], e["by"]) for e in entries] == [
        ("created", "coordinator"),
        ("changed", "coordinator"),
    ]
    assert entries[1]["fields"] == ["contact.phone", "notes"]
    page = client.get("/wijzigingen").get_data(as_text=True)
    assert "fatima-el-amrani" in page and "Telefoon" in page and "06-27182818" not in page
    record = client.get("/mensen/fatima-el-amrani").get_data(as_text=True)
    assert "Wijzigingsgeschiedenis" in record and "Notities" in record


# --- roles ----------------------------------------------------------------------------------


def test_a_secretaris_edits_sessions_and_sees_no_people_in_the_form(
    team_flask: Flask, team: Path
) -> None:
    client = sign_in(team_flask, "secretaris")
    address, file = EDITS["sessions"]
    html = client.get(address).get_data(as_text=True)
    book = load_casebook(team)
    for person in book.people.values():
        assert person.id not in html and person.name not in html
    response = send(client, address, form_of(client, address), venue="Stadhuis")
    assert response.status_code == 302
    assert read_yaml(team / file).data["venue"] == "Stadhuis"
    assert client.get(EDITS["people"][0]).status_code == 403
    assert client.get("/instellingen").status_code == 403
    # The session page offers the edit button; the people list offers no "new".
    assert 'href="/bewerken/bijeenkomsten/dialoogavond-4"' in client.get(
        "/bijeenkomsten/dialoogavond-4"
    ).get_data(as_text=True)
    assert "/bewerken/mensen/nieuw" not in client.get("/mensen").get_data(as_text=True)


def test_a_secretaris_conflict_page_shows_no_file_text(team_flask: Flask, team: Path) -> None:
    client = sign_in(team_flask, "secretaris")
    address, file = EDITS["sessions"]
    values = form_of(client, address)
    path = team / file
    path.write_text(path.read_text().replace("status: concept", "status: vastgesteld"))
    response = send(client, address, values, venue="Stadhuis")
    html = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "<pre" not in html
    for person in load_casebook(team).people.values():
        assert person.id not in html


def test_a_facilitator_has_no_edit_buttons(team_flask: Flask) -> None:
    client = sign_in(team_flask, "facilitator")
    for page in ("/mensen", "/plekken", "/bijeenkomsten", "/sponsors/flevo-spaarbank"):
        assert "/bewerken/" not in client.get(page).get_data(as_text=True), page


def test_the_form_suggests_the_casebook_s_tags_and_explains_each_field(
    coordinator: FlaskClient,
) -> None:
    html = coordinator.get("/bewerken/mensen/nieuw").get_data(as_text=True)
    talents = html.split('id="f-talents-list"')[1].split("</datalist>")[0]
    assert '<option value="koken">' in talents
    assert '<option value="keuken">' not in talents  # a synonym of koken in the example
    assert "wijk waar de persoon woont" in html  # the starter file's comment
    districts = html.split('id="f-district"')[1].split("</select>")[0]
    assert '<option value="Almere Haven">' in districts


def test_opening_a_person_s_form_is_in_the_access_log(team_flask: Flask, team: Path) -> None:
    from toolkit.casebook.viewlog import read_views

    client = sign_in(team_flask, "coordinator")
    assert client.get(EDITS["people"][0]).status_code == 200
    assert [(v.user, v.person_id) for v in read_views(team)] == [("coordinator", PERSON)]


def test_settings_are_made_when_the_casebook_has_none(
    coordinator: FlaskClient, casebook: Path
) -> None:
    (casebook / "casebook.yaml").unlink()
    address = "/instellingen"
    values = form_of(coordinator, address)
    assert values["base_hash"] == "-"
    response = send(coordinator, address, values, name="Nieuw casebook")
    assert response.status_code == 302, response.get_data(as_text=True)[-1500:]
    assert read_yaml(casebook / "casebook.yaml").data["name"] == "Nieuw casebook"


#: The person's form, per casebook: made once, sent with every example.
_PRIVACY_FORMS: dict[Path, MultiDict[str, str]] = {}
_TYPED = st.text(
    alphabet=string.ascii_letters + string.digits + " -@.", min_size=8, max_size=40
).filter(lambda text: len(text.strip()) >= 8)


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(phone=_TYPED, email=_TYPED, notes=_TYPED, wish=_TYPED)
@example(
    phone="06-12345678",
    email="iemand@example.nl",
    notes="Belt na vijven",
    wish="Koken voor de buurt",
)
def test_no_value_typed_in_a_form_reaches_the_history(
    coordinator: FlaskClient, casebook: Path, phone: str, email: str, notes: str, wish: str
) -> None:
    address, file = EDITS["people"]
    if casebook not in _PRIVACY_FORMS:
        _PRIVACY_FORMS[casebook] = form_of(coordinator, address)
    # The same form each time, made from the file as it is now (the hash a fresh form carries).
    values = MultiDict(_PRIVACY_FORMS[casebook])
    values["base_hash"] = hashlib.sha256((casebook / file).read_bytes()).hexdigest()
    typed = {"contact.phone": phone, "contact.email": email, "notes": notes, "wishes.text": wish}
    response = send(coordinator, address, values, **typed)
    assert response.status_code == 302, response.get_data(as_text=True)[-1000:]
    log = (casebook / HISTORY_FILE).read_text(encoding="utf-8")
    for value in typed.values():
        assert value.strip() not in log
