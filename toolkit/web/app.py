"""The application factory: one Flask app per casebook, with its safety rules in one place.

Every request passes :func:`_guard` before its view: the language of the request, the session's
age, the account behind it, and the permission table (:mod:`toolkit.web.permissions`). Every
response gets the security headers of :func:`_headers`. The toolkit's own errors become Dutch
pages by kind (404, 400, 409); nothing else ever shows a traceback.
"""

from __future__ import annotations

import secrets
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

import jinja2
from flask import Flask, Response, g, redirect, render_template, request, session, url_for
from flask_wtf.csrf import CSRFError, CSRFProtect
from markdown_it import MarkdownIt
from markupsafe import Markup
from werkzeug.exceptions import HTTPException

from toolkit.casebook.accounts import read_accounts
from toolkit.errors import ConflictError, InvalidInputError, NotFoundError, ToolkitError
from toolkit.formatting import long_date, money, number
from toolkit.i18n import _, ngettext, use_language
from toolkit.paths import templates_dir
from toolkit.reports.environment import and_list, markdown_to_html
from toolkit.web import permissions
from toolkit.web.common import CasebookInvalid
from toolkit.web.state import WebState, state
from toolkit.web.store import CasebookStore

#: A session ends after this long, however busy; and after IDLE_MINUTES without a request.
SESSION_HOURS = 8
IDLE_MINUTES = 60

#: No inline script or style anywhere: htmx and the style sheet are files of the package.
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)
#: Documents served as they are (the verslag as HTML, SVG drawings) carry their own styles;
#: they still may not run scripts or load anything from elsewhere.
DOCUMENT_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
    "frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
)


def create_app(
    casebook_root: Path | str,
    *,
    token: str | None = None,
    secret_key: str | None = None,
    use_accounts: bool | None = None,
    testing: bool = False,
) -> Flask:
    """The web app for the casebook at ``casebook_root``.

    With accounts (``burgerbaan gebruiker add``) people sign in; without, ``token`` (made here
    when not given) is the one-time key that starts a coordinator's session. ``use_accounts``
    decides which; by default, whether the casebook has an accounts file.
    """
    root = Path(casebook_root)
    app = Flask(
        __name__,
        static_folder=str(Path(__file__).resolve().parent / "static"),
        template_folder=str(templates_dir() / "web"),
    )
    app.jinja_options = {
        "extensions": ["jinja2.ext.i18n"],
        "undefined": jinja2.StrictUndefined,
        "trim_blocks": True,
        "lstrip_blocks": True,
    }
    app.config.update(
        SECRET_KEY=secret_key or secrets.token_hex(32),
        TESTING=testing,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Strict",
        SESSION_COOKIE_NAME="burgerbaan_session",
        PERMANENT_SESSION_LIFETIME=timedelta(hours=SESSION_HOURS),
        WTF_CSRF_TIME_LIMIT=SESSION_HOURS * 3600,
        MAX_CONTENT_LENGTH=1024 * 1024,
    )
    if use_accounts is None:
        use_accounts = bool(read_accounts(root))
    app.extensions["burgerbaan"] = WebState(
        store=CasebookStore(root),
        use_accounts=use_accounts,
        token=None if use_accounts else (token or secrets.token_urlsafe(32)),
    )
    # The permission check runs before the CSRF check: a request that may not reach a route
    # is refused as such, whatever it carries.
    app.before_request(_guard)
    CSRFProtect(app)
    _jinja(app)

    from toolkit.web import (
        auth,
        casussen,
        documents,
        editing,
        history,
        main,
        matching,
        records,
        rights,
        transfer,
        year,
        year_money,
    )

    for blueprint in (
        auth.blueprint,
        main.blueprint,
        records.blueprint,
        matching.blueprint,
        documents.blueprint,
        casussen.blueprint,
        rights.blueprint,
        year.blueprint,
        year_money.blueprint,
        editing.blueprint,
        history.blueprint,
        transfer.blueprint,
    ):
        app.register_blueprint(blueprint)

    app.after_request(_headers)
    app.teardown_request(_end_language)
    _error_pages(app)
    return app


def _jinja(app: Flask) -> None:
    # The environment shares the reports' filters; gettext is looked up per call, so one
    # environment serves requests in different languages at the same time.
    app.select_jinja_autoescape = lambda filename: True  # type: ignore[method-assign]
    env = app.jinja_env
    env.install_gettext_callables(_, ngettext, newstyle=True)  # type: ignore[attr-defined]
    env.filters.update(markdown=markdown_to_html, money=money, number=number, long_date=long_date)
    env.filters.update(and_list=and_list, document=document_html)
    env.globals.update(can=lambda capability: permissions.can(g.get("role"), capability))


_DOCUMENT = MarkdownIt("commonmark", {"html": False}).enable("table")


def document_html(text: str) -> Markup:
    """A Markdown document the toolkit wrote (verslag, Q&A, inzage) as part of a page."""
    # Safe to mark: raw HTML in the text is escaped by markdown-it ("html": False).
    return Markup(_DOCUMENT.render(text))


def _guard() -> Any:
    chosen = session.get("lang")
    manager = use_language(chosen if isinstance(chosen, str) else None)
    g.language = manager.__enter__()
    g.language_manager = manager
    g.user, g.role = _signed_in()
    g.started = time.perf_counter()
    endpoint = request.endpoint
    if endpoint is None:
        return None  # Flask answers 404 or 405 itself
    if permissions.allowed(endpoint, g.role):
        return None
    if not g.role and state().use_accounts:
        return redirect(url_for("auth.login", next=request.full_path))
    return _error(403)


def _signed_in() -> tuple[str, str]:
    """The user and role of this request's session, or two empty strings."""
    role = session.get("role")
    user = session.get("user")
    started = session.get("started", 0)
    seen = session.get("seen", 0)
    now = time.time()
    if not isinstance(role, str) or not isinstance(user, str):
        return "", ""
    if now - started > SESSION_HOURS * 3600 or now - seen > IDLE_MINUTES * 60:
        session.clear()
        return "", ""
    if state().use_accounts:
        # A removed account, or one whose role changed, ends its sessions at the next request.
        account = read_accounts(state().store.root).get(user)
        if account is None or account.role != role:
            session.clear()
            return "", ""
    session["seen"] = now
    return user, role


def _end_language(exc: BaseException | None) -> None:
    manager = g.pop("language_manager", None)
    if manager is not None:
        manager.__exit__(None, None, None)


def _headers(response: Response) -> Response:
    headers = response.headers
    is_document = response.mimetype in ("image/svg+xml", "text/html") and g.get("raw_document")
    headers.setdefault("Content-Security-Policy", DOCUMENT_CSP if is_document else CSP)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "no-referrer")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    if request.endpoint != "static":
        # Pages and downloads may hold personal data: never kept by the browser or a proxy.
        headers["Cache-Control"] = "no-store"
    return response


#: The toolkit's error kinds and the status each gets.
ERROR_STATUS: tuple[tuple[type[ToolkitError], int], ...] = (
    (NotFoundError, 404),
    (InvalidInputError, 400),
    (ConflictError, 409),
)


def _error(status: int, message: str | None = None) -> tuple[str, int]:
    titles = {
        400: _("This request cannot be carried out"),
        403: _("No access"),
        404: _("Page not found"),
        405: _("This request cannot be carried out"),
        409: _("This clashes with what is there"),
        413: _("This request cannot be carried out"),
        429: _("Too many attempts"),
        500: _("Something went wrong"),
    }
    explanations = {
        403: _("You may not open this page. Sign in, or ask the coordinator for access."),
        404: _("This page does not exist (any more)."),
        429: _("Wait a moment before you try again."),
        500: _(
            "The toolkit ran into an error it did not expect. Nothing was changed. Tell the "
            "coordinator what you were doing."
        ),
    }
    return (
        render_template(
            "error.html.j2",
            status=status,
            title=titles.get(status, titles[400]),
            message=message or explanations.get(status, ""),
        ),
        status,
    )


def _error_pages(app: Flask) -> None:
    @app.errorhandler(ToolkitError)
    def toolkit_error(exc: ToolkitError) -> Any:
        for kind, status in ERROR_STATUS:
            if isinstance(exc, kind):
                return _error(status, str(exc))
        return _error(400, str(exc))

    @app.errorhandler(CasebookInvalid)
    def casebook_invalid(exc: CasebookInvalid) -> Any:
        from toolkit.web.main import problems_page

        return problems_page(exc.error)

    @app.errorhandler(CSRFError)
    def csrf_error(exc: CSRFError) -> Any:
        return _error(
            400,
            _(
                "The form had expired or did not come from this app. Open the page again and "
                "send the form once more."
            ),
        )

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException) -> Any:
        if exc.code is not None and exc.code < 400:
            return exc  # a routing redirect, not an error
        return _error(exc.code or 500)

    @app.errorhandler(Exception)
    def unexpected(exc: Exception) -> Any:
        app.logger.exception("unexpected error on %s", request.endpoint)
        return _error(500)
