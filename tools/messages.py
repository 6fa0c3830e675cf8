"""Keep the Dutch message catalogues in step with the source.

    python tools/messages.py update   # add new messages (empty) to each catalogue, drop gone ones
    python tools/messages.py missing  # list messages without a Dutch translation; exit 1 if any
    python tools/messages.py fill nl.json  # set Dutch texts: {"English": "Nederlands", ...}

Each part of the toolkit has its own catalogue (``toolkit/locale/nl/LC_MESSAGES/<part>.po``, see
:func:`part_of`), so that parts are written and translated independently. The source language is
English; a message already translated in any catalogue counts as translated everywhere.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_file
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
LOCALE = ROOT / "toolkit" / "locale" / "nl" / "LC_MESSAGES"
KEYWORDS = {"_": None, "ngettext": (1, 2), "gettext": None, "N_": None}

#: Sources that hold translatable text: the package and the shipped templates.
SOURCE_PATTERNS = ["toolkit/**/*.py", "templates/**/*.j2"]
#: Packages whose modules each get a catalogue of their own (parts that grow in parallel).
SPLIT_PACKAGES = {"cli", "reports"}


def part_of(relative: Path) -> str:
    """The catalogue a source belongs to: ``casebook``, ``matching``, ``cli-check``, ...

    Each part of the toolkit has its own catalogue so that parts are written and translated
    independently: a package, or for ``cli`` and ``reports`` a module, or a template folder.
    """
    parts = relative.parts
    if parts[0] == "templates":
        name = parts[1] if len(parts) > 2 else parts[1].split(".")[0]
        return f"templates-{name}"
    if len(parts) == 2:
        return "toolkit"
    if parts[1] in SPLIT_PACKAGES and len(parts) > 2 and parts[2] != "__init__.py":
        return f"{parts[1]}-{Path(parts[2]).stem.removesuffix('_commands')}"
    return parts[1]


def sources() -> Iterator[tuple[str, Path]]:
    for pattern in SOURCE_PATTERNS:
        for path in sorted(ROOT.glob(pattern)):
            if path.is_file():
                yield part_of(path.relative_to(ROOT)), path


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
    _add_click_messages(catalogs)
    _add_command_help(catalogs)
    return catalogs


def _add_click_messages(catalogs: dict[str, Catalog]) -> None:
    """Click's own texts ("Usage:", "Error:"), which the CLI routes through these catalogues."""
    sys.path.insert(0, str(ROOT))
    import click

    from toolkit.cli.clicktext import CLICK_MODULES

    catalog = catalogs.setdefault("click", Catalog(locale="nl", domain="click"))
    folder = Path(click.__file__).resolve().parent
    for name in CLICK_MODULES:
        path = folder / f"{name}.py"
        for lineno, message, comments, _context in extract_from_file(
            "python", str(path), keywords=KEYWORDS
        ):
            catalog.add(message, locations=[(f"click/{name}.py", lineno)], auto_comments=comments)


def _add_command_help(catalogs: dict[str, Catalog]) -> None:
    """Command and option help lives in docstrings and ``help=``; gather it from the CLI itself."""
    sys.path.insert(0, str(ROOT))
    import click

    from toolkit.cli import main

    def visit(command: click.Command, name: str) -> None:
        module = getattr(command.callback, "__module__", "toolkit.cli") or "toolkit.cli"
        source = Path(*module.split(".")).with_suffix(".py")
        if module == "toolkit.cli":
            source = Path("toolkit", "cli", "__init__.py")
        part = part_of(source)
        catalog = catalogs.setdefault(part, Catalog(locale="nl", domain=part))
        where = [(f"burgerbaan {name}".strip(), 0)]
        if command.help:
            catalog.add(command.help, locations=where)
        for param in command.params:
            text = getattr(param, "help", None)
            if text:
                catalog.add(text, locations=where)
        if isinstance(command, click.Group):
            # list_commands/get_command: lazily registered commands (``web``) are visited too.
            context = click.Context(command)
            for sub_name in command.list_commands(context):
                sub = command.get_command(context, sub_name)
                if sub is not None:
                    visit(sub, f"{name} {sub_name}".strip())

    visit(main, "")


def known_translations() -> dict[object, object]:
    """Every translation in the current catalogues, so that a message moving between parts
    keeps its Dutch."""
    known: dict[object, object] = {}
    for po_path in sorted(LOCALE.glob("*.po")):
        with po_path.open("rb") as handle:
            for message in read_po(handle, locale="nl"):
                if message.id and message.string and not message.fuzzy:
                    known[message.id] = message.string
    return known


def update() -> None:
    LOCALE.mkdir(parents=True, exist_ok=True)
    known = known_translations()
    extracted = extract()
    for part, template in extracted.items():
        po_path = LOCALE / f"{part}.po"
        if po_path.exists():
            with po_path.open("rb") as handle:
                catalog = read_po(handle, locale="nl", domain=part)
        else:
            catalog = Catalog(locale="nl", domain=part)
        # Keep the header's date: a new date in every catalogue on every update would make each
        # parallel branch conflict with every other in every .po file.
        created = catalog.creation_date
        catalog.update(template, no_fuzzy_matching=True)
        if po_path.exists():
            catalog.creation_date = created
        for message in catalog:
            if message.id and not message.string and message.id in known:
                message.string = known[message.id]
        if not len(catalog):
            po_path.unlink(missing_ok=True)
            continue
        with po_path.open("wb") as handle:
            write_po(handle, catalog, width=100, omit_header=False, ignore_obsolete=True)
        print(f"{po_path.relative_to(ROOT)}: {len(catalog)} messages")
    for stale in sorted(LOCALE.glob("*.po")):
        if stale.stem not in extracted:
            stale.unlink()


def _is_translated(message: Message) -> bool:
    """Translated, not fuzzy, and for a plural message every form filled in."""
    strings = message.string if isinstance(message.string, (list, tuple)) else [message.string]
    return bool(message.id) and bool(strings) and all(strings) and not message.fuzzy


def missing() -> list[tuple[str, str]]:
    """(part, message) for every source message without a Dutch translation."""
    translated: dict[str, str] = {}
    for po_path in sorted(LOCALE.glob("*.po")):
        with po_path.open("rb") as handle:
            for message in read_po(handle, locale="nl"):
                if _is_translated(message):
                    key = message.id if isinstance(message.id, str) else message.id[0]
                    translated[key] = "x"
    gaps = []
    for part, catalog in extract().items():
        for message in catalog:
            key = message.id if isinstance(message.id, str) else message.id[0]
            if key and key not in translated:
                gaps.append((part, key))
    return gaps


def fill(translations: dict[str, str | list[str]]) -> int:
    """Set the Dutch of the given English messages in whichever catalogue holds them.

    A plural message is keyed by its singular and given a list of forms: ``["1 jaar", "{n} jaar"]``.
    """
    filled = 0
    for po_path in sorted(LOCALE.glob("*.po")):
        with po_path.open("rb") as handle:
            catalog = read_po(handle, locale="nl", domain=po_path.stem)
        changed = False
        for message in catalog:
            key = message.id if isinstance(message.id, str) else message.id[0]
            value = translations.get(key) if key else None
            if value is not None and isinstance(message.id, str) == isinstance(value, str):
                message.string = value if isinstance(value, str) else tuple(value)
                message.flags.discard("fuzzy")
                changed = True
                filled += 1
        if changed:
            with po_path.open("wb") as handle:
                write_po(handle, catalog, width=100, ignore_obsolete=True)
    return filled


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else "missing"
    if command == "update":
        update()
    elif command == "fill":
        # python tools/messages.py fill nl.json   ({"English message": "Nederlandse tekst"})
        import json

        count = fill(json.loads(Path(sys.argv[2]).read_text(encoding="utf-8")))
        print(f"{count} messages translated")
    else:
        gaps = missing()
        for part, message in gaps:
            print(f"{part}: {message}")
        sys.exit(1 if gaps else 0)
