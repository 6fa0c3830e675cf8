"""Choosing cases and spreading them: deterministic, covering, mixed."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.casussen.casebooks import contract_options, in_memory, people, sponsors
from tests.helpers import EXAMPLE_CASEBOOK, person, write_casebook
from toolkit.casebook import load_casebook
from toolkit.casebook.public import pseudonyms
from toolkit.errors import UsageError
from toolkit.reports.casussen.request import Request
from toolkit.reports.casussen.selection import eligible, jaccard_distance, plan_cases, select_cases
from toolkit.reports.casussen.tables import spread
from toolkit.reports.casussen.themes import THEME_CODES, person_themes

DAY = date(2025, 6, 1)
SLOW = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.large_base_example],
)


def themes_of(book: Any, options: Any = None) -> dict[str, frozenset[str]]:
    return {
        pid: person_themes(book, book.people[pid], options.get(pid) if options else None, DAY)
        for pid in eligible(book)
    }


@SLOW
@given(people_data=people(min_size=1, max_size=12), sponsor_data=sponsors(), data=st.data())
def test_every_theme_someone_has_is_covered_when_n_allows(
    people_data: dict[str, dict[str, Any]], sponsor_data: dict[str, Any], data: st.DataObject
) -> None:
    book = in_memory(people_data, sponsor_data)
    options = contract_options(book, sorted(book.people))
    themes = themes_of(book, options)
    if not themes:
        return
    requested = data.draw(
        st.lists(st.sampled_from(THEME_CODES), min_size=1, unique=True) | st.just(list(THEME_CODES))
    )
    coverable = {t for t in requested if any(t in ts for ts in themes.values())}
    low = min(len(themes), max(1, len(coverable)))
    count = data.draw(st.integers(low, len(themes)))
    chosen = select_cases(book, count, requested, themes)

    assert len(chosen) == count == len(set(chosen))
    assert set(chosen) <= set(themes)
    covered = set().union(*(themes[p] for p in chosen))
    assert coverable <= covered


@SLOW
@given(people_data=people(min_size=2, max_size=10), sponsor_data=sponsors(), data=st.data())
def test_the_same_casebook_gives_the_same_pseudonyms_selection_and_tables(
    people_data: dict[str, dict[str, Any]], sponsor_data: dict[str, Any], data: st.DataObject
) -> None:
    first = in_memory(people_data, sponsor_data)
    # The same records in another order: neither file order nor dict order may matter.
    second = in_memory(dict(reversed(list(people_data.items()))), sponsor_data)
    pool = len(eligible(first))
    if pool == 0:
        return
    count = data.draw(st.integers(1, pool))
    tables = data.draw(st.integers(1, count))
    request = Request(out=Path("unused"), select=count, tables=tables, day=DAY)
    plans = [
        plan_cases(book, request, contract_options(book, sorted(book.people)))
        for book in (first, second)
    ]
    assert pseudonyms(first) == pseudonyms(second)
    assert plans[0].tables == plans[1].tables
    assert plans[0].coverage == plans[1].coverage


def test_loading_the_example_twice_gives_the_same_cases() -> None:
    request = Request(out=Path("unused"), select=8, tables=3, day=DAY)
    first = plan_cases(load_casebook(EXAMPLE_CASEBOOK), request, None)
    second = plan_cases(load_casebook(EXAMPLE_CASEBOOK), request, None)
    assert first.tables == second.tables
    assert sum(len(t) for t in first.tables) == 8


@SLOW
@given(
    sizes=st.lists(st.integers(0, 5), min_size=1, max_size=14),
    tables=st.integers(1, 6),
)
def test_spread_seats_everyone_once_in_balanced_tables(sizes: list[int], tables: int) -> None:
    ids = [f"p{i}" for i in range(len(sizes))]
    themes = {pid: frozenset(THEME_CODES[: sizes[i]]) for i, pid in enumerate(ids)}
    if tables > len(ids):
        with pytest.raises(UsageError):
            spread(ids, themes, tables)
        return
    seated = spread(ids, themes, tables)
    assert len(seated) == tables
    assert sorted(p for table in seated for p in table) == sorted(ids)
    lengths = [len(table) for table in seated]
    assert max(lengths) - min(lengths) <= 1 and min(lengths) >= 1


def test_spread_mixes_themes_instead_of_grouping_them() -> None:
    themes = {
        "a1": frozenset({"pgb", "dagbesteding"}),
        "a2": frozenset({"pgb", "dagbesteding"}),
        "b1": frozenset({"geen-bsn", "asielzoeker"}),
        "b2": frozenset({"geen-bsn", "asielzoeker"}),
    }
    seated = spread(["a1", "a2", "b1", "b2"], themes, 2)
    for table in seated:
        assert {p[0] for p in table} == {"a", "b"}, seated


def test_among_equal_coverage_the_most_different_case_is_chosen(tmp_path: Path) -> None:
    # After the first pick nobody adds a theme; the one person with other talents and another
    # district differs most, so it is chosen whatever the pseudonyms or ids.
    same = {
        f"same-{n}": person(name=f"Zelfde Persoon{n}", situation=["pgb"], talents=["koken"])
        for n in range(6)
    }
    other = person(
        name="Ander Persoon",
        situation=["pgb"],
        talents=["tuinieren", "ict"],
        district="Almere Buiten",
    )
    book = load_casebook(write_casebook(tmp_path / "cb", people={**same, "other": other}))
    themes = themes_of(book)
    chosen = select_cases(book, 2, ["pgb"], themes)
    assert "other" in chosen
    assert jaccard_distance(frozenset({"a"}), frozenset({"a"})) == 0.0
    assert jaccard_distance(frozenset({"a"}), frozenset({"b"})) == 1.0
    assert jaccard_distance(frozenset({"a", "b"}), frozenset({"b", "c"})) == pytest.approx(2 / 3)


def test_a_case_that_covers_more_is_chosen_first(tmp_path: Path) -> None:
    others = {
        f"other-{n}": person(name=f"Ander Persoon{n}", talents=[t], district=d)
        for n, (t, d) in enumerate(
            [("ict", "Almere Buiten"), ("tuinieren", "Almere Haven"), ("zorg", "Almere Stad")] * 2
        )
    }
    book = load_casebook(
        write_casebook(
            tmp_path / "cb",
            people={
                **others,
                "one": person(name="Een Persoon", situation=["pgb"]),
                "two": person(name="Twee Persoon", situation=["wajong", "dagbesteding"]),
                "three": person(name="Drie Persoon", situation=["wmo", "pgb"], has_bsn=False),
            },
        )
    )
    requested = ["pgb", "wajong", "dagbesteding", "wmo", "geen-bsn"]
    assert select_cases(book, 2, requested, themes_of(book)) == ("three", "two")


def test_select_chooses_only_people_who_have_not_stopped(tmp_path: Path) -> None:
    book = load_casebook(
        write_casebook(
            tmp_path / "cb",
            people={
                "aaa-stopped": person(name="Gestopt Persoon", status="gestopt", situation=["pgb"]),
                "bbb-candidate": person(name="Kandidaat Persoon"),
            },
        )
    )
    assert eligible(book) == ("bbb-candidate",)
    with pytest.raises(UsageError, match="2"):
        select_cases(book, 2, THEME_CODES, themes_of(book))
