"""The theme vocabulary, the rules that raise each theme, the question bank, the money."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import SETTINGS, dump_yaml, person, sponsor, write_casebook
from toolkit.casebook import load_casebook
from toolkit.casebook.alerts import alerts_on
from toolkit.errors import CasebookError, UsageError
from toolkit.i18n import set_language
from toolkit.matching import WARNING_CODES
from toolkit.matching.options import NoOption, Option, Parts, PersonOptions
from toolkit.reports.casussen.frame import figure_sources, financial_frame
from toolkit.reports.casussen.handouts import build_case
from toolkit.reports.casussen.themes import (
    ALERT_THEMES,
    THEME_CODES,
    WARNING_THEMES,
    load_question_bank,
    parse_themes,
    person_themes,
    question_bank_path,
    theme_vocabulary,
)

DAY = date(2025, 6, 1)


def themes_for(
    tmp_path: Path, sponsors: dict[str, Any] | None = None, **fields: Any
) -> frozenset[str]:
    book = load_casebook(
        write_casebook(tmp_path / "cb", people={"p": person(**fields)}, sponsors=sponsors)
    )
    return person_themes(book, book.people["p"], None, DAY)


def test_the_vocabulary_is_closed_and_every_theme_is_described() -> None:
    for language in ("nl", "en"):
        set_language(language)
        vocabulary = theme_vocabulary()
        assert tuple(vocabulary) == THEME_CODES
        assert all(t.label and t.description for t in vocabulary.values())
    assert len(set(THEME_CODES)) == len(THEME_CODES)


def test_themes_asked_are_checked_with_a_clear_message() -> None:
    assert parse_themes(None) == THEME_CODES
    assert parse_themes(" wajong, PGB ,geen-bsn") == ("wajong", "pgb", "geen-bsn")
    with pytest.raises(UsageError) as caught:
        parse_themes("pgb,wajnog")
    message = str(caught.value)
    assert "wajnog" in message and "wajong?" in message
    assert all(code in message for code in THEME_CODES)  # the known themes are listed
    with pytest.raises(UsageError):
        parse_themes(" , ")


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"situation": ["dagbesteding", "pgb"]}, {"dagbesteding", "pgb"}),
        ({"situation": ["wajong"]}, {"wajong"}),
        ({"situation": ["asielzoeker"], "has_bsn": False}, {"asielzoeker", "geen-bsn"}),
        ({"situation": ["inburgering", "statushouder"]}, {"inburgering", "statushouder"}),
        ({"situation": ["bijstand"], "birth_year": 2000}, {"bijstand", "bijstand-onder-27"}),
        ({"situation": ["bijstand"], "birth_year": 1990}, {"bijstand"}),
        ({"situation": ["ww"]}, {"ww"}),
        ({"situation": ["geen"]}, set()),
    ],
)
def test_situations_and_alerts_raise_their_themes(
    tmp_path: Path,
    fields: dict[str, Any],
    expected: set[str],
) -> None:
    found = themes_for(tmp_path, **fields)
    assert found - {"onder-21", "uurtarief"} == expected


def placed(**placement: Any) -> dict[str, Any]:
    """An active person whose placement carries ``placement``'s fields."""
    return {
        "status": "actief",
        "placement": {
            "opportunity": "keukenhulp",
            "start": "2025-01-01",
            "end": "2025-12-31",
            "allowance_per_year": 2100,
            **placement,
        },
    }


def test_age_and_an_agreed_hourly_allowance_raise_the_rule_themes(tmp_path: Path) -> None:
    young = themes_for(tmp_path / "a", birth_year=2006, availability={"hours_per_week": 20})
    assert "onder-21" in young
    # Few hours alone no longer raise the hourly theme: the hourly cap applies only where an
    # allowance per hour was agreed.
    few_hours = themes_for(tmp_path / "b", availability={"hours_per_week": 4})
    agreed = themes_for(
        tmp_path / "c", availability={"hours_per_week": 20}, **placed(allowance_per_hour=4.0)
    )
    assert "uurtarief" not in few_hours and "uurtarief" in agreed
    assert "onder-21" not in agreed


@pytest.mark.parametrize(
    ("fields", "theme", "alert_words"),
    [
        ({"situation": ["ww"]}, "ww", "UWV"),
        ({"situation": ["bijstand"], "birth_year": 1990}, "bijstand", "gemeente"),
    ],
)
def test_ww_and_bijstand_27_plus_alerts_reach_the_case(
    tmp_path: Path, fields: dict[str, Any], theme: str, alert_words: str
) -> None:
    """The alert raises its theme, its question, and stands among the case's points of attention."""
    set_language("nl")
    book = load_casebook(write_casebook(tmp_path / "cb", people={"p": person(**fields)}))
    codes = {a.code for a in alerts_on(book, book.people["p"], DAY)}
    alert_code = "ww" if theme == "ww" else "bijstand_27_plus"
    assert alert_code in codes and ALERT_THEMES[alert_code] == theme
    themes = person_themes(book, book.people["p"], None, DAY)
    assert theme in themes
    bank = load_question_bank()
    case = build_case(book, book.people["p"], themes, None, bank, DAY)
    assert theme in {t.code for t in case.themes}
    assert any(alert_words in warning for warning in case.warnings), case.warnings
    assert bank.by_theme[theme]


def test_the_frame_follows_the_rules_and_the_casebooks_override(tmp_path: Path) -> None:
    settings = {"name": "x", "rules_year": 2024, "overhead_per_year": 450}
    root = write_casebook(
        tmp_path / "cb",
        settings=settings,
        people={
            "p": person(district="Ergens", availability={"hours_per_week": 4}, birth_year=2005)
        },
        opportunities={},
        organisations={},
    )
    book = load_casebook(root)
    frame = financial_frame(book.rules, book.people["p"])
    caps = book.rules.allowance
    assert frame.year == 2024 and not frame.adult
    assert frame.per_hour == caps.per_hour_under_21
    assert (frame.per_month, frame.per_year) == (caps.per_month, caps.per_year)
    assert frame.overhead_per_year == 450
    assert frame.sponsor_cost_per_year == book.rules.sponsor_allowance_per_year.value + 450
    assert frame.sroi_credit_per_year == book.rules.sroi_credit_per_year.value
    # No allowance per hour was agreed: the month and year caps hold, the hourly cap does not.
    assert frame.agreed_per_hour is None and frame.by_hours_per_month is None
    assert frame.payable_per_month == caps.per_month
    assert frame.payable_per_year == min(caps.per_year, caps.per_month * 12)
    assert "4 uur per week" in frame.check
    assert "alleen als er een vergoeding per uur is afgesproken" in frame.check
    assert "hele vergoeding belast" in frame.check


@pytest.mark.parametrize(("rate", "above"), [(3.0, False), (9.0, True)])
def test_an_agreed_hourly_rate_is_held_to_the_cap_as_a_guide(
    tmp_path: Path, rate: float, above: bool
) -> None:
    book = load_casebook(
        write_casebook(
            tmp_path / "cb",
            people={
                "p": person(availability={"hours_per_week": 4}, **placed(allowance_per_hour=rate))
            },
        )
    )
    caps = book.rules.allowance
    for language in ("nl", "en"):
        set_language(language)
        frame = financial_frame(book.rules, book.people["p"])
        assert frame.agreed_per_hour == rate and frame.above_hourly_guide == above
        assert frame.by_hours_per_month == pytest.approx(4 * 52 / 12 * rate, abs=0.01)
        assert frame.payable_per_month == min(caps.per_month, frame.by_hours_per_month)
        text = frame.check.lower()
        # A guide: a warning at most, never a refusal or a "taxable" verdict on the rate.
        assert ("richtlijn" if language == "nl" else "guide") in text
        if above:
            assert ("geen weigering" if language == "nl" else "not a refusal") in text
        else:
            assert (
                "binnen het uurmaximum" if language == "nl" else "within the hourly cap"
            ) in text
    set_language("nl")


@pytest.mark.parametrize("language", ["nl", "en"])
def test_unconfirmed_2026_figures_are_shown_as_such_with_the_reason(
    tmp_path: Path, language: str
) -> None:
    set_language(language)
    root = write_casebook(tmp_path / "cb", settings={**SETTINGS, "rules_year": 2026})
    book = load_casebook(root)
    caps = book.rules.allowance
    assert not caps.confirmed and caps.unconfirmed_because
    frame = financial_frame(book.rules, book.people[next(iter(book.people))])
    reason = " ".join(caps.unconfirmed_because.split())
    assert not frame.certain
    assert reason in frame.caveat
    assert ("onbevestigd" if language == "nl" else "unconfirmed") in frame.caveat
    sources = dict(figure_sources(book.rules))
    assert reason in sources[next(k for k in sources if "2026" in k)]
    set_language("nl")


def test_confirmed_figures_carry_no_caveat(tmp_path: Path) -> None:
    settings = {**SETTINGS, "rules_year": 2024}
    book = load_casebook(write_casebook(tmp_path / "cb", settings=settings))
    frame = financial_frame(book.rules, book.people[next(iter(book.people))])
    assert frame.certain and frame.caveat == ""


def test_sponsor_conflicts_raise_their_themes(tmp_path: Path) -> None:
    sponsors = {
        "gas": sponsor(name="Gas", sector="Fossiel", values=["innovatie"]),
        "bouw": sponsor(name="Bouw", sector="bouw", values=["lokaal"]),
    }
    avoiding = themes_for(
        tmp_path / "a", sponsors=sponsors, avoid_sectors=["fossiel"], values=["lokaal"]
    )
    assert "sponsor-conflict" in avoiding and "sponsor-waarden" not in avoiding
    # The only sponsor sharing "innovatie" is one the person rejects.
    lonely = themes_for(
        tmp_path / "b", sponsors=sponsors, avoid_sectors=["fossiel"], values=["innovatie"]
    )
    assert {"sponsor-conflict", "sponsor-waarden"} <= lonely
    content = themes_for(tmp_path / "c", sponsors=sponsors, values=["lokaal"])
    assert not {"sponsor-conflict", "sponsor-waarden"} & content


def test_the_matchers_warnings_and_no_option_raise_themes(tmp_path: Path) -> None:
    book = load_casebook(write_casebook(tmp_path / "b", people={"p": person()}))
    p = book.people["p"]

    def option(codes: tuple[str, ...]) -> Option:
        return Option("p", "keukenhulp", None, 60.0, Parts(0.5, 0.5, 0.5), (), (), codes)

    warned = PersonOptions("p", (option(("vog",)), option(("travel", "an_unknown_code"))))
    assert {"vog", "reisafstand"} <= person_themes(book, p, warned, DAY)
    # Only the options a handout shows raise themes.
    fourth = PersonOptions("p", (option(()), option(()), option(()), option(("vog",))))
    assert "vog" not in person_themes(book, p, fourth, DAY)
    none = PersonOptions("p", (), NoOption("p", {"distance": 1}))
    assert "geen-optie" in person_themes(book, p, none, DAY)
    assert not {"geen-optie", "vog"} & person_themes(book, p, None, DAY)


def test_every_warning_code_of_the_matcher_raises_a_theme() -> None:
    assert set(WARNING_CODES) <= set(WARNING_THEMES), set(WARNING_CODES) - set(WARNING_THEMES)
    assert set(WARNING_THEMES.values()) <= set(THEME_CODES)
    assert set(ALERT_THEMES.values()) <= set(THEME_CODES)


def test_the_shipped_question_bank_is_valid_and_holds_the_open_questions() -> None:
    bank = load_question_bank()
    assert set(bank.by_theme) == set(THEME_CODES)
    assert bank.general
    every = [q for questions in bank.by_theme.values() for q in questions]
    dutch = " ".join(q.nl for q in every)
    # The open questions of the 4th evening (seed verslag, 23 October 2024).
    for words in (
        "gids",
        "PGB",
        "armoede",
        "OV-chipkaart",
        "zonder BSN",
        "Wajongers",
        "UWV",
        "inburgeraars",
    ):
        assert words in dutch, words
    assert all(q.en.strip() and q.nl.strip() for q in every)
    assert any(q.open for q in every)


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda raw: raw["themes"].update({"pgbb": [{"nl": "x", "en": "x"}]}), "'pgbb'"),
        (lambda raw: raw["themes"].pop("wajong"), "'wajong'"),
        (lambda raw: raw["themes"]["pgb"][0].pop("en"), "themes.pgb[1].en"),
        (lambda raw: raw["themes"]["pgb"][0].update({"nl": ""}), "themes.pgb[1].nl"),
        (lambda raw: raw.update({"vragen": []}), "vragen"),
    ],
)
def test_a_broken_question_bank_is_refused_with_a_clear_message(
    tmp_path: Path, change: Callable[[dict[str, Any]], object], expected: str
) -> None:
    from ruamel.yaml import YAML

    raw = YAML(typ="safe").load(question_bank_path().read_text(encoding="utf-8"))
    change(raw)
    path = dump_yaml(tmp_path / "vragenbank.yaml", raw)
    with pytest.raises(CasebookError) as caught:
        load_question_bank(path)
    message = str(caught.value)
    assert "vragenbank.yaml" in message and expected in message
