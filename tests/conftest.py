from __future__ import annotations

from collections.abc import Iterator

import pytest

from toolkit.i18n import set_language


@pytest.fixture(autouse=True)
def dutch_by_default(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Every test starts in the default language, whatever the one before it chose."""
    monkeypatch.delenv("BURGERBAAN_LANG", raising=False)
    set_language("nl")
    yield
    set_language("nl")
