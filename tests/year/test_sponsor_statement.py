"""The sponsor statement: its figures for the example casebook, computed here from the raw files,
and the privacy guard on both formats."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from tests.helpers import EXAMPLE_CASEBOOK, example_casebook
from tests.year.yearbook import YEAR, write_yearbook
from toolkit.casebook import load_casebook
from toolkit.casebook.placements import place
from toolkit.casebook.public import public_view
from toolkit.casebook.rules import RULES_FILE
from toolkit.errors import NotFoundError
from toolkit.reports.privacy import PrivacyError
from toolkit.reports.sponsor_statement import (
    sponsor_statement,
    sponsor_statement_docx,
    sponsor_statement_html,
)

DAY = dt.date(2026, 12, 1)


def _raw(path: Path) -> Any:
    return YAML(typ="safe", pure=True).load(path.read_text(encoding="utf-8"))


def _as_date(value: Any) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def _expected(sponsor_id: str, year: int) -> dict[str, float]:
    """The figures from the raw YAML, without the toolkit's loader or money code."""
    rules = _raw(RULES_FILE)
    settings = _raw(EXAMPLE_CASEBOOK / "casebook.yaml")
    sponsor = _raw(EXAMPLE_CASEBOOK / "sponsors" / f"{sponsor_id}.yaml")
    credit = settings.get("sroi_credit_per_year", rules["sroi_credit_per_year"]["value"])
    cost = rules["sponsor_allowance_per_year"]["value"] + rules["overhead_per_year"]["value"]
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    deadline = _as_date(sponsor["sroi_deadline"]) if "sroi_deadline" in sponsor else None
    years = credited = hours = paid = credited_total = 0.0
    for path in sorted((EXAMPLE_CASEBOOK / "people").glob("*.yaml")):
        data = _raw(path)
        placements = data.get("placements") or ([data["placement"]] if "placement" in data else [])
        for placement in placements:
            if placement.get("sponsor") != sponsor_id:
                continue
            start, end = _as_date(placement["start"]), _as_date(placement["end"])
            span = (min(end, last) - max(start, first)).days + 1
            years += round(span / 365.25, 2) if span > 0 else 0
            credit_last = min(last, deadline) if deadline else last
            span = (min(end, credit_last) - max(start, first)).days + 1
            credited += round(span / 365.25, 2) if span > 0 else 0
            whole_end = min(end, deadline) if deadline else end
            credited_total += round(((whole_end - start).days + 1) / 365.25, 2)
            hours_path = EXAMPLE_CASEBOOK / "hours" / path.name
            for statement in _raw(hours_path)["statements"] if hours_path.exists() else []:
                month = str(statement["month"])
                if (
                    int(month[:4]) == year
                    and start <= dt.date(int(month[:4]), int(month[5:]), 1) <= end
                ):
                    hours += statement["hours"]
                    paid += statement["allowance_paid"]
    return {
        "years": round(years, 2),
        "owed": round(years * cost, 2),
        "credited": round(credited * credit, 2),
        "hours": hours,
        "paid": paid,
        "missing": max(0.0, sponsor.get("sroi_obligation", 0) - credited_total * credit),
    }


@pytest.mark.parametrize("sponsor_id", ["bouwcombinatie-weerwater", "zorgcollectief-flevohart"])
def test_the_figures_for_the_example_casebook(sponsor_id: str) -> None:
    expected = _expected(sponsor_id, 2026)
    statement = sponsor_statement(example_casebook(), sponsor_id, 2026, DAY)
    assert expected["years"] > 0  # the example funds a burgerbaan of each in 2026
    assert statement.funded_years == expected["years"]
    assert statement.owed == expected["owed"]
    assert statement.owed_allowance + statement.owed_overhead == statement.owed
    assert statement.credited == expected["credited"]
    assert statement.hours == expected["hours"]
    assert statement.paid == expected["paid"]
    if statement.obligation is not None:
        assert statement.missing == expected["missing"]


def test_a_sponsor_without_burgerbanen_that_year() -> None:
    statement = sponsor_statement(example_casebook(), "flevo-spaarbank", 2026, DAY)
    assert statement.places == () and statement.owed == 0
    html = sponsor_statement_html(example_casebook(), statement).decode()
    assert "geen burgerbaan" in html


def test_unknown_sponsor() -> None:
    with pytest.raises(NotFoundError, match="bouwcombinatie-weerwater"):
        sponsor_statement(example_casebook(), "bouwcombinatie-weerwate", 2026, DAY)


def _docx_text(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read("word/document.xml").decode()


def test_both_formats_show_pseudonyms_the_figures_and_the_assumption_and_no_names() -> None:
    book = example_casebook()
    statement = sponsor_statement(book, "bouwcombinatie-weerwater", 2026, DAY)
    html = sponsor_statement_html(book, statement).decode()
    docx = _docx_text(sponsor_statement_docx(book, statement))
    jordy = book.people["jordy-vermeulen"]
    pseudonym = public_view(book, jordy, 2026).pseudonym
    for text in (html, docx):
        assert pseudonym in text
        assert "Jordy" not in text and "Vermeulen" not in text and "jordy-vermeulen" not in text
        assert "Aanname" in text and "bron" in text
        assert book.rules.sroi_credit_per_year.source in text
        assert "Bouwcombinatie Weerwater" in text


def test_the_privacy_guard_stops_a_statement_that_would_name_someone(tmp_path: Path) -> None:
    from tests.helpers import opportunity

    root = write_yearbook(
        tmp_path / "cb",
        opportunities={
            "keukenhulp": opportunity(),
            "uitgifte": opportunity(title="Uitgifte met Anna Aarts", slots=1),
        },
    )
    place(root, "bram", "uitgifte", by="C", day=dt.date(YEAR, 1, 1), sponsor_id="winkel")
    book = load_casebook(root)
    statement = sponsor_statement(book, "winkel", YEAR, dt.date(YEAR, 12, 1))
    with pytest.raises(PrivacyError):
        sponsor_statement_html(book, statement)
    with pytest.raises(PrivacyError):
        sponsor_statement_docx(book, statement)


GOLDEN = Path(__file__).resolve().parent.parent / "golden" / "year" / "sponsorverklaring.html"


def test_the_html_statement_matches_its_golden_file() -> None:
    """Regenerate deliberately with ``UPDATE_GOLDEN=1`` and review the diff."""
    import os

    book = example_casebook()
    statement = sponsor_statement(book, "bouwcombinatie-weerwater", 2026, DAY)
    text = sponsor_statement_html(book, statement).decode()
    if os.environ.get("UPDATE_GOLDEN"):
        GOLDEN.parent.mkdir(parents=True, exist_ok=True)
        GOLDEN.write_text(text, encoding="utf-8")
    assert text == GOLDEN.read_text(encoding="utf-8"), "UPDATE_GOLDEN=1 to accept the change"


def test_years_within_an_open_ended_agreement_count_one_year_from_its_start() -> None:
    from toolkit.casebook.records import Placement
    from toolkit.reports.sponsor_statement import years_within

    open_ended = Placement(opportunity="x", start=dt.date(2025, 7, 1), allowance_per_year=0)
    assert years_within(open_ended, dt.date(2025, 1, 1), dt.date(2025, 12, 31)) == 0.5
    assert years_within(open_ended, dt.date(2026, 1, 1), dt.date(2026, 12, 31)) == 0.5
    assert years_within(open_ended, dt.date(2027, 1, 1), dt.date(2027, 12, 31)) == 0


def test_a_year_outside_the_agreement_lists_nothing_and_counts_no_hours() -> None:
    book = example_casebook()
    before = sponsor_statement(book, "bouwcombinatie-weerwater", 2025, DAY)
    assert before.places == () and before.hours == 0
    after = sponsor_statement(book, "bouwcombinatie-weerwater", 2027, dt.date(2027, 3, 1))
    assert after.funded_years > 0 and after.hours == 0 and after.paid == 0


def test_only_the_months_of_the_sponsored_placement_count(tmp_path: Path) -> None:
    from tests.helpers import person
    from toolkit.casebook.path import set_status
    from toolkit.casebook.statements import record_statement

    root = write_yearbook(tmp_path / "cb", people={"pim": person(name="Pim Peters")})
    place(root, "pim", "keukenhulp", by="C", day=dt.date(YEAR, 1, 1), end=dt.date(YEAR, 3, 31))
    record_statement(root, "pim", f"{YEAR}-03", 10, amount=50)
    set_status(root, "pim", "gestopt", by="C", day=dt.date(YEAR, 4, 1), reason="anders")
    set_status(root, "pim", "kandidaat", by="C", day=dt.date(YEAR, 4, 1))
    place(root, "pim", "keukenhulp", by="C", day=dt.date(YEAR, 9, 30), sponsor_id="winkel")
    record_statement(root, "pim", f"{YEAR}-09", 4, amount=20)
    record_statement(root, "pim", f"{YEAR}-10", 30, amount=150)
    statement = sponsor_statement(load_casebook(root), "winkel", YEAR, dt.date(YEAR, 12, 1))
    assert statement.hours == 34  # September (its last day) and October; not March
    assert statement.paid == 0  # entered, not yet on a payment list
    from toolkit.casebook.payments import make_payment_list
    from toolkit.casebook.statements import approve_statement

    approve_statement(root, "pim", f"{YEAR}-10", by="C", day=dt.date(YEAR, 11, 1))
    make_payment_list(root, f"{YEAR}-10", by="C", day=dt.date(YEAR, 11, 2))
    paid = sponsor_statement(load_casebook(root), "winkel", YEAR, dt.date(YEAR, 12, 1)).paid
    assert paid == 150
