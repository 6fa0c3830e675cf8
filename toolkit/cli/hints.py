"""What the user can do about an error, said in terms of the command line.

Library errors say what is wrong and name a :class:`~toolkit.errors.Remedy`; the command adds
how to apply it here, but only when the command has the option that applies it (``verslag new``
has no ``--force``, so it never advises one).
"""

from __future__ import annotations

import click

from toolkit.errors import InvalidInputError, Remedy, ToolkitError
from toolkit.i18n import _

#: Per remedy: the option that applies it, and the commands it applies to (None: every command
#: that has the option; ``casussen --intern`` adds a key file, it does not name people).
_OPTIONS: dict[Remedy, tuple[str, frozenset[str] | None]] = {
    Remedy.REPLACE: ("--force", None),
    Remedy.ERASE_ANYWAY: ("--force", None),
    Remedy.GIVE_OBLIGATION: ("--obligation", None),
    Remedy.OTHER_ID: ("--id", None),
    Remedy.INTERNAL_VERSION: ("--intern", frozenset({"show", "match"})),
    Remedy.ONE_PERSON: ("--person", None),
}


def _texts() -> dict[Remedy, str]:
    return {
        Remedy.REPLACE: _("Use --force to replace it."),
        Remedy.ERASE_ANYWAY: _("Use --force to erase this person anyway."),
        Remedy.GIVE_OBLIGATION: _("Give the amount with --obligation instead."),
        Remedy.OTHER_ID: _("Choose another id with --id."),
        Remedy.INTERNAL_VERSION: _("Or make an internal version with --intern."),
        Remedy.ONE_PERSON: _("Use --person ID for someone else."),
    }


def hint(error: ToolkitError, command: click.Command) -> str | None:
    """How to apply ``error``'s remedy with ``command``, or None when it cannot."""
    remedy = error.remedy
    if remedy is None or remedy not in _OPTIONS:
        return None
    option, commands = _OPTIONS[remedy]
    if commands is not None and command.name not in commands:
        return None
    flags = {flag for param in command.params for flag in getattr(param, "opts", ())}
    return _texts()[remedy] if option in flags else None


def option_of(error: ToolkitError, command: click.Command) -> str | None:
    """The option of ``command`` that gave the value an :class:`InvalidInputError` is about
    (its ``field``: ``tables`` is ``--tables``), or None when the command has no such option."""
    field = getattr(error, "field", None) if isinstance(error, InvalidInputError) else None
    if not field:
        return None
    flag = "--" + field.replace("_", "-")
    flags = {flag for param in command.params for flag in getattr(param, "opts", ())}
    return flag if flag in flags else None


def with_hint(error: ToolkitError, command: click.Command) -> str:
    """The error's message, the option it is about, and how to apply its remedy with
    ``command``."""
    message = str(error)
    option = option_of(error, command)
    if option is not None and option not in message:
        about = _("option {flag}").format(flag=option)
        # Inside the sentence: "at least 1 (option --select)."
        end = "." if message.endswith(".") else ""
        message = f"{message.removesuffix('.')} ({about}){end}"
    advice = hint(error, command)
    if advice is None:
        return message
    # A short message reads on as one sentence; after a list (problems, findings) the advice
    # goes on a line of its own.
    return f"{message}\n{advice}" if "\n" in message else f"{message} {advice}"
