"""The privacy guard: no public output leaves the toolkit carrying personal data.

Before a public output (a verslag without ``--intern``, handouts, the Q&A page, the overview,
the map, the match report) is written, its text and the fields it came from are searched with
the casebook's one identifier matcher (:mod:`toolkit.casebook.identifiers`): every form of every
person's name, their id, phone and e-mail, and anything that is a phone number, an e-mail
address, a BSN or an IBAN. A finding stops the output: nothing is written, and the message
names the output and field and shows what was found, masked.

A single name part that is also an ordinary word, or the name of a public role (the chair, a
speaker), is confirmed as not-a-person in the casebook's or the session's ``niet_persoon`` list;
whole names, ids and numbers cannot be confirmed away.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from toolkit.casebook.casebook import Casebook
from toolkit.casebook.identifiers import Matcher, identities_of, mask
from toolkit.casebook.records import Session
from toolkit.errors import Remedy, ToolkitError
from toolkit.i18n import _

__all__ = [
    "Finding",
    "PrivacyError",
    "check_public",
    "mask",
    "matcher_for",
    "passes_eleven_test",
    "scan_text",
    "texts_of",
]


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

    def __init__(self, findings: Sequence[Finding], *, confirmable: Sequence[str] = ()) -> None:
        self.findings = list(findings)
        self.confirmable = list(confirmable)
        lines = [
            _(
                "This public output would contain personal data, so nothing was written. "
                "Remove it from the source:"
            )
        ]
        lines.extend(f"- {finding}" for finding in self.findings)
        if self.confirmable:
            lines.append(
                _(
                    "If a word marked 'name part' is not about the person here (an ordinary "
                    "word, or the name of the chair or a speaker), add it to 'niet_persoon' in "
                    "the session file or in casebook.yaml (see docs/casebook.md)."
                )
            )
        super().__init__("\n".join(lines))


def passes_eleven_test(digits: str) -> bool:
    """The BSN check: 9·d1 + 8·d2 + … + 2·d8 − 1·d9 is a multiple of 11 (and not all zero)."""
    if len(digits) != 9 or not digits.isdigit() or set(digits) == {"0"}:
        return False
    total = sum(int(d) * w for d, w in zip(digits[:8], range(9, 1, -1), strict=True))
    total -= int(digits[8])
    return total % 11 == 0


def _kind_label(kind: str, confirmable: bool, owned: bool = False) -> str:
    labels = {
        "name": _("name part") if confirmable else _("name"),
        "id": _("id"),
        "phone": _("phone") if owned else _("phone number"),
        "email": _("e-mail") if owned else _("e-mail address"),
        "bsn": _("BSN-like number"),
        "iban": _("IBAN"),
    }
    return labels.get(kind, kind)


def allowed_words(casebook: Casebook, session: Session | None = None) -> list[str]:
    """The words confirmed as not-a-person for an output (of ``session``, if it has one)."""
    words = list(casebook.settings.niet_persoon)
    if session is not None:
        words.extend(session.niet_persoon)
    return words


def matcher_for(casebook: Casebook, session: Session | None = None) -> Matcher:
    """The guard's matcher: every person of the casebook, and any contact detail."""
    people = [(p.id, p.name, p.contact) for p in casebook.people.values()]
    return Matcher(identities_of(people), allowed=allowed_words(casebook, session))


def scan_text(text: str, matcher: Matcher) -> Iterator[tuple[str, str]]:
    """(kind, what was found) for each piece of personal data in ``text``."""
    for hit in matcher.find(text, unescaped=True):
        yield _kind_label(hit.kind, hit.confirmable, bool(hit.person_ids)), hit.found


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


def check_public(
    casebook: Casebook,
    sources: Iterable[tuple[str, str, str]],
    *,
    session: Session | None = None,
) -> None:
    """Raise :class:`PrivacyError` if any ``(source, field, text)`` carries personal data.

    ``session`` is the session the output is about: its ``niet_persoon`` words count too.
    """
    matcher = matcher_for(casebook, session)
    findings: list[Finding] = []
    confirmable: list[str] = []
    seen: set[tuple[str, str, str]] = set()
    for source, field, text in sources:
        for hit in matcher.find(text, unescaped=True):
            key = (source, field, hit.found)
            if key not in seen:
                seen.add(key)
                masked = mask(" ".join(hit.found.split()))
                findings.append(
                    Finding(
                        source,
                        field,
                        _kind_label(hit.kind, hit.confirmable, bool(hit.person_ids)),
                        masked,
                    )
                )
                if hit.confirmable:
                    confirmable.append(hit.part)
    if findings:
        raise PrivacyError(findings, confirmable=confirmable)
