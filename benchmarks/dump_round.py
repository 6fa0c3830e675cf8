"""Dump every output of the round (and of the top options) to JSON, to compare bit for bit.

Run from the repository root::

    python benchmarks/dump_round.py OUT_DIR            # example casebook, 2k and 10k
    python benchmarks/dump_round.py OUT_DIR --quick    # example casebook and 2k only

Writes one file per (casebook, language, output) to ``OUT_DIR``. A speed-up of the round's
explanations or sponsor stage must leave every file byte-identical (``cmp`` or ``diff -r``).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_matching import synthetic_casebook, towns  # noqa: E402

from toolkit.casebook import load_casebook  # noqa: E402
from toolkit.casebook.casebook import Casebook  # noqa: E402
from toolkit.i18n import use_language  # noqa: E402
from toolkit.matching import Matcher  # noqa: E402


def plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, tuple | list):
        return [plain(v) for v in value]
    if isinstance(value, float):
        return repr(value)  # exact, and nan stays comparable
    return value


def exclusions(book: Casebook, every: int) -> list[tuple[str, str]]:
    """Declined pairs that matter: every ``every``-th proposal of the round without them,
    and every place for the first three people (so they have no option at all)."""
    proposals = Matcher(book).round("flow").proposals
    pairs = [(o.person_id, o.opportunity_id) for o in proposals[::every]]
    people = sorted(book.people)[:3]
    return pairs + [(p, o) for p in people for o in sorted(book.opportunities)]


def scarce(book: Casebook) -> Casebook:
    """Few places, and the first sponsor without a whole year left (no budget)."""
    first = sorted(book.sponsors)[0]
    book.sponsors[first] = book.sponsors[first].model_copy(update={"budget_person_years": 0.5})
    return book


def dump(out: Path, quick: bool) -> None:
    out.mkdir(parents=True, exist_ok=True)
    books: list[tuple[str, Casebook, bool]] = [
        ("cases", load_casebook(ROOT / "cases"), True),
        ("2k", synthetic_casebook(2_000, 1_000, 20, towns(30, 5), seed=2), True),
        ("scarce", scarce(synthetic_casebook(400, 30, 2, towns(10, 3), seed=4)), True),
        ("nosponsor", synthetic_casebook(300, 60, 0, towns(10, 3), seed=5), True),
    ]
    if not quick:
        books.append(("10k", synthetic_casebook(10_000, 5_000, 50, towns(60, 7)), False))
    for name, book, options in books:
        for language in ("nl", "en"):
            with use_language(language):
                for declined in (False, True):
                    pairs = exclusions(book, 3) if declined else []
                    matcher = Matcher(book, pairs)
                    tag = f"{name}-{language}{'-declined' if declined else ''}"
                    methods = ("flow", "stable") if name != "10k" else ("flow",)
                    for method in methods:
                        result = matcher.round(method)  # type: ignore[arg-type]
                        write(out / f"{tag}-round-{method}.json", plain(result))
                    if options:
                        write(out / f"{tag}-options.json", plain(matcher.all_options(top=3)))
                    # The exact round above the limit as well (prune off / on).
                    if name == "2k" and not declined:
                        small = Matcher(book, pairs, exact_limit=500)
                        write(out / f"{tag}-round-pruned.json", plain(small.round("flow")))
                        write(out / f"{tag}-options-pruned.json", plain(small.all_options(top=2)))
                    if name == "10k":
                        break


def write(path: Path, data: Any) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=0, sort_keys=True) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out", type=Path)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    dump(args.out, args.quick)


if __name__ == "__main__":
    main()
