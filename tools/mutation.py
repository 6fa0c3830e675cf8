"""The runner the hand mutation scripts share (tools/mutate_*.py): each mutant is one exact
text replacement in one file, run against the given tests, the file restored after it.

``python tools/mutate_X.py [words]`` runs only the mutants whose name holds one of the words;
``PYTHON`` names the interpreter (default ``.venv/bin/python``)."""

import os
import pathlib
import subprocess
import sys

Mutant = tuple[str, str, str, str]  # file, name, text to replace, replacement


def run_mutants(mutants: list[Mutant], tests: list[str], timeout: int = 900) -> None:
    python = os.environ.get("PYTHON", ".venv/bin/python")
    chosen = sys.argv[1:]
    results = []
    for file, name, old, new in mutants:
        if chosen and not any(word in name for word in chosen):
            continue
        path = pathlib.Path(file)
        original = path.read_text()
        if original.count(old) != 1:
            results.append((name, f"NOT APPLIED ({original.count(old)})"))
            print(f"{results[-1][1]:12} {name}", flush=True)
            continue
        path.write_text(original.replace(old, new))
        try:
            run = subprocess.run(
                [python, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider", *tests],
                capture_output=True,
                text=True,
                timeout=timeout,
            )
            results.append((name, "killed" if run.returncode else "SURVIVED"))
        finally:
            path.write_text(original)
        print(f"{results[-1][1]:12} {name}", flush=True)
    print()
    for name, outcome in results:
        print(f"{outcome:12} {name}")
