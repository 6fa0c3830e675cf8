"""What a YAML parser's complaint means for someone who edits a case file by hand, and the fix.

The parser reports in its own terms ("mapping values are not allowed here"); a coordinator needs
to hear that a sentence with a colon must go between quotes. Each explanation names what is on
the line and what to type instead; the line itself is named by the caller (file and line).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from toolkit.i18n import _

_DUPLICATE = re.compile(r'duplicate key "(?P<key>[^"]*)"')
_FIELD = re.compile(r"^(?P<indent>\s*)(?P<dash>-\s+)?(?P<key>[^\s:#'\"][^:#]*?):\s+(?P<value>.*)$")


@dataclass(frozen=True)
class Explanation:
    message: str
    line: int | None


def _line_text(text: str, line: int | None) -> str:
    lines = text.splitlines()
    return lines[line - 1] if line is not None and 0 < line <= len(lines) else ""


def _line(mark: Any) -> int | None:
    return int(mark.line) + 1 if mark is not None else None


def _quoted(value: str) -> str:
    """``value`` as it would be written between quotes: double, unless it holds a double quote."""
    value = value.strip()
    if '"' in value:
        return "'" + value.replace("'", "''") + "'"
    return '"' + value + '"'


def explain(exc: Any, text: str) -> Explanation:
    """A plain Dutch (or English) explanation of the parser error ``exc`` in ``text``."""
    problem = str(getattr(exc, "problem", "") or "")
    context = str(getattr(exc, "context", "") or "")
    line = _line(getattr(exc, "problem_mark", None)) or _line(getattr(exc, "context_mark", None))
    start = _line(getattr(exc, "context_mark", None)) or line
    content = _line_text(text, line)

    if "duplicate key" in problem:
        match = _DUPLICATE.search(problem)
        return Explanation(
            _(
                "The field '{key}' appears twice in the same place. Remove one of the two, or "
                "merge them into one."
            ).format(key=match.group("key") if match else "?"),
            line,
        )
    if "mapping values are not allowed" in problem:
        field = _FIELD.match(content)
        if field is not None and ":" in field.group("value"):
            example = f"{field.group('key')}: {_quoted(field.group('value'))}"
            return Explanation(
                _(
                    "There is a colon (:) in the text of a field, so the rest reads as a new "
                    "field. Put the whole text between quotes, like this: {example}"
                ).format(example=example),
                line,
            )
        return Explanation(
            _(
                "This line is indented further than the field above it. Fields at the same "
                "level start at exactly the same column (use spaces); a field that belongs under "
                "another goes on its own line, two spaces further in."
            ),
            line,
        )
    if "sequence entries are not allowed" in problem:
        return Explanation(
            _(
                "A dash (-) starts a list item, but here it follows a field on the same line. "
                "Put each item on its own line under the field, indented with spaces, or put the "
                "text between quotes."
            ),
            line,
        )
    if "end of stream" in problem and "quoted scalar" in context:
        return Explanation(
            _(
                "A quotation mark (\" or ') opens a text here but is never closed. Put the same "
                "quotation mark at the end of the text."
            ),
            start,
        )
    if "could not find expected ':'" in problem:
        return Explanation(
            _(
                "The colon after the field name is missing: write field: value. If a text goes "
                "on over the next line, indent that line or put the text between quotes."
            ),
            start,
        )
    if re.search(r"expected ',' or '\]'", problem):
        return Explanation(
            _(
                "A list between [ and ] is not closed properly: separate the items with commas "
                "and end with ]. Put an item with a colon or quotation mark between quotes."
            ),
            line,
        )
    if re.search(r"expected ',' or '\}'", problem):
        return Explanation(
            _(
                "A group between {{ and }} is not closed properly: separate the parts with "
                "commas and end with }}."
            ).format(),
            line,
        )
    if "cannot start any token" in problem:
        column = int(getattr(getattr(exc, "problem_mark", None), "column", -1))
        character = content[column] if 0 <= column < len(content) else ""
        if character == "\t" or "\\t" in problem:
            return Explanation(_("There is a tab on this line; use spaces instead."), line)
        return Explanation(
            _(
                "A value cannot begin with {character}. Put the value between quotes, like "
                'this: "{character}..."'
            ).format(character=character or "@"),
            line,
        )
    if "unknown escape character" in problem:
        return Explanation(
            _(
                "Between double quotes a backslash (\\) has a special meaning. Use single "
                "quotes instead, like this: 'C:\\map'."
            ),
            line,
        )
    if "expected <block end>" in problem or "did not find expected key" in problem:
        stripped = content.lstrip()
        if stripped.startswith("-"):
            return Explanation(
                _(
                    "A list item (- ...) stands where a field belongs. Put it under the field "
                    "it belongs to, indented further than that field."
                ),
                line,
            )
        if re.search(r":\s*[\"'][^\"']*[\"']\s*\S", content):
            return Explanation(
                _(
                    "There is more text after the closing quotation mark. Put the whole text "
                    "between quotes; use single quotes around a text that holds double ones."
                ),
                line,
            )
        return Explanation(
            _(
                "The indentation does not match: fields at the same level start at exactly "
                "the same column (use spaces). Compare this line with the lines above it."
            ),
            line,
        )
    return Explanation(
        _(
            "This line cannot be read. Check the indentation (spaces, no tabs), the colon "
            "after each field name, and that every quotation mark is closed."
        ),
        line,
    )
