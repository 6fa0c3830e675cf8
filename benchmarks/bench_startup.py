"""Benchmark of start-up and of loading a casebook, each figure next to a peer from the same run.

Run from the repository root::

    python benchmarks/bench_startup.py            # 7 runs per process figure
    python benchmarks/bench_startup.py --runs 3   # quicker

Prints, in one run:

(p) ``python -c pass``: the floor any new process stands on;
(h) ``burgerbaan --help`` and ``--version`` as new processes, next to that floor and to a process
    that imports every command module first (the old start-up);
(c) ``burgerbaan check`` on a copy of the example casebook, with the cache of parsed files and
    with it switched off (``BURGERBAAN_CACHE=0``);
(a) the Almere-scale round (500 x 300 x 20, ``match --round --intern``) as a new process: with
    nothing changed since the last run (the cache holds every file), with one file edited before
    each run, as a first run (the cache removed before each run, so every file is parsed and the
    cache written), and with the cache off; and where the time of the warm process goes
    (imports, loading, the round). ``--intern``: the public table of synthetic people is refused
    by the privacy guard (the synthetic names are numbered, and those numbers are found in it),
    which would end the run before the round is rendered;
(l) loading in this process: from the cache, without it, next to the bare parse of the same
    921 files by ruamel.yaml's C loader and the bare ``json.loads`` of the cache file;
(i) the Almere round in this process, loading included, with the cache.

Process figures are the CPU time of the child (user + system), the minimum of several runs: on
a machine shared with others the wall time mostly measures the neighbours. Wall times are
printed beside them for reference.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_matching import ALMERE, synthetic_casebook, write_casebook  # noqa: E402

BIN = Path(sys.executable).parent / "burgerbaan"
EAGER = (
    "import importlib, pkgutil, toolkit.cli as c;"
    "[importlib.import_module('toolkit.cli.' + m.name) for m in pkgutil.iter_modules(c.__path__)"
    " if m.name.endswith('_commands')]"
)
PHASES = """
import resource, sys
from pathlib import Path
def cpu():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime
start = cpu()
import toolkit.cli.match_commands, toolkit.reports.matchrun, toolkit.reports.documents
from toolkit.i18n import _
_("x")
imported = cpu()
from toolkit.casebook import load_casebook
from toolkit.matching import Matcher
book = load_casebook(Path(sys.argv[1]))
loaded = cpu()
Matcher(book).round()
done = cpu()
print(imported, loaded - imported, done - loaded)
"""


def child_cpu(args: list[str], env: dict[str, str], before: Callable[[], None] | None) -> tuple:
    if before is not None:
        before()
    start_usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(args, check=True, capture_output=True, env=env)
    wall = time.perf_counter() - start
    end_usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (end_usage.ru_utime - start_usage.ru_utime) + (end_usage.ru_stime - start_usage.ru_stime)
    return cpu, wall


def process(
    args: list[str],
    runs: int,
    *,
    env: dict[str, str] | None = None,
    before: Callable[[], None] | None = None,
) -> tuple[float, float]:
    """The fastest of ``runs`` new processes: (CPU seconds, wall seconds)."""
    environment = {**os.environ, "BURGERBAAN_LANG": "nl", **(env or {})}
    results = [child_cpu(args, environment, before) for _ in range(runs)]
    return min(r[0] for r in results), min(r[1] for r in results)


def best(fn: Callable[[], Any], runs: int) -> float:
    fastest = float("inf")
    for _ in range(runs):
        start = time.process_time()
        fn()
        fastest = min(fastest, time.process_time() - start)
    return fastest


def line(label: str, figure: tuple[float, float], peer_label: str, peer: float, goal: str) -> None:
    cpu, wall = figure
    print(
        f"{label:<44} {cpu:6.3f} s (wall {wall:5.2f})  {peer_label}: {peer:6.3f} s, "
        f"{peer / cpu if cpu else float('inf'):4.1f}x   goal {goal}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=7)
    runs = parser.parse_args().runs
    off = {"BURGERBAAN_CACHE": "0"}

    floor = process([sys.executable, "-c", "pass"], runs)
    eager = process([sys.executable, "-c", EAGER], max(3, runs // 2))
    print(f"(p) python -c pass{'':<27} {floor[0]:6.3f} s (wall {floor[1]:5.2f})")
    print(f"    every command module imported{'':<12} {eager[0]:6.3f} s (the old start-up)")
    for option in ("--help", "--version"):
        figure = process([str(BIN), option], runs)
        line(f"(h) burgerbaan {option}", figure, "old start-up", eager[0], "< 0.25 s")
        print(
            f"{'':<48}python -c pass is {floor[0]:.3f} s: {figure[0] / max(floor[0], 1e-3):.1f}x it"
        )

    with tempfile.TemporaryDirectory() as tmp:
        cases = Path(tmp) / "cases"
        shutil.copytree(ROOT / "cases", cases)
        subprocess.run([str(BIN), "check", str(cases)], capture_output=True, check=False)
        warm = process([str(BIN), "check", str(cases)], runs)
        cold = process([str(BIN), "check", str(cases)], runs, env=off)
        line("(c) burgerbaan check (example), cached", warm, "cache off", cold[0], "< 0.8 s")

        almere = Path(tmp) / "almere"
        write_casebook(synthetic_casebook(500, 300, 20, ALMERE, seed=3), almere)
        files = sorted(almere.glob("*/*.yaml"))
        args = [str(BIN), "match", str(almere), "--round", "--intern"]
        subprocess.run(args, capture_output=True, check=True)
        unchanged = process(args, runs)
        cache_file = almere / ".burgerbaan" / "cache" / "parsed.json"

        def drop() -> None:
            cache_file.unlink(missing_ok=True)

        edited_file = next(p for p in files if p.parent.name == "people")
        original = edited_file.read_text(encoding="utf-8")
        edits = iter(range(10**6))

        def edit_one() -> None:
            edited_file.write_text(original + f"# edit {next(edits)}\n", encoding="utf-8")

        one_edited = process(args, runs, before=edit_one)
        changed = process(args, max(3, runs // 2), before=drop)
        uncached = process(args, max(3, runs // 2), env=off)
        print(f"(a) Almere round 500 x 300 x 20, {len(files)} files, new process:")
        line(
            "    nothing changed (all from the cache)",
            unchanged,
            "cache off",
            uncached[0],
            "< 1.0 s",
        )
        line(
            "    one file edited (parse it, write cache)",
            one_edited,
            "cache off",
            uncached[0],
            "",
        )
        line(
            "    first run (parse all, write cache)",
            changed,
            "cache off",
            uncached[0],
            "< 1.5 s",
        )
        phases = [
            subprocess.run(
                [sys.executable, "-c", PHASES, str(almere)],
                capture_output=True,
                text=True,
                check=True,
                env={**os.environ, "BURGERBAAN_LANG": "nl"},
            ).stdout.split()
            for _ in range(max(3, runs // 2))
        ]
        imports, load, rounds = (min(float(p[i]) for p in phases) for i in range(3))
        print(
            f"    where the warm process goes: imports {imports:.3f} s, loading {load:.3f} s, "
            f"features and round {rounds:.3f} s (rest: rendering, exit)"
        )

        from ruamel.yaml import YAML

        from toolkit.casebook import load_casebook
        from toolkit.matching import Matcher

        load_casebook(almere)
        cached_load = best(lambda: load_casebook(almere), runs)
        os.environ["BURGERBAAN_CACHE"] = "0"
        try:
            plain_load = best(lambda: load_casebook(almere), max(3, runs // 2))
        finally:
            del os.environ["BURGERBAAN_CACHE"]
        reader = YAML(typ="safe")
        texts = [p.read_bytes() for p in files]
        bare_parse = best(lambda: [reader.load(t) for t in texts], max(3, runs // 2))
        raw = cache_file.read_bytes()
        bare_json = best(lambda: json.loads(raw), runs)
        print("(l) loading the Almere casebook in this process:")
        line(
            "    from the cache (read, hash, validate, check)",
            (cached_load, cached_load),
            "cache off",
            plain_load,
            "",
        )
        print(
            f"{'':<48}bare ruamel.yaml C-loader parse of the same files {bare_parse:.3f} s "
            f"({bare_parse / cached_load:.1f}x the cached load); bare json.loads of the "
            f"cache ({len(raw) // 1024} kB) {bare_json:.3f} s"
        )
        in_process = best(lambda: Matcher(load_casebook(almere)).round(), runs)
        loaded = load_casebook(almere)
        round_only = best(lambda: Matcher(loaded).round(), runs)
        line(
            "(i) Almere round in this process, load incl.",
            (in_process, in_process),
            "without the cache",
            plain_load + round_only,
            "< 0.5 s",
        )
        print(f"{'':<48}features and round alone {round_only:.3f} s")


if __name__ == "__main__":
    main()
