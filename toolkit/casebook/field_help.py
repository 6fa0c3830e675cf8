"""The help text of each field: the Dutch comments of the starter files of ``burgerbaan new``.

The starter files explain every field in a comment beside it; the forms of the web app show the
same words, read from the same templates, so the two never drift apart. A comment that goes on
on the next line (``#   inburgering, ...``) belongs to the field above it; a field that is
commented out in the starter (``# sroi_obligation: 100000   # SROI-verplichting ...``) still
gives its help.
"""

from __future__ import annotations

import functools
import re

from toolkit.paths import templates_dir

#: ``key: value   # comment`` (the value and the comment both optional).
_KEY_LINE = re.compile(r"^(?P<indent> *)(?P<key>[a-z_]+):(?P<rest>.*)$")
#: A comment that continues the one on the line above: indented, then ``#`` and more spaces.
_CONTINUATION = re.compile(r"^ +# {2,}(?P<text>\S.*)$")


@functools.cache
def starter_help(kind: str) -> dict[str, str]:
    """Help per field path (``contact.phone``) from the starter file of ``kind`` (``person``);
    empty for a kind without a starter file."""
    path = templates_dir() / "new" / f"{kind}.yaml.j2"
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    return parse_help(text)


def parse_help(text: str) -> dict[str, str]:
    helps: dict[str, str] = {}
    stack: list[tuple[int, str]] = []
    last: str | None = None
    for line in text.splitlines():
        continued = _CONTINUATION.match(line)
        if continued and last is not None:
            helps[last] = f"{helps.get(last, '')} {continued.group('text').strip()}".strip()
            continue
        body = line
        if body.startswith("#"):
            # A field the starter leaves commented out: "# key: value  # help".
            body = body[1:]
            body = body[1:] if body.startswith(" ") else body
        match = _KEY_LINE.match(body)
        if not match:
            last = None
            continue
        indent = len(match.group("indent"))
        while stack and stack[-1][0] >= indent:
            stack.pop()
        stack.append((indent, match.group("key")))
        field = ".".join(key for _indent, key in stack)
        last = field
        comment = _comment(match.group("rest"))
        if comment:
            helps[field] = comment
    return helps


def _comment(rest: str) -> str:
    """The comment after a value, outside quotes."""
    quote: str | None = None
    for index, char in enumerate(rest):
        if quote:
            if char == quote:
                quote = None
        elif char in "\"'":
            quote = char
        elif char == "#" and (index == 0 or rest[index - 1].isspace()):
            return rest[index + 1 :].strip()
    return ""


def help_for(kind: str, field: str) -> str:
    """The help of ``field``, or of the group it belongs to (``hours_per_week`` for
    ``hours_per_week.min``)."""
    helps = starter_help(kind)
    parts = field.split(".")
    while parts:
        found = helps.get(".".join(parts))
        if found:
            return found
        parts.pop()
    return ""
