"""A Dutch run speaks Dutch: every command on the example casebook and on broken input.

The output of each command (and each file it writes) is scanned for common English words and
click's own phrases. Names in the casebook are Dutch and invented, so an English word here comes
from the toolkit, from click or from the YAML parser.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.helpers import EXAMPLE_CASEBOOK
from toolkit.cli import main

DAY = "26-11-2026"
#: Whole words and phrases that do not occur in Dutch prose (case-sensitive where marked).
ENGLISH = re.compile(
    r"\b(the|and|with|which|should|must|cannot|does|found|expected|not allowed|"
    r"Usage|Error|Options|Commands|Show this message|Try '|Invalid value|Missing|No such|"
    r"is not|does not match|mapping values|candidates|allowance|hours|unconfirmed|"
    r"people|opportunities|sessions|cap per|written|please|choose one)\b"
)
#: Paths name folders in English by design (docs/casebook.md), and option names are names:
#: leave them out of the scan.
PATHS = re.compile(r"(?:[\w.-]*/)+[\w.-]*|--[\w-]+")


#: English that the seed itself holds (the 4th evening's verslag quotes it).
QUOTED = ("Q&A-module (Question and Answer)",)


def english_in(text: str) -> list[str]:
    for quoted in QUOTED:
        text = text.replace(quoted, " ")
    return sorted({m.group(0) for m in ENGLISH.finditer(PATHS.sub(" ", text))})


@pytest.fixture()
def book(tmp_path: Path) -> Path:
    root = tmp_path / "cases"
    shutil.copytree(EXAMPLE_CASEBOOK, root)
    return root


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.output


def commands(book: Path, out: Path) -> list[list[str]]:
    cb = str(book)
    return [
        ["--help"],
        ["check", cb, "--date", DAY],
        ["check", "--help"],
        *[["list", kind, cb, "--date", DAY] for kind in ("personen", "plekken", "organisaties")],
        ["list", "sponsors", cb],
        ["list", "bijeenkomsten", cb],
        ["match", cb, "--date", DAY, "--top", "2"],
        ["match", cb, "--date", DAY, "--format", "csv"],
        ["match", cb, "--date", DAY, "--round", "--format", "md"],
        ["sponsorplan", "--obligation", "100000", cb, "--date", DAY],
        ["overzicht", cb, "--date", DAY],
        ["kaart", cb],
        ["verslag", "dialoogavond-4", cb],
        ["verslag", "new", cb, "--date", DAY],
        ["qa", cb, "--format", "md"],
        ["inzage", "anouk-de-graaf", cb, "--out", str(out / "inzage.md"), "--date", DAY],
        ["casussen", cb, "--select", "4", "--tables", "2", "--format", "md", "--out", f"{out}/k"],
        # The coordinator's year: a candidate from proposal to a paid month and a statement.
        ["status", "abena-owusu", "voorgesteld", cb, "--date", "20-08-2026", "--door", "C"],
        [
            *["plaats", "abena-owusu", "voedselbank-uitgifte", cb, "--sponsor", "versmarkt-almere"],
            *["--start", "01-09-2026", "--date", "25-08-2026", "--door", "C"],
        ],
        ["uren", "abena-owusu", "2026-09", "32", cb],
        ["uren", "abena-owusu", "2026-10", "40", cb, "--bedrag", "230,50"],
        ["uren-goedkeuren", "abena-owusu", "2026-09", cb, "--date", DAY, "--door", "C"],
        ["betaallijst", "2026-09", cb, "--proef", "--date", DAY, "--door", "C"],
        ["afwijzen", "aylin-demir", "voedselbank-uitgifte", cb, "--reden", "Te ver", "--door", "C"],
        ["verlengingen", cb, "--date", DAY],
        [
            *["sponsorverklaring", "versmarkt-almere", cb, "--jaar", "2026", "--format", "html"],
            *["--out", str(out / "verklaring.html"), "--date", DAY],
        ],
        ["wijzigingen", cb],
        ["vergeet", "reza-karimi", cb, "--yes"],
        ["export", "personen", cb, "--format", "csv", "--out", str(out / "personen.csv")],
        # Last: a starter's example values make the casebook invalid until they are filled in.
        ["new", "persoon", "nieuwe-persoon", cb],
    ]


#: Mistakes a person makes on the command line or in a case file.
BROKEN = [
    ["nonsense"],
    ["list"],
    ["list", "dingen"],
    ["check", "--date", "31-02-2024"],
    ["check", "--date", "morgen"],
    ["match", "--top", "veel"],
    ["match", "--top"],
    ["match", "--format", "pdf"],
    ["check", "--onbekend"],
    ["vergeet"],
    ["verslag", "bestaat-niet"],
    ["inzage", "bestaat-niet"],
    ["check", "pyproject.toml"],
    ["overzicht", "--window", "-3"],
]


def test_every_command_on_the_example_speaks_dutch(book: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    found: dict[str, list[str]] = {}
    for args in commands(book, out):
        code, output = run(*args)
        assert code == 0, (args, output)
        if words := english_in(output):
            found[" ".join(args[:2])] = words
    for written in sorted(p for p in out.rglob("*") if p.is_file()):
        if words := english_in(written.read_text(encoding="utf-8")):
            found[written.name] = words
    assert found == {}


@pytest.mark.parametrize("args", BROKEN, ids=lambda a: " ".join(a))
def test_mistakes_on_the_command_line_are_told_in_dutch(
    book: Path, args: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(book.parent)
    code, output = run(*args)
    assert code != 0
    assert english_in(output) == [], output


@pytest.mark.parametrize(
    "content",
    [
        "name: Anna\nnotes: Let op: ze wil graag koken\n",
        'name: "Anna\nbirth_year: 1990\n',
        "name: Anna\n  birth_year: 1990\n",
        "name: Anna\nname: Bob\n",
        "name: Anna\nbirth_year: negentig\n",
        "name: Anna\ntalents: [koken, schoonmaken\n",
    ],
)
def test_a_broken_case_file_is_told_in_dutch(book: Path, content: str) -> None:
    (book / "people" / "kapot.yaml").write_text(content, encoding="utf-8")
    code, output = run("check", str(book))
    assert code == 1
    assert "kapot.yaml" in output
    assert english_in(output) == [], output


def test_the_help_of_every_command_is_dutch() -> None:
    names = [[name] for name in main.commands] + [["verslag", "new"]]
    found = {}
    for name in names:
        code, output = run(*name, "--help")
        assert code == 0, output
        if words := english_in(output):
            found[" ".join(name)] = words
    assert found == {}
    code, output = run("match", "--help")
    assert "--top GETAL" in output and "--exclude PERSOON:PLEK" in output
