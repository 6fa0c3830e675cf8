"""Editing a case file in place: comments, key order, quoting and layout stay as they were.

Case files are written by hand, with comments that explain them. A command that changes one
(``vergeet``) loads it with ruamel.yaml's round-trip mode and writes it back. Round-trip mode
keeps comments, order and quotes, but writes indentation, ``~`` and line width its own way;
:func:`load_editable` therefore tries the few layouts people use and keeps the one that gives
the file back byte for byte, so only what the command changes differs afterwards.
"""

from __future__ import annotations

import io
import itertools
import re
from dataclasses import dataclass
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap
from ruamel.yaml.constructor import RoundTripConstructor
from ruamel.yaml.representer import RoundTripRepresenter

from toolkit.casebook.yamlfile import CheckedParser

#: (mapping indent, sequence indent, dash offset) as people write them, most common first.
LAYOUTS: tuple[tuple[int, int, int], ...] = (
    (2, 2, 0),
    (2, 4, 2),
    (4, 4, 0),
    (4, 6, 4),
    (4, 4, 2),
    (2, 3, 1),
    (3, 3, 0),
    (3, 5, 2),
)
#: How a missing value is written: ``key: ~``, ``key:`` or ``key: null``.
NONE_STYLES = ("~", "", "null")
#: Never fold long lines: a line is as long as its author made it.
WIDTH = 1_000_000


@dataclass
class EditableYaml:
    """A loaded file and the writer that reproduces its layout.

    ``faithful`` is false when no known layout gives the file back exactly; writing it then
    changes layout (never content) in places the edit did not touch.
    """

    data: Any
    yaml: YAML
    faithful: bool

    def dump(self) -> str:
        return _dump(self.yaml, self.data)


def _writer(none_style: str, layout: tuple[int, int, int], explicit_start: bool) -> YAML:
    def represent_none(representer: RoundTripRepresenter, data: None) -> Any:
        return representer.represent_scalar("tag:yaml.org,2002:null", none_style)

    class Representer(RoundTripRepresenter):
        """A representer of its own, so that the None style is this writer's alone."""

    Representer.add_representer(type(None), represent_none)
    yaml = YAML(typ="rt", pure=True)
    yaml.Parser = CheckedParser
    yaml.Representer = Representer
    yaml.preserve_quotes = True
    yaml.width = WIDTH
    yaml.allow_duplicate_keys = False
    yaml.explicit_start = explicit_start
    mapping, sequence, offset = layout
    yaml.indent(mapping=mapping, sequence=sequence, offset=offset)
    return yaml


def _dump(yaml: YAML, data: Any) -> str:
    buffer = io.StringIO()
    yaml.dump(data, buffer)
    return buffer.getvalue()


def _none_styles(text: str) -> list[str]:
    """The styles to try, the one the file visibly uses first."""
    styles = list(NONE_STYLES)
    if re.search(r":[ \t]+null[ \t]*(#.*)?$", text, re.MULTILINE):
        styles.remove("null")
        styles.insert(0, "null")
    elif not re.search(r":[ \t]+~[ \t]*(#.*)?$", text, re.MULTILINE):
        styles.remove("")
        styles.insert(0, "")
    return styles


class _TextDates(RoundTripConstructor):
    """Dates stay text, as :func:`~toolkit.casebook.yamlfile.parse_yaml` reads them."""


_TextDates.add_constructor("tag:yaml.org,2002:timestamp", _TextDates.construct_yaml_str)


def load_roundtrip(text: str) -> Any:
    """``text`` (already checked by :func:`~toolkit.casebook.yamlfile.parse_yaml`) as round-trip
    data: mappings and lists that know the line and column of each item and their flow style,
    with the same values as ``parse_yaml`` gives. For reading positions only, never to dump."""
    yaml = YAML(typ="rt", pure=True)
    yaml.Parser = CheckedParser
    yaml.Constructor = _TextDates
    yaml.allow_duplicate_keys = False
    return yaml.load(text)


def load_editable(text: str) -> EditableYaml:
    """Load ``text`` (already checked by :func:`~toolkit.casebook.yamlfile.read_yaml` or
    :func:`~toolkit.casebook.yamlfile.parse_yaml`) for editing, with the writer that
    reproduces it."""
    explicit_start = text.lstrip().startswith("---")
    fallback: EditableYaml | None = None
    for none_style, layout in itertools.product(_none_styles(text), LAYOUTS):
        yaml = _writer(none_style, layout, explicit_start)
        data = yaml.load(text)
        if _dump(yaml, data) == text:
            return EditableYaml(data, yaml, faithful=True)
        if fallback is None:
            fallback = EditableYaml(data, yaml, faithful=False)
    assert fallback is not None
    return fallback


def new_editable() -> EditableYaml:
    """An empty mapping with the usual layout, for a file that does not exist yet."""
    return EditableYaml(CommentedMap(), _writer("~", LAYOUTS[0], explicit_start=False), True)
