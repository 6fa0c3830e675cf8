"""The web app's user accounts: a name, a role and an Argon2id hash, in a file next to the casebook.

The file lives in the casebook's hidden folder ``.burgerbaan/`` (the loader and ``vergeet`` pass
hidden files over; it holds no case data). Passwords are never stored or logged in clear: only
the Argon2id hash, which carries its own salt and parameters. An account with a role is all
the web app needs to decide what someone may see (see :mod:`toolkit.web.permissions`).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from toolkit.casebook.lock import casebook_lock
from toolkit.errors import ConflictError, InvalidInputError, NotFoundError
from toolkit.files import write_atomic
from toolkit.i18n import _

#: The hidden folder of a casebook that holds the web app's own files.
WEB_FOLDER = ".burgerbaan"
ACCOUNTS_FILE = "gebruikers.json"
ROLES: tuple[str, ...] = ("coordinator", "facilitator", "secretaris")
NAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]{0,39}$")
MIN_PASSWORD_LENGTH = 10

# argon2-cffi's defaults follow RFC 9106's second recommendation for Argon2id.
_HASHER = PasswordHasher()
# A hash to verify against when the name is unknown, so that a wrong name and a wrong password
# take the same time and the answer does not tell which names exist.
_DUMMY_HASH = _HASHER.hash("burgerbaan-no-such-user")


@dataclass(frozen=True)
class Account:
    name: str
    role: str
    password_hash: str


def accounts_path(root: Path) -> Path:
    return Path(root) / WEB_FOLDER / ACCOUNTS_FILE


def read_accounts(root: Path) -> dict[str, Account]:
    """Every account of the casebook at ``root``, by name; none when the file is absent."""
    path = accounts_path(root)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    except OSError as exc:
        raise ConflictError(
            _("The accounts file {path} cannot be read: {reason}").format(
                path=path, reason=exc.strerror or exc
            )
        ) from exc
    try:
        data = json.loads(text)
        accounts = {
            entry["name"]: Account(entry["name"], entry["role"], entry["hash"])
            for entry in data["accounts"]
        }
    except (ValueError, KeyError, TypeError) as exc:
        raise ConflictError(
            _("The accounts file {path} is damaged; restore it from a backup.").format(path=path)
        ) from exc
    for account in accounts.values():
        if account.role not in ROLES:
            raise ConflictError(
                _("The accounts file {path} is damaged; restore it from a backup.").format(
                    path=path
                )
            )
    return accounts


def _write(root: Path, accounts: dict[str, Account]) -> None:
    entries = [
        {"name": a.name, "role": a.role, "hash": a.password_hash}
        for a in sorted(accounts.values(), key=lambda a: a.name)
    ]
    text = json.dumps({"accounts": entries}, indent=2, ensure_ascii=False) + "\n"
    write_atomic(accounts_path(root), text, overwrite=True, private=True)


def check_name(name: str) -> str:
    if not NAME_PATTERN.match(name):
        raise InvalidInputError(
            _(
                "The user name '{name}' is not allowed: use 1 to 40 lowercase letters, digits, "
                "dots, hyphens or underscores, starting with a letter or digit."
            ).format(name=name)
        )
    return name


def check_role(role: str) -> str:
    if role not in ROLES:
        raise InvalidInputError(
            _("Unknown role '{role}'; choose one of: {roles}.").format(
                role=role, roles=", ".join(ROLES)
            )
        )
    return role


def check_password(password: str) -> str:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInputError(
            _("A password needs at least {count} characters.").format(count=MIN_PASSWORD_LENGTH)
        )
    return password


def add_account(root: Path, name: str, role: str, password: str) -> Account:
    """Add an account; an existing name is refused."""
    account = Account(check_name(name), check_role(role), _HASHER.hash(check_password(password)))
    with casebook_lock(root):
        accounts = read_accounts(root)
        if name in accounts:
            raise ConflictError(_("There is already a user named '{name}'.").format(name=name))
        accounts[name] = account
        _write(root, accounts)
    return account


def remove_account(root: Path, name: str) -> None:
    with casebook_lock(root):
        accounts = read_accounts(root)
        if name not in accounts:
            raise NotFoundError(_("There is no user named '{name}'.").format(name=name))
        del accounts[name]
        _write(root, accounts)


def set_password(root: Path, name: str, password: str) -> None:
    new_hash = _HASHER.hash(check_password(password))
    with casebook_lock(root):
        accounts = read_accounts(root)
        if name not in accounts:
            raise NotFoundError(_("There is no user named '{name}'.").format(name=name))
        accounts[name] = Account(name, accounts[name].role, new_hash)
        _write(root, accounts)


def verify(accounts: dict[str, Account], name: str, password: str) -> Account | None:
    """The account if ``password`` is right for ``name``, else None (in about the same time)."""
    account = accounts.get(name)
    try:
        _HASHER.verify(account.password_hash if account else _DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        return None
    return account
