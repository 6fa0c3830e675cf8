"""The privacy guard: no public output leaves the toolkit carrying personal data.

Before a public output (a verslag without ``--intern``, handouts, the Q&A page) is written, its
text and the fields it came from are searched for the name, id, phone number and e-mail address
of every person in the casebook, and for anything that looks like a phone number, an e-mail
address or a BSN (nine digits that pass the 11-test). A finding stops the output: nothing is
written, and the message names the source and field and shows what was found, masked.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from toolkit.casebook.casebook import Casebook
from toolkit.casebook.tags import fold
from toolkit.errors import ToolkitError
from toolkit.i18n import _

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# Dutch numbers: 06-12345678, 06 1234 5678, 036-1234567, +31 6 12345678, 0031612345678.
_PHONE = re.compile(r"(?<![\w+])(?:\+31|0031|0)[\s-]?(?:\d[\s-]?){9}(?!\d)")
_NINE_DIGITS = re.compile(r"(?<![\d.,])(\d{9}|\d{4}[.\s]\d{2}[.\s]\d{3})(?!\d|[.,]\d)")


@dataclass(frozen=True)
class Finding:
    source: str
    field: str
    kind: str
    masked: str

    def __str__(self) -> str:
        return f"{self.source} [{self.field}]: {self.kind} '{self.masked}'"


class PrivacyError(ToolkitError):
    """A public output would carry personal data; nothing was written."""

    def __init__(self, findings: Sequence[Finding]) -> None:
        self.findings = list(findings)
        lines = [
            _(
                "This public output would contain personal data, so nothing was written. "
                "Remove it from the source, or use --intern for an internal version:"
            )
        ]
        lines.extend(f"- {finding}" for finding in self.findings)
        super().__init__("\n".join(lines))


def mask(text: str) -> str:
    """Keep the first character of each word (and an e-mail's domain), hide the rest."""
    if "@" in text:
        local, _sep, domain = text.partition("@")
        return f"{local[:1]}{'*' * max(len(local) - 1, 1)}@{domain}"
    return " ".join(
        word[:1] + "*" * (len(word) - 1) if len(word) > 1 else word for word in text.split()
    )


def passes_eleven_test(digits: str) -> bool:
    """The BSN check: 9·d1 + 8·d2 + … + 2·d8 − 1·d9 is a multiple of 11 (and not all zero)."""
    if len(digits) != 9 or not digits.isdigit() or set(digits) == {"0"}:
        return False
    total = sum(int(d) * w for d, w in zip(digits[:8], range(9, 1, -1), strict=True))
    total -= int(digits[8])
    return total % 11 == 0


@dataclass(frozen=True)
class _Needle:
    kind: str
    pattern: re.Pattern[str] | None = None  # compiled from ``literal`` when needed
    literal: str = ""  # the folded text the needle matches as a whole word

    def search(self, text: str) -> re.Match[str] | None:
        pattern = self.pattern if self.pattern is not None else _word_pattern(self.literal)
        return pattern.search(text)


def _needles(casebook: Casebook) -> list[_Needle]:
    needles = []
    for person in casebook.people.values():
        words = fold(person.name).split()
        names = {fold(person.name)}
        if len(words) > 2:
            names.add(f"{words[0]} {words[-1]}")
        for name in sorted(names):
            needles.append(_Needle(_("name"), literal=name))
        needles.append(_Needle(_("id"), literal=person.id))
        if person.contact:
            for kind, value in (
                (_("phone"), person.contact.phone),
                (_("e-mail"), person.contact.email),
            ):
                if value:
                    needles.append(_Needle(kind, literal=fold(value)))
            if person.contact.name:
                contact = fold(person.contact.name)
                needles.append(_Needle(_("name"), literal=contact))
    return needles


def _word_pattern(text: str) -> re.Pattern[str]:
    return re.compile(r"(?<!\w)" + re.escape(text) + r"(?!\w)")


_WORD_RUN = re.compile(r"\w+")
_WORD_CHAR = re.compile(r"\w")


def _first_matches(folded: str, needles: list[_Needle]) -> dict[int, str]:
    """The leftmost whole-word match of each needle in ``folded``, by needle position.

    The same as searching each needle's pattern, but only where it can match: a needle that
    starts with a word character matches only where that first word stands in the text as a
    whole word, followed (for a needle of several words) by exactly the needle's second word.
    So the text's words are gathered once, and only the needles whose first word occurs are
    looked for, by their first two words. With hundreds of people and a long report this is
    a hundred times faster than one regular-expression search per needle.
    """
    by_first: dict[str, dict[str, list[int]]] = {}
    found: dict[int, str] = {}
    for index, needle in enumerate(needles):
        words = list(_WORD_RUN.finditer(needle.literal)) if needle.literal else []
        if not words or words[0].start() != 0:
            match = needle.search(folded)
            if match:
                found[index] = match.group()
            continue
        key = needle.literal[: words[min(1, len(words) - 1)].end()]
        by_first.setdefault(words[0].group(), {}).setdefault(key, []).append(index)
    present = set(_WORD_RUN.findall(folded)) & set(by_first)
    for first in sorted(present):
        keys = by_first[first]
        for occurrence in re.finditer(r"(?<!\w)" + re.escape(first) + r"(?!\w)", folded):
            start = occurrence.start()
            following = _WORD_RUN.search(folded, occurrence.end())
            candidates = [first]
            if following is not None:
                candidates.append(folded[start : following.end()])
            for key in candidates:
                for index in keys.get(key, ()):
                    if index in found:
                        continue
                    literal = needles[index].literal
                    end = start + len(literal)
                    if folded.startswith(literal, start) and not _WORD_CHAR.match(folded, end):
                        found[index] = literal
    return found


def scan_text(text: str, needles: Iterable[_Needle]) -> Iterator[tuple[str, str]]:
    """(kind, what was found) for each piece of personal data in ``text``."""
    folded = fold(text)
    needle_list = list(needles)
    found = _first_matches(folded, needle_list)
    for index, needle in enumerate(needle_list):
        if index in found:
            yield needle.kind, found[index]
    for match in _EMAIL.finditer(text):
        yield _("e-mail address"), match.group()
    for match in _PHONE.finditer(text):
        yield _("phone number"), match.group().strip()
    for match in _NINE_DIGITS.finditer(text):
        digits = re.sub(r"\D", "", match.group())
        if passes_eleven_test(digits):
            yield _("BSN-like number"), match.group()


def texts_of(value: Any, path: str = "") -> Iterator[tuple[str, str]]:
    """Every piece of text in a record or structure, with its field path."""
    if isinstance(value, BaseModel):
        for name in type(value).model_fields:
            field = type(value).model_fields[name]
            key = field.alias or name
            yield from texts_of(getattr(value, name), f"{path}.{key}" if path else key)
    elif isinstance(value, Mapping):
        for key, item in value.items():
            yield from texts_of(item, f"{path}.{key}" if path else str(key))
    elif isinstance(value, (list, tuple)):
        for index, item in enumerate(value, start=1):
            yield from texts_of(item, f"{path}[{index}]")
    elif isinstance(value, str):
        yield path, value


def check_public(casebook: Casebook, sources: Iterable[tuple[str, str, str]]) -> None:
    """Raise :class:`PrivacyError` if any ``(source, field, text)`` carries personal data."""
    needles = _needles(casebook)
    findings: list[Finding] = []
    seen: set[tuple[str, str, str]] = set()
    for source, field, text in sources:
        for kind, found in scan_text(text, needles):
            key = (source, field, found)
            if key not in seen:
                seen.add(key)
                findings.append(Finding(source, field, kind, mask(found)))
    if findings:
        raise PrivacyError(findings)
