"""Every document a command writes is the library's bytes, byte for byte: the web app offers
``render_document(...)`` as a download, and it must be the very file the command writes."""

from __future__ import annotations

import io
import stat
import time
import zipfile
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from tests.helpers import EXAMPLE_CASEBOOK
from toolkit.casebook import Casebook, load_casebook
from toolkit.cli import main
from toolkit.errors import InvalidInputError, NotFoundError
from toolkit.reports.documents import (
    KINDS,
    MEDIA_TYPES,
    AccessRequest,
    Document,
    MapRequest,
    MatchDocumentRequest,
    OverviewRequest,
    PaymentListRequest,
    QaRequest,
    SponsorPlanRequest,
    SponsorStatementRequest,
    VerslagRequest,
    render_document,
)
from toolkit.reports.matchrun import MatchRequest

DAY = "2026-11-26"
TODAY = date(2026, 11, 26)
SESSION = "dialoogavond-4"
PERSON = "abena-owusu"


@pytest.fixture(scope="module")
def book() -> Casebook:
    return load_casebook(EXAMPLE_CASEBOOK)


def command_file(tmp_path: Path, name: str, *args: str) -> bytes:
    out = tmp_path / name
    result = CliRunner().invoke(main, [*args, "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out.read_bytes()


def command_screen(*args: str) -> bytes:
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout_bytes


CASES: list[tuple[str, str, list[str], Any]] = []
for fmt in ("md", "html", "docx"):
    for intern in (False, True):
        CASES.append(
            (
                "verslag",
                fmt,
                ["verslag", SESSION, str(EXAMPLE_CASEBOOK), "--format", fmt]
                + (["--intern"] if intern else []),
                VerslagRequest(session=SESSION, format=fmt, intern=intern),
            )
        )
for fmt in ("html", "md"):
    CASES.append(("qa", fmt, ["qa", str(EXAMPLE_CASEBOOK), "--format", fmt], QaRequest(format=fmt)))
for fmt in ("md", "html"):
    CASES.append(
        (
            "overzicht",
            fmt,
            ["overzicht", str(EXAMPLE_CASEBOOK), "--format", fmt, "--date", DAY],
            OverviewRequest(format=fmt, day=TODAY),
        )
    )
CASES.append(
    (
        "overzicht",
        "md",
        ["overzicht", str(EXAMPLE_CASEBOOK), "--window", "400", "--date", DAY],
        OverviewRequest(format="md", window=400, day=TODAY),
    )
)
for fmt in ("text", "png", "svg", "html", "graphml", "gexf"):
    CASES.append(
        (
            "kaart",
            fmt,
            ["kaart", str(EXAMPLE_CASEBOOK), "--format", fmt, "--date", DAY],
            MapRequest(format=fmt, day=TODAY),
        )
    )
_MATCH_VARIANTS: list[tuple[list[str], MatchRequest]] = [
    ([], MatchRequest()),
    (["--round"], MatchRequest(round=True)),
    (["--method", "stable", "--top", "2"], MatchRequest(method="stable", top=2)),
    (["--person", PERSON, "--intern"], MatchRequest(person=PERSON, intern=True)),
    (["--round", "--person", PERSON], MatchRequest(round=True, person=PERSON)),
]
# Every variant on the screen table, where the command decides most; one each for the reports.
_MATCH_CASES = [("table", variant) for variant in _MATCH_VARIANTS] + [
    (fmt, _MATCH_VARIANTS[index]) for index, fmt in enumerate(("csv", "json", "md", "html"), 1)
]
for fmt, (flags, request) in _MATCH_CASES:
    CASES.append(
        (
            "match",
            fmt,
            ["match", str(EXAMPLE_CASEBOOK), "--format", fmt, "--date", DAY, *flags],
            MatchDocumentRequest(match=request, format=fmt, day=TODAY),
        )
    )
for fmt in ("md", "html", "docx"):
    CASES.append(
        (
            "inzage",
            fmt,
            ["inzage", PERSON, str(EXAMPLE_CASEBOOK), "--format", fmt, "--date", DAY],
            AccessRequest(person=PERSON, format=fmt, day=TODAY),
        )
    )
for fmt in ("html", "docx"):
    CASES.append(
        (
            "sponsorverklaring",
            fmt,
            [
                "sponsorverklaring",
                "bouwcombinatie-weerwater",
                str(EXAMPLE_CASEBOOK),
                "--jaar",
                "2026",
                "--format",
                fmt,
                "--date",
                DAY,
            ],
            SponsorStatementRequest("bouwcombinatie-weerwater", 2026, fmt, TODAY),
        )
    )
CASES.append(
    (
        "betaallijst",
        "xlsx",
        ["betaallijst", "2026-11", str(EXAMPLE_CASEBOOK), "--proef", "--door", "C", "--date", DAY],
        PaymentListRequest(month="2026-11", by="C", day=TODAY),
    )
)


def _id(case: tuple[str, str, list[str], Any]) -> str:
    kind, fmt, args, _request = case
    flags = "".join(a for a in args if a in ("--intern", "--round", "--person", "--method"))
    return f"{kind}-{fmt}{flags}"


@pytest.mark.parametrize("case", CASES, ids=[_id(c) for c in CASES])
def test_the_command_writes_the_library_bytes(
    case: tuple[str, str, list[str], Any], book: Casebook, tmp_path: Path
) -> None:
    kind, _fmt, args, request = case
    document = render_document(kind, book, request)
    assert document.media_type == MEDIA_TYPES[document.name.rsplit(".", 1)[1]]
    written = command_file(tmp_path, document.name, *args)
    assert written == document.data
    mode = stat.S_IMODE((tmp_path / document.name).stat().st_mode)
    if document.private:
        assert mode == 0o600
    if not document.binary and kind != "inzage":
        # On the screen: the same text (the table's advice on the reasons follows it there).
        screen = command_screen(*args)
        assert screen.startswith(document.data)


def test_every_kind_and_format_is_compared_with_its_command() -> None:
    covered = {(kind, fmt) for kind, fmt, _args, _request in CASES}
    expected = {(k.name, fmt) for k in KINDS.values() for fmt in k.formats} - {
        ("sponsorplan", "text"),  # printed, not written: see the tests below
        # A folder of handouts for the command, one zip for the web: see test_casussen_zip.
        *(("casussen", fmt) for fmt in KINDS["casussen"].formats),
    }
    assert covered == expected


@pytest.mark.parametrize(
    ("args", "request_"),
    [
        (["bouwcombinatie-weerwater"], SponsorPlanRequest(sponsor="bouwcombinatie-weerwater")),
        (
            ["bouwcombinatie-weerwater", "--years", "9"],
            SponsorPlanRequest(sponsor="bouwcombinatie-weerwater", years=9),
        ),
        (["--obligation", "125000"], SponsorPlanRequest(obligation=125000)),
    ],
)
def test_sponsorplan_prints_the_library_text(
    args: list[str], request_: SponsorPlanRequest, book: Casebook
) -> None:
    request = SponsorPlanRequest(
        sponsor=request_.sponsor,
        obligation=request_.obligation,
        years=request_.years,
        day=TODAY,
    )
    document = render_document("sponsorplan", book, request)
    screen = command_screen("sponsorplan", *args, str(EXAMPLE_CASEBOOK), "--date", DAY)
    assert screen.startswith(document.data)
    advice = screen[len(document.data) :].decode()
    # The library warns; the command adds how to act on it with its own option.
    assert ("--years" in advice) == ("Waarschuwing" in document.text)
    assert "--years" not in document.text


def test_a_word_verslag_is_the_same_bytes_every_time(book: Casebook) -> None:
    request = VerslagRequest(session=SESSION, format="docx")
    first = render_document("verslag", book, request).data
    time.sleep(2.1)  # zip times have a resolution of two seconds
    assert render_document("verslag", book, request).data == first

    from docx import Document as open_docx

    assert open_docx(io.BytesIO(first)).paragraphs


def test_the_document_names_and_types(book: Casebook) -> None:
    verslag = render_document("verslag", book, VerslagRequest(session=SESSION, format="docx"))
    assert verslag.name == f"verslag-{SESSION}.docx"
    assert verslag.binary and not verslag.private
    assert verslag.media_type.startswith("application/vnd.openxmlformats")
    intern = render_document("verslag", book, VerslagRequest(session=SESSION, intern=True))
    assert intern.name == f"verslag-{SESSION}-intern.md"
    assert intern.private and not intern.binary
    assert intern.media_type == "text/markdown; charset=utf-8"
    kaart = render_document("kaart", book, MapRequest(format="text", day=TODAY))
    assert kaart.name == f"kaart-{DAY}.txt"
    png = render_document("kaart", book, MapRequest(format="png", day=TODAY))
    assert png.data.startswith(b"\x89PNG") and png.binary
    inzage = render_document("inzage", book, AccessRequest(person=PERSON, day=TODAY))
    assert inzage.private
    assert isinstance(inzage, Document)


def test_the_registry_formats_are_the_report_modules_formats() -> None:
    from toolkit.reports import inzage, kaart, matches, overview, qa, verslag
    from toolkit.reports.casussen import request as casussen_request

    assert KINDS["verslag"].formats == verslag.FORMATS
    assert KINDS["qa"].formats == qa.QA_FORMATS
    assert KINDS["overzicht"].formats == overview.FORMATS
    assert KINDS["kaart"].formats == kaart.FORMATS
    assert KINDS["match"].formats == matches.FORMATS
    assert KINDS["inzage"].formats == (*inzage.FORMATS, "docx")
    assert KINDS["casussen"].formats == casussen_request.FORMATS


def test_unknown_kinds_formats_and_requests(book: Casebook) -> None:
    with pytest.raises(NotFoundError, match="casussen"):
        render_document("handouts", book, QaRequest())
    with pytest.raises(InvalidInputError) as caught:
        render_document("qa", book, QaRequest(format="docx"))
    assert caught.value.field == "format"
    with pytest.raises(TypeError):
        render_document("qa", book, VerslagRequest(session=SESSION))
    with pytest.raises(NotFoundError, match="dialoogavond-5"):
        render_document("verslag", book, VerslagRequest(session="dialoogavond-5"))
    with pytest.raises(InvalidInputError):
        render_document("sponsorplan", book, SponsorPlanRequest())
    with pytest.raises(InvalidInputError):
        render_document("sponsorplan", book, SponsorPlanRequest(sponsor="x", obligation=1.0))


def test_casussen_zip_holds_the_files_the_command_writes(book: Casebook, tmp_path: Path) -> None:
    from toolkit.reports.casussen.request import Request

    out = tmp_path / "tafels"
    request = Request(out=out, format="docx", select=4, tables=2, day=TODAY)
    document = render_document("casussen", book, request)
    assert document.name == "casussen.zip" and document.binary and not document.private
    args = ["casussen", str(EXAMPLE_CASEBOOK), "--select", "4", "--tables", "2"]
    result = CliRunner().invoke(main, [*args, "--format", "docx", "--out", str(out), "--date", DAY])
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(io.BytesIO(document.data)) as archive:
        assert sorted(archive.namelist()) == sorted(p.name for p in out.iterdir())
        for name in archive.namelist():
            assert archive.read(name) == (out / name).read_bytes()
