"""The loader meets broken and hostile files: a casebook or a CasebookError, nothing else."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.fuzz.strategies import damages, fuzzed_casebook, raw_bytes, yaml_like_text
from toolkit.casebook import load_casebook
from toolkit.casebook.yamlfile import YamlProblem, read_yaml
from toolkit.errors import CasebookError

FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _read(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "x.yaml"
        path.write_bytes(data)
        try:
            document = read_yaml(path)
        except YamlProblem as exc:
            assert str(exc.problem.file) == str(path)
            assert exc.problem.message.strip()
        else:
            assert hasattr(document.data, "items")


@FUZZ
@given(raw_bytes)
def test_read_yaml_bytes(data: bytes) -> None:
    _read(data)


@FUZZ
@given(yaml_like_text)
def test_read_yaml_text(text: str) -> None:
    _read(text.encode("utf-8", "surrogatepass"))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.none(), damages))
def test_load_casebook(damage: tuple[str, Any] | None) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = fuzzed_casebook(Path(folder) / "cases", damage)
        try:
            book = load_casebook(root)
        except CasebookError as exc:
            assert exc.problems, "a CasebookError lists at least one problem"
            for problem in exc.problems:
                assert problem.message.strip()
        else:
            assert "anna-de-vries" in book.people or damage is not None
