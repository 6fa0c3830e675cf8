"""A hand mutation run over the privacy guard, the identifier matcher and the erasure.

    .venv/bin/python tools/mutate_privacy.py

Each mutant changes one piece of source text (a boundary, a comparison, a fold, a limit), runs
the tests that guard that module, and is *killed* when a test fails. Survivors are printed with
their description; the source is always restored. Slow (tens of seconds per mutant): run it by
hand, not in CI.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GUARD_TESTS = [
    "tests/privacy/test_adversarial.py::test_the_matcher_finds_every_variant_as_written_and_as_rendered",
    "tests/reports/test_verslag_privacy.py",
    "tests/reports/test_privacy_combined.py",
    "tests/privacy/test_identifiers.py",
]
ERASURE_TESTS = [
    "tests/casebook/test_erasure.py",
    "tests/casebook/test_erasure_complete.py",
    "-k",
    "not vergeet_on_any_example",
]
M = "toolkit/casebook/identifiers.py"
D = "toolkit/casebook/erasure_edit.py"
E = "toolkit/casebook/erasure.py"
P = "toolkit/reports/privacy.py"

#: (file, text, replacement, description, tests)
MUTANTS: list[tuple[str, str, str, str, list[str]]] = [
    (
        M,
        'if char in _INVISIBLE or char in _MARKUP:\n        return ""',
        'if char in _INVISIBLE:\n        return ""',
        "markup not dropped",
        GUARD_TESTS,
    ),
    (
        M,
        'if char in _INVISIBLE or char in _MARKUP:\n        return ""',
        'if char in _MARKUP:\n        return ""',
        "invisible characters kept",
        GUARD_TESTS,
    ),
    (
        M,
        "    if char in _SPELLED:\n        return _SPELLED[char]\n    out = []",
        "    out = []",
        "non-decomposing letters not spelled",
        GUARD_TESTS,
    ),
    (
        M,
        "            if base and not base.isascii():",
        "            if False:",
        "no confusables fold",
        GUARD_TESTS,
    ),
    (
        M,
        '            if char == " " and (not chars or chars[-1] == " "):',
        "            if False:",
        "white space runs kept",
        GUARD_TESTS,
    ),
    (
        M,
        "token.group(2).lower() not in _INLINE_TAGS",
        "token.group(2).lower() in _INLINE_TAGS",
        "inline and block tags swapped",
        GUARD_TESTS,
    ),
    (M, "MIN_PART_CHARS = 3", "MIN_PART_CHARS = 5", "short parts skipped", GUARD_TESTS),
    (
        M,
        "        parts.setdefault(first, False)\n",
        "",
        "first name alone not searched",
        GUARD_TESTS,
    ),
    (
        M,
        "        parts.setdefault(surname, len(rest) > 1)\n",
        "",
        "surname alone not searched",
        GUARD_TESTS,
    ),
    (M, "(?:'?s|'n|'en)?(?![a-z0-9])\"", '(?![a-z0-9])"', "no possessive or plural", GUARD_TESTS),
    (
        M,
        'joined = r"[\\s.\\-\']*".join',
        r'joined = r" ".join',
        "name words need one space",
        GUARD_TESTS,
    ),
    (
        M,
        "                if confirmable and part in self.allowed:",
        "                if part in self.allowed:",
        "whole names confirmable",
        GUARD_TESTS,
    ),
    (
        M,
        "if owners or (self.generic and valid):",
        "if owners or self.generic:",
        "invalid numbers reported",
        GUARD_TESTS,
    ),
    (
        M,
        "if owners or (self.generic and valid):",
        "if self.generic and valid:",
        "own invented numbers missed",
        GUARD_TESTS,
    ),
    (
        M,
        "return len(separators) <= 1 and groups in _BSN_GROUPS",
        "return groups in _BSN_GROUPS",
        "mixed BSN separators",
        GUARD_TESTS,
    ),
    (
        M,
        "return len(separators) <= 1 and groups in _BSN_GROUPS",
        "return len(separators) <= 1",
        "any BSN grouping",
        GUARD_TESTS,
    ),
    (
        M,
        '            while len(candidate.replace(" ", "")) >= 15:',
        '            while len(candidate.replace(" ", "")) >= 99:',
        "IBANs never checked",
        GUARD_TESTS,
    ),
    (
        M,
        '        if unescaped and "&" in text:',
        "        if False:",
        "escaped markup not read",
        GUARD_TESTS,
    ),
    (
        M,
        '                    if match.raw_string.startswith("(") and ")" not in match.raw_string:',
        "                    if False:",
        "bracket kept with a phone",
        ERASURE_TESTS,
    ),
    (
        P,
        "        words.extend(session.niet_persoon)",
        "        pass",
        "session words ignored",
        GUARD_TESTS,
    ),
    (
        D,
        "            if h.person_ids == mine",
        "            if mine <= h.person_ids",
        "shared hits replaced",
        ERASURE_TESTS,
    ),
    (
        D,
        '    return token != hit.found and "-" in token and bool(ID_PATTERN.match(token))',
        "    return False",
        "names inside ids replaced",
        ERASURE_TESTS,
    ),
    (
        D,
        "        return any(isinstance(v, str) and v.strip() == person_id for v in item.values())",
        "        return False",
        "exclusion pairs kept half",
        ERASURE_TESTS,
    ),
    (
        D,
        "        and hit.found.islower()",
        "        and True",
        "capitalised bare names kept",
        ERASURE_TESTS,
    ),
    (
        D,
        '    if b"\\x00" in data:\n        return False',
        "    if False:\n        return False",
        "binary files searched",
        ERASURE_TESTS,
    ),
    (
        E,
        "        if entry is not None and log.entry_for(path.stem) is None:",
        "        if False:",
        "returned person not noticed",
        ERASURE_TESTS,
    ),
    (
        E,
        "LOG_LIMITS = Limits(max_bytes=64 * 1024 * 1024, max_nodes=2_000_000)",
        "LOG_LIMITS = Limits(max_bytes=1024 * 1024, max_nodes=10_000)",
        "log limits of a case file",
        ERASURE_TESTS,
    ),
    (
        E,
        "    return f\"{' '.join(fold_word(name).split())}|{birth_year}\"",
        '    return f"{name}|{birth_year}"',
        "name hash not folded",
        ERASURE_TESTS,
    ),
]


def run(tests: list[str]) -> bool:
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider", *tests],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    return done.returncode == 0


def main() -> int:
    killed = 0
    survivors = []
    chosen = {int(a) for a in sys.argv[1:]}  # mutant numbers to run; all by default
    for number, (file, text, replacement, what, tests) in enumerate(MUTANTS, start=1):
        if chosen and number not in chosen:
            continue
        path = ROOT / file
        original = path.read_text(encoding="utf-8")
        if original.count(text) != 1:
            print(f"{number:2}  NOT APPLIED  {what}")
            survivors.append(f"{what} (not applied: source changed)")
            continue
        try:
            path.write_text(original.replace(text, replacement), encoding="utf-8")
            passed = run(tests)
        finally:
            path.write_text(original, encoding="utf-8")
        status = "SURVIVED" if passed else "killed"
        print(f"{number:2}  {status:8}  {file}: {what}", flush=True)
        if passed:
            survivors.append(f"{file}: {what}")
        else:
            killed += 1
    print(f"killed {killed} of {len(chosen) if chosen else len(MUTANTS)}")
    for survivor in survivors:
        print(f"  survivor: {survivor}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
