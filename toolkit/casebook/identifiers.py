"""The one matcher that finds a person in text: used by the privacy guard and by ``vergeet``.

People write names and numbers in many ways, and a report adds its own: markup, soft hyphens,
non-breaking spaces. So text is first *folded*, character by character, into a plain form:
markup and invisible characters dropped, letters in lower case without accents, letters that do
not decompose (ı ł ø ß …) spelled out, look-alikes from other scripts (Cyrillic а, Greek ο …)
replaced by the Latin letter they imitate, runs of white space made one space. Every folded
character remembers where it came from, so a match can be shown, masked, or replaced in the
original text.

What is looked for in the folded text:

- every part of every name: the whole name, the first name, the surname with and without its
  tussenvoegsel ("van der meer", "meer"), initials with the surname ("j. van der meer"), each
  with a possessive or plural ending ("anouks", "anouk's");
- the id;
- phone numbers in any notation, found by ``phonenumbers`` (region NL);
- a BSN with any separators that passes the 11-test, and an IBAN (``python-stdnum``);
- e-mail addresses, also written as "naam (at) domein (dot) nl" or with spaces around "@".

A single name part that is also an ordinary word can be confirmed as not-a-person (see
:class:`Matcher`'s ``allowed``); whole names, ids and numbers never can.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

# phonenumbers, confusable_homoglyphs and python-stdnum are imported where they are used:
# loading a casebook needs only the folding of plain text, and ``check`` starts 50 ms sooner
# without the first two (python-stdnum, which brings ssl and socket along: 17 ms more).

#: Words between a first name and a surname that are not a name on their own.
TUSSENVOEGSELS = frozenset(
    [
        "d",
        "da",
        "dal",
        "de",
        "del",
        "della",
        "den",
        "der",
        "des",
        "di",
        "do",
        "dos",
        "du",
        "el",
        "het",
        "in",
        "l",
        "la",
        "le",
        "op",
        "s",
        "t",
        "te",
        "ten",
        "ter",
        "uit",
        "van",
        "von",
        "vd",
        "zu",
        "al",
        "bin",
        "ben",
        "abu",
        "ibn",
    ]
)
#: The placeholder words of the starter file (``burgerbaan new persoon``: "Voornaam
#: Achternaam"): not a name, and words that handouts use as labels.
PLACEHOLDER_WORDS = frozenset({"voornaam", "achternaam", "tussenvoegsel", "naam"})
#: Name parts shorter than this are not searched alone ("Li", "Bo" match too much); they are
#: still found as part of the whole name.
MIN_PART_CHARS = 3

#: Characters that show nothing: soft hyphen, zero-width spaces and joiners, word joiner, BOM.
_INVISIBLE = frozenset("\u00ad\u200b\u200c\u200d\u200e\u200f\u2060\u2061\u2062\u2063\ufeff\u180e")
#: Markdown emphasis and code marks, dropped so "An**ouk**" reads "anouk".
_MARKUP = frozenset("*_`~")
#: Letters that NFKD does not take apart, spelled as a Dutch reader would read them.
_SPELLED = {
    "ı": "i",
    "ł": "l",
    "ø": "o",
    "ß": "ss",
    "æ": "ae",
    "œ": "oe",
    "đ": "d",
    "ð": "d",
    "þ": "th",
    "ħ": "h",
    "ŀ": "l",
    "ĸ": "k",
    "ŧ": "t",
    "ɨ": "i",
    "ʼ": "'",
    "’": "'",
    "‘": "'",
    "`": "'",
    "´": "'",
    "ʹ": "'",
    "＇": "'",
    "‐": "-",
    "‑": "-",
    "‒": "-",
    "–": "-",
    "—": "-",
    "−": "-",
}
#: HTML elements that do not separate words when rendered ("A<b>nouk</b>" reads "Anouk"); every
#: other tag (p, br, td, and the elements of XML formats such as GraphML) stands for a space.
_INLINE_TAGS = frozenset(
    [
        "a",
        "abbr",
        "b",
        "bdi",
        "bdo",
        "big",
        "cite",
        "code",
        "del",
        "dfn",
        "em",
        "font",
        "i",
        "ins",
        "kbd",
        "mark",
        "q",
        "s",
        "samp",
        "small",
        "span",
        "strike",
        "strong",
        "sub",
        "sup",
        "tt",
        "u",
        "var",
        "wbr",
    ]
)
_TOKEN = re.compile(
    r"<(/?)([a-zA-Z][a-zA-Z0-9]*)\b[^<>]{0,500}>|<!--.{0,2000}?-->"
    r"|&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z][a-zA-Z0-9]{1,31});",
    re.DOTALL,
)


@dataclass(frozen=True)
class Folded:
    """Folded text and, per folded character, the span of the original text it came from."""

    text: str
    starts: tuple[int, ...]
    ends: tuple[int, ...]

    def span(self, start: int, end: int) -> tuple[int, int]:
        return self.starts[start], self.ends[end - 1]


@lru_cache(maxsize=4096)
def fold_char(char: str) -> str:
    """One character as plain lower-case Latin (possibly several letters, or none)."""
    if char in _INVISIBLE or char in _MARKUP:
        return ""
    if char in _SPELLED:
        return _SPELLED[char]
    out = []
    for piece in unicodedata.normalize("NFKC", char):
        if piece.isspace():
            out.append(" ")
            continue
        lowered = piece.casefold()
        for letter in lowered:
            if letter in _SPELLED:
                out.append(_SPELLED[letter])
                continue
            base = "".join(
                c for c in unicodedata.normalize("NFKD", letter) if not unicodedata.combining(c)
            )
            if base and not base.isascii():
                base = "".join(_latin_lookalike(c) for c in base)
            out.append(base)
    return "".join(out)


@lru_cache(maxsize=4096)
def _latin_lookalike(char: str) -> str:
    if char in _SPELLED:
        return _SPELLED[char]
    from confusable_homoglyphs import confusables  # type: ignore[import-untyped]

    found = confusables.is_confusable(char, greedy=True, preferred_aliases=["latin"])
    for entry in found or ():
        for glyph in entry.get("homoglyphs", ()):
            candidate = str(glyph.get("c", ""))
            if candidate.isascii() and candidate.strip():
                return candidate.lower()
    return char


def fold_text(text: str) -> Folded:
    """``text`` folded (see the module's description), with where each character came from."""
    chars: list[str] = []
    starts: list[int] = []
    ends: list[int] = []

    def put(piece: str, start: int, end: int) -> None:
        for char in piece:
            if char == " " and (not chars or chars[-1] == " "):
                continue
            chars.append(char)
            starts.append(start)
            ends.append(end)

    position = 0
    for token in _TOKEN.finditer(text):
        for index in range(position, token.start()):
            put(fold_char(text[index]), index, index + 1)
        if token.group(3) is not None:
            put("".join(fold_char(c) for c in _entity(token.group(3))), token.start(), token.end())
        elif token.group(2) is None or token.group(2).lower() not in _INLINE_TAGS:
            put(" ", token.start(), token.end())
        position = token.end()
    for index in range(position, len(text)):
        put(fold_char(text[index]), index, index + 1)
    return Folded("".join(chars), tuple(starts), tuple(ends))


def _entity(body: str) -> str:
    return html.unescape(f"&{body};")


def fold_word(text: str) -> str:
    return fold_text(text).text.strip()


# --- who to look for ------------------------------------------------------------------------


@dataclass(frozen=True)
class Identity:
    """What identifies one person: id, names (their own, a contact's), phones, e-mails."""

    person_id: str
    names: tuple[str, ...] = ()
    phones: tuple[str, ...] = ()
    emails: tuple[str, ...] = ()


@dataclass(frozen=True)
class NamePart:
    text: str  # folded
    whole: bool  # the whole name (or initials with surname), never confirmable as a word


def name_parts(name: str) -> list[NamePart]:
    """Every form of ``name`` that identifies its bearer, folded."""
    words = re.sub(r"[^a-z0-9' -]", " ", fold_word(name)).split()
    words = [w.strip("'") for w in words if w.strip("'-")]
    if not words:
        return []
    parts: dict[str, bool] = {" ".join(words): True}
    first, rest = words[0], words[1:]
    tussen: list[str] = []
    while len(rest) > 1 and rest[0] in TUSSENVOEGSELS:
        tussen.append(rest.pop(0))
    surname = " ".join(rest)
    if rest:
        parts.setdefault(first, False)
        parts.setdefault(surname, len(rest) > 1)
        full_surname = " ".join([*tussen, surname])
        if tussen:
            parts.setdefault(full_surname, True)
            parts.setdefault(f"{first} {surname}", True)
            # Abbreviated: "v.d. meer", "v meer".
            parts.setdefault(" ".join([*(t[0] for t in tussen), surname]), True)
        # Initials with the surname: "a de graaf" (dots are made optional when searching).
        parts.setdefault(f"{first[0]} {full_surname}", True)
        for word in rest:
            for piece in word.split("-"):
                parts.setdefault(piece, False)
        for word in first.split("-"):
            parts.setdefault(word, False)
    else:
        parts[first] = False
    return [
        NamePart(text, whole)
        for text, whole in parts.items()
        if (whole and not set(text.split()) <= PLACEHOLDER_WORDS)
        or (
            len(text) >= MIN_PART_CHARS
            and text not in TUSSENVOEGSELS
            and text not in PLACEHOLDER_WORDS
        )
    ]


def _name_pattern(part: str) -> str:
    words = [w for w in re.split(r"[ -]+", part) if w]
    joined = r"[\s.\-']*".join(re.escape(w) for w in words)
    return joined


# --- matching -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Hit:
    """One piece of personal data found in a text."""

    kind: str  # name, id, phone, email, bsn, iban
    start: int  # in the original text
    end: int
    found: str  # the original text
    #: The folded name part that matched (for names), to check against confirmed words.
    part: str = ""
    #: True when it is a single name part, which may be confirmed as not-a-person.
    confirmable: bool = False
    person_ids: frozenset[str] = field(default_factory=frozenset)


_BSN = re.compile(r"(?<![0-9])[0-9](?:[ .\-/]?[0-9]){8}(?![0-9])")
#: How the nine digits of a BSN are grouped when written with separators (one kind throughout):
#: 3-3-3, 4-2-3, 2-3-4, 2-2-2-3, or digit by digit.
_BSN_GROUPS = frozenset({(9,), (3, 3, 3), (4, 2, 3), (2, 3, 4), (2, 2, 2, 3), (1,) * 9})
#: A minus sign before a digit after a space: a negative number (a coordinate in a map file),
#: which ``phonenumbers`` would otherwise read with its neighbours as a phone number.
_SIGNED = re.compile(r"(?:^|\s)-\d")
_IBAN = re.compile(r"(?<![a-z0-9])[a-z]{2}[0-9]{2}(?: ?[a-z0-9]){10,30}(?![a-z0-9])")
_AT = (
    r"(?:\s*@\s*|\s*[\(\[\{<]\s*(?:at|apestaart)\s*[\)\]\}>]\s*"
    r"|\s+at\s+(?=[a-z0-9-]+\s*(?:[\(\[\{<]\s*(?:dot|punt)|\s+(?:dot|punt)\s+)))"
)
_DOT = r"(?:\s*\.\s*|\s*[\(\[\{<]\s*(?:dot|punt)\s*[\)\]\}>]\s*|\s+(?:dot|punt)\s+)"
_EMAIL = re.compile(
    rf"(?<![a-z0-9._%+-])[a-z0-9][a-z0-9._%+-]*{_AT}"
    rf"[a-z0-9-]+(?:{_DOT}[a-z0-9-]+)*{_DOT}[a-z]{{2,24}}(?![a-z0-9])"
)
_DOTS = re.compile(r"\s*(?:\.|[\(\[\{<]\s*(?:dot|punt)\s*[\)\]\}>]|\s(?:dot|punt)\s)\s*")
_ATS = re.compile(r"\s*(?:@|[\(\[\{<]\s*(?:at|apestaart)\s*[\)\]\}>]|\sat\s)\s*")


def plain_email(found: str) -> str:
    """An e-mail address as written, without obfuscation: ``a (at) b (dot) nl`` → ``a@b.nl``."""
    text = fold_word(found)
    local, _sep, domain = _ATS.split(text, maxsplit=1)[0], "@", _ATS.split(text, maxsplit=1)[-1]
    return f"{local.strip()}@{_DOTS.sub('.', domain).strip()}"


def phone_key(value: str) -> str | None:
    """A phone number in one notation (E.164), or None if it is not one."""
    import phonenumbers

    try:
        number = phonenumbers.parse(fold_word(value), "NL")
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_possible_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


class Matcher:
    """Finds people (and, with ``generic``, any phone, e-mail, BSN or IBAN) in text.

    ``allowed`` holds folded single words confirmed as not-a-person (a surname that is also an
    ordinary word, the name of the session's chair): a single name part equal to one of them is
    not a hit. Whole names, initials with surname, ids and numbers are always hits.
    """

    def __init__(
        self,
        identities: Iterable[Identity],
        *,
        generic: bool = True,
        allowed: Iterable[str] = (),
        excluded: Iterable[str] = (),
    ) -> None:
        self.generic = generic
        self.allowed = frozenset(fold_word(a) for a in allowed if fold_word(a))
        #: Folded name parts (whole or not) never reported: another person's too.
        self.excluded = frozenset(excluded)
        owners: dict[str, set[str]] = {}
        whole: dict[str, bool] = {}
        ids: dict[str, str] = {}
        self.phones: dict[str, set[str]] = {}
        self.emails: dict[str, set[str]] = {}
        for identity in identities:
            ids[identity.person_id] = identity.person_id
            for name in identity.names:
                for part in name_parts(name):
                    owners.setdefault(part.text, set()).add(identity.person_id)
                    whole[part.text] = whole.get(part.text, False) or part.whole
            for phone in identity.phones:
                key = phone_key(phone)
                if key:
                    self.phones.setdefault(key, set()).add(identity.person_id)
            for email in identity.emails:
                if email.strip():
                    self.emails.setdefault(plain_email(email), set()).add(identity.person_id)
        self.owners = {k: frozenset(v) for k, v in owners.items()}
        self.whole = whole
        self.ids = ids
        alternatives = sorted(owners, key=lambda t: (-len(t), t))
        self._names = (
            re.compile(
                r"(?<![a-z0-9])(" + "|".join(_name_pattern(a) for a in alternatives) + r")"
                r"(?:'?s|'n|'en)?(?![a-z0-9])"
            )
            if alternatives
            else None
        )
        self._keys = {_name_key(a): a for a in alternatives}
        self._ids = (
            re.compile(
                r"(?<![a-z0-9-])("
                + "|".join(re.escape(i) for i in sorted(ids, key=lambda t: (-len(t), t)))
                + r")(?![a-z0-9-])"
            )
            if ids
            else None
        )

    def find(self, text: str, *, unescaped: bool = False) -> list[Hit]:
        """Every hit in ``text``, in order of position, overlapping hits merged by the first.

        With ``unescaped``, also the hits in the text with its HTML entities read: escaped
        markup (``Jo&lt;b&gt;ke``) shows on screen as markup, which a reader reads past. Those
        hits' positions are in the unescaped text, so this is for finding, not for replacing.
        """
        hits = self._merged(text)
        if unescaped and "&" in text:
            plain = html.unescape(text)
            if plain != text:
                covered = {h.found for h in hits}
                hits += [h for h in self._merged(plain) if h.found not in covered]
        return hits

    def _merged(self, text: str) -> list[Hit]:
        folded = fold_text(text)
        hits = list(self._find(text, folded))
        hits.sort(key=lambda h: (h.start, -(h.end - h.start)))
        merged: list[Hit] = []
        for hit in hits:
            if merged and hit.start < merged[-1].end:
                continue
            merged.append(hit)
        return merged

    def _find(self, text: str, folded: Folded) -> Iterator[Hit]:
        plain = folded.text

        def hit(
            kind: str,
            start: int,
            end: int,
            *,
            part: str = "",
            confirmable: bool = False,
            person_ids: frozenset[str] = frozenset(),
        ) -> Hit:
            a, b = folded.span(start, end)
            return Hit(kind, a, b, text[a:b], part, confirmable, person_ids)

        if self._ids is not None:
            for match in self._ids.finditer(plain):
                yield hit("id", *match.span(1), person_ids=frozenset({match.group(1)}))
        if self._names is not None:
            for match in self._names.finditer(plain):
                part = self._keys.get(_name_key(match.group(1)), match.group(1))
                if part in self.excluded:
                    continue
                confirmable = not self.whole.get(part, False)
                if confirmable and part in self.allowed:
                    continue
                yield hit(
                    "name",
                    match.start(),
                    match.end(),
                    part=part,
                    confirmable=confirmable,
                    person_ids=self.owners.get(part, frozenset()),
                )
        if any(c.isdigit() for c in plain):
            for kind, start, end, owners in self._numbers(plain):
                yield hit(kind, start, end, person_ids=owners)
        if "@" in plain or " at" in plain or "at)" in plain or "at]" in plain:
            for found in _EMAIL.finditer(plain):
                mail_owners = frozenset(self.emails.get(plain_email(found.group()), ()))
                if self.generic or mail_owners:
                    yield hit("email", *found.span(), person_ids=mail_owners)

    def _numbers(self, plain: str) -> Iterator[tuple[str, int, int, frozenset[str]]]:
        """(kind, start, end, owners) of each phone number, BSN and IBAN in folded text."""
        import phonenumbers
        from stdnum import iban as stdnum_iban
        from stdnum.nl import bsn as stdnum_bsn

        seen: set[tuple[int, int]] = set()
        # Any valid number; then, leniently, a person's own number even when it is not in a
        # range that is given out (invented numbers): lenient matching alone reads numbers
        # next to each other in a data file as a phone number.
        for leniency in (phonenumbers.Leniency.VALID, phonenumbers.Leniency.POSSIBLE):
            for match in phonenumbers.PhoneNumberMatcher(plain, "NL", leniency=leniency):
                if _SIGNED.search(match.raw_string) or (match.start, match.end) in seen:
                    continue
                number = phonenumbers.format_number(
                    match.number, phonenumbers.PhoneNumberFormat.E164
                )
                owners = frozenset(self.phones.get(number, ()))
                valid = leniency == phonenumbers.Leniency.VALID
                if owners or (self.generic and valid):
                    seen.add((match.start, match.end))
                    start, end = match.start, match.end
                    # "(06-11112222)": the matcher takes the opening bracket of the aside.
                    if match.raw_string.startswith("(") and ")" not in match.raw_string:
                        start += 1
                    yield "phone", start, end, owners
        if not self.generic:
            return
        for written in _BSN.finditer(plain):
            digits = re.sub(r"[^0-9]", "", written.group())
            if _bsn_grouping(written.group()) and stdnum_bsn.is_valid(digits):
                yield "bsn", written.start(), written.end(), frozenset()
        for written in _IBAN.finditer(plain):
            # The pattern may run on into the next word ("nl91 abna 0417 1643 00 bellen"):
            # drop words from the end until a valid IBAN is left.
            candidate = written.group()
            while len(candidate.replace(" ", "")) >= 15:
                if stdnum_iban.is_valid(candidate):
                    yield "iban", written.start(), written.start() + len(candidate), frozenset()
                    break
                if " " not in candidate:
                    break
                candidate = candidate.rsplit(" ", 1)[0]


def _bsn_grouping(written: str) -> bool:
    separators = set(re.sub(r"[0-9]", "", written))
    groups = tuple(len(g) for g in re.split(r"[^0-9]", written))
    return len(separators) <= 1 and groups in _BSN_GROUPS


def _name_key(text: str) -> str:
    return re.sub(r"[\s.\-']+", "", text)


def identities_of(people: Iterable[tuple[str, str | None, object]]) -> list[Identity]:
    """Identities from ``(id, name, contact)`` triples; ``contact`` has name/phone/email."""
    found = []
    for person_id, name, contact in people:
        names = [name] if name else []
        phones: list[str] = []
        emails: list[str] = []
        if contact is not None:
            contact_name = getattr(contact, "name", None)
            if contact_name:
                names.append(contact_name)
            if getattr(contact, "phone", None):
                phones.append(contact.phone)  # type: ignore[attr-defined]
            if getattr(contact, "email", None):
                emails.append(contact.email)  # type: ignore[attr-defined]
        found.append(Identity(person_id, tuple(names), tuple(phones), tuple(emails)))
    return found


def mask(text: str) -> str:
    """Keep the first character of each word (and an e-mail's domain), hide the rest."""
    if "@" in text:
        local, _sep, domain = text.partition("@")
        return f"{local[:1]}{'*' * max(len(local) - 1, 1)}@{domain}"
    return " ".join(
        word[:1] + "*" * (len(word) - 1) if len(word) > 1 else word for word in text.split()
    )


def replace_hits(text: str, hits: Sequence[Hit], placeholder: str) -> str:
    """``text`` with every hit replaced by ``placeholder`` (hits must not overlap)."""
    pieces = []
    position = 0
    for hit in sorted(hits, key=lambda h: h.start):
        pieces.append(text[position : hit.start])
        pieces.append(placeholder)
        position = hit.end
    pieces.append(text[position:])
    return "".join(pieces)
