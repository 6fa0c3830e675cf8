"""The shared round-trip editor on the example casebook, and on the edit ``casussen`` makes."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import EXAMPLE_CASEBOOK
from toolkit.casebook.roundtrip import load_editable


@pytest.mark.parametrize(
    "path",
    sorted(EXAMPLE_CASEBOOK.glob("**/*.yaml")),
    ids=lambda p: str(p.relative_to(EXAMPLE_CASEBOOK)),
)
def test_every_example_file_comes_back_byte_for_byte(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    editable = load_editable(text)
    assert editable.faithful
    assert editable.dump() == text


def test_filling_a_flow_list_keeps_comments_order_and_long_lines() -> None:
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
    editable = load_editable(original)
    editable.data["tables"][0]["cases"][:] = ["p1", "p2"]
    changed = editable.dump()
    assert changed.splitlines()[:5] == original.splitlines()[:5]
    assert long_line in changed and "# tafel A" in changed
    assert changed.index("z: 1") < changed.index("tables:") < changed.index("a: 2")
    assert list(load_editable(changed).data["tables"][0]["cases"]) == ["p1", "p2"]
