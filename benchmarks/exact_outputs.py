"""Save, or compare bit for bit, the outputs of the scoring at scale on the benchmark casebooks.

A speed-up of the scoring must not change a single score: a sum added in another order can
change the last bit and move a fit across the rounding grid. Run on the old code first, then
on the new::

    python benchmarks/exact_outputs.py save edges10000 top20000 --to /tmp/exact
    python benchmarks/exact_outputs.py compare edges10000 top20000 --to /tmp/exact

``edgesN``: the round's edges (``candidate_edges`` within reach) of the N-candidate casebook of
``bench_round.py``; ``topN``: top-10 per person with sponsors and reach, as ``bench_matching.py
--only b`` at N people; ``allN``: every feasible pair and the top-10 without reach, Almere
districts. Each line gives the CPU time (minimum of ``--repeat`` runs) and the load.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_matching import ALMERE, synthetic_casebook, towns  # noqa: E402
from bench_round import cpu_best  # noqa: E402

from toolkit.matching import Matcher  # noqa: E402
from toolkit.matching.features import build_features  # noqa: E402
from toolkit.matching.ranking import feasible_pairs, top_pairs  # noqa: E402
from toolkit.matching.round import candidate_edges  # noqa: E402
from toolkit.matching.scores import choose_sponsors  # noqa: E402


def outputs(name: str, repeat: int) -> list[tuple[str, tuple[np.ndarray, ...], float]]:
    match = re.fullmatch(r"(edges|top|all)(\d+)", name)
    if match is None:
        raise SystemExit(f"unknown set {name!r}: edgesN, topN or allN")
    size = int(match.group(2))
    if name.startswith("edges"):
        book = synthetic_casebook(size, size // 2, 50, towns(max(60, size // 166), 7))
        matcher = Matcher(book)
        f = matcher.features
        ids = matcher.candidate_ids()
        rows = np.asarray(sorted(f.person_index[p] for p in ids), dtype=np.int64)
        edges, t = cpu_best(lambda: candidate_edges(f, rows, matcher.excluded, True), repeat)
        return [(name, edges, t)]
    if name.startswith("top"):
        book = synthetic_casebook(size, size // 2, 200, towns(size // 200, 5), seed=5)
        f = build_features(book)
        rows = np.arange(f.n_people)
        _choice, values = choose_sponsors(f, rows)
        reach = np.where(np.isnan(f.max_travel_km), 30.0, 2.0 * f.max_travel_km)
        found, t = cpu_best(
            lambda: top_pairs(f, rows, 10, person_values=values, reach_km=reach), repeat
        )
        return [(name, found, t)]
    book = synthetic_casebook(size, size // 2, 20, ALMERE, seed=3)
    f = build_features(book)
    rows = np.arange(f.n_people)
    pairs, t_pairs = cpu_best(lambda: feasible_pairs(f, rows), repeat)
    _choice, values = choose_sponsors(f, rows)
    found, t_top = cpu_best(lambda: top_pairs(f, rows, 10, person_values=values), repeat)
    return [(name, pairs, t_pairs), (name + "top", found, t_top)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("mode", choices=["save", "compare"])
    parser.add_argument("sets", nargs="+", help="edgesN, topN or allN, e.g. edges10000")
    parser.add_argument("--to", type=Path, required=True, help="folder of the saved outputs")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    args.to.mkdir(parents=True, exist_ok=True)
    different = False
    for name in args.sets:
        for label, arrays, seconds in outputs(name, args.repeat):
            path = args.to / f"{label}.npz"
            if args.mode == "save":
                np.savez(path, *arrays)
                status = "saved"
            else:
                with np.load(path) as old:
                    same = len(old.files) == len(arrays) and all(
                        old[f"arr_{i}"].dtype == a.dtype and np.array_equal(old[f"arr_{i}"], a)
                        for i, a in enumerate(arrays)
                    )
                different |= not same
                status = "equal bit for bit" if same else "DIFFERENT"
            load = os.getloadavg()[0]
            print(f"{label}: {seconds:.2f} s CPU (load {load:.1f}), {arrays[0].size:,}: {status}")
    if different:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
