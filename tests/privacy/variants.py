"""Ways people write a person's name or contact details, and ways a report hides them.

Shared by the adversarial tests (through a seed that hypothesis draws, so a failing example is
reproducible with ``@example(seed=...)``) and by ``tools/privacy_attack.py``, which counts
variants and leaks for the closing note of the privacy issue.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from stdnum import iban as stdnum_iban

from toolkit.casebook.casebook import Casebook
from toolkit.casebook.identifiers import TUSSENVOEGSELS, fold_word

HOMOGLYPHS = {"a": "а", "e": "е", "o": "о", "p": "р", "c": "с", "x": "х", "i": "і", "y": "у"}
NON_DECOMPOSING = {"o": "ø", "i": "ı", "l": "ł", "d": "đ"}
INVISIBLE = ["\u00ad", "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff"]
SPACES = [" ", "  ", "\u00a0", "\u00a0\u00a0", "\n", " \n ", "\u2009", "\u3000"]
FILLER = [
    "Volgens de tafel wil",
    "Na afloop sprak",
    "Contact:",
    "Zie ook",
    "De begeleider van",
    "",
]


@dataclass(frozen=True)
class Variant:
    kind: str
    text: str
    origin: str  # what it is a variant of, for messages


def _words(name: str) -> tuple[str, list[str], str]:
    words = name.split()
    first, rest = words[0], words[1:]
    tussen: list[str] = []
    while len(rest) > 1 and rest[0].lower() in TUSSENVOEGSELS:
        tussen.append(rest.pop(0))
    return first, tussen, " ".join(rest)


def name_forms(name: str, allowed: frozenset[str]) -> list[str]:
    first, tussen, surname = _words(name)
    forms = [name, first, surname, f"{first[0]}. {' '.join([*tussen, surname])}", f"{first}s"]
    forms += [f"{first}'s", f"{first}’s", f"{first} {surname}"]
    if tussen:
        forms += [" ".join([*tussen, surname]), " ".join([*tussen, surname]).title()]
        forms.append(".".join(t[0] for t in tussen) + ". " + surname)
    return [f for f in forms if fold_word(f).strip("'s") not in allowed and len(f) >= 3]


def disguise_word(rng: random.Random, word: str) -> str:
    """One word, disguised the ways a text or its rendering can: case, invisible characters,
    markup inside the word, look-alike letters."""
    how = rng.choice(["case", "invisible", "markdown", "html", "homoglyph", "letters", "plain"])
    if how == "case":
        return rng.choice([word.upper(), word.lower(), word.swapcase(), word.title()])
    cut = rng.randrange(1, len(word)) if len(word) > 1 else 1
    if how == "invisible":
        return word[:cut] + rng.choice(INVISIBLE) + word[cut:]
    if how == "markdown":
        mark = rng.choice(["**", "*", "_", "__", "`", "~~"])
        return word[:cut] + mark + word[cut:] + mark
    if how == "html":
        tag = rng.choice(["b", "i", "span", "em", "strong", "a"])
        return f"{word[:cut]}<{tag}>{word[cut:]}</{tag}>"
    if how == "homoglyph":
        return "".join(HOMOGLYPHS.get(c, c) if rng.random() < 0.5 else c for c in word)
    if how == "letters":
        return "".join(NON_DECOMPOSING.get(c, c) for c in word)
    return word


def disguise_name(rng: random.Random, form: str) -> str:
    words = form.split(" ")
    out = disguise_word(rng, words[0])
    for word in words[1:]:
        out += rng.choice(SPACES) + disguise_word(rng, word)
    if rng.random() < 0.3:
        out = rng.choice(["**{}**", "<b>{}</b>", "_{}_", "[{}](#)", "<p>{}</p>"]).format(out)
    return out


def phone_forms(phone: str) -> list[str]:
    digits = "".join(c for c in phone if c.isdigit())  # 0612345678
    national = digits[1:]  # 612345678
    area = national[0]
    rest = national[1:]
    return [
        digits,
        f"{digits[:2]}-{digits[2:]}",
        f"{digits[:2]} {digits[2:6]} {digits[6:]}",
        f"{digits[:2]} {rest[:2]} {rest[2:4]} {rest[4:6]} {rest[6:]}",
        f"({digits[:2]}) {digits[2:]}",
        f"{digits[:2]}.{rest[:2]}.{rest[2:4]}.{rest[4:6]}.{rest[6:]}",
        f"{digits[:2]}/{digits[2:]}",
        f"+31 {area} {rest}",
        f"+31 (0){area} {rest[:4]} {rest[4:]}",
        f"+31-{area}-{rest}",
        f"0031 {area} {rest}",
        f"0031{national}",
        f"+31{national}",
        f"06 – {rest}" if digits.startswith("06") else digits,
    ]


def email_forms(email: str) -> list[str]:
    local, _at, domain = email.partition("@")
    name, _dot, tld = domain.rpartition(".")
    return [
        email,
        email.upper(),
        f"{local} @ {domain}",
        f"{local}(at){domain}",
        f"{local} (at) {name} (dot) {tld}",
        f"{local} [at] {name} [dot] {tld}",
        f"{local}[at]{domain}",
        f"{local} {{at}} {name}.{tld}",
        f"{local.title()}@{domain.upper()}",
    ]


def bsn(rng: random.Random) -> str:
    while True:
        digits = [rng.randrange(10) for _ in range(8)]
        total = sum(d * w for d, w in zip(digits, range(9, 1, -1), strict=True))
        last = total % 11
        if last < 10 and any(digits):
            digits.append(last)
            return "".join(map(str, digits))


def bsn_forms(rng: random.Random) -> list[str]:
    number = bsn(rng)
    a, b, c = number[:3], number[3:6], number[6:]
    return [
        number,
        f"{a}.{b}.{c}",
        f"{a} {b} {c}",
        f"{a}-{b}-{c}",
        f"{number[:4]}.{number[4:6]}.{number[6:]}",
        f"{number[:4]} {number[4:6]} {number[6:]}",
    ]


def iban_forms(rng: random.Random) -> list[str]:
    bank = rng.choice(["ABNA", "INGB", "RABO", "TRIO", "SNSB"])
    account = "".join(str(rng.randrange(10)) for _ in range(10))
    body = f"{bank}{account}"
    number = f"NL{stdnum_iban.calc_check_digits('NL00' + body)}{body}"
    grouped = " ".join(number[i : i + 4] for i in range(0, len(number), 4))
    return [number, grouped, number.lower(), grouped.lower()]


def variant(rng: random.Random, casebook: Casebook) -> Variant:
    """One disguised piece of personal data of a random person of ``casebook``."""
    people = sorted(casebook.people.values(), key=lambda p: p.id)
    person = rng.choice(people)
    allowed = frozenset(fold_word(w) for w in casebook.settings.niet_persoon)
    kind = rng.choice(["name", "name", "name", "id", "phone", "email", "bsn", "iban"])
    if kind == "name":
        form = rng.choice(name_forms(person.name, allowed))
        return Variant(kind, disguise_name(rng, form), form)
    if kind == "id":
        return Variant(kind, rng.choice([person.id, person.id.upper()]), person.id)
    if kind == "phone" and person.contact and person.contact.phone:
        form = rng.choice(phone_forms(person.contact.phone))
        return Variant(kind, form, person.contact.phone)
    if kind == "email" and person.contact and person.contact.email:
        form = rng.choice(email_forms(person.contact.email))
        return Variant(kind, form, person.contact.email)
    if kind == "bsn":
        form = rng.choice(bsn_forms(rng))
        return Variant(kind, form, "bsn")
    form = rng.choice(iban_forms(rng))
    return Variant("iban", form, "iban")


def sentence(rng: random.Random, hidden: str) -> str:
    return f"{rng.choice(FILLER)} {hidden} {rng.choice(['', '.', ',', ' bellen.', '!'])}".strip()
