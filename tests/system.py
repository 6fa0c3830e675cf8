"""System programs that some tests need (LibreOffice, Chromium, poppler), found or explained.

Such a test skips with a visible reason when the program is missing; with
``BURGERBAAN_REQUIRE_SYSTEM=1`` (CI) it fails instead, so a missing program cannot pass
unnoticed. Nothing is ever downloaded.
"""

from __future__ import annotations

import os
import shutil

import pytest

REQUIRE_ENV = "BURGERBAAN_REQUIRE_SYSTEM"


def require(program: str, *, hint: str) -> str:
    """The path of ``program``; skip (or fail under ``BURGERBAAN_REQUIRE_SYSTEM=1``) without it."""
    found = shutil.which(program)
    if found is None:
        reason = f"{program} is not installed ({hint})"
        if os.environ.get(REQUIRE_ENV) == "1":
            pytest.fail(f"{reason}; {REQUIRE_ENV}=1 requires it")
        pytest.skip(reason)
    return found
