from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from hypothesis import Phase, settings

from toolkit.i18n import set_language

# For the hand mutation runs (tools/mutate_*.py): a failing example is enough to kill a
# mutant, so no shrinking it (which, with the compiled loops run as plain Python, takes
# minutes). Chosen with HYPOTHESIS_PROFILE=mutation; the tests' own settings stay.
settings.register_profile(
    "mutation", phases=[Phase.explicit, Phase.reuse, Phase.generate], print_blob=True
)
if os.environ.get("HYPOTHESIS_PROFILE"):
    settings.load_profile(os.environ["HYPOTHESIS_PROFILE"])


@pytest.fixture(autouse=True)
def dutch_by_default(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Every test starts in the default language, whatever the one before it chose."""
    monkeypatch.delenv("BURGERBAAN_LANG", raising=False)
    set_language("nl")
    yield
    set_language("nl")
