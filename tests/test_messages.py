"""Every message the toolkit can show has its Dutch translation."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))

import messages  # noqa: E402


def test_every_message_is_translated_into_dutch() -> None:
    gaps = messages.missing()
    assert not gaps, "untranslated: " + "; ".join(f"{part}: {text}" for part, text in gaps)


def test_the_catalogues_hold_only_messages_the_source_still_uses() -> None:
    extracted = {
        message.id for catalog in messages.extract().values() for message in catalog if message.id
    }
    stale = [message for message in messages.known_translations() if message not in extracted]
    assert not stale, f"stale translations: {stale}"
