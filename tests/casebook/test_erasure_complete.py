"""Erasure is complete, keeps the casebook valid, and leaves everyone else's data alone.

Generated casebooks (hypothesis) mention people in every form the identifier matcher knows, in
notes, session texts, tables and exclusion pairs; some people share a first name, a surname or
a phone number. After ``vergeet``: the casebook loads and passes ``check``, nothing the erased
person alone held is left anywhere, and every other person's own data is as it was.
"""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.helpers import (
    EXAMPLE_CASEBOOK,
    dump_yaml,
    opportunity,
    organisation,
    person,
    session,
    write_casebook,
)
from toolkit.casebook import load_casebook
from toolkit.casebook.erasure import ERASURE_LOG, LOG_LIMITS, read_erasure_log
from toolkit.casebook.identifiers import fold_word
from toolkit.casebook.rights import (
    apply_erasure,
    needles_for,
    other_people,
    plan_erasure,
    read_person_file,
    snapshot,
)
from toolkit.casebook.yamlfile import read_yaml
from toolkit.errors import CasebookError

TODAY = dt.date(2026, 6, 1)
FIRST = ["Anouk", "Priya", "Joke", "Sem", "Daan"]
SURNAMES = ["de Graaf", "van der Meer", "Ramsaran", "Dekker", "Smit"]
PHONES = ["06-12340217", "06-12342284", "06-12345784", "06-12347352"]
FORMS = [
    "{first}",
    "{first}s",
    "{FIRST}",
    "{first} {surname}",
    "{initial}. {surname}",
    "{first}\u00a0{surname}",
    "{fi}\u00ad{rst}",
    "**{first}**",
    "{phone}",
    "{email}",
]


def _mention(form: str, name: str, phone: str, email: str) -> str:
    first, _, surname = name.partition(" ")
    return form.format(
        first=first,
        FIRST=first.upper(),
        surname=surname,
        initial=first[0],
        fi=first[:2],
        rst=first[2:],
        phone=phone,
        email=email,
    )


@st.composite
def casebooks(draw: st.DrawFn) -> dict[str, Any]:
    count = draw(st.integers(min_value=2, max_value=4))
    people = {}
    details = []
    for index in range(count):
        name = f"{draw(st.sampled_from(FIRST))} {draw(st.sampled_from(SURNAMES))}"
        phone = draw(st.sampled_from(PHONES))
        email = f"p{index}@example.nl"
        person_id = f"p{index}-x"
        details.append((person_id, name, phone, email))
    names = {d[1] for d in details}
    if len(names) < count:
        # Two people with the very same name are told apart only by id; keep the test about
        # parts of names.
        details = [
            (i, f"{n.split()[0]} {n.split(' ', 1)[1]}{k}", p, e)
            for k, (i, n, p, e) in enumerate(details)
        ]
    for person_id, name, phone, email in details:
        others = [d for d in details if d[0] != person_id]
        notes = []
        for other in draw(st.lists(st.sampled_from(others), max_size=2)):
            form = draw(st.sampled_from(FORMS))
            notes.append(f"Kent {_mention(form, other[1], other[2], other[3])} van de buurt.")
        people[person_id] = person(
            name=name,
            birth_year=1980 + len(people),
            contact={"phone": phone, "email": email},
            notes=" ".join(notes),
        )
    victim = details[0]
    forms = draw(st.lists(st.sampled_from(FORMS), min_size=1, max_size=4))
    findings = [f"Besproken: {_mention(f, victim[1], victim[2], victim[3])}." for f in forms]
    sessions = {
        "avond": session(
            tables=[
                {"theme": "Werk", "cases": [d[0] for d in details[:2]], "findings": findings},
            ],
            closing=f"Dank aan {_mention(draw(st.sampled_from(FORMS)), *victim[1:])}.",
        )
    }
    exclusions = [
        {"person": d[0], "opportunity": "keukenhulp", "reason": "Wil niet."}
        for d in details
        if draw(st.booleans())
    ]
    return {"people": people, "sessions": sessions, "exclusions": exclusions}


def _write(root: Path, book: dict[str, Any]) -> Path:
    write_casebook(root, people=book["people"], sessions=book["sessions"])
    if book["exclusions"]:
        dump_yaml(root / "exclusions.yaml", {"exclusions": book["exclusions"]})
    # A comment that names the victim, which only the text edit can reach.
    first = book["people"]["p0-x"]["name"].split()[0]
    path = root / "sessions" / "avond.yaml"
    path.write_text(path.read_text(encoding="utf-8") + f"# gebeld met {first}\n", "utf-8")
    return root


def _own_data(root: Path, person_id: str) -> dict[str, Any]:
    data = dict(read_yaml(root / "people" / f"{person_id}.yaml").data)
    data.pop("notes", None)  # may lose mentions of the erased person
    return data


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(book=casebooks())
def test_after_vergeet_check_passes_nothing_is_left_and_nobody_else_changed(
    tmp_path: Path, book: dict[str, Any]
) -> None:
    root = _write(Path(tempfile.mkdtemp(dir=tmp_path)) / "cases", book)
    load_casebook(root)  # valid before
    others = [p for p in book["people"] if p != "p0-x"]
    before = {p: _own_data(root, p) for p in others}
    files = snapshot(root)
    needles = needles_for("p0-x", read_person_file(files, "p0-x"), other_people(files, "p0-x"))

    apply_erasure(plan_erasure(files, "p0-x"), today=TODAY)

    loaded = load_casebook(root)  # raises with every problem check would show
    assert "p0-x" not in loaded.people
    for path in sorted(root.rglob("*.yaml")):
        if path.name == ERASURE_LOG:
            continue
        text = path.read_text(encoding="utf-8")
        assert not needles.hits(text), (path.name, needles.hits(text), text)
    assert {p: _own_data(root, p) for p in others} == before
    shutil.rmtree(root.parent)


def test_an_exclusion_pair_goes_whole_and_the_table_loses_the_case(tmp_path: Path) -> None:
    root = _write(
        tmp_path / "cases",
        {
            "people": {
                "p0-x": person(name="Anouk de Graaf"),
                "p1-x": person(name="Priya Ramsaran"),
            },
            "sessions": {"avond": session(tables=[{"theme": "Werk", "cases": ["p0-x", "p1-x"]}])},
            "exclusions": [
                {"person": "p0-x", "opportunity": "keukenhulp"},
                {"person": "p1-x", "opportunity": "keukenhulp"},
            ],
        },
    )
    apply_erasure(plan_erasure(snapshot(root), "p0-x"), today=TODAY)
    book = load_casebook(root)
    assert [e["person"] for e in read_yaml(root / "exclusions.yaml").data["exclusions"]] == ["p1-x"]
    assert book.sessions["avond"].tables[0].cases == ["p1-x"]


def test_a_shared_phone_and_first_name_stay_and_the_plan_says_so(tmp_path: Path) -> None:
    root = write_casebook(
        tmp_path / "cases",
        people={
            "p0-x": person(name="Anouk de Graaf", contact={"phone": "06-12340217"}),
            "p1-x": person(
                name="Anouk Smit",
                contact={"phone": "06-12340217"},
                notes="Anouk belt zelf, via 06 1234 0217; ook A. de Graaf weet ervan.",
            ),
        },
    )
    plan = plan_erasure(snapshot(root), "p0-x")
    assert any("06-12340217" not in n and "Blijft staan" in n for n in plan.notes)
    apply_erasure(plan, today=TODAY)
    notes = read_yaml(root / "people" / "p1-x.yaml").data["notes"]
    assert notes == "Anouk belt zelf, via 06 1234 0217; ook (verwijderd) weet ervan."


def test_a_restored_backup_under_another_name_is_caught_by_check(tmp_path: Path) -> None:
    root = write_casebook(
        tmp_path / "cases", people={"anouk-de-graaf": person(name="Anouk de Graaf")}
    )
    backup = (root / "people" / "anouk-de-graaf.yaml").read_bytes()
    apply_erasure(plan_erasure(snapshot(root), "anouk-de-graaf"), today=TODAY)
    (root / "people" / "a-graaf.yaml").write_bytes(
        backup.replace(b"Anouk de Graaf", b"ANOUK  de Graaf")
    )
    with pytest.raises(CasebookError) as caught:
        load_casebook(root)
    problems = caught.value.problems
    assert [p.file.name for p in problems if p.file] == ["a-graaf.yaml"]
    assert "geboortejaar" in problems[0].message


def test_the_erasure_log_holds_thousands_of_entries(tmp_path: Path) -> None:
    root = write_casebook(tmp_path / "cases")
    apply_erasure(plan_erasure(snapshot(root), "anna-de-vries"), today=TODAY)
    log = root / ERASURE_LOG
    entry = log.read_text(encoding="utf-8").split("erased:\n", 1)[1]
    log.write_text(log.read_text(encoding="utf-8") + entry * 5000, encoding="utf-8")
    assert log.stat().st_size < LOG_LIMITS.max_bytes
    read = read_erasure_log(root)
    assert read is not None and len(read.erased) == 5001
    load_casebook(root)


def test_files_that_cannot_be_searched_are_listed(tmp_path: Path) -> None:
    root = write_casebook(
        tmp_path / "cases", people={"anna-de-vries": person(name="Anna de Vries")}
    )
    (root / "verslag.docx").write_bytes(b"PK\x03\x04\x00binary Anna de Vries")
    (root / "notitie.txt").write_bytes("Anna de Vries".encode("utf-16"))
    (root / "verslag.md").write_text("Gesproken met Anna de Vries.", encoding="utf-8")
    plan = plan_erasure(snapshot(root), "anna-de-vries")
    notes = "\n".join(plan.notes)
    assert "verslag.docx" in notes and "notitie.txt" in notes
    assert [c.path for c in plan.of("manual")] == ["verslag.md"]


@pytest.mark.parametrize(
    "person_id", sorted(p.stem for p in (EXAMPLE_CASEBOOK / "people").glob("*.yaml"))
)
def test_vergeet_on_any_example_person_leaves_no_trace_and_check_green(
    tmp_path: Path, person_id: str
) -> None:
    root = tmp_path / "cases"
    shutil.copytree(EXAMPLE_CASEBOOK, root)
    files = snapshot(root)
    needles = needles_for(
        person_id, read_person_file(files, person_id), other_people(files, person_id)
    )
    apply_erasure(plan_erasure(files, person_id), today=TODAY, force=True)
    load_casebook(root)  # raises with every problem check would show
    for path in sorted(root.rglob("*.yaml")):
        if path.name != ERASURE_LOG:
            assert not needles.hits(path.read_text(encoding="utf-8")), path
    assert fold_word(person_id) not in fold_word((root / ERASURE_LOG).read_text("utf-8"))


def test_a_name_inside_another_records_id_stays_and_check_passes(tmp_path: Path) -> None:
    # Killed the surviving mutant "names inside ids replaced": "graaf" in "de-graaf-bv" is
    # part of an organisation's id, and replacing it would break the reference.
    root = write_casebook(
        tmp_path / "cases",
        people={"p0-x": person(name="Anouk de Graaf")},
        organisations={"de-graaf-bv": organisation(name="Bakkerij")},
        opportunities={"keukenhulp": opportunity(organisation="de-graaf-bv")},
    )
    apply_erasure(plan_erasure(snapshot(root), "p0-x"), today=TODAY)
    book = load_casebook(root)
    assert book.opportunities["keukenhulp"].organisation == "de-graaf-bv"


def test_a_name_standing_alone_as_a_value_is_replaced_but_a_tag_is_not(tmp_path: Path) -> None:
    # Killed the surviving mutant "capitalised bare names kept".
    root = write_casebook(
        tmp_path / "cases",
        people={
            "p0-x": person(name="Koken Smit"),
            "p1-x": person(name="Priya Ramsaran", talents=["koken"]),
        },
        sessions={"avond": session(actions=[{"what": "Bellen", "who": "Koken"}])},
    )
    apply_erasure(plan_erasure(snapshot(root), "p0-x"), today=TODAY)
    book = load_casebook(root)
    assert book.sessions["avond"].actions[0].who == "(verwijderd)"
    assert book.people["p1-x"].talents == ["koken"]
