"""The skip-or-fail rule for tests that need a system program (tests/system.py)."""

from __future__ import annotations

import pytest

from tests.system import REQUIRE_ENV, require_program


def test_a_missing_program_skips_with_its_reason(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(REQUIRE_ENV, raising=False)
    with pytest.raises(pytest.skip.Exception, match="no-such-program-xyz"):
        require_program("no-such-program-xyz")


def test_a_missing_program_fails_when_required(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(REQUIRE_ENV, "1")
    with pytest.raises(pytest.fail.Exception, match="forbids skipping"):
        require_program("no-such-program-xyz")


def test_the_first_present_program_is_found() -> None:
    assert require_program("no-such-program-xyz", "sh").endswith("sh")
