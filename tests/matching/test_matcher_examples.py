"""Named examples: the reasons, the no-option counts, tuin/tuinieren, exclusions, the values
part, and the example casebook."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from tests.helpers import (
    EXAMPLE_CASEBOOK,
    dump_yaml,
    opportunity,
    person,
    sponsor,
    write_casebook,
)
from tests.matching.generated import build
from toolkit.casebook import load_casebook
from toolkit.casebook.casebook import Casebook
from toolkit.errors import CasebookError, NotFoundError
from toolkit.i18n import set_language
from toolkit.matching import Matcher, Option
from toolkit.matching.features import features_of
from toolkit.matching.ranking import rank_block
from toolkit.matching.scores import best_sponsors, score_block, sponsor_scores


@pytest.fixture(scope="module")
def example() -> Casebook:
    return load_casebook(EXAMPLE_CASEBOOK)


def reasons_by_code(option: Option) -> dict[str, str]:
    return dict(zip(option.reason_codes, option.reasons, strict=True))


def warnings_by_code(option: Option) -> dict[str, str]:
    return dict(zip(option.warning_codes, option.warnings, strict=True))


# --- reasons ------------------------------------------------------------------------


def test_the_reasons_name_talents_wishes_distance_hours_days_sponsor_and_warnings() -> None:
    set_language("en")
    book = build(
        {
            "ans": person(
                talents=["koken", "gastvrijheid"],
                district="Almere Haven",
                has_bsn=False,
                situation=["asielzoeker"],
                wishes={
                    "causes": ["voedsel", "ouderen"],
                    "text": "Ik kook graag voor anderen in een keuken",
                    "districts": ["Almere Stad"],
                    "max_travel_km": 10,
                },
                availability={"hours_per_week": 8, "days": ["ma", "di", "wo"]},
                values=["lokaal", "duurzaamheid"],
                needs=["rolstoeltoegankelijk"],
            )
        },
        {
            "keuken": opportunity(
                organisation="org",
                title="Keukenhulp",
                description="Samen maaltijden koken in de keuken voor de inloop.",
                talents_required=["koken", "hygiene"],
                talents_desired=["plannen"],
                causes=["voedsel", "armoede"],
                district="Almere Stad",
                hours_per_week={"min": 4, "max": 12},
                days=["ma", "wo", "vr"],
                offers=["rolstoeltoegankelijk"],
                requires=["vog", "rijbewijs"],
            )
        },
        {"bouw": sponsor(values=["lokaal", "vakmanschap"], budget_person_years=3)},
    )
    (option,) = Matcher(book).options("ans").options
    reasons = reasons_by_code(option)
    assert reasons["talents"] == "Talents that match: koken."
    assert reasons["missing_required"] == "Required talents they do not list: hygiene."
    assert reasons["missing_desired"] == "Desired talents they do not list: plannen."
    assert reasons["causes"] == "Shared causes: voedsel."
    assert reasons["district"] == "In a district they wish: Almere Stad."
    assert reasons["distance"] == "3.8 km from home (they travel up to 10 km)."
    assert reasons["hours"] == "Their 8 hours a week fit the place's 4 to 12."
    assert reasons["days"] == "Days in common: ma, wo."
    assert reasons["needs"] == "Offers what they need: rolstoeltoegankelijk."
    assert reasons["values"] == "Bouwbedrijf shares their values: lokaal."
    assert "text" in reasons  # "kook ... keuken" meets "koken in de keuken"
    warnings = warnings_by_code(option)
    assert list(warnings) == ["no_bsn", "asylum_seeker", "vog", "requires"]
    assert warnings["requires"] == "The place also asks for: rijbewijs; check this with them."
    assert option.sponsor_id == "bouw"
    assert option.distance_km == pytest.approx(3.8, abs=0.05)


def test_the_reasons_are_dutch_by_default() -> None:
    book = build({"ans": person()}, {"keuken": opportunity(organisation="org")}, {})
    (option,) = Matcher(book).options("ans").options
    assert reasons_by_code(option)["talents"] == "Talenten die passen: koken."
    assert "Gefinancierd door de coöperatie" in reasons_by_code(option)["cooperative"]


def test_travel_beyond_the_maximum_is_a_warning_not_a_limit() -> None:
    set_language("en")
    far = person(district="Almere Haven", wishes={"max_travel_km": 2})
    book = build(
        {"ans": far}, {"ver": opportunity(organisation="org", district="Almere Buiten")}, {}
    )
    (option,) = Matcher(book).options("ans").options
    assert "travel" in option.warning_codes
    assert warnings_by_code(option)["travel"] == "7.1 km from home, beyond their maximum of 2 km."
    assert "distance" not in option.reason_codes


# --- no option ----------------------------------------------------------------------


def test_a_person_without_options_gets_counts_per_hard_limit() -> None:
    set_language("en")
    wheelchair = person(
        needs=["rolstoeltoegankelijk"],
        availability={"hours_per_week": 4, "days": ["ma"]},
    )
    places = {
        "trap-1": opportunity(organisation="org", offers=[]),
        "trap-2": opportunity(organisation="org", offers=["prikkelarm"]),
        "vol": opportunity(organisation="org", offers=["rolstoeltoegankelijk"], slots=0),
        "lang": opportunity(
            organisation="org",
            offers=["rolstoeltoegankelijk"],
            hours_per_week={"min": 8, "max": 12},
        ),
        "dinsdag": opportunity(organisation="org", offers=["rolstoeltoegankelijk"], days=["di"]),
        "gekozen": opportunity(organisation="org", offers=["rolstoeltoegankelijk"]),
    }
    book = build({"ans": wheelchair}, places, {})
    result = Matcher(book, exclusions=[("ans", "gekozen")]).options("ans")
    assert result.options == ()
    assert result.no_option is not None
    assert result.no_option.counts == {"needs": 2, "hours": 1, "days": 1, "full": 1, "excluded": 1}
    assert result.no_option.sentences == (
        "None of the 6 places fits; per limit, how many places it rules out:",
        "2 places do not offer what they need (missing: rolstoeltoegankelijk (2)); "
        "for 2 of them it is the only limit.",
        "1 place asks more than the 4 hours a week they have; for 1 of them it is the only limit.",
        "1 place has no day in common with theirs; for 1 of them it is the only limit.",
        "1 place is full; for 1 of them it is the only limit.",
        "1 place was declined or excluded; for 1 of them it is the only limit.",
    )
    # The public version does not say what the person needs.
    assert "rolstoeltoegankelijk" not in " ".join(result.no_option.public_sentences)
    assert "2 places do not offer what they need" in result.no_option.public_sentences[1]


def test_no_option_counts_in_dutch_say_which_limit_to_discuss() -> None:
    book = build(
        {"ans": person(needs=["rolstoeltoegankelijk"])},
        {f"o{i}": opportunity(organisation="org", offers=[]) for i in range(12)}
        | {f"vol{i}": opportunity(organisation="org", slots=0) for i in range(5)},
        {},
    )
    sentences = Matcher(book).options("ans").no_option.sentences  # type: ignore[union-attr]
    assert sentences[1].startswith("17 plekken bieden niet wat de persoon nodig heeft")
    assert sentences[2] == "5 plekken zijn vol."


# --- text -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("wish", "near", "far"),
    [
        (
            "Ik wil graag tuinieren",
            "Onderhoud van de tuin bij het buurthuis",
            "Administratie op kantoor",
        ),
        ("Ik ben kok", "Samen koken voor de buurt", "Fietsen repareren in de werkplaats"),
    ],
)
def test_tuin_meets_tuinieren_and_kok_meets_koken(wish: str, near: str, far: str) -> None:
    book = build(
        {"ans": person(talents=[], wishes={"text": wish})},
        {
            "near": opportunity(
                organisation="org", description=near, talents_required=[], causes=[]
            ),
            "far": opportunity(organisation="org", description=far, talents_required=[], causes=[]),
        },
        {},
    )
    f = features_of(book)
    block = score_block(f, [0], detail=True)
    near_at, far_at = f.opportunity_index["near"], f.opportunity_index["far"]
    assert block.text is not None
    assert block.text[0, near_at] > 0.2
    assert block.text[0, far_at] < 0.1
    options = Matcher(book).options("ans", top=2).options
    assert [o.opportunity_id for o in options] == ["near", "far"]


# --- the values part -------------------------------------------------------------------


def test_the_cooperative_is_neutral_values_do_not_count() -> None:
    book = build(
        {"ans": person(values=["lokaal"])}, {"keuken": opportunity(organisation="org")}, {}
    )
    (option,) = Matcher(book).options("ans").options
    assert option.sponsor_id is None
    assert option.parts.counted == ("talents", "wishes")
    weights = book.settings.weights
    expected = (
        100
        * (weights.talents * option.parts.talents + weights.wishes * option.parts.wishes)
        / (weights.talents + weights.wishes)
    )
    assert option.total == pytest.approx(expected, abs=0.1)


def test_a_person_without_values_may_have_any_sponsor_they_do_not_avoid() -> None:
    book = build(
        {"ans": person(values=[], avoid_sectors=["fossiel"])},
        {"keuken": opportunity(organisation="org")},
        {
            "gas": sponsor(sector="fossiel", budget_person_years=9),
            "klein": sponsor(sector="bouw", budget_person_years=1),
            "groot": sponsor(sector="zorg", budget_person_years=5),
        },
    )
    (option,) = Matcher(book).options("ans").options
    assert option.sponsor_id == "groot"  # the most years left among those not avoided
    assert not option.parts.counts("values")
    assert "sponsor_no_values" in option.reason_codes


def test_a_sponsor_sharing_no_value_is_not_proposed_to_someone_with_values() -> None:
    book = build(
        {"ans": person(values=["duurzaamheid"])},
        {"keuken": opportunity(organisation="org")},
        {"bank": sponsor(values=["rendement"], statement="Wij groeien.", budget_person_years=5)},
    )
    (option,) = Matcher(book).options("ans").options
    assert option.sponsor_id is None
    assert "no sponsor with budget left shares" in " ".join(option.reasons) or (
        "geen sponsor met budget deelt" in " ".join(option.reasons)
    )


def test_a_spent_budget_sends_people_to_the_cooperative_in_the_round() -> None:
    people = {f"p{i}": person(values=["lokaal"]) for i in range(3)}
    book = build(
        people,
        {"keuken": opportunity(organisation="org", slots=3)},
        {"bouw": sponsor(values=["lokaal"], budget_person_years=1)},
    )
    result = Matcher(book).round()
    assert result.n_placed == 3
    assert sorted(p.sponsor_id or "" for p in result.proposals) == ["", "", "bouw"]
    assert result.sponsor_use["bouw"] == (1, 1.0)
    # The three are alike for the sponsor: the lowest id gets its one year (the documented
    # tie rule), and the others are told the budget went to others in this round.
    assert result.proposal_for("p0").sponsor_id == "bouw"  # type: ignore[union-attr]
    for other in ("p1", "p2"):
        option = result.proposal_for(other)
        assert option is not None
        assert reasons_by_code(option)["cooperative"].startswith(
            "Gefinancierd door de coöperatie: het budget van de passende sponsors ging in "
            "deze ronde naar anderen."
        )


# --- exclusions -------------------------------------------------------------------------


def test_an_excluded_pair_is_not_proposed_and_the_next_place_is(tmp_path: Path) -> None:
    root = write_casebook(
        tmp_path / "cb",
        opportunities={
            "keukenhulp": opportunity(),
            "uitgifte": opportunity(title="Uitgifte", talents_required=["administratie"]),
        },
    )
    book = load_casebook(root)
    assert Matcher(book).options("anna-de-vries").options[0].opportunity_id == "keukenhulp"
    excluded = Matcher(book, exclusions=[("anna-de-vries", "keukenhulp")])
    assert [o.opportunity_id for o in excluded.options("anna-de-vries").options] == ["uitgifte"]
    assert excluded.round().proposals[0].opportunity_id == "uitgifte"


def test_the_exclusions_file_keeps_declined_pairs_out(tmp_path: Path) -> None:
    root = write_casebook(tmp_path / "cb")
    dump_yaml(
        root / "exclusions.yaml",
        {
            "exclusions": [
                {
                    "person": "anna-de-vries",
                    "opportunity": "keukenhulp",
                    "reason": "Wil niet in een keuken werken.",
                    "date": "2025-03-01",
                }
            ]
        },
    )
    book = load_casebook(root)  # not a stray file
    result = Matcher(book).options("anna-de-vries")
    assert result.options == ()
    assert result.no_option is not None and result.no_option.counts == {"excluded": 1}


def test_unknown_ids_in_the_exclusions_file_are_problems_with_file_and_line(
    tmp_path: Path,
) -> None:
    root = write_casebook(tmp_path / "cb")
    (root / "exclusions.yaml").write_text(
        "exclusions:\n"
        "  - person: anna-de-vries\n"
        "    opportunity: keukenhulp\n"
        "  - person: anna-de-vris\n"
        "    opportunity: keukenhulp\n"
        "    datum: 2025-01-01\n",
        encoding="utf-8",
    )
    with pytest.raises(CasebookError) as caught:
        load_casebook(root)
    problems = [str(p) for p in caught.value.problems]
    assert any("exclusions.yaml:6" in p and "datum" in p for p in problems), problems
    (root / "exclusions.yaml").write_text(
        "exclusions:\n  - person: anna-de-vris\n    opportunity: keukenhulp\n", encoding="utf-8"
    )
    with pytest.raises(CasebookError) as caught:
        load_casebook(root)
    (problem,) = caught.value.problems
    assert problem.line == 2 and problem.field == "exclusions[1].person"
    assert "anna-de-vries" in problem.message  # the close id is suggested


def test_an_exclusion_of_an_unknown_id_on_the_command_line_is_a_usage_error() -> None:
    book = build({"ans": person()}, {"keuken": opportunity(organisation="org")}, {})
    with pytest.raises(NotFoundError, match="ans"):
        Matcher(book, exclusions=[("anss", "keuken")])
    with pytest.raises(NotFoundError, match="keuken"):
        Matcher(book, exclusions=[("ans", "keukn")])


# --- the example casebook ----------------------------------------------------------------


def test_the_wheelchair_users_only_get_wheelchair_accessible_places(example: Casebook) -> None:
    wheelchair = [p.id for p in example.candidates() if "rolstoeltoegankelijk" in p.needs]
    assert wheelchair  # hans-verbeek, mirjam-schouten
    matcher = Matcher(example)
    accessible = {
        o.id for o in example.opportunities.values() if "rolstoeltoegankelijk" in o.offers
    }
    for person_id in wheelchair:
        options = matcher.options(person_id, top=50).options
        assert options
        assert {o.opportunity_id for o in options} <= accessible
        proposal = matcher.round().proposal_for(person_id)
        assert proposal is None or proposal.opportunity_id in accessible


def test_nobody_who_avoids_fossil_gets_the_fossil_sponsor(example: Casebook) -> None:
    matcher = Matcher(example)
    avoiders = {p.id for p in example.candidates() if "fossiel" in p.avoid_sectors}
    assert avoiders
    proposals = [o for po in matcher.all_options(top=50).values() for o in po.options]
    proposals += list(matcher.round("flow").proposals) + list(matcher.round("stable").proposals)
    assert any(o.sponsor_id == "flevogas-energie" for o in proposals)  # others may get it
    for option in proposals:
        if option.person_id in avoiders:
            assert option.sponsor_id != "flevogas-energie"


def test_the_example_round_places_every_candidate_within_slots_and_budgets(
    example: Casebook,
) -> None:
    result = Matcher(example).round()
    assert result.n_placed == len(example.candidates()) == 29
    used = {s: n for s, (n, _left) in result.sponsor_use.items()}
    assert all(used[s] <= example.sponsor_years_left(s) for s in used)
    asylum = result.proposal_for("mariam-ahmadi")
    assert asylum is not None
    assert {"no_bsn", "asylum_seeker"} <= set(asylum.warning_codes)


def test_the_example_gives_people_places_that_match_their_wishes(example: Casebook) -> None:
    set_language("en")
    matcher = Matcher(example)
    gerda = matcher.options("gerda-zwart").options[0]  # a retired teacher: language
    assert gerda.opportunity_id == "taalcafe-taalmaatje"
    bram = matcher.options("bram-hendriks").options[0]  # animals, quiet place, PGB
    assert bram.opportunity_id == "weidehof-dierenverzorging"
    assert "pgb" in bram.warning_codes
    assert set(
        reasons_by_code(bram)["talents"]
        .removeprefix("Talents that match: ")
        .rstrip(".")
        .split(", ")
    ) == {
        "dieren",
        "tuinieren",
    }


def test_an_unknown_person_is_a_clear_error_with_close_ids(example: Casebook) -> None:
    set_language("en")
    with pytest.raises(NotFoundError, match="Did you mean: hans-verbeek"):
        Matcher(example).options("hans-verbek")


def test_the_fast_ranking_gives_the_same_numbers_as_the_detailed_scoring(
    example: Casebook,
) -> None:
    f = features_of(example)
    rows = np.arange(f.n_people)
    choice, values = best_sponsors(f, sponsor_scores(f, rows))
    detailed = score_block(f, rows, person_values=values)
    fast = rank_block(f, rows, np.arange(f.n_opportunities), person_values=values)
    expected = np.where(detailed.feasible, detailed.place, -np.inf)
    assert np.allclose(fast, expected, equal_nan=False)
    assert (fast == -np.inf).sum() > 0  # the example has hard limits to rule out
    assert np.isnan(values).sum() > 0 and (choice >= 0).sum() > 0
