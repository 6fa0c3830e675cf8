"""Click's own texts ("Usage:", "Error:", "Show this message and exit.") in the language of the run.

Click marks its texts for gettext, but looks them up through the standard library's global
domain, which reads compiled ``.mo`` files and picks its language from the process environment.
The toolkit chooses its language per run (and per web request) and compiles its catalogues in
memory, so click's modules are pointed at the toolkit's own lookup instead. Click resolves these
names when a message is shown, not when it is imported, so this takes effect everywhere. The
Dutch lives in ``toolkit/locale/nl/LC_MESSAGES/click.po``, extracted from these same modules by
``tools/messages.py``.
"""

from __future__ import annotations

import importlib
from typing import Any

import click

from toolkit.i18n import gettext, ngettext


def N_(message: str) -> str:
    """Mark ``message`` for the catalogue; it is translated later, when it is shown."""
    return message


class _Term(str):
    """The name of a kind of value ("integer", "directory") that click puts into its messages.

    Click sets these names once, when a type is made, long before the language of the run is
    known; this string translates itself each time it is put into a message.
    """

    def __format__(self, spec: str) -> str:
        return format(gettext(str(self)), spec)

    def upper(self) -> str:
        # The placeholder in help ("--top NUMBER"): one word, where the name may be two.
        if str(self) in NUMBER_NAMES:
            return gettext(NUMBER)
        return gettext(str(self)).upper()

    def title(self) -> str:
        text = gettext(str(self))
        return text[:1].upper() + text[1:]


#: The names of click's types, as click spells them.
TYPE_NAMES: dict[type[click.ParamType[Any, Any]], str] = {
    click.types.StringParamType: N_("text"),
    click.types.DateTime: N_("datetime"),
    click.types.IntParamType: N_("integer"),
    click.types.IntRange: N_("integer range"),
    click.types.FloatParamType: N_("float"),
    click.types.FloatRange: N_("float range"),
    click.types.BoolParamType: N_("boolean"),
    click.types.UUIDParameterType: N_("uuid"),
    click.types.File: N_("filename"),
}
#: Number types, shown in help as one placeholder.
NUMBER_NAMES = ("integer", "integer range", "float", "float range")
NUMBER = N_("NUMBER")
#: The names click gives a path, by what it may be.
PATH_NAMES = (N_("file"), N_("directory"), N_("path"))
#: The placeholders in usage lines ("Usage: burgerbaan vergeet [OPTIONS] PERSON [CASEBOOK]").
USAGE_WORDS = (
    N_("[OPTIONS]"),
    N_("COMMAND [ARGS]..."),
    N_("PERSON"),
    N_("SESSION"),
    N_("KIND"),
    N_("ID"),
    N_("[SPONSOR] [CASEBOOK]"),
    N_("[CASEBOOK]"),
    N_("PERSON:OPPORTUNITY"),
)

#: Click's modules that hold texts a person can see.
CLICK_MODULES = (
    "core",
    "decorators",
    "exceptions",
    "formatting",
    "parser",
    "termui",
    "types",
    "utils",
)


def route_click_messages() -> None:
    """Let click translate its texts with the toolkit's catalogues and language."""
    for name in CLICK_MODULES:
        module = importlib.import_module(f"click.{name}")
        if hasattr(module, "_"):
            module._ = gettext  # type: ignore[attr-defined]
        if hasattr(module, "ngettext"):
            module.ngettext = ngettext  # type: ignore[attr-defined]
    for kind, name in TYPE_NAMES.items():
        kind.name = _Term(name)
    if getattr(click.types.Path.__init__, "_burgerbaan", False):
        return
    click.types.Path.__init__ = _path_init(click.types.Path.__init__)  # type: ignore[method-assign]
    for parameter_class in (click.core.Argument, click.core.Option):
        parameter_class.make_metavar = _translated(  # type: ignore[method-assign]
            parameter_class.make_metavar
        )
    for command_class in (click.core.Command, click.core.Group):
        command_class.collect_usage_pieces = _translated_pieces(  # type: ignore[method-assign]
            command_class.collect_usage_pieces
        )


def _translated_pieces(method: Any) -> Any:
    def collect_usage_pieces(self: click.Command, ctx: click.Context) -> list[str]:
        return [gettext(piece) for piece in method(self, ctx)]

    return collect_usage_pieces


def _translated(method: Any) -> Any:
    def translated(self: Any, *args: Any, **kwargs: Any) -> str:
        return gettext(method(self, *args, **kwargs))

    return translated


def _path_init(original: Any) -> Any:
    def init(self: click.types.Path, *args: Any, **kwargs: Any) -> None:
        original(self, *args, **kwargs)
        if self.file_okay and not self.dir_okay:
            self.name = _Term(PATH_NAMES[0])
        elif self.dir_okay and not self.file_okay:
            self.name = _Term(PATH_NAMES[1])
        else:
            self.name = _Term(PATH_NAMES[2])

    init._burgerbaan = True  # type: ignore[attr-defined]
    return init
