"""``burgerbaan gebruiker`` and ``burgerbaan web``: accounts from the command line, the start."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from toolkit.casebook.accounts import accounts_path, read_accounts, verify
from toolkit.cli import main
from toolkit.web.command import is_loopback, start_address


def run(*args: str, stdin: str | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args), input=stdin, prog_name="burgerbaan")
    return result.exit_code, result.output


def test_accounts_from_the_command_line(casebook: Path) -> None:
    code, out = run(
        "gebruiker",
        "add",
        "petra",
        str(casebook),
        "--rol",
        "facilitator",
        stdin="een-lang-wachtwoord\n",
    )
    assert code == 0, out
    assert "een-lang-wachtwoord" not in out
    assert verify(read_accounts(casebook), "petra", "een-lang-wachtwoord") is not None
    code, out = run("gebruiker", "list", str(casebook))
    assert "petra\tfacilitator" in out
    code, out = run(
        "gebruiker",
        "add",
        "petra",
        str(casebook),
        "--rol",
        "secretaris",
        stdin="nog-een-wachtwoord\n",
    )
    assert code == 1 and "al een gebruiker" in out
    code, out = run("gebruiker", "wachtwoord", "petra", str(casebook), stdin="nieuw-wachtwoord1\n")
    assert code == 0, out
    assert verify(read_accounts(casebook), "petra", "nieuw-wachtwoord1") is not None
    code, out = run("gebruiker", "remove", "petra", str(casebook))
    assert code == 0 and read_accounts(casebook) == {}
    code, out = run("gebruiker", "remove", "petra", str(casebook))
    assert code == 1 and "geen gebruiker" in out


@pytest.mark.parametrize(
    ("name", "role", "password", "message"),
    [
        ("Petra de Vries", "facilitator", "een-lang-wachtwoord\n", "niet toegestaan"),
        ("petra", "facilitator", "kort\n", "minstens 10 tekens"),
        ("petra", "facilitator", "\n", "geen wachtwoord"),
        ("petra", "baas", "een-lang-wachtwoord\n", "baas"),
    ],
)
def test_bad_accounts_are_refused_in_dutch_and_nothing_is_written(
    casebook: Path, name: str, role: str, password: str, message: str
) -> None:
    code, out = run("gebruiker", "add", name, str(casebook), "--rol", role, stdin=password)
    assert code != 0 and message in out and "Traceback" not in out
    assert not accounts_path(casebook).exists()


def test_web_refuses_the_network_without_accounts(casebook: Path) -> None:
    code, out = run("web", str(casebook), "--host", "0.0.0.0", "--no-browser")
    assert code == 1
    assert "Zonder accounts luistert de webapp alleen op deze computer" in out


def test_web_refuses_a_missing_casebook(tmp_path: Path) -> None:
    code, out = run("web", str(tmp_path / "nergens"), "--no-browser")
    assert code == 1 and "bestaat niet" in out


def test_addresses() -> None:
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.5")
    assert not is_loopback("example.org")
    assert start_address("127.0.0.1", 8765, "a b") == "http://127.0.0.1:8765/start?token=a%20b"
    assert start_address("::1", 80, None) == "http://[::1]:80/"


def test_web_is_listed_and_has_dutch_help() -> None:
    code, out = run("--help")
    assert code == 0 and "web" in out and "gebruiker" in out
    code, out = run("web", "--help")
    assert code == 0 and "Start de webapp" in out
