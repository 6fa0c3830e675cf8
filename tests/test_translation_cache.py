"""The compiled translations kept in the user's cache folder: the same texts as compiling the
catalogues, never stale, and ignored when damaged."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from toolkit import i18n

SAMPLES = [
    "Check a casebook and show its figures and the coordinator's alerts.",
    "The cache of {casebook} is removed.",
    "This casebook folder does not exist.",
]


def compiled(monkeypatch: pytest.MonkeyPatch, cache: Path, locale: Path) -> dict[str, str]:
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache))
    monkeypatch.setattr(i18n, "LOCALE_DIR", locale)
    t = i18n.translations.__wrapped__("nl")  # type: ignore[attr-defined]
    texts = {m: t.gettext(m) for m in SAMPLES}
    for count in (0, 1, 2):
        texts[f"plural {count}"] = t.ngettext(
            "{count} person is placed here (status actief),",
            "{count} people are placed here (status actief),",
            count,
        )
    return texts


@pytest.fixture
def locale(tmp_path: Path) -> Path:
    copy = tmp_path / "locale"
    shutil.copytree(i18n.LOCALE_DIR, copy)
    return copy


def test_kept_translations_equal_compiled_ones(
    tmp_path: Path, locale: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BURGERBAAN_CACHE", "0")
    fresh = compiled(monkeypatch, tmp_path / "none", locale)
    monkeypatch.delenv("BURGERBAAN_CACHE")
    first = compiled(monkeypatch, tmp_path / "cache", locale)
    assert len(list((tmp_path / "cache" / "burgerbaan").glob("translations-nl-*.json"))) == 1
    assert fresh["plural 1"] != fresh["plural 2"]
    assert compiled(monkeypatch, tmp_path / "cache", locale) == first == fresh
    assert not (tmp_path / "none").exists()


def test_an_edited_catalogue_is_compiled_anew(
    tmp_path: Path, locale: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = compiled(monkeypatch, tmp_path / "cache", locale)
    po = locale / "nl" / "LC_MESSAGES" / "cli-casebook.po"
    text = po.read_text(encoding="utf-8")
    assert "De cache van {casebook} is verwijderd." in text
    po.write_text(text.replace("De cache van", "Het cache van"), encoding="utf-8")
    after = compiled(monkeypatch, tmp_path / "cache", locale)
    assert after["The cache of {casebook} is removed."] == "Het cache van {casebook} is verwijderd."
    assert (
        before["The cache of {casebook} is removed."]
        != after["The cache of {casebook} is removed."]
    )


@pytest.mark.parametrize("garbage", [b"\xff\x00", b"{}", b'{"format": 1}', b"[" * 50_000])
def test_a_damaged_kept_file_is_ignored(
    tmp_path: Path, locale: Path, monkeypatch: pytest.MonkeyPatch, garbage: bytes
) -> None:
    expected = compiled(monkeypatch, tmp_path / "cache", locale)
    [kept] = (tmp_path / "cache" / "burgerbaan").glob("translations-nl-*.json")
    kept.write_bytes(garbage)
    assert compiled(monkeypatch, tmp_path / "cache", locale) == expected


def test_two_sets_of_catalogues_keep_a_file_each_and_never_compile_each_other_again(
    tmp_path: Path, locale: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two versions of the toolkit side by side: each start of either reads its kept file."""
    other = tmp_path / "other"
    shutil.copytree(locale, other)
    po = other / "nl" / "LC_MESSAGES" / "cli-casebook.po"
    po.write_text(po.read_text(encoding="utf-8").replace("De cache van", "Het cache van"))
    first = compiled(monkeypatch, tmp_path / "cache", locale)
    second = compiled(monkeypatch, tmp_path / "cache", other)
    assert len(list((tmp_path / "cache" / "burgerbaan").glob("translations-nl-*.json"))) == 2

    def no_compiling(*args: object) -> None:
        raise AssertionError("compiled again instead of reading the kept file")

    monkeypatch.setattr(i18n, "_compile", no_compiling)
    assert compiled(monkeypatch, tmp_path / "cache", locale) == first
    assert compiled(monkeypatch, tmp_path / "cache", other) == second


def test_kept_files_of_other_catalogues_unused_for_a_month_are_removed(
    tmp_path: Path, locale: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os
    import time

    folder = tmp_path / "cache" / "burgerbaan"
    folder.mkdir(parents=True)
    old = folder / "translations-nl-0000000000000000.json"
    recent = folder / "translations-nl-1111111111111111.json"
    english = folder / "translations-en-2222222222222222.json"
    for path in (old, recent, english):
        path.write_text("{}")
    month = i18n.PRUNE_AFTER_SECONDS
    os.utime(old, (time.time() - month - 60, time.time() - month - 60))
    os.utime(recent, (time.time() - month + 3600, time.time() - month + 3600))
    os.utime(english, (time.time() - month - 60, time.time() - month - 60))
    compiled(monkeypatch, tmp_path / "cache", locale)
    assert not old.exists()
    assert recent.exists() and english.exists()
    assert len(list(folder.glob("translations-nl-*.json"))) == 2
