"""Benchmark: the coordinator's year on a copy of the example casebook.

Run from the repository root::

    python -m benchmarks.bench_year

Every write (a status step, a placement, an hours statement, a payment list) reads the casebook
inside the lock, edits one file and loads the whole casebook again to prove it is still valid.
The baseline, measured in the same run, is one plain ``load_casebook``: a write should cost about
two loads and little more. The sponsor statement (docx) is timed beside them.
"""

from __future__ import annotations

import datetime as dt
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from toolkit.casebook import load_casebook
from toolkit.casebook.path import set_status
from toolkit.casebook.payments import make_payment_list
from toolkit.casebook.placements import place
from toolkit.casebook.statements import approve_statement, record_statement
from toolkit.reports.sponsor_statement import sponsor_statement, sponsor_statement_docx

EXAMPLE = Path(__file__).resolve().parent.parent / "cases"
DAY = dt.date(2026, 12, 1)
ROUNDS = 5


def timed(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def one_round(folder: Path) -> dict[str, float]:
    root = folder / "cases"
    shutil.copytree(EXAMPLE, root)
    book = load_casebook(root)
    person = sorted(p.id for p in book.candidates())[0]
    times = {"load_casebook (baseline)": timed(lambda: load_casebook(root))}
    times["status voorgesteld"] = timed(
        lambda: set_status(root, person, "voorgesteld", by="bench", day=DAY)
    )
    times["plaats"] = timed(
        lambda: place(root, person, "voedselbank-uitgifte", by="bench", day=DAY)
    )
    times["uren"] = timed(lambda: record_statement(root, person, "2026-12", 30))
    times["uren-goedkeuren"] = timed(
        lambda: approve_statement(root, person, "2026-12", by="bench", day=DAY)
    )
    times["betaallijst"] = timed(lambda: make_payment_list(root, "2026-12", by="bench", day=DAY))
    book = load_casebook(root)
    times["sponsorverklaring docx"] = timed(
        lambda: sponsor_statement_docx(
            book, sponsor_statement(book, "bouwcombinatie-weerwater", 2026, DAY)
        )
    )
    return times


def main() -> None:
    results: dict[str, list[float]] = {}
    for _ in range(ROUNDS):
        with tempfile.TemporaryDirectory() as folder:
            for name, seconds in one_round(Path(folder)).items():
                results.setdefault(name, []).append(seconds)
    baseline = statistics.median(results["load_casebook (baseline)"])
    print(f"{'step':<26} {'median ms':>10} {'x load':>8}")
    for name, values in results.items():
        median = statistics.median(values)
        print(f"{name:<26} {median * 1000:>10.1f} {median / baseline:>8.2f}")


if __name__ == "__main__":
    main()
