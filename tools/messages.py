"""Keep the Dutch message catalogues in step with the source.

    python tools/messages.py update   # add new messages (empty) to each catalogue, drop gone ones
    python tools/messages.py missing  # list messages without a Dutch translation; exit 1 if any

Each part of the toolkit has its own catalogue (``toolkit/locale/nl/LC_MESSAGES/<part>.po``),
so that parts are translated independently. The source language is English.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_file
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
LOCALE = ROOT / "toolkit" / "locale" / "nl" / "LC_MESSAGES"
KEYWORDS = {"_": None, "ngettext": (1, 2), "gettext": None}

#: Which sources feed which catalogue; a source belongs to the first part that claims it.
PARTS: dict[str, list[str]] = {
    "cli": ["toolkit/cli/**/*.py"],
    "matching": ["toolkit/matching/**/*.py"],
    "reports": ["toolkit/reports/**/*.py", "templates/**/*.j2", "templates/**/*.html"],
    "casebook": ["toolkit/**/*.py"],
}


def sources() -> Iterator[tuple[str, Path]]:
    claimed: set[Path] = set()
    for part, patterns in PARTS.items():
        for pattern in patterns:
            for path in sorted(ROOT.glob(pattern)):
                if path not in claimed and path.is_file():
                    claimed.add(path)
                    yield part, path


def extract() -> dict[str, Catalog]:
    catalogs: dict[str, Catalog] = {}
    for part, path in sources():
        catalog = catalogs.setdefault(part, Catalog(locale="nl", domain=part))
        method = "jinja2" if path.suffix in (".j2", ".html") else "python"
        options = {"extensions": "jinja2.ext.i18n"} if method == "jinja2" else {}
        method_func = "jinja2.ext:babel_extract" if method == "jinja2" else "python"
        for lineno, message, comments, _context in extract_from_file(
            method_func, str(path), keywords=KEYWORDS, options=options
        ):
            catalog.add(
                message, locations=[(str(path.relative_to(ROOT)), lineno)], auto_comments=comments
            )
    _add_command_help(catalogs.setdefault("cli", Catalog(locale="nl", domain="cli")))
    return catalogs


def _add_command_help(catalog: Catalog) -> None:
    """Command and option help lives in docstrings and ``help=``; gather it from the CLI itself."""
    sys.path.insert(0, str(ROOT))
    import click

    from toolkit.cli import main

    def visit(command: click.Command, name: str) -> None:
        where = [(f"burgerbaan {name}".strip(), 0)]
        if command.help:
            catalog.add(command.help, locations=where)
        for param in command.params:
            text = getattr(param, "help", None)
            if text:
                catalog.add(text, locations=where)
        if isinstance(command, click.Group):
            for sub_name, sub in command.commands.items():
                visit(sub, f"{name} {sub_name}".strip())

    visit(main, "")


def update() -> None:
    LOCALE.mkdir(parents=True, exist_ok=True)
    for part, template in extract().items():
        po_path = LOCALE / f"{part}.po"
        if po_path.exists():
            with po_path.open("rb") as handle:
                catalog = read_po(handle, locale="nl", domain=part)
        else:
            catalog = Catalog(locale="nl", domain=part)
        catalog.update(template, no_fuzzy_matching=True)
        with po_path.open("wb") as handle:
            write_po(handle, catalog, width=100, omit_header=False, ignore_obsolete=True)
        print(f"{po_path.relative_to(ROOT)}: {len(catalog)} messages")


def missing() -> list[tuple[str, str]]:
    """(part, message) for every source message without a Dutch translation."""
    translated: dict[str, str] = {}
    for po_path in sorted(LOCALE.glob("*.po")):
        with po_path.open("rb") as handle:
            for message in read_po(handle, locale="nl"):
                if message.id and message.string and not message.fuzzy:
                    key = message.id if isinstance(message.id, str) else message.id[0]
                    translated[key] = "x"
    gaps = []
    for part, catalog in extract().items():
        for message in catalog:
            key = message.id if isinstance(message.id, str) else message.id[0]
            if key and key not in translated:
                gaps.append((part, key))
    return gaps


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else "missing"
    if command == "update":
        update()
    else:
        gaps = missing()
        for part, message in gaps:
            print(f"{part}: {message}")
        sys.exit(1 if gaps else 0)
