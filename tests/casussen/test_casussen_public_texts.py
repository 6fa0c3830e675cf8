"""What the privacy guard reads of a rendered file: the text a reader sees."""

from __future__ import annotations

import pytest

from toolkit.reports.casussen.privacy import public_texts


@pytest.mark.parametrize(
    ("escaped", "seen"),
    [
        ("Anna O&#39;Brien", "Anna O'Brien"),
        ("Jan &amp; Piet", "Jan & Piet"),
        ("Zo&#235; de Wit", "Zoë de Wit"),
    ],
)
def test_an_escaped_name_in_html_is_read_as_a_reader_sees_it(escaped: str, seen: str) -> None:
    ((_name, _field, text),) = public_texts("tafel-1.html", f"<p>{escaped}</p>".encode())
    assert seen in text


def test_markdown_is_read_as_written() -> None:
    ((_name, _field, text),) = public_texts("tafel-1.md", b"O&#39;Brien")
    assert text == "O&#39;Brien"
