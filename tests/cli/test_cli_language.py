"""The language belongs to one invocation or one request, never to the process.

These tests do not lean on the autouse fixture that resets the language before each test: they
switch languages themselves, within one test, as a long-running process (the web app, a shell
that imports the toolkit) would.
"""

from __future__ import annotations

import threading

import pytest
from click.testing import CliRunner

from tests.helpers import EXAMPLE_CASEBOOK
from toolkit.casebook import load_casebook
from toolkit.cli import main
from toolkit.i18n import current_language, set_language, use_language
from toolkit.reports.verslag import VerslagOptions, render_verslag

DUTCH_HELP = "Controleer een casebook"
ENGLISH_HELP = "Check a casebook"


def _help(*args: str) -> str:
    result = CliRunner().invoke(main, ["check", "--help", *args])
    assert result.exit_code == 0, result.output
    return result.output


def test_a_plain_invocation_after_lang_en_is_dutch_again() -> None:
    assert ENGLISH_HELP in _help("--lang", "en")
    assert DUTCH_HELP in _help()
    assert "Case files, matching" in CliRunner().invoke(main, ["--lang", "en", "--help"]).output
    assert "Casusbestanden, matching" in CliRunner().invoke(main, ["--help"]).output


def test_an_invocation_ignores_the_language_the_process_was_left_in() -> None:
    set_language("en")
    assert DUTCH_HELP in _help()
    # ... and leaves the caller's language as it found it.
    assert current_language() == "en"
    with use_language("nl"):
        assert ENGLISH_HELP in _help("--lang", "en")
        assert current_language() == "nl"


def test_burgerbaan_lang_still_sets_the_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BURGERBAAN_LANG", "en")
    assert ENGLISH_HELP in _help()
    assert DUTCH_HELP in _help("--lang", "nl")
    assert ENGLISH_HELP in _help()


def test_an_error_message_after_lang_en_is_dutch_again() -> None:
    missing = str(EXAMPLE_CASEBOOK / "no-such-folder")
    english = CliRunner().invoke(main, ["check", missing, "--lang", "en"])
    dutch = CliRunner().invoke(main, ["check", missing])
    assert english.exit_code == dutch.exit_code == 1
    assert english.output != dutch.output


def test_two_threads_render_the_verslag_in_their_own_language() -> None:
    book = load_casebook(EXAMPLE_CASEBOOK)
    options = VerslagOptions(format="md")
    expected = {}
    for language in ("nl", "en"):
        with use_language(language):
            expected[language] = render_verslag(book, "dialoogavond-4", options)
    assert expected["nl"] != expected["en"]

    rounds = 8
    barrier = threading.Barrier(2)
    seen: dict[str, list[object]] = {"nl": [], "en": []}

    def worker(language: str) -> None:
        with use_language(language):
            for _round in range(rounds):
                barrier.wait()
                seen[language].append(render_verslag(book, "dialoogavond-4", options))

    threads = [threading.Thread(target=worker, args=(lang,)) for lang in ("nl", "en")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for language in ("nl", "en"):
        assert seen[language] == [expected[language]] * rounds
