"""Properties of the cache of parsed files: what a cached file tells is what the file tells."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from tests.casebook.test_cache import outcome
from tests.helpers import person, write_casebook
from toolkit.casebook.cache import ENV_SWITCH, json_faithful, lines_of
from toolkit.casebook.yamlfile import YamlProblem, line_in, line_map, parse_yaml

KEYS = st.sampled_from(["name", "a", "b", "1", "yes", "2024-01-01", "x y", "é"])
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=12),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(KEYS, inner, min_size=1, max_size=4)
    ),
    max_leaves=12,
)
DOCUMENTS = st.dictionaries(KEYS, VALUES, min_size=1, max_size=5)


def dumped(data: Any, flow: bool | None) -> str:
    yaml = YAML(typ="safe", pure=True)
    yaml.default_flow_style = flow
    from io import StringIO

    buffer = StringIO()
    yaml.dump(data, buffer)
    return buffer.getvalue()


def paths(data: Any, where: tuple[str | int, ...] = ()) -> Iterator[tuple[str | int, ...]]:
    yield (*where, "absent")
    yield (*where, 99)
    if isinstance(data, dict):
        for key, value in data.items():
            yield (*where, key)
            yield from paths(value, (*where, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield (*where, index)
            yield from paths(value, (*where, index))


@settings(max_examples=150, deadline=None)
@given(DOCUMENTS, st.sampled_from([None, False, True]))
@example({"a": [{"b": 1}, [2, 3]], "name": "x"}, False)
@example({"1": {"yes": [None]}}, None)
def test_lines_from_the_cache_are_the_lines_of_the_file(data: Any, flow: bool | None) -> None:
    try:
        document = parse_yaml(dumped(data, flow).encode("utf-8"), Path("x.yaml"))
    except YamlProblem:
        return  # refused files are never cached
    lines = lines_of(document.node, document.data)
    assert lines is not None
    mapped = line_map(document.data, lines)
    for loc in paths(document.data):
        assert line_in(mapped, loc) == document.line_of(loc), loc


@given(VALUES)
def test_json_faithful_means_json_gives_the_same_back(value: Any) -> None:
    import json

    if json_faithful(value):

        def typed(item: Any) -> Any:
            if isinstance(item, dict):
                return {k: typed(v) for k, v in item.items()}
            if isinstance(item, list):
                return [typed(v) for v in item]
            return (type(item).__name__, item)

        assert typed(json.loads(json.dumps(value))) == typed(value)


FIELDS = st.dictionaries(
    st.sampled_from(
        ["name", "birth_year", "district", "talents", "status", "wishes", "contact", "x", "id"]
    ),
    VALUES,
    max_size=3,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(FIELDS, st.sampled_from([None, False]))
@example({"birth_year": "1990"}, None)
@example({"name": "Voornaam Achternaam"}, None)
@example({"contact": {"phone": 612345678}}, False)
def test_loading_through_the_cache_equals_loading_without(
    fields: dict[str, Any], flow: bool | None
) -> None:
    """For any content of a person file: the first load (filling the cache), the second (from
    the cache) and a load with the cache off give the same records or the same problems."""
    with tempfile.TemporaryDirectory() as tmp:
        root = write_casebook(Path(tmp) / "cases", people={"bert-bos": person()})
        text = dumped({**person(), **fields}, flow)
        (root / "people" / "anna-de-vries.yaml").write_text(text, encoding="utf-8")
        os.environ[ENV_SWITCH] = "0"
        try:
            without = outcome(root)
        finally:
            del os.environ[ENV_SWITCH]
        assert outcome(root) == without
        assert outcome(root) == without


ODD_DOCUMENTS = [
    "a: 1\na: 2\n",
    "1: x\n1.0: y\n",
    "true: x\n1: y\n",
    "<<: {a: 1}\nb: 2\n",
    "b: 2\n<<: [{a: 1}, {c: 3}]\n",
    "=: x\n",
    "? [a, b]\n: c\n",
    "? {a: 1}\n: c\n",
    "d: 2024-02-30\nn: ~\nf: .inf\ng: -.nan\nh: 0o17\ni: 0x1F\nj: 1_000\nk: 'quoted'\n",
    "%YAML 1.1\n---\na: yes\nb: 010\n",
    "a: !!str 1\n",
]


@settings(max_examples=150, deadline=None)
@given(
    st.one_of(
        st.sampled_from(ODD_DOCUMENTS),
        st.builds(dumped, VALUES, st.sampled_from([None, False, True])),
    )
)
def test_the_quick_constructor_builds_what_ruamel_builds(text: str) -> None:
    """:func:`construct` gives the data (or the error) of ruamel.yaml's ``construct_document``."""
    from toolkit.casebook.yamlfile import _yaml, construct

    def build(use_quick: bool) -> Any:
        yaml = _yaml()
        try:
            node = yaml.compose(text)
            if node is None:
                return ("empty",)
            data = (
                construct(node, yaml.constructor)
                if use_quick
                else (yaml.constructor.construct_document(node))
            )
        except Exception as exc:  # the same failure is the promise
            return ("error", type(exc).__name__, str(exc))
        return ("data", repr(data))

    assert build(True) == build(False)
