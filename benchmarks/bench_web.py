"""Benchmark of the web app: warm timings of every list and record page and the round page.

Run from the repository root::

    python benchmarks/bench_web.py           # the example casebook and Almere scale
    python benchmarks/bench_web.py --quick   # the example casebook only

For each casebook (the shipped example; the synthetic Almere-scale casebook of
``bench_matching.py``: 500 candidates x 300 opportunities x 20 sponsors, written as case files)
the app is created as ``burgerbaan web`` creates it, a coordinator's session is started with the
token, every page is opened once (cold: the first request loads the casebook and builds the
matcher), then each page is timed over several warm requests through Flask's test client (the
whole request: session, permission check, stat scan of the casebook folder, view, template,
security headers; only the socket is left out). Next to each page stands its baseline: the
library call the page rests on, timed the same way in the same run, so the figures show what
the web layer adds. Targets (issue 10): every page under 150 ms, the round under 1.5 s.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "benchmarks")]

from toolkit.casebook import Casebook, load_casebook  # noqa: E402
from toolkit.casebook.alerts import alerts_on  # noqa: E402
from toolkit.casebook.public import public_view  # noqa: E402
from toolkit.i18n import use_language  # noqa: E402
from toolkit.web.app import create_app  # noqa: E402
from toolkit.web.store import fingerprint  # noqa: E402

PAGE_TARGET_MS = 150.0
ROUND_TARGET_MS = 1500.0
TOKEN = "bench-token"


def timed(action: Callable[[], Any], repeat: int) -> float:
    """The median of ``repeat`` runs of ``action``, in milliseconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def baselines(book: Casebook) -> dict[str, Callable[[], Any]]:
    """Per page, the library call it rests on (no HTTP, no session, no template)."""
    from toolkit.matching import Matcher, PersonOptions
    from toolkit.reports.matches import match_report
    from toolkit.reports.verslag import VerslagOptions, render_verslag

    matcher = Matcher(book)
    day = date.today()
    person = sorted(book.people)[0]
    candidates = matcher.candidate_ids()

    def round_report() -> Any:
        result = matcher.round("flow")
        return match_report(
            book,
            {pid: PersonOptions(pid, ()) for pid in candidates},
            round_result=result,
            intern=True,
            today=day,
        )

    found: dict[str, Callable[[], Any]] = {
        "people": lambda: sorted(p.id for p in book.people.values()),
        "person": lambda: (
            public_view(book, book.people[person], day.year),
            alerts_on(book, book.people[person], day),
        ),
        "opportunities": lambda: [book.open_slots(o) for o in sorted(book.opportunities)],
        "sponsors": lambda: [book.sponsor_years_left(s) for s in sorted(book.sponsors)],
        "options": lambda: match_report(
            book, {person: matcher.options(person, 3)}, intern=True, today=day, only=person
        ),
        "round": round_report,
    }
    if book.sessions:
        session = next(iter(book.sessions))
        found["session"] = lambda: render_verslag(book, session, VerslagOptions(format="md"))
    return found


def pages(book: Casebook) -> dict[str, str]:
    person = sorted(book.people)[0]
    found = {
        "people": "/mensen",
        "person": f"/mensen/{person}",
        "opportunities": "/plekken",
        "opportunity": f"/plekken/{sorted(book.opportunities)[0]}",
        "organisations": "/organisaties",
        "organisation": f"/organisaties/{sorted(book.organisations)[0]}",
        "sponsors": "/sponsors",
        "sponsor": f"/sponsors/{sorted(book.sponsors)[0]}",
        "sessions": "/bijeenkomsten",
        "options": f"/mensen/{person}/opties",
        "round": "/ronde",
        "round (stable)": "/ronde?method=stable",
        "start page": "/",
    }
    if book.sessions:
        found["session"] = f"/bijeenkomsten/{next(iter(book.sessions))}"
    # The coordinator's year (issue 12).
    placed = _placed(book)
    found.update(
        {
            "hours": f"/mensen/{placed}/uren",
            "to approve": "/uren",
            "payment lists": "/betaallijsten",
            "payment draft": f"/betaallijsten/{date.today():%Y-%m}",
            "sponsor stmt": f"/sponsors/{sorted(book.sponsors)[0]}/verklaring",
            "renewals": "/verlengingen",
        }
    )
    return found


def _placed(book: Casebook) -> str:
    return next(p.id for p in sorted(book.people.values(), key=lambda p: p.id) if p.placement)


def _place_one(root: Path) -> None:
    """The synthetic casebook has no placements: give its first candidate one, for the hours
    pages (written into the temporary copy only)."""
    from toolkit.casebook.placements import place

    book = load_casebook(root)
    person = sorted(p.id for p in book.candidates())[0]
    place_id = next(o for o in sorted(book.opportunities) if book.open_slots(o) > 0)
    today = date.today()
    place(root, person, place_id, by="bench", day=today, start=today.replace(day=1))


def bench_hours_check(book: Casebook, client: Any, repeat: int) -> None:
    """The check the hours form asks for as it is typed (htmx), next to the library's check."""
    import re

    from toolkit.casebook.statements import check_statement

    person = _placed(book)
    placement = book.people[person].placement
    assert placement is not None
    month = f"{placement.start:%Y-%m}"
    page = client.get(f"/mensen/{person}/uren").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert token is not None
    data = {"csrf_token": token.group(1), "month": month, "hours": "40", "amount": "250"}
    url = f"/mensen/{person}/uren/controle"
    assert client.post(url, data=data).status_code == 200
    warm = timed(lambda: client.post(url, data=data), repeat)
    with use_language("nl"):
        base = timed(lambda: check_statement(book, person, month, 40, 250), repeat)
    verdict = "ok" if warm < PAGE_TARGET_MS else "SLOWER"
    print(
        f"  {'hours check':<16}{'':>10}{warm:10.1f}{base:12.1f}  < {PAGE_TARGET_MS:.0f} {verdict}"
    )


def bench(name: str, root: Path, repeat: int) -> list[str]:
    problems = []
    book = load_casebook(root)
    app = create_app(root, token=TOKEN, use_accounts=False)
    client = app.test_client()
    assert client.get(f"/start?token={TOKEN}").status_code == 302
    print(f"\n{name}: {root}")
    print(
        f"  {len(book.people)} people, {len(book.opportunities)} opportunities, "
        f"{len(book.sponsors)} sponsors, {len(book.sessions)} sessions"
    )
    files = len(fingerprint(root))
    print(
        f"  stat scan of {files} files per request: {timed(lambda: fingerprint(root), 20):.2f} ms"
    )
    with use_language("nl"):
        library = {key: timed(call, max(3, repeat // 2)) for key, call in baselines(book).items()}
    print(f"  {'page':<16}{'cold ms':>10}{'warm ms':>10}{'library ms':>12}  target")
    for label, url in pages(book).items():
        start = time.perf_counter()
        response = client.get(url)
        cold = (time.perf_counter() - start) * 1000
        assert response.status_code == 200, (url, response.status_code)
        warm = timed(lambda url=url: client.get(url), repeat)
        target = ROUND_TARGET_MS if label.startswith("round") else PAGE_TARGET_MS
        base = library.get(label)
        shown_base = f"{base:12.1f}" if base is not None else f"{'':>12}"
        verdict = "ok" if warm < target else "SLOWER"
        print(f"  {label:<16}{cold:10.1f}{warm:10.1f}{shown_base}  < {target:.0f} {verdict}")
        if warm >= target:
            problems.append(f"{name} {label}: {warm:.0f} ms")
    bench_hours_check(book, client, repeat)
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="the example casebook only")
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    # A copy, because opening a person's page appends to the casebook's access log.
    with tempfile.TemporaryDirectory() as folder:
        example = Path(folder) / "cases"
        shutil.copytree(ROOT / "cases", example)
        problems = bench("example casebook", example, args.repeat)
    if not args.quick:
        from bench_matching import ALMERE, synthetic_casebook, write_casebook

        with tempfile.TemporaryDirectory() as folder:
            root = Path(folder) / "almere"
            write_casebook(synthetic_casebook(500, 300, 20, ALMERE, seed=11), root)
            _place_one(root)
            problems += bench("Almere scale (synthetic, 500 x 300 x 20)", root, args.repeat)
    if problems:
        print("\nOver target: " + "; ".join(problems))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
