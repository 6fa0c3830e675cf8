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
from functools import lru_cache
from typing import Any

from pydantic import BaseModel

from toolkit.casebook.casebook import Casebook
from toolkit.casebook.tags import fold
from toolkit.errors import Remedy, ToolkitError
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

    remedy = Remedy.INTERNAL_VERSION

    def __init__(self, findings: Sequence[Finding]) -> None:
        self.findings = list(findings)
        lines = [
            _(
                "This public output would contain personal data, so nothing was written. "
                "Remove it from the source:"
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
    #: The folded text looked for, as a whole word (all needles are searched as one pattern).
    text: str


def _needles(casebook: Casebook) -> list[_Needle]:
    needles = []
    for person in casebook.people.values():
        words = fold(person.name).split()
        names = {fold(person.name)}
        if len(words) > 2:
            names.add(f"{words[0]} {words[-1]}")
        for name in sorted(names):
            needles.append(_needle(_("name"), name))
        needles.append(_needle(_("id"), person.id))
        if person.contact:
            for kind, value in (
                (_("phone"), person.contact.phone),
                (_("e-mail"), person.contact.email),
            ):
                if value:
                    needles.append(_needle(kind, fold(value)))
            if person.contact.name:
                needles.append(_needle(_("name"), fold(person.contact.name)))
    return needles


def _needle(kind: str, text: str) -> _Needle:
    return _Needle(kind, text)


@lru_cache(maxsize=16)
def _combined(needles: tuple[_Needle, ...]) -> tuple[re.Pattern[str] | None, dict[str, str]]:
    """All needles as one pattern (longest first) and the kind of each text it can match.

    One search per text instead of one per needle: a casebook of a hundred people has some
    four hundred needles, and a verslag some three hundred texts to search.
    """
    kinds: dict[str, str] = {}
    for needle in needles:
        kinds.setdefault(needle.text, needle.kind)
    if not kinds:
        return None, kinds
    alternatives = "|".join(re.escape(text) for text in sorted(kinds, key=lambda t: (-len(t), t)))
    return re.compile(r"(?<!\w)(?:" + alternatives + r")(?!\w)"), kinds


def scan_text(text: str, needles: Iterable[_Needle]) -> Iterator[tuple[str, str]]:
    """(kind, what was found) for each piece of personal data in ``text``."""
    yield from _scan(text, *_combined(tuple(needles)))


def _scan(
    text: str, pattern: re.Pattern[str] | None, kinds: Mapping[str, str]
) -> Iterator[tuple[str, str]]:
    folded = fold(text)
    if pattern is not None:
        for match in pattern.finditer(folded):
            yield kinds[match.group()], match.group()
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
    pattern, kinds = _combined(tuple(_needles(casebook)))
    findings: list[Finding] = []
    seen: set[tuple[str, str, str]] = set()
    for source, field, text in sources:
        for kind, found in _scan(text, pattern, kinds):
            key = (source, field, found)
            if key not in seen:
                seen.add(key)
                findings.append(Finding(source, field, kind, mask(found)))
    if findings:
        raise PrivacyError(findings)
