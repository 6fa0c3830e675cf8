"""No handout ever carries a person's name, id, contact details, birth year or notes."""

from __future__ import annotations

import os
import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.casussen.casebooks import NEEDS, contract_options, in_memory, people, sponsors
from tests.helpers import person, write_casebook
from toolkit.casebook import load_casebook
from toolkit.i18n import set_language
from toolkit.matching import Matcher
from toolkit.reports.casussen.documents import KEY_STEM, render_files
from toolkit.reports.casussen.handouts import build_handouts, internal_key
from toolkit.reports.casussen.job import make_casussen
from toolkit.reports.casussen.privacy import check_handouts, docx_text
from toolkit.reports.casussen.request import Request
from toolkit.reports.casussen.selection import plan_cases
from toolkit.reports.casussen.themes import load_question_bank
from toolkit.reports.privacy import PrivacyError

DAY = date(2025, 6, 1)


def personal_values(data: dict[str, Any], person_id: str) -> list[str]:
    values = [person_id, data["name"], data["contact"]["phone"], data["contact"]["email"]]
    values += data["name"].split() + data["notes"].split()
    return values


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.large_base_example,
    ],
)
@given(
    people_data=people(min_size=2),
    sponsor_data=sponsors(),
    language=st.sampled_from(["nl", "en"]),
    fmt=st.sampled_from(["md", "html", "docx"]),
    data=st.data(),
)
def test_no_personal_field_reaches_any_public_file(
    people_data: dict[str, dict[str, Any]],
    sponsor_data: dict[str, dict[str, Any]],
    language: str,
    fmt: Any,
    data: st.DataObject,
) -> None:
    set_language(language)
    book = in_memory(people_data, sponsor_data)
    ids = sorted(people_data)
    chosen = data.draw(st.lists(st.sampled_from(ids), min_size=1, unique=True))
    tables = data.draw(st.integers(1, len(chosen)))
    options = contract_options(book, ids)
    request = Request(
        out=Path("unused"), format=fmt, people=",".join(chosen), tables=tables, day=DAY
    )
    plan = plan_cases(book, request, options)
    handouts = build_handouts(book, plan, options, load_question_bank(), DAY)
    files = render_files(handouts, fmt, internal_key(book, plan))
    check_handouts(book, handouts, files)  # the guard agrees

    public = {n: c for n, c in files.items() if not n.startswith(KEY_STEM)}
    assert len(public) == tables + 1
    texts = {
        name: docx_text(content) if fmt == "docx" else content.decode("utf-8")
        for name, content in public.items()
    }
    for person_id, fields in people_data.items():
        needles = personal_values(fields, person_id)
        birth_year = re.compile(rf"(?<!\d){fields['birth_year']}(?!\d)")
        for name, text in texts.items():
            lowered = text.lower()
            for needle in needles:
                assert needle.lower() not in lowered, (name, needle)
            assert not birth_year.search(text), (name, fields["birth_year"])
    # The key is where the names are, and only there.
    key = files[f"{KEY_STEM}.{fmt}"]
    key_text = docx_text(key) if fmt == "docx" else key.decode("utf-8")
    for person_id in chosen:
        assert people_data[person_id]["name"] in key_text


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.large_base_example,
    ],
)
@given(people_data=people(min_size=2, max_size=6), sponsor_data=sponsors())
def test_with_the_real_matcher_no_personal_field_or_need_reaches_a_handout(
    people_data: dict[str, dict[str, Any]], sponsor_data: dict[str, dict[str, Any]]
) -> None:
    book = in_memory(people_data, sponsor_data)
    matcher = Matcher(book)
    ids = sorted(people_data)
    options = {pid: matcher.options(pid, top=3) for pid in ids}
    request = Request(out=Path("unused"), format="md", people=",".join(ids), day=DAY)
    plan = plan_cases(book, request, options)
    handouts = build_handouts(book, plan, options, load_question_bank(), DAY)
    files = render_files(handouts, "md")
    check_handouts(book, handouts, files)
    text = "\n".join(content.decode("utf-8") for content in files.values()).lower()
    for need in NEEDS:
        assert need not in text
    for person_id, fields in people_data.items():
        for needle in personal_values(fields, person_id):
            assert needle.lower() not in text


def test_a_name_in_a_public_field_stops_everything(tmp_path: Path) -> None:
    """The guard is not decoration: a real name typed into a wish is caught, nothing written."""
    book = load_casebook(
        write_casebook(
            tmp_path / "cb",
            people={
                "anna-de-vries": person(name="Anna de Vries"),
                "bert-kok": person(
                    name="Bert Kok",
                    wishes={"text": "Samen met Anna de Vries koken.", "causes": []},
                ),
            },
        )
    )
    out = tmp_path / "out"
    with pytest.raises(PrivacyError) as caught:
        make_casussen(
            book,
            Request(out=out, format="md", people="anna-de-vries,bert-kok", day=DAY),
        )
    assert "A*** d* V****" in str(caught.value) or "a*** d* v****" in str(caught.value)
    assert not out.exists()


@pytest.mark.parametrize("fmt", ["md", "html", "docx"])
def test_the_key_is_written_only_with_intern_and_is_marked(tmp_path: Path, fmt: Any) -> None:
    book = load_casebook(
        write_casebook(
            tmp_path / "cb",
            people={
                "anna-de-vries": person(name="Anna de Vries"),
                "bert-kok": person(name="Bert Kok"),
            },
        )
    )
    request = Request(out=tmp_path / "public", format=fmt, select=2, day=DAY)
    result = make_casussen(book, request)
    assert not list((tmp_path / "public").glob(f"{KEY_STEM}*"))
    assert all("Anna" not in p.read_bytes().decode("utf-8", "replace") for p in result.written)

    intern = make_casussen(
        book, Request(out=tmp_path / "intern", format=fmt, select=2, day=DAY, intern=True)
    )
    (key,) = [p for p in intern.written if p.name.startswith(KEY_STEM)]
    content = key.read_bytes()
    text = docx_text(content) if fmt == "docx" else content.decode("utf-8")
    assert "INTERN – bevat persoonsgegevens" in text
    assert "Anna de Vries" in text and "anna-de-vries" in text
    others = [p for p in intern.written if p != key]
    assert len(others) == 2  # one table and the overview: the key is a file of its own
    assert key.stat().st_mode & 0o077 == 0  # readable by its owner only
    umask = os.umask(0)
    os.umask(umask)
    assert all(p.stat().st_mode & 0o777 == 0o666 & ~umask for p in others)  # ordinary files
