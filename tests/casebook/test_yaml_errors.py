"""A broken case file is explained in plain Dutch: what is on the line and what to type instead."""

from __future__ import annotations

from pathlib import Path

import pytest

from toolkit.casebook.yamlfile import YamlProblem, parse_yaml
from toolkit.i18n import use_language

#: Words of the parser's own reports; none may reach a coordinator.
PARSER_WORDS = ("mapping", "scalar", "token", "stream", "block", "expected", "found", "YAML")


@pytest.mark.parametrize(
    ("text", "line", "expected"),
    [
        (
            "name: Anna\nnotes: Let op: ze wil graag koken\n",
            2,
            'tussen aanhalingstekens, zo: notes: "Let op: ze wil graag koken"',
        ),
        (
            'name: Anna\nnotes: Zei "ja": prima\n',
            2,
            "zo: notes: 'Zei \"ja\": prima'",
        ),
        ("name: Anna\nplacement:\n  opportunity: x\n start: 2024-01-01\n", 4, "inspringing"),
        ("name: Anna\n  notes: x\n", 2, "springt verder in"),
        ('name: "Anna\nnotes: x\n', 1, "nergens gesloten"),
        ("name: 'Anna\nnotes: x\n", 1, "nergens gesloten"),
        ("name: Anna\nname: Bob\n", 2, "Het veld 'name' staat twee keer"),
        ("name: Anna\nnotes\nstatus: x\n", 2, "dubbele punt na de veldnaam ontbreekt"),
        ("name: Anna\ntalents: [koken, schoonmaken\nstatus: x\n", 3, "sluit af met ]"),
        ("name: @anna\n", 1, "niet beginnen met @"),
        ('name: "C:\\data"\n', 1, "enkele aanhalingstekens"),
        ("name: Anna\ntalents: - koken\n", 2, "streepje"),
        ('notes: "Ze zei" dat het kon\n', 1, "Na het sluitende aanhalingsteken"),
        ("name: {Anna\n", 2, "tussen { en }"),
        ("name: Anna\n- koken\n", 2, "onderdeel van een lijst"),
        ("name: a\n\tbirth_year: 1990\n", 2, "tab"),
    ],
)
def test_each_common_mistake_is_explained_with_its_line_and_fix(
    text: str, line: int, expected: str
) -> None:
    with use_language("nl"), pytest.raises(YamlProblem) as raised:
        parse_yaml(text.encode(), Path("people/anna.yaml"))
    problem = raised.value.problem
    assert problem.file == Path("people/anna.yaml")
    assert problem.line == line
    assert expected in problem.message
    assert not [w for w in PARSER_WORDS if w.lower() in problem.message.lower()], problem.message


def test_the_quoted_fix_parses_and_keeps_the_sentence() -> None:
    with use_language("nl"), pytest.raises(YamlProblem) as raised:
        parse_yaml(b"name: Anna\nnotes: Let op: om 9:30 beginnen\n", Path("anna.yaml"))
    fix = raised.value.problem.message.split("zo: ", 1)[1]
    document = parse_yaml(f"name: Anna\n{fix}\n".encode(), Path("anna.yaml"))
    assert document.data["notes"] == "Let op: om 9:30 beginnen"


def test_in_english_the_explanation_is_english() -> None:
    with use_language("en"), pytest.raises(YamlProblem) as raised:
        parse_yaml(b"notes: Let op: koken\n", Path("anna.yaml"))
    assert "Put the whole text between quotes" in raised.value.problem.message
