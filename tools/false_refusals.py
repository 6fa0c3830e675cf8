"""Render every public output type of a casebook and count the privacy guard's refusals.

    .venv/bin/python tools/false_refusals.py [cases]

On the example casebook, whose public texts hold no person, every refusal is a false one: the
figure for the closing note of the privacy issue is the number printed last (0 when all is well).
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

OUTPUTS: list[tuple[str, ...]] = [
    ("verslag", "dialoogavond-4", "--format", "md"),
    ("verslag", "dialoogavond-4", "--format", "html"),
    ("verslag", "dialoogavond-4", "--format", "docx"),
    ("qa", "--format", "md"),
    ("qa", "--format", "html"),
    ("casussen", "--format", "md", "--select", "4"),
    ("casussen", "--format", "html", "--select", "4"),
    ("casussen", "--format", "docx", "--select", "4"),
    ("overzicht", "--format", "md"),
    ("overzicht", "--format", "html"),
    ("kaart", "--format", "svg"),
    ("kaart", "--format", "html"),
    ("kaart", "--format", "graphml"),
    ("kaart", "--format", "gexf"),
    ("match", "--format", "md"),
    ("match", "--format", "html"),
    ("match", "--format", "csv"),
    ("match", "--format", "json"),
    ("match", "--round", "--format", "md"),
]


def main() -> int:
    casebook = Path(sys.argv[1] if len(sys.argv) > 1 else "cases")
    refusals = 0
    with tempfile.TemporaryDirectory() as folder:
        for number, command in enumerate(OUTPUTS):
            out = Path(folder) / f"out-{number}"
            args = [sys.executable, "-m", "toolkit", *command, str(casebook), "--out", str(out)]
            done = subprocess.run(args, capture_output=True, text=True, check=False)
            status = "ok" if done.returncode == 0 else "REFUSED"
            if done.returncode:
                refusals += 1
            print(f"{status:8} {' '.join(command)}")
            if done.returncode:
                print("   " + done.stderr.strip().replace("\n", "\n   "))
    print(f"outputs: {len(OUTPUTS)}, refusals: {refusals}")
    return 1 if refusals else 0


if __name__ == "__main__":
    raise SystemExit(main())
