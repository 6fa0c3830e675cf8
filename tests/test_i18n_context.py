"""The language belongs to one context (a request, a command), never to the whole process."""

from __future__ import annotations

import threading

from toolkit.i18n import _, current_language, set_language, use_language

# A message that has a Dutch translation in the catalogues.
MESSAGE = "Cannot lock the casebook {root}: {reason}"


def test_two_threads_keep_their_own_language() -> None:
    barrier = threading.Barrier(2)
    seen: dict[str, list[str]] = {"nl": [], "en": []}

    def worker(language: str) -> None:
        with use_language(language):
            for _round in range(50):
                barrier.wait()
                seen[language].append(_(MESSAGE))

    threads = [threading.Thread(target=worker, args=(lang,)) for lang in ("nl", "en")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert set(seen["en"]) == {MESSAGE}
    assert len(set(seen["nl"])) == 1
    assert seen["nl"][0] != MESSAGE
    assert seen["nl"][0].startswith("Het casebook")


def test_use_language_restores_the_one_before() -> None:
    set_language("nl")
    with use_language("en"):
        assert current_language() == "en"
    assert current_language() == "nl"


def test_an_unknown_language_falls_back_to_dutch() -> None:
    with use_language("fr"):
        assert current_language() == "nl"
