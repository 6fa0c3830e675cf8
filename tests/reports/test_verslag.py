"""The verslag in Markdown and HTML: golden files, the seed's facts, structure and markings."""

from __future__ import annotations

import itertools
import os
import re
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import example_casebook, person, session, write_casebook
from toolkit.casebook import Casebook, load_casebook
from toolkit.casebook.public import pseudonyms
from toolkit.errors import NotFoundError
from toolkit.i18n import set_language
from toolkit.reports.verslag import VerslagOptions, render_verslag
from toolkit.reports.verslag_data import verslag_data

GOLDEN = Path(__file__).resolve().parent.parent / "golden" / "verslag"


@pytest.fixture(scope="module")
def example() -> Casebook:
    return example_casebook()


def render(book: Casebook, session_id: str, fmt: str = "md", **options: Any) -> str:
    result = render_verslag(book, session_id, VerslagOptions(format=fmt, **options))
    assert isinstance(result, str)
    return result


def assert_golden(name: str, text: str) -> None:
    """Compare with tests/golden/verslag/<name>; UPDATE_GOLDEN=1 rewrites it (review the diff)."""
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN") == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert path.is_file(), f"{path} is missing: run the tests once with UPDATE_GOLDEN=1"
    assert text == path.read_text(encoding="utf-8")


def flat(text: str) -> str:
    """White space folded, so a fact that wraps over two lines is still one phrase."""
    return " ".join(text.split())


def headings(markdown: str) -> list[str]:
    return [line for line in markdown.splitlines() if re.match(r"^#{1,6} ", line)]


def small_book(tmp_path: Path, **fields: Any) -> Casebook:
    return load_casebook(
        write_casebook(
            tmp_path / "cases",
            people={"anna-de-vries": person(name="Anna de Vries", birth_year=1980)},
            sessions={"avond": session(**fields)},
        )
    )


def test_markdown_of_the_4th_evening_matches_its_golden_file(example: Casebook) -> None:
    assert_golden("dialoogavond-4.md", render(example, "dialoogavond-4", "md"))


def test_html_of_the_4th_evening_matches_its_golden_file(example: Casebook) -> None:
    assert_golden("dialoogavond-4.html", render(example, "dialoogavond-4", "html"))


@pytest.mark.parametrize(
    "fact",
    [
        "Verslag 4e Dialoogavond Pilot Almeerse Burgerbaan",
        "23 oktober 2024",
        "Casa Casla",
        "38 deelnemers",
        "burgers, non-profitorganisaties, gemeente, UWV en zorginstellingen",
        "Omroep Almere maakte video-opnamen van de bijeenkomst",
        "Niemand maakte bezwaar",
        "vijf onderdelen",
        "Het programma bestaat uit vijf onderdelen",
        "€ 2.100",
        "€ 2.500",
        "€ 400",
        "€ 100.000",
        "tien Almeerse Burgerbanen voor twee jaar",
        "vier dialoogtafels",
        "De dialoogsessies vinden aan vier werktafels plaats",
        "Corporate Volunteering (1 tafel)",
        "Dagbesteding (3 tafels)",
        "Is armoede een selectiecriterium?",
        "Kan de gemeente burgerbaners ondersteunen met een OV-chipkaart?",
        "Een aantal van 20 Almeerse Burgerbanen lijkt realistisch",
        "eind maart 2025",
        "Omroep Almere heeft toegezegd de opname op www.omroepalmere.nl te zetten",
        "Bertien dankt Omroep Almere hiervoor hartelijk",
        "20 Almeerse Burgerbanen",
        "Frans Vrijmoed",
        "Bert Veenstra",
        "informele borrel",
    ],
)
def test_markdown_holds_every_fact_of_the_seed(example: Casebook, fact: str) -> None:
    assert fact in flat(render(example, "dialoogavond-4", "md"))


@pytest.mark.parametrize("fmt", ["md", "html"])
@pytest.mark.parametrize(
    "invented",
    [
        "27 maart 2025",  # the seed says 'eind maart 2025'
        "De opname: www.omroepalmere.nl",  # a promise, not a recording online
        "| Stadscoöperatie Almere |",  # an owner the seed names for no action
        "<td>Stadscoöperatie Almere</td>",
        "Het programma bestond uit 5 onderdelen",  # said again after the seed's own words
    ],
)
def test_the_verslag_holds_nothing_the_evening_did_not(
    example: Casebook, fmt: str, invented: str
) -> None:
    assert invented not in render(example, "dialoogavond-4", fmt)


@pytest.mark.parametrize("fmt", ["md", "html"])
@pytest.mark.parametrize(
    "once",
    [
        "38 deelnemers",
        "Niemand maakte bezwaar",
        "neemt Bertien het programma met de deelnemers door",
        "Doel van de 4e Dialoogavond",
        "brug kan slaan voor een groep mensen",
        "De financiering van de Almeerse Burgerbaan wordt als eerste besproken",
    ],
)
def test_no_fact_is_told_twice(example: Casebook, fmt: str, once: str) -> None:
    assert flat(render(example, "dialoogavond-4", fmt)).count(once) == 1


def test_an_approximate_date_is_kept_as_written(tmp_path: Path) -> None:
    root = write_casebook(
        tmp_path,
        sessions={"avond": session(next={"date": "najaar 2025", "goal": "10 burgerbanen"})},
    )
    book = load_casebook(root)
    assert book.sessions["avond"].next is not None
    assert book.sessions["avond"].next.approximate_date == "najaar 2025"
    for fmt in ("md", "html"):
        assert "najaar 2025" in render(book, "avond", fmt)


def test_markdown_has_the_sections_of_the_seed_in_its_order(example: Casebook) -> None:
    assert headings(render(example, "dialoogavond-4", "md")) == [
        "# Verslag 4e Dialoogavond Pilot Almeerse Burgerbaan",
        "## Introductie",
        "## Deelnemers",
        "### Opname",
        "## Programma",
        "### 1. Inleiding",
        "### 2. Relatie Corporate Volunteering en Almeerse Burgerbaan",
        "### 3. Relatie dagbesteding en Almeerse Burgerbaan",
        "### 4. Dialoogsessies",
        "#### Corporate Volunteering (1 tafel)",
        "#### Dagbesteding (3 tafels)",
        "### 5. (Informele) afsluiting van de dialoogavond",
        "## Afsluiting",
        "## Informeel deel",
        "## Actielijst",
        "## Gestelde vragen",
        "## Volgende bijeenkomst",
    ]


def test_each_part_shows_its_speaker(example: Casebook) -> None:
    text = render(example, "dialoogavond-4", "md")
    assert "### 2. Relatie Corporate Volunteering en Almeerse Burgerbaan\n\n*Spreker: Frans" in text
    assert "### 3. Relatie dagbesteding en Almeerse Burgerbaan\n\n*Spreker: Bert Veenstra*" in text


def test_actielijst_is_a_table_with_number_action_who_deadline_status(example: Casebook) -> None:
    text = render(example, "dialoogavond-4", "md")
    assert "| Nr. | Actie | Wie | Deadline | Status |" in text
    rows = [line for line in text.splitlines() if re.match(r"^\| \d+ \|", line)]
    assert len(rows) == 4
    assert rows[1] == (
        "| 2 | De registratie van de 4e dialoogavond op www.omroepalmere.nl zetten. "
        "| Omroep Almere | – | open |"
    )


def test_open_and_answered_questions(example: Casebook) -> None:
    text = flat(render(example, "dialoogavond-4", "md"))
    assert "**Is armoede een selectiecriterium?** (thema: instroom) *Nog open.*" in text
    assert "(thema: sponsoring) Het bedrag bestaat uit € 2.100 vergoeding" in text


def test_a_draft_says_so_and_an_approved_verslag_does_not(tmp_path: Path) -> None:
    draft = small_book(tmp_path / "a", status="concept")
    approved = small_book(tmp_path / "b", status="vastgesteld")
    for fmt in ("md", "html"):
        assert "CONCEPT" in render(draft, "avond", fmt)
        assert "CONCEPT" not in render(approved, "avond", fmt)
        assert "vastgesteld" in render(approved, "avond", fmt)


def test_besluitenlijst_only_where_there_are_decisions(tmp_path: Path) -> None:
    none = small_book(tmp_path / "a")
    some = small_book(
        tmp_path / "b",
        decisions=[{"what": "De Q&A-module komt op de website.", "date": "2024-11-01"}, "Nog één"],
    )
    assert "Besluitenlijst" not in render(none, "avond")
    text = render(some, "avond")
    assert "## Besluitenlijst" in text
    assert "| 1 | De Q&A-module komt op de website. | 1 november 2024 |" in text
    assert "| 2 | Nog één | – |" in text


def test_english_headings_with_lang_en(example: Casebook) -> None:
    set_language("en")
    text = render(example, "dialoogavond-4", "md")
    assert headings(text)[:4] == [
        "# Report of the 4e Dialoogavond Pilot Almeerse Burgerbaan",
        "## Introduction",
        "## Participants",
        "### Recording",
    ]
    assert "## Action list" in text
    assert "**23 October 2024**" in text
    assert "> **DRAFT**" in text
    assert "Actielijst" not in text


def test_html_is_one_self_contained_page_for_screen_and_a4(example: Casebook) -> None:
    page = render(example, "dialoogavond-4", "html")
    assert page.startswith('<!DOCTYPE html>\n<html lang="nl">')
    assert "<style>" in page
    assert "size: A4" in page
    assert not re.search(r"<link\b|<script\b|<img\b|@import|url\(", page)
    set_language("en")
    assert '<html lang="en">' in render(example, "dialoogavond-4", "html")


def test_html_headings_are_in_order(example: Casebook) -> None:
    levels = [int(n) for n in re.findall(r"<h([1-6])\b", render(example, "dialoogavond-4", "html"))]
    assert levels[0] == 1
    assert levels.count(1) == 1
    assert all(b <= a + 1 for a, b in itertools.pairwise(levels))


def test_html_shows_a_visible_draft_marking(example: Casebook) -> None:
    page = render(example, "dialoogavond-4", "html")
    assert '<p class="marking concept"><strong>CONCEPT</strong>' in page
    assert '@top-center { content: "CONCEPT"' in page


def test_html_escapes_markup_from_a_case_file(tmp_path: Path) -> None:
    book = small_book(
        tmp_path,
        title="Avond <b>vet</b>",
        tables=[{"theme": "Tafel <i>", "findings": ["<script>alert(1)</script> en *nadruk*"]}],
        closing="<img src=x onerror=alert(1)>",
        questions=[{"text": "Wat doet <script>?", "answer": "<iframe>niets</iframe>"}],
    )
    page = render(book, "avond", "html")
    assert "<script" not in page
    assert "<img" not in page
    assert "<iframe" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; en <em>nadruk</em>" in page
    assert "Avond &lt;b&gt;vet&lt;/b&gt;" in page
    markdown = render(book, "avond", "md")
    assert "<script" not in markdown and "<img" not in markdown and "<iframe" not in markdown
    assert "&lt;script>alert(1)&lt;/script> en *nadruk*" in markdown


def test_cases_discussed_appear_by_pseudonym_only(tmp_path: Path) -> None:
    book = small_book(
        tmp_path,
        tables=[{"theme": "Dagbesteding", "findings": ["Een casus."], "cases": ["anna-de-vries"]}],
    )
    alias = pseudonyms(book)["anna-de-vries"]
    for fmt in ("md", "html"):
        text = render(book, "avond", fmt)
        assert f"{alias}, 36-45, Almere Stad" in text
        assert "Anna" not in text
        assert "anna-de-vries" not in text
    intern = render(book, "avond", "md", intern=True)
    assert f"{alias} (Anna de Vries), 36-45, Almere Stad" in intern
    assert "INTERN – bevat persoonsgegevens" in intern
    assert "INTERN" not in render(book, "avond", "md")
    page = render(book, "avond", "html", intern=True)
    assert '<p class="marking intern">INTERN – bevat persoonsgegevens</p>' in page
    assert '@top-center { content: "CONCEPT · INTERN – bevat persoonsgegevens"' in page
    assert "INTERN" not in render(book, "avond", "html")


def test_verslag_data_numbers_parts_and_actions(example: Casebook) -> None:
    data = verslag_data(example, example.sessions["dialoogavond-4"])
    assert [p.number for p in data.parts] == [1, 2, 3, 4, 5]
    assert [a.number for a in data.actions] == [1, 2, 3, 4]
    assert data.table_count == 4
    assert data.concept


def test_unknown_session_names_the_closest_ids(example: Casebook) -> None:
    with pytest.raises(NotFoundError, match=r"'dialoogavond-5'.*Bedoelt u: dialoogavond-4\?"):
        render(example, "dialoogavond-5")


def test_unknown_session_lists_the_sessions_when_none_is_close(example: Casebook) -> None:
    with pytest.raises(NotFoundError, match=r"Bijeenkomsten in dit casebook: dialoogavond-4\."):
        render(example, "zzz")


def test_casebook_without_sessions_says_how_to_start_one(tmp_path: Path) -> None:
    book = load_casebook(write_casebook(tmp_path / "cases"))
    with pytest.raises(NotFoundError, match="burgerbaan new session ID"):
        render(book, "avond")
