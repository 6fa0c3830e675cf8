"""Tests that need a system program (Chromium, LibreOffice, pdftotext).

Such a test skips with a visible reason when the program is missing, so a developer without it
can still run the suite. CI installs the programs and sets ``BURGERBAAN_REQUIRE_SYSTEM=1``: there
a missing program fails the test instead, so a green CI never hides a skipped browser test.
"""

from __future__ import annotations

import os
import shutil

import pytest

REQUIRE_ENV = "BURGERBAAN_REQUIRE_SYSTEM"


def require_program(*names: str) -> str:
    """The path of the first of ``names`` on PATH; skip (or fail under CI) when none is."""
    for name in names:
        found = shutil.which(name)
        if found:
            return found
    reason = f"system program missing: {' or '.join(names)} (install it with apt)"
    if os.environ.get(REQUIRE_ENV) == "1":
        pytest.fail(f"{reason}; {REQUIRE_ENV}=1 forbids skipping", pytrace=False)
    pytest.skip(reason)
