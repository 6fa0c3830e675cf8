"""Signing in: with an account (name and password), or on one's own computer with the token.

Failed log-ins slow down: after :data:`FREE_TRIES` failures for a name or from an address, the
next try must wait, twice as long each time (at most :data:`MAX_WAIT` seconds). The app answers
"wait" at once instead of sleeping, so a stream of guesses cannot tie up the server's threads.
"""

from __future__ import annotations

import secrets
import time
from typing import Any

from flask import Blueprint, abort, redirect, render_template, request, session, url_for

from toolkit.casebook.accounts import read_accounts, verify
from toolkit.i18n import _
from toolkit.web.app import state

blueprint = Blueprint("auth", __name__)

FREE_TRIES = 3
MAX_WAIT = 60.0


def _wait_for(key: str, now: float) -> float:
    _count, not_before = state().failures.get(key, (0, 0.0))
    return max(0.0, not_before - now)


def _failed(key: str, now: float) -> None:
    count, _not_before = state().failures.get(key, (0, 0.0))
    count += 1
    wait = 0.0 if count < FREE_TRIES else min(MAX_WAIT, 2.0 ** (count - FREE_TRIES))
    state().failures[key] = (count, now + wait)


def _start_session(user: str, role: str) -> None:
    language = session.get("lang")
    session.clear()  # a fresh session on sign-in: nothing from before carries over
    if language:
        session["lang"] = language
    now = time.time()
    session.permanent = True
    session.update(user=user, role=role, started=now, seen=now)


def _safe_next(target: str | None) -> str:
    # Only a path on this site: an address elsewhere would make the log-in an open redirect.
    if target and target.startswith("/") and not target.startswith("//"):
        return target
    return url_for("main.home")


@blueprint.route("/inloggen", methods=["GET", "POST"])
def login() -> Any:
    if not state().use_accounts:
        return render_template("token_needed.html.j2"), 403
    name = request.form.get("name", "").strip()
    message = ""
    status = 200
    if request.method == "POST":
        now = time.time()
        keys = [f"name:{name}", f"addr:{request.remote_addr}"]
        wait = max(_wait_for(key, now) for key in keys)
        if wait > 0:
            message = _("Too many failed attempts. Try again in {seconds} seconds.").format(
                seconds=int(wait) + 1
            )
            status = 429
        else:
            account = verify(
                read_accounts(state().store.root), name, request.form.get("password", "")
            )
            if account is not None:
                for key in keys:
                    state().failures.pop(key, None)
                _start_session(account.name, account.role)
                return redirect(_safe_next(request.args.get("next")))
            for key in keys:
                _failed(key, now)
            message = _("This name and password do not match.")
            status = 401
    return render_template("login.html.j2", name=name, message=message), status


@blueprint.route("/start")
def token() -> Any:
    """The printed address: its token starts the coordinator's session, once."""
    expected = state().token
    given = request.args.get("token", "")
    if expected is None or not secrets.compare_digest(given.encode(), expected.encode()):
        abort(403)
    state().token = None  # one time: a copied or logged address opens nothing later
    _start_session("coordinator", "coordinator")
    return redirect(url_for("main.home"))


@blueprint.route("/uitloggen", methods=["POST"])
def logout() -> Any:
    language = session.get("lang")
    session.clear()
    if language:
        session["lang"] = language
    if state().use_accounts:
        return redirect(url_for("auth.login"))
    return render_template("signed_out.html.j2")
