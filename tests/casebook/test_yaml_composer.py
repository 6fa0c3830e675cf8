"""The reader's own composer gives the node tree ruamel.yaml's ``YAML(typ="safe").compose`` gives.

:func:`toolkit.casebook.yamlfile._compose` builds libyaml's loader from a class made once,
where ruamel.yaml makes the class anew for every document. Everything after composing (the
checks, the data, the lines in messages, the cache) reads the nodes, so they must be the same:
tags, values, styles and positions, and the same error for a broken document. The oracle is
ruamel.yaml itself, on the example casebook, on hand-picked documents and on generated ones.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from tests.helpers import EXAMPLE_CASEBOOK
from toolkit.casebook import yamlfile

pytestmark = pytest.mark.skipif(
    yamlfile._CParser is None, reason="ruamel.yaml.clib (libyaml) is not installed"
)


def shape(node: Node | None) -> Any:
    """Everything of a node tree that reading uses, as plain data."""
    if node is None:
        return None
    where = (node.start_mark.line, node.start_mark.column, node.end_mark.line)
    base = (type(node).__name__, str(node.tag), where)
    if isinstance(node, ScalarNode):
        return (*base, node.value, node.style)
    if isinstance(node, SequenceNode):
        return (*base, node.flow_style, [shape(item) for item in node.value])
    assert isinstance(node, MappingNode)
    return (*base, node.flow_style, [(shape(k), shape(v)) for k, v in node.value])


def ruamel_compose(text: str) -> Any:
    reader = YAML(typ="safe")
    reader.allow_duplicate_keys = False
    return shape(reader.compose(text))


def ours(text: str) -> Any:
    return shape(yamlfile._compose(yamlfile._yaml(), text))


def outcome(compose: Any, text: str) -> Any:
    try:
        return ("ok", compose(text))
    except Exception as exc:  # the oracle's error is what is compared
        return ("error", type(exc).__name__, str(exc))


DOCUMENTS = [
    "",
    "name: Jan\n",
    "a: yes\nb: no\nc: on\nd: 0o17\ne: 017\nf: 1_000\ng: .5\nh: .inf\ni: ~\nj: null\n",
    "%YAML 1.1\n---\na: yes\nb: 017\nc: 1:20\n",
    "%YAML 1.2\n---\na: yes\n",
    "d: 2026-12-01\nt: 2026-12-01 10:00:00\n",
    "a: 'quoted'\nb: \"double\"\nc: |\n  block\n  text\nd: >\n  folded\n",
    "list:\n- 1\n- [2, 3]\n- {x: 1}\n",
    "? complex\n: value\n",
    "a: 1\na: 2\n",
    "a: [1, 2\n",
    "a: b: c\n",
    "- a\n- b\n",
    "just text\n",
    "a: &x 1\nb: *x\n",
    "a: !!str 1\nb: !eigen x\n",
    "<<: {a: 1}\nb: =\n",
    "---\na: 1\n---\nb: 2\n",
    "a:\n  b:\n    c:\n      - d: 1\n",
]


@pytest.mark.parametrize("text", DOCUMENTS)
def test_same_nodes_or_same_error_as_ruamel_yaml(text: str) -> None:
    assert outcome(ours, text) == outcome(ruamel_compose, text)


def test_every_file_of_the_example_casebook_composes_alike() -> None:
    files = sorted(EXAMPLE_CASEBOOK.rglob("*.yaml"))
    assert len(files) > 20
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert ours(text) == ruamel_compose(text), path


SCALARS = st.one_of(
    st.sampled_from(["yes", "No", "on", "0o7", "07", "0x1F", "1_0", "1:30", "~", "", "=", ".5"]),
    st.text(alphabet="abn01:-.+ eE_xo~TtFf", max_size=8),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3),
        st.dictionaries(st.text(alphabet="abc", min_size=1, max_size=3), inner, max_size=3),
    ),
    max_leaves=12,
)


def render(value: Any, indent: int = 0) -> str:
    pad = " " * indent
    if isinstance(value, dict):
        if not value:
            return pad + "{}\n"
        return "".join(
            f"{pad}{key}:\n{render(item, indent + 2)}"
            if isinstance(item, dict | list) and item
            else f"{pad}{key}: {render(item).strip()}\n"
            for key, item in value.items()
        )
    if isinstance(value, list):
        if not value:
            return pad + "[]\n"
        return "".join(f"{pad}-\n{render(item, indent + 2)}" for item in value)
    return f"{pad}{value}\n"


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(value=VALUES, version=st.sampled_from(["", "%YAML 1.1\n---\n", "%YAML 1.2\n---\n"]))
@example(value={"a": "017", "b": "yes"}, version="%YAML 1.1\n---\n")
def test_generated_documents_compose_alike(value: Any, version: str) -> None:
    text = version + render(value)
    assert outcome(ours, text) == outcome(ruamel_compose, text)
