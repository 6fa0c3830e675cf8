"""The web app in a real browser (Debian's Chromium, headless, through Selenium) on waitress.

Nothing is downloaded: the browser and its driver are the system's, Selenium Manager is never
asked. axe-core (shipped inside axe-selenium-python) checks every page; a serious or critical
violation fails (WCAG 2.1 AA).
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.system import require_program
from tests.web.conftest import PASSWORD, ROLES, copy_example
from toolkit.casebook import load_casebook
from toolkit.casebook.accounts import add_account
from toolkit.casebook.public import pseudonyms
from toolkit.web.app import create_app

PERSON = "anouk-de-graaf"
CHROME_FLAGS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",
    "--window-size=1280,1000",
)


@pytest.fixture(scope="module")
def casebook(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_example(tmp_path_factory.mktemp("browser") / "cases")
    for role in ROLES:
        add_account(root, role, role, PASSWORD)
    return root


@pytest.fixture(scope="module")
def server(casebook: Path) -> Iterator[str]:
    import waitress

    app = create_app(casebook)
    listener = waitress.create_server(app, host="127.0.0.1", port=0, threads=4)
    thread = threading.Thread(target=listener.run, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{listener.effective_port}"  # type: ignore[union-attr]
    finally:
        listener.close()
        thread.join(timeout=5)


@pytest.fixture(scope="module")
def downloads(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("downloads")


@pytest.fixture(scope="module")
def browser(downloads: Path) -> Iterator[Any]:
    chromium = require_program("chromium", "chromium-browser")
    driver_path = require_program("chromedriver")
    os.environ["SE_OFFLINE"] = "true"  # Selenium Manager may never fetch anything
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in CHROME_FLAGS:
        options.add_argument(flag)
    options.add_experimental_option(
        "prefs",
        {"download.default_directory": str(downloads), "download.prompt_for_download": False},
    )
    driver = webdriver.Chrome(service=Service(driver_path), options=options)
    driver.set_page_load_timeout(60)
    driver.set_script_timeout(60)
    try:
        yield driver
    finally:
        driver.quit()


AXE_RUN = """
var done = arguments[arguments.length - 1];
axe.run(document, {
  runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa']},
  resultTypes: ['violations']
}).then(function (results) {
  done(results.violations
    .filter(function (v) { return v.impact === 'serious' || v.impact === 'critical'; })
    .map(function (v) {
      return v.id + ' (' + v.impact + '): ' + v.help + ' at ' +
        v.nodes.slice(0, 3).map(function (n) { return n.target.join(' '); }).join(', ');
    }));
}).catch(function (error) { done(['axe failed: ' + error]); });
"""


def waiting(browser: Any, seconds: float) -> Any:
    """A wait that looks its elements up again when they are replaced meanwhile.

    A condition that finds an element and then reads it can run while the page changes under
    it (a form's submit loads the next page, an htmx swap replaces a table): the element found
    a moment before is then stale, which says "not yet", not "failed". One CI run failed that
    way waiting for ``main`` after the import's submit.
    """
    from selenium.common.exceptions import StaleElementReferenceException
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(browser, seconds, ignored_exceptions=(StaleElementReferenceException,))


def sign_in(browser: Any, server: str, role: str) -> None:
    from selenium.webdriver.common.by import By

    browser.delete_all_cookies()
    browser.get(f"{server}/inloggen")
    browser.find_element(By.ID, "name").send_keys(role)
    browser.find_element(By.ID, "password").send_keys(PASSWORD)
    browser.find_element(By.CSS_SELECTOR, "form.form button[type=submit]").click()
    waiting(browser, 30).until(
        lambda b: b.find_elements(By.CSS_SELECTOR, "form[action='/uitloggen']")
    )


def serious_violations(browser: Any) -> list[str]:
    from axe_selenium_python import Axe

    Axe(browser).inject()
    # Only the violations come back, in plain strings: the full result (every passing check,
    # with its nodes) is too large to pass through the driver in time.
    found: list[str] = browser.execute_async_script(AXE_RUN)
    return found


def test_coordinator_opens_a_person_runs_the_round_and_downloads_the_verslag(
    browser: Any, server: str, casebook: Path, downloads: Path
) -> None:
    from docx import Document
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    sign_in(browser, server, "coordinator")
    browser.find_element(By.LINK_TEXT, "Personen").click()
    browser.find_element(By.ID, "q").send_keys("anouk")
    browser.find_element(By.CSS_SELECTOR, "form.filters button").click()
    # Typing also starts an htmx swap of the table, which may land after the form's reload: an
    # element found a moment earlier can be replaced, so every step looks it up again.
    wait = waiting(browser, 30)
    wait.until(lambda b: len(b.find_elements(By.CSS_SELECTOR, "#rows tbody tr")) == 1)
    wait.until(lambda b: b.find_element(By.PARTIAL_LINK_TEXT, "Anouk").click() or True)
    wait.until(lambda b: "Anouk" in b.find_element(By.TAG_NAME, "h1").text)

    browser.find_element(By.LINK_TEXT, "Voorstelronde").click()
    Select(wait.until(lambda b: b.find_element(By.ID, "method"))).select_by_value("stable")
    browser.find_element(By.CSS_SELECTOR, "form.filters button").click()
    wait.until(lambda b: "method=stable" in b.current_url)
    rows = wait.until(lambda b: b.find_elements(By.CSS_SELECTOR, "#round tbody tr"))
    book = load_casebook(casebook)
    assert len(rows) == len(book.candidates())

    session = next(iter(book.sessions.values()))
    browser.get(f"{server}/bijeenkomsten/{session.id}")
    browser.find_element(By.CSS_SELECTOR, f"a[href$='/{session.id}/verslag.docx']").click()
    target = downloads / f"verslag-{session.id}.docx"
    deadline = time.monotonic() + 30
    while not target.exists() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert target.exists(), sorted(p.name for p in downloads.iterdir())
    text = "\n".join(p.text for p in Document(str(target)).paragraphs)
    assert session.title in text


def test_htmx_filters_the_list_without_reloading(browser: Any, server: str) -> None:
    from selenium.webdriver.common.by import By

    sign_in(browser, server, "secretaris")
    browser.get(f"{server}/plekken")
    total = len(browser.find_elements(By.CSS_SELECTOR, "#rows tbody tr"))
    browser.execute_script("window.notReloaded = true")
    browser.find_element(By.ID, "q").send_keys("voedselbank")
    waiting(browser, 10).until(
        lambda b: 0 < len(b.find_elements(By.CSS_SELECTOR, "#rows tbody tr")) < total
    )
    assert browser.execute_script("return window.notReloaded") is True


def pages(casebook: Path, role: str) -> list[str]:
    book = load_casebook(casebook)
    key = PERSON if role == "coordinator" else pseudonyms(book)[PERSON]
    session = next(iter(book.sessions))
    found = [
        "/",
        "/problemen",
        "/mensen",
        f"/mensen/{key}",
        "/plekken",
        "/plekken/voedselbank-keukenhulp",
        "/organisaties",
        "/organisaties/voedselbank-almere",
        "/sponsors",
        "/sponsors/flevo-spaarbank",
        "/bijeenkomsten",
        f"/bijeenkomsten/{session}",
        "/vragen",
        "/kaart",
        "/sponsorplan?obligation=250000",
        "/casussen",
        "/plekken/bestaat-niet",
    ]
    if role in ("coordinator", "facilitator"):
        found += [f"/mensen/{key}/opties", "/ronde"]
    if role == "coordinator":
        found += [f"/inzage/{PERSON}", f"/vergeet/{PERSON}", "/inzagelog", "/gebruikers"]
        found += [  # the coordinator's year (issue 12)
            "/mensen/erik-mulder/antwoord?plek=de-spaak-fietsenmaker",
            f"/mensen/{PERSON}/pad",
            f"/mensen/{PERSON}/uren",
            "/uren",
            "/betaallijsten",
            "/betaallijsten/2026-11",
            "/sponsors/flevo-spaarbank/verklaring",
            "/verlengingen",
        ]
        found += [  # the forms (issue 11)
            f"/bewerken/mensen/{PERSON}",
            "/bewerken/mensen/nieuw",
            "/bewerken/plekken/voedselbank-keukenhulp",
            "/bewerken/organisaties/voedselbank-almere",
            "/bewerken/sponsors/flevo-spaarbank",
            f"/bewerken/bijeenkomsten/{session}",
            "/bewerken/bijeenkomsten/nieuw",
            "/instellingen",
            "/wijzigingen",
        ]
        found += ["/importeren"]
    return found


@pytest.mark.parametrize("role", ["coordinator", "facilitator"])
def test_every_page_has_no_serious_accessibility_violation(
    browser: Any, server: str, casebook: Path, role: str
) -> None:
    browser.delete_all_cookies()
    browser.get(f"{server}/inloggen")
    problems = {"/inloggen": serious_violations(browser)}
    sign_in(browser, server, role)
    for page in pages(casebook, role):
        browser.get(f"{server}{page}")
        problems[page] = serious_violations(browser)
    assert {page: found for page, found in problems.items() if found} == {}


def _wait_for_file(target: Path) -> None:
    deadline = time.monotonic() + 30
    while not target.exists() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert target.exists(), sorted(p.name for p in target.parent.iterdir())


def test_done_when_a_candidate_goes_from_the_round_to_paid_hours_and_a_sponsor_statement(
    browser: Any, server: str, casebook: Path, downloads: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 12's "done when", in the app alone: from the round to an active placement, three
    months of hours (one over a cap, with the warning), approved, the month's payment list as
    Excel and the sponsor statement as Word."""
    import datetime as dt

    from docx import Document
    from openpyxl import load_workbook
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    from toolkit.web import common

    monkeypatch.setattr(common, "today", lambda: dt.date(2026, 12, 1))
    wait = waiting(browser, 30)
    sign_in(browser, server, "coordinator")

    def click_text(text: str) -> None:
        found = f"//button[normalize-space()='{text}'] | //a[normalize-space()='{text}']"
        wait.until(lambda b: b.find_element(By.XPATH, found)).click()

    # The round: record the answer to the first proposal.
    browser.find_element(By.LINK_TEXT, "Voorstelronde").click()
    answer = wait.until(lambda b: b.find_element(By.LINK_TEXT, "Antwoord vastleggen"))
    from urllib.parse import parse_qs, urlparse

    href = urlparse(answer.get_attribute("href"))
    person_id = href.path.split("/")[2]
    place_id = parse_qs(href.query)["plek"][0]
    answer.click()
    Select(wait.until(lambda b: b.find_element(By.ID, "sponsor"))).select_by_value(
        "flevo-spaarbank"
    )
    start = browser.find_element(By.ID, "start")
    start.clear()
    start.send_keys("01-09-2026")
    click_text("Plaatsing vastleggen")
    wait.until(lambda b: "plaatsing is vastgelegd" in b.page_source)
    person = load_casebook(casebook).people[person_id]
    assert person.status == "actief"
    assert person.placement is not None and person.placement.opportunity == place_id
    name = person.name

    # Three months of hours; October over the cap per month, shown as it is typed.
    browser.find_element(By.LINK_TEXT, "Uren en vergoeding").click()
    for month, amount in (("09-2026", ""), ("10-2026", "250"), ("11-2026", "")):
        field = wait.until(lambda b: b.find_element(By.ID, "month"))
        field.clear()
        field.send_keys(month)
        browser.find_element(By.ID, "hours").send_keys("40")
        if amount:
            browser.find_element(By.ID, "amount").send_keys(amount)
            wait.until(lambda b: "HELE" in b.find_element(By.ID, "check").text)
            assert "per maand" in browser.find_element(By.ID, "check").text
        click_text("Uren invoeren")
        wait.until(lambda b, m=month: f"{m[3:]}-{m[:2]} zijn ingevoerd" in b.page_source)
    statements = load_casebook(casebook).hours[person_id].statements
    assert [(s.month, s.state) for s in statements] == [
        ("2026-09", "ingediend"),
        ("2026-10", "ingediend"),
        ("2026-11", "ingediend"),
    ]

    # Approve all three of the placement at once.
    browser.find_element(By.LINK_TEXT, "Uren").click()
    wait.until(lambda b: b.find_element(By.XPATH, "//button[starts-with(., 'Keur alles van')]"))
    browser.find_element(
        By.XPATH, f"//button[starts-with(normalize-space(.), 'Keur alles van {name} bij')]"
    ).click()
    wait.until(lambda b: "Goedgekeurd: 3 opgaven." in b.page_source)

    # The month's payment list, as Excel.
    browser.find_element(By.LINK_TEXT, "Betaallijsten").click()
    field = wait.until(lambda b: b.find_element(By.ID, "month"))
    field.clear()
    field.send_keys("11-2026")
    click_text("Betaallijst maken")
    wait.until(lambda b: "Betaallijst 1" in b.page_source)
    click_text("Downloaden als Excel (.xlsx)")
    target = downloads / "betaallijst-0001-2026-11.xlsx"
    _wait_for_file(target)
    rows = list(load_workbook(target).active.iter_rows(values_only=True))
    amounts = [cell for row in rows for cell in row if isinstance(cell, (int, float))]
    assert 175 in amounts and 250 in amounts
    assert any(name in str(cell) for row in rows for cell in row)
    assert round(sum(a for a in amounts if a in (175, 250)), 2) == 600

    # The sponsor statement, as Word: the figures, people by pseudonym only.
    browser.get(f"{server}/sponsors/flevo-spaarbank")
    click_text("Sponsorverklaring (SROI) voor de gemeente")
    click_text("Word (.docx)")
    word = downloads / "sponsorverklaring-flevo-spaarbank-2026.docx"
    _wait_for_file(word)
    document = Document(str(word))
    text = "\n".join(p.text for p in document.paragraphs)
    text += "\n".join(c.text for t in document.tables for row in t.rows for c in row.cells)
    assert name not in text
    assert pseudonyms(load_casebook(casebook))[person_id] in text
    assert "120" in text  # the hours worked in the funded months


def test_coordinator_edits_a_person_in_the_form_and_saves(
    browser: Any, server: str, casebook: Path
) -> None:
    from selenium.webdriver.common.by import By

    from toolkit.casebook.yamlfile import read_yaml

    sign_in(browser, server, "coordinator")
    browser.get(f"{server}/mensen/{PERSON}")
    browser.find_element(By.LINK_TEXT, "Bewerken").click()
    wait = waiting(browser, 30)
    wait.until(lambda b: "Persoon bewerken" in b.find_element(By.TAG_NAME, "h1").text)
    hours = browser.find_element(By.ID, "f-availability-hours-per-week")
    hours.clear()
    hours.send_keys("1.5")  # two readings: refused, with the form kept
    browser.find_element(By.CSS_SELECTOR, "button.primary").click()
    wait.until(lambda b: b.find_elements(By.CSS_SELECTOR, ".problems-box"))
    assert (
        browser.find_element(By.ID, "f-availability-hours-per-week").get_attribute("value") == "1.5"
    )
    assert serious_violations(browser) == []  # the form with its problems, too
    hours = browser.find_element(By.ID, "f-availability-hours-per-week")
    hours.clear()
    hours.send_keys("14,5")
    phone = browser.find_element(By.ID, "f-contact-phone")
    phone.clear()
    phone.send_keys("06-55554444")
    browser.find_element(By.CSS_SELECTOR, "button.primary").click()
    wait.until(lambda b: b.find_elements(By.CSS_SELECTOR, "p.success"))
    data = read_yaml(casebook / "people" / f"{PERSON}.yaml").data
    assert data["availability"]["hours_per_week"] == 14.5
    assert data["contact"]["phone"] == "06-55554444"
    history = browser.find_element(By.CSS_SELECTOR, ".record-history").text
    assert "Telefoon" in history and "06-55554444" not in history

    # Changed on disk while the form is open: the save shows both versions (409).
    browser.find_element(By.LINK_TEXT, "Bewerken").click()
    path = casebook / "people" / f"{PERSON}.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("06-55554444", "06-11112222"))
    phone = wait.until(lambda b: b.find_element(By.ID, "f-contact-phone"))
    phone.clear()
    phone.send_keys("06-33334444")
    browser.find_element(By.CSS_SELECTOR, "button.primary").click()
    table = wait.until(lambda b: b.find_element(By.CSS_SELECTOR, "table.compare")).text
    assert "06-11112222" in table and "06-33334444" in table
    assert serious_violations(browser) == []
    assert "06-33334444" not in path.read_text(encoding="utf-8")


def test_coordinator_imports_40_people_from_excel_corrects_three_and_exports_them(
    browser: Any, server: str, casebook: Path, downloads: Path, tmp_path: Path
) -> None:
    """Issue 11, done when: an Excel list of 40 people, three rows refused and corrected in the
    form, all 40 imported, and the people list exported to Excel and read back."""
    from openpyxl import load_workbook
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    from tests.web.transfer_helpers import (
        DUPLICATE,
        HEADERS,
        NO_NAME,
        UNKNOWN_DISTRICT,
        people_rows,
        xlsx_of,
    )

    before = set(load_casebook(casebook).people)
    source = tmp_path / "deelnemers.xlsx"
    source.write_bytes(xlsx_of(HEADERS, people_rows()))
    sign_in(browser, server, "coordinator")
    wait = waiting(browser, 60)
    browser.find_element(By.LINK_TEXT, "Importeren").click()
    Select(wait.until(lambda b: b.find_element(By.ID, "soort"))).select_by_value("personen")
    browser.find_element(By.ID, "bestand").send_keys(str(source))
    browser.find_element(By.CSS_SELECTOR, "form.form button[type=submit]").click()
    wait.until(lambda b: b.find_elements(By.ID, "import-rows"))
    refused = browser.find_elements(By.CSS_SELECTOR, "#import-rows tr.refused")
    assert [r.get_attribute("id") for r in refused] == [
        f"rij-{n}" for n in (UNKNOWN_DISTRICT, NO_NAME, DUPLICATE)
    ]
    assert serious_violations(browser) == []

    def correct(row: int, column: int, text: str) -> None:
        field = browser.find_element(By.ID, f"cel-{row}-{column}")
        field.clear()
        field.send_keys(text)

    correct(UNKNOWN_DISTRICT, 2, "Almere Haven")  # column 2: Wijk
    correct(NO_NAME, 0, "Noor Jansen")  # column 0: Naam
    correct(DUPLICATE, 0, "Anouk de Groot")
    browser.find_element(By.CSS_SELECTOR, "button[value=importeren]").click()
    wait.until(lambda b: "geïmporteerd" in b.find_element(By.TAG_NAME, "main").text)
    book = load_casebook(casebook)
    new = set(book.people) - before
    assert len(new) == 40

    # One of the corrected people, edited in the form (the "edits a person" of done when).
    noor = next(p for p in new if book.people[p].name == "Noor Jansen")
    browser.get(f"{server}/mensen/{noor}")
    browser.find_element(By.LINK_TEXT, "Bewerken").click()
    hours = wait.until(lambda b: b.find_element(By.ID, "f-availability-hours-per-week"))
    hours.clear()
    hours.send_keys("12,5")
    browser.find_element(By.CSS_SELECTOR, "button.primary").click()
    wait.until(lambda b: b.find_elements(By.CSS_SELECTOR, "p.success"))
    book = load_casebook(casebook)
    assert book.people[noor].availability.hours_per_week == 12.5

    browser.get(f"{server}/importeren/klaar?soort=personen")
    browser.find_element(By.LINK_TEXT, "De lijst openen").click()
    wait.until(lambda b: b.find_elements(By.CSS_SELECTOR, "ul.downloads a"))
    links = browser.find_elements(By.CSS_SELECTOR, "ul.downloads a[href*='intern=1']")
    next(a for a in links if a.get_attribute("href").split("?")[0].endswith(".xlsx")).click()
    target = downloads / "personen-intern.xlsx"
    deadline = time.monotonic() + 30
    while not target.exists() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert target.exists(), sorted(p.name for p in downloads.iterdir())
    sheet = load_workbook(target).active
    assert sheet is not None
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    header = rows[0]
    exported = {r[header.index("id")]: r for r in rows[1:]}
    assert set(exported) == set(book.people)
    for person_id in new:
        record = book.people[person_id]
        row = exported[person_id]
        assert (row[header.index("Naam")], row[header.index("Geboortejaar")]) == (
            record.name,
            record.birth_year,
        )
        assert row[header.index("Wijk")] == record.district
    assert 12.5 in exported[noor]  # the edit is in the export, as a number cell
