"""``burgerbaan --help``, ``--version`` and ``check`` start without the heavy libraries.

Each runs as a real process (the console entry point, as a user starts it), then reports which
top-level modules it holds. A module imported at the top of a shared module (the package
``__init__``, the options, the error handler) shows up here, whatever the machine's speed.
"""

from __future__ import annotations

import gc
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.helpers import EXAMPLE_CASEBOOK
from toolkit.cli import main

#: Used by some commands, never by listing them or checking a casebook.
HEAVY = {
    "sklearn",
    "scipy",
    "numpy",
    "docx",
    "matplotlib",
    "openpyxl",
    "ortools",
    "networkx",
    "flask",
    "jinja2",
    "markdown",
    "PIL",
}
#: What the casebook model needs: not imported until a casebook is read.
MODEL = {"pydantic", "pydantic_core", "ruamel", "phonenumbers", "confusable_homoglyphs", "babel"}
#: What finds a person's name, number or account in a text (the privacy guard, erasure): not
#: needed to read a casebook or to show the matcher's internal table.
IDENTIFIERS = {"phonenumbers", "confusable_homoglyphs", "stdnum"}

RUN = """
import json, runpy, sys
sys.argv = ["burgerbaan", *json.loads(sys.argv[1])]
try:
    runpy.run_module("toolkit", run_name="__main__")
except SystemExit:
    pass
sys.stderr.write("MODULES " + json.dumps(sorted({m.split(".")[0] for m in sys.modules})) + "\\n")
import gc
sys.stderr.write(f"FROZEN {gc.get_freeze_count()}\\n")
if "numpy" in sys.modules:
    from threadpoolctl import threadpool_info
    pools = [p["num_threads"] for p in threadpool_info() if p["internal_api"] == "openblas"]
    sys.stderr.write("BLAS " + json.dumps(pools) + "\\n")
"""


def loaded_by(*args: str, cache: Path) -> set[str]:
    """The modules of a second run: the first one compiles the Dutch catalogues (with Babel)
    and keeps them in ``cache``, as a user's first start does, once per version."""
    return set(json.loads(report_of(*args, cache=cache, key="MODULES")))


def report_of(*args: str, cache: Path, key: str, env: dict[str, str] | None = None) -> str:
    for _run in range(2):
        done = subprocess.run(
            [sys.executable, "-c", RUN, json.dumps(list(args))],
            capture_output=True,
            text=True,
            check=True,
            env={
                "BURGERBAAN_LANG": "nl",
                "PATH": "/usr/bin:/bin",
                "XDG_CACHE_HOME": str(cache),
                **(env or {}),
            },
        )
    line = [row for row in done.stderr.splitlines() if row.startswith(key + " ")]
    assert line, done.stderr
    return line[-1].removeprefix(key + " ")


@pytest.mark.parametrize("option", ["--help", "--version"])
def test_help_and_version_import_neither_the_heavy_libraries_nor_the_model(
    option: str, tmp_path: Path
) -> None:
    loaded = loaded_by(option, cache=tmp_path / "cache")
    assert "toolkit" in loaded and "click" in loaded  # the run itself worked
    assert loaded & (HEAVY | MODEL) == set()


def test_check_imports_the_model_but_no_heavy_library(tmp_path: Path) -> None:
    casebook = tmp_path / "cases"
    shutil.copytree(EXAMPLE_CASEBOOK, casebook)
    loaded = loaded_by("check", str(casebook), cache=tmp_path / "cache")
    assert "pydantic" in loaded  # it did read the casebook
    assert loaded & HEAVY == set()
    assert loaded & IDENTIFIERS == set()


def test_the_internal_round_imports_the_matcher_but_not_the_privacy_guard(tmp_path: Path) -> None:
    casebook = tmp_path / "cases"
    shutil.copytree(EXAMPLE_CASEBOOK, casebook)
    loaded = loaded_by("match", str(casebook), "--round", "--intern", cache=tmp_path / "cache")
    assert {"numpy", "scipy", "ortools"} <= loaded  # the round did run
    assert loaded & (IDENTIFIERS | {"docx", "jinja2", "markdown", "matplotlib", "sklearn"}) == set()


def test_a_command_line_process_freezes_its_imports_and_its_casebook(tmp_path: Path) -> None:
    # What the imports built, and then the casebook read, are taken out of the cycle
    # collector's way (toolkit.cli.process): in a process of the command's own.
    casebook = tmp_path / "cases"
    shutil.copytree(EXAMPLE_CASEBOOK, casebook)
    frozen = int(report_of("check", str(casebook), cache=tmp_path / "cache", key="FROZEN"))
    assert frozen > 10_000


def test_a_command_run_in_process_leaves_the_collector_alone(tmp_path: Path) -> None:
    # Objects frozen are never freed: a caller's process (tests, another program) lives on.
    casebook = tmp_path / "cases"
    shutil.copytree(EXAMPLE_CASEBOOK, casebook)
    before = gc.get_freeze_count()
    result = CliRunner().invoke(main, ["check", str(casebook)])
    assert result.exit_code == 0, result.output
    assert gc.get_freeze_count() == before


@pytest.mark.parametrize(("given", "expected"), [(None, 1), ("2", 2)])
def test_openblas_runs_one_thread_unless_the_user_says_otherwise(
    given: str | None, expected: int, tmp_path: Path
) -> None:
    """Each OpenBLAS copy (numpy's, SciPy's) starts its threads as it loads: the command must
    set the default before anything loads numpy, or the pools cost CPU time for nothing."""
    casebook = tmp_path / "cases"
    shutil.copytree(EXAMPLE_CASEBOOK, casebook)
    env = {} if given is None else {"OPENBLAS_NUM_THREADS": given}
    report = report_of("match", str(casebook), "--round", cache=tmp_path, key="BLAS", env=env)
    pools = json.loads(report)
    assert pools  # numpy's OpenBLAS at least was loaded
    assert pools == [expected] * len(pools)
