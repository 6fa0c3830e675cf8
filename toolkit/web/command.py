"""``burgerbaan web``: the app on a real WSGI server (waitress), for one computer or a team.

The command lives beside the app, not in toolkit/cli: the CLI group finds it by name
(``toolkit.web.command:web``) only when it is run, so neither top-floor package imports the
other, and other commands do not pay for importing Flask.
"""

from __future__ import annotations

import ipaddress
import threading
import webbrowser
from pathlib import Path
from urllib.parse import quote

import click

from toolkit.casebook.accounts import read_accounts
from toolkit.errors import InvalidInputError
from toolkit.i18n import LANGUAGES, _, set_language

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8765


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def start_address(host: str, port: int, token: str | None) -> str:
    shown = f"[{host}]" if ":" in host else host
    base = f"http://{shown}:{port}/"
    return f"{base}start?token={quote(token)}" if token else base


def _check_casebook(casebook: Path) -> None:
    if not casebook.is_dir():
        raise InvalidInputError(
            _("The casebook folder {path} does not exist.").format(path=casebook)
        )


@click.command(name="web")
@click.argument(
    "casebook",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("cases"),
    required=False,
)
@click.option("--host", default=DEFAULT_HOST, show_default=True, help="The address to listen on.")
@click.option(
    "--port",
    type=click.IntRange(1, 65535),
    default=DEFAULT_PORT,
    show_default=True,
    help="The port to listen on.",
)
@click.option("--no-browser", is_flag=True, help="Do not open the browser.")
@click.option(
    "--lang",
    type=click.Choice(LANGUAGES),
    default=None,
    is_eager=True,
    expose_value=False,
    envvar="BURGERBAAN_LANG",
    callback=lambda ctx, param, value: set_language(value) if value else None,
    help="Language of messages and reports: nl (default) or en.",
)
def web(casebook: Path, host: str, port: int, no_browser: bool) -> None:
    """Start the web app for a casebook and open it in the browser.

    Without accounts it listens on this computer only and prints an address with a one-time
    key; whoever opens it is coordinator. With accounts ('burgerbaan gebruiker add') everyone
    signs in. Stop it with Ctrl-C.
    """
    import waitress

    from toolkit.web.app import create_app, state

    _check_casebook(casebook)
    use_accounts = bool(read_accounts(casebook))
    if not use_accounts and not is_loopback(host):
        raise InvalidInputError(
            _(
                "Without accounts the web app only listens on this computer (127.0.0.1): "
                "anyone on the network could otherwise open the casebook. Add accounts first "
                "('burgerbaan gebruiker add'), or listen on 127.0.0.1."
            )
        )
    app = create_app(casebook, use_accounts=use_accounts)
    address = start_address(host, port, state(app).token)
    click.echo(_("The web app for {casebook} runs at:").format(casebook=casebook))
    click.echo(f"    {address}")
    if not use_accounts:
        click.echo(_("This address holds a one-time key: keep it to yourself."))
    click.echo(_("Stop it with Ctrl-C."))
    if not no_browser:
        threading.Timer(1.0, lambda: webbrowser.open(address)).start()
    try:
        waitress.serve(app, host=host, port=port, threads=8, ident="burgerbaan", _quiet=True)
    except KeyboardInterrupt:
        pass
    except OSError as exc:
        raise InvalidInputError(
            _("Cannot listen on {host}:{port}: {reason}").format(
                host=host, port=port, reason=exc.strerror or exc
            )
        ) from exc
    click.echo(_("The web app has stopped."))
