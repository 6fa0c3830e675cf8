"""From proposal to placement: accept, decline, switch and renew, with slot and budget effects."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from tests.year.yearbook import DAY, PLACEMENT, YEAR, snapshot, write_yearbook
from toolkit.casebook import load_casebook
from toolkit.casebook.exclusions import read_exclusions
from toolkit.casebook.path import set_status
from toolkit.casebook.placements import decline, one_year_from, place, renew, renewals_due
from toolkit.casebook.rules import rules_for
from toolkit.errors import ConflictError, InvalidInputError, NotFoundError
from toolkit.reports.overview import progress_series

CAPS_NOW = rules_for(YEAR).allowance


def _exclusions(root: Path) -> list:  # type: ignore[type-arg]
    book = load_casebook(root)
    return read_exclusions(book.root, book.people, book.opportunities)


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return write_yearbook(tmp_path / "cb")


def test_accepting_writes_the_placement_and_takes_the_slot_and_budget(root: Path) -> None:
    before = load_casebook(root)
    assert before.open_slots("uitgifte") == 1
    assert before.sponsor_years_used("bouwer") == 0
    set_status(root, "anna", "voorgesteld", by="C", day=DAY)
    plan = place(root, "anna", "uitgifte", by="C", day=DAY, sponsor_id="bouwer")
    after = load_casebook(root)
    anna = after.people["anna"]
    assert anna.status == "actief"
    assert anna.placement == plan.placement
    assert anna.placement.start == DAY
    assert anna.placement.end == dt.date(YEAR + 1, 2, 28)  # one year
    assert anna.placement.sponsor == "bouwer"
    assert after.open_slots("uitgifte") == 0
    assert after.sponsor_years_used("bouwer") == 1.0
    assert anna.status_history[-1].status == "actief"


def test_the_default_allowance_is_the_sponsor_amount_within_the_cap(root: Path) -> None:
    rules = rules_for(YEAR)
    plan = place(root, "anna", "uitgifte", by="C", day=DAY)
    expected = min(rules.sponsor_allowance_per_year.value, rules.allowance.per_year)
    assert plan.placement.allowance_per_year == expected


def test_a_full_place_is_refused_and_nothing_is_written(root: Path) -> None:
    place(root, "anna", "uitgifte", by="C", day=DAY)
    before = snapshot(root)
    with pytest.raises(ConflictError, match="geen vrije plaats"):
        place(root, "bram", "uitgifte", by="C", day=DAY)
    assert snapshot(root) == before


def test_a_budget_exceeded_is_refused_and_nothing_is_written(root: Path) -> None:
    place(root, "anna", "uitgifte", by="C", day=DAY, sponsor_id="bouwer")  # 1 of 1.5 years
    before = snapshot(root)
    with pytest.raises(ConflictError, match="budget"):
        place(root, "bram", "chauffeur", by="C", day=DAY, sponsor_id="bouwer")
    assert snapshot(root) == before
    # Half a year still fits.
    place(
        root,
        "bram",
        "chauffeur",
        by="C",
        day=DAY,
        sponsor_id="bouwer",
        end=DAY + dt.timedelta(days=150),
    )
    assert load_casebook(root).sponsor_years_used("bouwer") <= 1.5


def test_an_allowance_over_the_cap_is_refused(root: Path) -> None:
    cap = rules_for(YEAR).allowance.per_year
    with pytest.raises(InvalidInputError, match="maximum"):
        place(
            root,
            "anna",
            "uitgifte",
            by="C",
            day=DAY,
            allowance_per_year=cap + 1,
            end=dt.date(YEAR, 12, 31),
        )
    place(
        root, "anna", "uitgifte", by="C", day=DAY, allowance_per_year=cap, end=dt.date(YEAR, 12, 31)
    )


@pytest.mark.parametrize(
    ("person_id", "key"), [("bram", "per_hour_under_21"), ("anna", "per_hour_21_plus")]
)
def test_an_agreed_hourly_rate_is_held_to_the_cap_for_the_age(
    root: Path, person_id: str, key: str
) -> None:
    cap = getattr(rules_for(YEAR).allowance, key)
    with pytest.raises(InvalidInputError, match="per uur"):
        place(root, person_id, "uitgifte", by="C", day=DAY, hourly_rate=round(cap + 0.01, 2))
    plan = place(root, person_id, "uitgifte", by="C", day=DAY, hourly_rate=cap)
    assert plan.placement.allowance_per_hour == cap


def test_without_an_agreed_rate_the_hourly_cap_is_a_guide(root: Path) -> None:
    # Bram (19) works 8 hours a week: 416 hours at the under-21 cap is less than the allowance.
    plan = place(root, "bram", "uitgifte", by="C", day=DAY)
    assert plan.notices and "richtlijn" in plan.notices[0]


def test_placing_says_what_the_benefit_asks_before_the_start(root: Path) -> None:
    plan = place(root, "dirk", "uitgifte", by="C", day=DAY)  # WW
    assert any("toestemming" in notice for notice in plan.notices)
    assert not any("UWV" in n for n in place(root, "anna", "chauffeur", by="C", day=DAY).notices)


def test_nothing_is_placed_from_a_status_that_is_not_on_the_way(root: Path) -> None:
    set_status(root, "anna", "gestopt", by="C", day=DAY, reason="verhuisd")
    with pytest.raises(ConflictError, match="kandidaat"):
        place(root, "anna", "uitgifte", by="C", day=DAY)


def test_unknown_ids_are_not_found(root: Path) -> None:
    with pytest.raises(NotFoundError):
        place(root, "anna", "bestaat-niet", by="C", day=DAY)
    with pytest.raises(NotFoundError):
        place(root, "anna", "uitgifte", by="C", day=DAY, sponsor_id="bestaat-niet")


def test_declining_writes_the_exclusion_and_later_rounds_leave_it_out(root: Path) -> None:
    from toolkit.matching import Matcher

    proposed = Matcher(load_casebook(root)).options("anna", top=10).options
    assert "uitgifte" in {o.opportunity_id for o in proposed}  # so leaving it out means something
    set_status(root, "anna", "voorgesteld", by="C", day=DAY)
    declined = decline(root, "anna", "uitgifte", reason="Te ver weg", by="C", day=DAY)
    assert declined.back_to_candidate
    book = load_casebook(root)
    assert book.people["anna"].status == "kandidaat"
    (exclusion,) = read_exclusions(book.root, book.people, book.opportunities)
    assert (exclusion.person, exclusion.opportunity, exclusion.reason, exclusion.date) == (
        "anna",
        "uitgifte",
        "Te ver weg",
        DAY,
    )
    assert book.open_slots("uitgifte") == 1  # declining takes no slot
    left = Matcher(book).options("anna", top=10).options
    assert "uitgifte" not in {o.opportunity_id for o in left}
    with pytest.raises(ConflictError, match="uitsluitingen"):
        decline(root, "anna", "uitgifte", reason="nog eens", by="C", day=DAY)
    with pytest.raises(ConflictError, match="afgewezen"):
        place(root, "anna", "uitgifte", by="C", day=DAY)


def test_declining_appends_to_an_existing_exclusions_file_keeping_its_comments(root: Path) -> None:
    (root / "exclusions.yaml").write_text(
        "# eigen commentaar\nexclusions:\n  - person: bram\n    opportunity: chauffeur\n",
        encoding="utf-8",
    )
    decline(root, "anna", "uitgifte", reason="Liever buiten", by="C", day=DAY)
    text = (root / "exclusions.yaml").read_text(encoding="utf-8")
    assert text.startswith("# eigen commentaar\nexclusions:\n  - person: bram\n")
    assert [e.person for e in _exclusions(root)] == ["bram", "anna"]


def test_a_declined_reason_is_required(root: Path) -> None:
    with pytest.raises(InvalidInputError):
        decline(root, "anna", "uitgifte", reason=" ", by="C", day=DAY)


def test_a_switch_of_organisation_keeps_the_history_and_the_allowance(root: Path) -> None:
    # Gijs has the old single `placement:` at keukenhulp for 2025.
    switch_day = dt.date(YEAR, 7, 1)
    plan = place(root, "gijs", "chauffeur", by="C", day=switch_day)
    assert plan.switch
    book = load_casebook(root)
    gijs = book.people["gijs"]
    old, new = gijs.history()
    assert (old.opportunity, old.end) == ("keukenhulp", switch_day - dt.timedelta(days=1))
    assert (new.opportunity, new.start) == ("chauffeur", switch_day)
    assert new.allowance_per_year == old.allowance_per_year  # the allowance keeps running
    assert new.end == dt.date(YEAR, 12, 31)  # the agreement's end carries over
    assert gijs.status == "actief"
    assert book.open_slots("keukenhulp") == 2 and book.open_slots("chauffeur") == 0
    text = (root / "people" / "gijs.yaml").read_text(encoding="utf-8")
    assert "placements:" in text and "\nplacement:" not in text


def test_the_progress_chart_counts_the_whole_history_without_a_dip(root: Path) -> None:
    switch_day = dt.date(YEAR, 7, 1)
    place(root, "gijs", "chauffeur", by="C", day=switch_day)
    series = dict(progress_series(load_casebook(root), dt.date(YEAR + 1, 6, 1)))
    assert series[dt.date(YEAR, 1, 1)] == 1
    assert series[switch_day] == 1  # old ended the day before, new started: still one
    assert series[dt.date(YEAR + 1, 1, 1)] == 0


def test_a_stopped_persons_earlier_placements_still_count_for_the_sponsor(root: Path) -> None:
    place(root, "anna", "uitgifte", by="C", day=DAY, sponsor_id="winkel")
    place(root, "anna", "chauffeur", by="C", day=dt.date(YEAR, 9, 1), sponsor_id="winkel")
    set_status(root, "anna", "gestopt", by="C", day=dt.date(YEAR, 10, 1), reason="opleiding")
    book = load_casebook(root)
    history = book.people["anna"].history()
    assert len(history) == 2
    assert book.sponsor_years_used("winkel") == round(sum(p.person_years() for p in history), 2)


def test_renewal_lists_and_extends_by_one_year(root: Path) -> None:
    book = load_casebook(root)
    due = renewals_due(book, dt.date(YEAR, 11, 15), 60)
    assert [a.person_id for a in due] == ["gijs"]
    renewed = renew(root, "gijs", by="C", day=dt.date(YEAR, 11, 15))
    assert renewed.end == one_year_from(dt.date(YEAR + 1, 1, 1))
    assert load_casebook(root).people["gijs"].placement.end == dt.date(YEAR + 1, 12, 31)
    assert renewals_due(load_casebook(root), dt.date(YEAR, 11, 15), 60) == []


def test_renewal_is_refused_beyond_the_budget(root: Path) -> None:
    place(root, "anna", "uitgifte", by="C", day=DAY, sponsor_id="bouwer")  # 1 of 1.5
    before = snapshot(root)
    with pytest.raises(ConflictError, match="budget"):
        renew(root, "anna", by="C", day=DAY)
    assert snapshot(root) == before


def test_renewal_needs_a_running_agreement(root: Path) -> None:
    with pytest.raises(ConflictError):
        renew(root, "anna", by="C", day=DAY)


def test_one_year_from_a_leap_day_and_an_ordinary_day() -> None:
    assert one_year_from(dt.date(2024, 2, 29)) == dt.date(2025, 2, 28)
    assert one_year_from(dt.date(2024, 3, 1)) == dt.date(2025, 2, 28)
    assert one_year_from(dt.date(2025, 1, 1)) == dt.date(2025, 12, 31)


def test_the_strictest_cap_of_the_years_covered_holds(tmp_path: Path) -> None:
    from tests.helpers import SETTINGS

    root = write_yearbook(tmp_path / "cb", settings={**SETTINGS, "rules_year": 2024})
    caps = {year: rules_for(year).allowance.per_year for year in (2023, 2024)}
    assert caps[2023] < caps[2024]
    with pytest.raises(InvalidInputError):
        place(
            root, "anna", "uitgifte", by="C", day=dt.date(2023, 7, 1), allowance_per_year=caps[2024]
        )
    plan = place(root, "anna", "uitgifte", by="C", day=dt.date(2023, 7, 1))
    assert plan.placement.allowance_per_year == caps[2023]


def test_a_budget_used_exactly_is_allowed_and_the_refusal_gives_the_figures(tmp_path: Path) -> None:
    from tests.helpers import sponsor

    root = write_yearbook(
        tmp_path / "cb", sponsors={"bouwer": sponsor(name="Bouwer", budget_person_years=2)}
    )
    place(root, "anna", "uitgifte", by="C", day=dt.date(YEAR, 1, 1), sponsor_id="bouwer")
    with pytest.raises(ConflictError) as caught:
        place(
            root,
            "bram",
            "chauffeur",
            by="C",
            day=dt.date(YEAR, 1, 1),
            sponsor_id="bouwer",
            end=dt.date(YEAR + 1, 12, 31),
        )
    assert "nog 1 burgerbaan-jaren over" in str(caught.value)
    assert "vraagt er 2" in str(caught.value)
    place(root, "bram", "chauffeur", by="C", day=dt.date(YEAR, 1, 1), sponsor_id="bouwer")
    assert load_casebook(root).sponsor_years_used("bouwer") == 2


def test_a_one_day_agreement_and_an_allowance_of_nothing_are_allowed(root: Path) -> None:
    plan = place(root, "anna", "uitgifte", by="C", day=DAY, end=DAY, allowance_per_year=0)
    assert (plan.placement.start, plan.placement.end, plan.placement.allowance_per_year) == (
        DAY,
        DAY,
        0,
    )
    with pytest.raises(InvalidInputError):
        place(root, "bram", "chauffeur", by="C", day=DAY, end=DAY - dt.timedelta(days=1))
    with pytest.raises(InvalidInputError):
        place(root, "bram", "chauffeur", by="C", day=DAY, allowance_per_year=-1)


def test_an_exclusion_holds_only_for_its_own_pair(root: Path) -> None:
    decline(root, "anna", "uitgifte", reason="Nee", by="C", day=DAY)
    place(root, "anna", "chauffeur", by="C", day=DAY)
    place(root, "bram", "uitgifte", by="C", day=DAY)


def _sponsored_gijs(tmp_path: Path) -> Path:
    from tests.helpers import person

    crowd = {
        "gijs": person(
            name="Gijs Goossens",
            status="actief",
            placement={
                "opportunity": "keukenhulp",
                "sponsor": "winkel",
                "start": "2025-01-01",
                "end": "2025-12-31",
                "allowance_per_year": 1800,
            },
        ),
        "anna": person(name="Anna Aarts"),
    }
    return write_yearbook(tmp_path / "cb", people=crowd)


def test_a_switch_carries_the_funder_and_allowance_unless_told_otherwise(tmp_path: Path) -> None:
    root = _sponsored_gijs(tmp_path)
    plan = place(root, "gijs", "chauffeur", by="C", day=dt.date(YEAR, 7, 1))
    assert (plan.placement.sponsor, plan.placement.allowance_per_year) == ("winkel", 1800)
    assert plan.placement.end == dt.date(YEAR, 12, 31)
    own = place(
        root,
        "gijs",
        "uitgifte",
        by="C",
        day=dt.date(YEAR, 9, 1),
        sponsor_id="bouwer",
        allowance_per_year=1500,
        end=dt.date(YEAR, 10, 31),
    )
    assert (own.placement.sponsor, own.placement.allowance_per_year, own.placement.end) == (
        "bouwer",
        1500,
        dt.date(YEAR, 10, 31),
    )


def test_a_switch_on_the_start_day_is_refused_and_on_the_last_day_keeps_that_end(
    tmp_path: Path,
) -> None:
    root = _sponsored_gijs(tmp_path)
    with pytest.raises(InvalidInputError):
        place(root, "gijs", "chauffeur", by="C", day=dt.date(YEAR, 1, 1))
    plan = place(root, "gijs", "chauffeur", by="C", day=dt.date(YEAR, 12, 31))
    assert plan.previous_end == dt.date(YEAR, 12, 30)
    assert plan.placement.end == dt.date(YEAR, 12, 31)


def test_a_new_placement_after_a_stop_starts_after_the_last_one(root: Path) -> None:
    stop = dt.date(YEAR, 6, 30)
    set_status(root, "gijs", "gestopt", by="C", day=stop, reason="anders")
    set_status(root, "gijs", "kandidaat", by="C", day=stop)
    with pytest.raises(InvalidInputError):
        place(root, "gijs", "chauffeur", by="C", day=stop)
    plan = place(root, "gijs", "chauffeur", by="C", day=stop + dt.timedelta(days=1))
    assert len(load_casebook(root).people["gijs"].history()) == 2
    assert plan.placement.start == stop + dt.timedelta(days=1)


def test_a_last_placement_without_an_end_must_get_one_first(tmp_path: Path) -> None:
    from tests.helpers import person

    open_ended = {k: v for k, v in PLACEMENT.items() if k != "end"}
    root = write_yearbook(
        tmp_path / "cb", people={"pim": person(name="Pim Peters", placement=open_ended)}
    )
    with pytest.raises(InvalidInputError, match="einddatum"):
        place(root, "pim", "chauffeur", by="C", day=DAY)


def test_years_without_caps_in_the_rule_data_take_the_sponsor_amount(root: Path) -> None:
    day = dt.date(2090, 1, 1)
    plan = place(root, "anna", "uitgifte", by="C", day=day)
    assert plan.placement.allowance_per_year == rules_for(YEAR).sponsor_allowance_per_year.value


def test_the_hourly_cap_is_that_of_the_start_year(root: Path) -> None:
    earlier = rules_for(YEAR - 1).allowance.per_hour_21_plus
    assert earlier < CAPS_NOW.per_hour_21_plus
    between = round((earlier + CAPS_NOW.per_hour_21_plus) / 2, 2)
    with pytest.raises(InvalidInputError):
        place(
            root,
            "anna",
            "uitgifte",
            by="C",
            day=dt.date(YEAR - 1, 3, 1),
            end=dt.date(YEAR - 1, 12, 31),
            hourly_rate=between,
        )


def test_the_hourly_guide_at_and_just_over(root: Path) -> None:
    hours = 8 * 52  # Bram's hours per week in the yearbook, over a year
    guide = round(hours * CAPS_NOW.per_hour_under_21, 2)
    at = place(root, "bram", "uitgifte", by="C", day=DAY, allowance_per_year=guide)
    assert not any("richtlijn" in n for n in at.notices)
    over = place(root, "cora", "chauffeur", by="C", day=DAY, allowance_per_year=guide + 0.01)
    assert not any("richtlijn" in n for n in over.notices)  # Cora is 21+: a higher guide
    decline(root, "anna", "keukenhulp", reason="x", by="C", day=DAY)
    set_status(root, "bram", "gestopt", by="C", day=DAY, reason="anders")
    set_status(root, "bram", "kandidaat", by="C", day=DAY)
    again = place(
        root,
        "bram",
        "keukenhulp",
        by="C",
        day=DAY + dt.timedelta(days=1),
        allowance_per_year=guide + 0.01,
    )
    assert any("richtlijn" in n for n in again.notices)


def test_declining_while_actief_only_the_own_place_is_refused(root: Path) -> None:
    with pytest.raises(ConflictError):
        decline(root, "gijs", "keukenhulp", reason="Nee", by="C", day=DAY)
    decline(root, "gijs", "uitgifte", reason="Nee", by="C", day=DAY)
    decline(root, "gijs", "chauffeur", reason="Ook niet", by="C", day=DAY)
    decline(root, "anna", "uitgifte", reason="Nee", by="C", day=DAY)
    pairs = [(e.person, e.opportunity) for e in _exclusions(root)]
    assert pairs == [("gijs", "uitgifte"), ("gijs", "chauffeur"), ("anna", "uitgifte")]


def test_the_decline_is_in_the_history_with_who_recorded_it(root: Path) -> None:
    set_status(root, "anna", "voorgesteld", by="C", day=DAY)
    decline(root, "anna", "uitgifte", reason="Nee", by="Coördinator", day=DAY)
    last = load_casebook(root).people["anna"].status_history[-1]
    assert (last.status, last.by) == ("kandidaat", "Coördinator")


def test_a_stopped_person_is_not_renewed(root: Path) -> None:
    set_status(root, "gijs", "gestopt", by="C", day=dt.date(YEAR, 6, 1), reason="anders")
    with pytest.raises(ConflictError):
        renew(root, "gijs", by="C", day=dt.date(YEAR, 6, 2))


def test_a_renewal_into_a_year_with_a_lower_cap_is_refused(tmp_path: Path) -> None:
    from tests.helpers import SETTINGS, person

    early = {**PLACEMENT, "start": "2022-01-01", "end": "2022-12-31"}
    late = {**PLACEMENT, "start": "2090-01-01", "end": "2090-12-31"}
    root = write_yearbook(
        tmp_path / "cb",
        settings={**SETTINGS, "rules_year": 2024},
        people={
            "pim": person(name="Pim Peters", status="actief", placement=early),
            "pam": person(name="Pam Peters", status="actief", placement=late),
        },
    )
    assert rules_for(2023).allowance.per_year < early["allowance_per_year"]
    with pytest.raises(InvalidInputError):
        renew(root, "pim", by="C", day=dt.date(2022, 12, 1))
    assert renew(root, "pam", by="C", day=dt.date(2090, 12, 1)).end == dt.date(2091, 12, 31)
