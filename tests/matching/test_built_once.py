"""The per-casebook tables are built once, also when threads ask for them at the same time
(a search scores its groups of people in threads)."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from toolkit.matching.features import built_once


def test_threads_asking_at_once_get_the_one_table_built_once() -> None:
    cache: dict[str, list[int]] = {}
    builds: list[int] = []
    start = threading.Barrier(6)

    def build() -> list[int]:
        builds.append(1)
        time.sleep(0.05)  # long enough for every other thread to ask meanwhile
        return [len(builds)]

    def ask(_: int) -> list[int]:
        start.wait()
        return built_once(cache, "tafels", build)

    with ThreadPoolExecutor(6) as pool:
        found = list(pool.map(ask, range(6)))
    assert builds == [1]
    assert all(table is found[0] for table in found)
    assert cache == {"tafels": [1]}


def test_a_table_may_ask_for_another_while_it_is_built() -> None:
    cache: dict[str, int] = {}
    found: list[int] = []
    # In a thread of its own, so that a lock taken twice fails this test instead of hanging it.
    nested = threading.Thread(
        target=lambda: found.append(
            built_once(cache, "buiten", lambda: built_once(cache, "binnen", lambda: 2) + 1)
        ),
        daemon=True,
    )
    nested.start()
    nested.join(timeout=10)
    assert not nested.is_alive(), "built_once waits for itself"
    assert (found, cache) == ([3], {"binnen": 2, "buiten": 3})


def test_a_build_that_fails_leaves_nothing_and_is_tried_again() -> None:
    cache: dict[str, int] = {}

    def fails() -> int:
        raise RuntimeError("stuk")

    with pytest.raises(RuntimeError, match="stuk"):
        built_once(cache, "tafel", fails)
    assert cache == {}
    assert built_once(cache, "tafel", lambda: 7) == 7
