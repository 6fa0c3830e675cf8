"""Accounts for the web app: ``burgerbaan gebruiker add|list|remove|wachtwoord``.

Passwords are read from the terminal twice (not shown), or once from standard input when it is
not a terminal (for scripts); they are never echoed, logged or stored in clear.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from toolkit.casebook.accounts import (
    ROLES,
    add_account,
    read_accounts,
    remove_account,
    set_password,
)
from toolkit.cli.base import TranslatedCommand, TranslatedHelp
from toolkit.cli.options import casebook_argument, lang_option
from toolkit.errors import InvalidInputError
from toolkit.i18n import _


class AccountGroup(TranslatedHelp, click.Group):
    command_class = TranslatedCommand


def read_password() -> str:
    """A new password: typed twice on a terminal, or the first line of standard input."""
    if not sys.stdin.isatty():
        line = sys.stdin.readline()
        password = line.rstrip("\r\n")
        if not password:
            raise InvalidInputError(_("No password was given on standard input."))
        return password
    first = click.prompt(_("Password"), hide_input=True, prompt_suffix=": ")
    second = click.prompt(_("Password again"), hide_input=True, prompt_suffix=": ")
    if first != second:
        raise InvalidInputError(_("The two passwords differ; nothing was changed."))
    return str(first)


@click.group(cls=AccountGroup)
@lang_option
def gebruiker() -> None:
    """Accounts for the web app: who may sign in, and in which role.

    Roles: coordinator (everything), facilitator (people by pseudonym, the matcher), secretaris
    (people by pseudonym, sessions and verslagen). The accounts are kept next to the casebook,
    passwords as Argon2id hashes.
    """


@gebruiker.command(name="add")
@click.argument("name")
@casebook_argument
@click.option("--rol", "role", type=click.Choice(ROLES), required=True, help="The role.")
@lang_option
def add(name: str, casebook: Path, role: str) -> None:
    """Add an account; asks for its password."""
    _check_casebook(casebook)
    add_account(casebook, name, role, read_password())
    click.echo(_("Account {name} ({role}) added.").format(name=name, role=role))


@gebruiker.command(name="list")
@casebook_argument
@lang_option
def list_accounts(casebook: Path) -> None:
    """List the accounts and their roles."""
    _check_casebook(casebook)
    accounts = read_accounts(casebook)
    if not accounts:
        click.echo(_("There are no accounts: the web app runs on this computer only."))
        return
    for account in sorted(accounts.values(), key=lambda a: a.name):
        click.echo(f"{account.name}\t{account.role}")


@gebruiker.command(name="remove")
@click.argument("name")
@casebook_argument
@lang_option
def remove(name: str, casebook: Path) -> None:
    """Remove an account; its sessions end at their next request."""
    _check_casebook(casebook)
    remove_account(casebook, name)
    click.echo(_("Account {name} removed.").format(name=name))


@gebruiker.command(name="wachtwoord")
@click.argument("name")
@casebook_argument
@lang_option
def wachtwoord(name: str, casebook: Path) -> None:
    """Give an account a new password."""
    _check_casebook(casebook)
    if name not in read_accounts(casebook):
        raise InvalidInputError(_("There is no user named '{name}'.").format(name=name))
    set_password(casebook, name, read_password())
    click.echo(_("The password of {name} was changed.").format(name=name))


def _check_casebook(casebook: Path) -> None:
    if not casebook.is_dir():
        raise InvalidInputError(
            _("The casebook folder {path} does not exist.").format(path=casebook)
        )
