"""Figures for the privacy guard: variants tried, leaks, false refusals.

    .venv/bin/python tools/privacy_attack.py [MATCHER_VARIANTS] [PER_OUTPUT]

1. MATCHER_VARIANTS disguised names, ids, phone numbers, e-mail addresses, BSNs and IBANs of the
   example casebook's people (tests/privacy/variants.py), each in a sentence and in four renderings
   (as written, HTML-escaped, Markdown-safe, in a table cell): a leak is a rendering the matcher
   finds nothing in.
2. PER_OUTPUT variants injected into a field that reaches each public output type, rendered with
   the guard on: a leak is an output that was written.
3. False refusals: every output type rendered from the unchanged example casebook.
"""

from __future__ import annotations

import html
import random
import shutil
import sys
import tempfile
from pathlib import Path

from tests.helpers import EXAMPLE_CASEBOOK, example_casebook
from tests.privacy.test_adversarial import OUTPUTS, inject, render
from tests.privacy.variants import sentence, variant
from toolkit.reports.environment import markdown_safe
from toolkit.reports.privacy import matcher_for


def main() -> int:
    matcher_variants = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
    per_output = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    book = example_casebook()
    matcher = matcher_for(book)
    rng = random.Random(20261201)
    tried = leaks = 0
    for _ in range(matcher_variants):
        found = variant(rng, book)
        text = sentence(rng, found.text)
        for shown in (
            text,
            html.escape(text),
            markdown_safe(text),
            f"<td>{html.escape(text)}</td>",
        ):
            tried += 1
            if not matcher.find(shown, unescaped=True):
                leaks += 1
                print(f"LEAK (matcher): {found.kind} {shown!r}")
    print(f"matcher: {tried} renderings of {matcher_variants} variants, leaks: {leaks}")

    outputs_tried = output_leaks = refusals = 0
    with tempfile.TemporaryDirectory() as folder:
        for name, args, relative, path in OUTPUTS:
            for _ in range(per_output):
                work = Path(tempfile.mkdtemp(dir=folder))
                shutil.copytree(EXAMPLE_CASEBOOK, work / "cases")
                found = variant(rng, book)
                inject(work / "cases", relative, path, sentence(rng, found.text))
                code, _output = render(work / "cases", args, work / name)
                outputs_tried += 1
                if code == 0:
                    output_leaks += 1
                    print(f"LEAK ({name}): {found.kind} {found.text!r}")
                shutil.rmtree(work)
            code, output = render(EXAMPLE_CASEBOOK, args, Path(folder) / f"clean-{name}")
            if code != 0:
                refusals += 1
                print(f"FALSE REFUSAL ({name}): {output}")
    types = len(OUTPUTS)
    print(f"outputs: {outputs_tried} variants over {types} output types, leaks: {output_leaks}")
    print(f"false refusals on the example casebook: {refusals} of {len(OUTPUTS)} output types")
    return 1 if leaks or output_leaks or refusals else 0


if __name__ == "__main__":
    raise SystemExit(main())
