from __future__ import annotations

import pytest

from tests.helpers import EXAMPLE_CASEBOOK
from toolkit.casebook import Casebook, load_casebook


@pytest.fixture(scope="session")
def example_book() -> Casebook:
    """The shipped example casebook, loaded once (loading it takes a few seconds)."""
    return load_casebook(EXAMPLE_CASEBOOK)
