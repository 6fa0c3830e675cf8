"""What the app keeps between requests, reachable from every blueprint.

It lives apart from :mod:`toolkit.web.app` so that the blueprints, which the app imports, never
import the app back.
"""

from __future__ import annotations

from flask import Flask

from toolkit.web.store import CasebookStore


class WebState:
    """What the app keeps between requests: the casebook, how people sign in, failed log-ins."""

    def __init__(self, store: CasebookStore, use_accounts: bool, token: str | None) -> None:
        self.store = store
        self.use_accounts = use_accounts
        self.token = token
        self.failures: dict[str, tuple[int, float]] = {}  # key -> (count, not before)


def state(app: Flask | None = None) -> WebState:
    """The app's state: of ``app``, or of the app serving this request."""
    from flask import current_app

    result: WebState = (app or current_app).extensions["burgerbaan"]
    return result
