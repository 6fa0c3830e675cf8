"""Case files are read from several threads at once (the web app serves each request in its
own thread): every thread must get the same casebook as a single thread does."""

from __future__ import annotations

import threading
from typing import Any

from tests.helpers import EXAMPLE_CASEBOOK
from toolkit.casebook import load_casebook
from toolkit.casebook.yamlfile import _yaml

THREADS = 4
ROUNDS = 5


def _fingerprint() -> tuple[str, dict[Any, Any]]:
    book = load_casebook(EXAMPLE_CASEBOOK)
    return repr(book), {key: doc.data for key, doc in book.documents.items()}


def test_four_threads_load_the_example_casebook_alike() -> None:
    expected = _fingerprint()
    barrier = threading.Barrier(THREADS)
    results: list[tuple[str, dict[Any, Any]]] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def worker() -> None:
        try:
            for _round in range(ROUNDS):
                barrier.wait()
                seen = _fingerprint()
                with lock:
                    results.append(seen)
        except BaseException as exc:
            with lock:
                errors.append(exc)
            barrier.abort()

    threads = [threading.Thread(target=worker) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(results) == THREADS * ROUNDS
    assert all(result == expected for result in results)


def test_each_thread_has_its_own_reader() -> None:
    readers: list[Any] = []

    def worker() -> None:
        readers.append(_yaml())

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert readers[0] is not readers[1]
    assert _yaml() is _yaml()
