"""Districts: an unknown district is refused with the one most likely meant."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import person, write_casebook
from toolkit.casebook import load_casebook
from toolkit.casebook.districts import suggest_district
from toolkit.errors import CasebookError

KNOWN = ["Almere Stad", "Almere Haven", "Almere Buiten", "Almere Poort"]


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("Haven", "Almere Haven"),
        ("almere haven", "Almere Haven"),
        ("ALMERE  HAVEN ", "Almere Haven"),
        ("Almere Havn", "Almere Haven"),
        ("buiten", "Almere Buiten"),
        ("Almere", None),
        ("Lelystad", None),
        ("", None),
    ],
)
def test_suggestion(typed: str, meant: str | None) -> None:
    assert suggest_district(typed, KNOWN) == meant


@pytest.mark.parametrize("typed", ["Haven", "almere haven"])
def test_a_district_not_spelled_as_the_casebook_is_refused(tmp_path: Path, typed: str) -> None:
    root = write_casebook(tmp_path / "cb", people={"anna": person(district=typed)})
    with pytest.raises(CasebookError) as caught:
        load_casebook(root)
    (problem,) = caught.value.problems
    assert problem.field == "district"
    assert "'Almere Haven'" in problem.message


def test_wished_districts_are_checked_too(tmp_path: Path) -> None:
    wishes = {"causes": [], "districts": ["Almere Stad", "Haven"]}
    root = write_casebook(tmp_path / "cb", people={"anna": person(wishes=wishes)})
    with pytest.raises(CasebookError) as caught:
        load_casebook(root)
    assert [p.field for p in caught.value.problems] == ["wishes.districts[2]"]
