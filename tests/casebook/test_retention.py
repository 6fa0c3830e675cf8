"""Retention: check warns when the file of a person who stopped is kept past the agreed period."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from click.testing import CliRunner

from tests.helpers import SETTINGS, person, write_casebook
from toolkit.casebook import load_casebook
from toolkit.casebook.alerts import add_months, casebook_alerts
from toolkit.cli import main

ENDED = {
    "opportunity": "keukenhulp",
    "start": "2023-01-01",
    "end": "2023-06-30",
    "allowance_per_year": 1500,
}


def codes(root: Path, today: date) -> dict[str, list[str]]:
    result: dict[str, list[str]] = {}
    for alert in casebook_alerts(load_casebook(root), today):
        result.setdefault(alert.person_id, []).append(alert.code)
    return result


def test_stopped_person_past_retention_is_flagged_from_the_day_after(tmp_path: Path) -> None:
    root = write_casebook(
        tmp_path / "cases", people={"bert": person(status="gestopt", placement=ENDED)}
    )
    assert "retention_passed" not in codes(root, date(2025, 6, 30)).get("bert", [])
    assert "retention_passed" in codes(root, date(2025, 7, 1))["bert"]


def test_retention_period_is_a_casebook_setting(tmp_path: Path) -> None:
    root = write_casebook(
        tmp_path / "cases",
        settings={**SETTINGS, "retention_months": 6},
        people={"bert": person(status="gestopt", placement=ENDED)},
    )
    assert "retention_passed" in codes(root, date(2024, 1, 1))["bert"]
    assert "retention_passed" not in codes(root, date(2023, 12, 30)).get("bert", [])


def test_stopped_person_gets_only_record_keeping_alerts(tmp_path: Path) -> None:
    root = write_casebook(
        tmp_path / "cases",
        people={
            "bert": person(
                status="gestopt",
                placement=ENDED,
                situation=["wajong", "pgb"],
                has_bsn=False,
                consent=None,
            )
        },
    )
    assert sorted(codes(root, date(2026, 1, 1))["bert"]) == ["no_consent", "retention_passed"]


def test_stopped_without_an_end_date_cannot_be_checked_and_says_so(tmp_path: Path) -> None:
    root = write_casebook(tmp_path / "cases", people={"bert": person(status="gestopt")})
    assert codes(root, date(2026, 1, 1))["bert"] == ["retention_unknown"]


def test_people_still_taking_part_get_no_retention_alert(tmp_path: Path) -> None:
    active = {**ENDED, "end": None, "start": "2025-01-01"}
    root = write_casebook(
        tmp_path / "cases",
        people={"anna": person(), "carla": person(status="actief", placement=active)},
    )
    found = codes(root, date(2030, 1, 1))
    assert all(not c.startswith("retention") for cs in found.values() for c in cs)


def test_missing_consent_is_flagged_for_everyone(tmp_path: Path) -> None:
    root = write_casebook(tmp_path / "cases", people={"anna": person(consent=None)})
    assert codes(root, date(2026, 1, 1))["anna"] == ["no_consent"]


def test_add_months_keeps_to_the_calendar() -> None:
    assert add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert add_months(date(2023, 1, 31), 1) == date(2023, 2, 28)
    assert add_months(date(2023, 6, 30), 24) == date(2025, 6, 30)
    assert add_months(date(2023, 11, 15), 2) == date(2024, 1, 15)
    assert add_months(date(9999, 6, 1), 24) == date.max


def test_check_shows_the_retention_alert_in_dutch(tmp_path: Path) -> None:
    root = write_casebook(
        tmp_path / "cases", people={"bert": person(status="gestopt", placement=ENDED)}
    )
    result = CliRunner().invoke(main, ["check", str(root), "--date", "2026-01-01"])
    assert result.exit_code == 0, result.output
    assert "bewaartermijn" in result.output and "burgerbaan vergeet" in result.output
