"""Changing a case file keeps what the change does not touch: comments, order, layout."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.helpers import EXAMPLE_CASEBOOK
from toolkit.casebook.roundtrip import (
    Layout,
    RoundTripError,
    detect_layout,
    dump_roundtrip,
    edit_yaml,
    load_roundtrip,
)


@pytest.mark.parametrize(
    "path",
    sorted(EXAMPLE_CASEBOOK.glob("**/*.yaml")),
    ids=lambda p: str(p.relative_to(EXAMPLE_CASEBOOK)),
)
def test_every_example_file_comes_back_byte_for_byte(path: Path) -> None:
    data, layout = load_roundtrip(path)
    assert dump_roundtrip(data, layout) == path.read_text(encoding="utf-8")


STYLES = {
    "indented dashes, tilde": (
        "# kop\nkind: x   # soort\nlist:\n  - a: 1\n    b: ~\nmap:\n  key: value\n",
        Layout(mapping=2, sequence=4, offset=2, null="~"),
    ),
    "dashes at the key, null": (
        "list:\n- a: 1\n  b: null\nmap:\n    key: value\n",
        Layout(mapping=4, sequence=2, offset=0, null="null"),
    ),
    "empty values": (
        "a:\nlist:\n   -  x\n",
        Layout(mapping=2, sequence=6, offset=3, null=""),
    ),
}


@pytest.mark.parametrize("name", sorted(STYLES))
def test_layouts_are_detected_and_kept(name: str, tmp_path: Path) -> None:
    text, expected = STYLES[name]
    layout = detect_layout(text)
    assert (layout.mapping, layout.sequence, layout.offset, layout.null) == (
        expected.mapping,
        expected.sequence,
        expected.offset,
        expected.null,
    )
    path = tmp_path / "f.yaml"
    path.write_text(text, encoding="utf-8")
    assert edit_yaml(path, lambda data: None) == text


def test_crlf_and_byte_order_mark_are_kept(tmp_path: Path) -> None:
    path = tmp_path / "f.yaml"
    path.write_bytes("\ufeffa: 1  # één\r\nb:\r\n  - x\r\n".encode())
    text = edit_yaml(path, lambda data: data["b"].append("y"))
    assert text == "\ufeffa: 1  # één\r\nb:\r\n  - x\r\n  - y\r\n"


def test_a_change_keeps_comments_order_and_long_lines(tmp_path: Path) -> None:
    long_line = "text: " + " ".join(["woord"] * 40)
    original = (
        "# Sessie\n"
        "z: 1          # eerst z\n"
        f"{long_line}\n"
        "tables:\n"
        "  - theme: A  # tafel A\n"
        "    cases: []\n"
        "a: 2\n"
    )
    path = tmp_path / "s.yaml"
    path.write_text(original, encoding="utf-8")

    def record(data: Any) -> None:
        data["tables"][0]["cases"].extend(["p1", "p2"])

    changed = edit_yaml(path, record)
    assert changed.splitlines()[:5] == original.splitlines()[:5]
    assert "# Sessie" in changed and "# eerst z" in changed and "# tafel A" in changed
    assert long_line in changed
    assert changed.index("z: 1") < changed.index("tables:") < changed.index("a: 2")
    path.write_text(changed, encoding="utf-8")
    data, _layout = load_roundtrip(path)
    assert list(data["tables"][0]["cases"]) == ["p1", "p2"]


def test_broken_yaml_is_a_plain_problem(tmp_path: Path) -> None:
    path = tmp_path / "f.yaml"
    path.write_text("a: [1,\n", encoding="utf-8")
    with pytest.raises(RoundTripError) as caught:
        load_roundtrip(path)
    assert caught.value.problem.file == path
