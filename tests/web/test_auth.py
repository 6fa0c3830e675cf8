"""Signing in: the one-time token, accounts with Argon2id, slowing down, sessions that end."""

from __future__ import annotations

import json
import time
from pathlib import Path

from flask import Flask

from tests.web.conftest import PASSWORD, TOKEN, csrf_of, sign_in
from toolkit.casebook.accounts import (
    accounts_path,
    add_account,
    read_accounts,
    remove_account,
    set_password,
    verify,
)
from toolkit.web.app import IDLE_MINUTES, SESSION_HOURS, create_app


def test_the_token_starts_a_coordinator_session_once(app: Flask) -> None:
    client = app.test_client()
    assert client.get("/").status_code == 403
    assert client.get("/start?token=wrong").status_code == 403
    assert client.get("/start").status_code == 403
    response = client.get(f"/start?token={TOKEN}")
    assert response.status_code == 302
    page = client.get("/")
    assert page.status_code == 200
    assert "coordinator" in page.get_data(as_text=True)
    # One time: the same address opens nothing for anyone else.
    assert app.test_client().get(f"/start?token={TOKEN}").status_code == 403


def test_without_accounts_the_login_page_points_to_the_token(app: Flask) -> None:
    response = app.test_client().get("/inloggen")
    assert response.status_code == 403
    assert "burgerbaan web" in response.get_data(as_text=True)


def test_accounts_store_argon2id_hashes_never_the_password(casebook: Path) -> None:
    add_account(casebook, "anna", "facilitator", PASSWORD)
    text = accounts_path(casebook).read_text(encoding="utf-8")
    assert PASSWORD not in text
    (entry,) = json.loads(text)["accounts"]
    assert entry["hash"].startswith("$argon2id$")
    accounts = read_accounts(casebook)
    assert verify(accounts, "anna", PASSWORD) is not None
    assert verify(accounts, "anna", PASSWORD + "x") is None
    assert verify(accounts, "bob", PASSWORD) is None
    assert accounts_path(casebook).stat().st_mode & 0o077 == 0
    set_password(casebook, "anna", "een-ander-wachtwoord")
    assert verify(read_accounts(casebook), "anna", PASSWORD) is None
    assert verify(read_accounts(casebook), "anna", "een-ander-wachtwoord") is not None


def test_log_in_and_out_with_an_account(team_app: Flask) -> None:
    client = team_app.test_client()
    response = client.get("/mensen")
    assert response.status_code == 302 and "/inloggen" in response.location
    client = sign_in(team_app, "secretaris")
    assert client.get("/mensen").status_code == 200
    token = csrf_of(client.get("/").get_data(as_text=True))
    assert client.post("/uitloggen", data={"csrf_token": token}).status_code == 302
    assert client.get("/mensen").status_code == 302


def test_failed_log_ins_slow_down_even_the_right_password(casebook: Path) -> None:
    add_account(casebook, "anna", "coordinator", PASSWORD)
    app = create_app(casebook, secret_key="test", testing=True)
    client = app.test_client()
    token = csrf_of(client.get("/inloggen").get_data(as_text=True))

    def attempt(password: str) -> int:
        data = {"name": "anna", "password": password, "csrf_token": token}
        return client.post("/inloggen", data=data).status_code

    assert [attempt("fout") for _ in range(3)] == [401, 401, 401]
    response_status = attempt(PASSWORD)
    assert response_status == 429  # must wait, although the password is right
    state = app.extensions["burgerbaan"]
    count, not_before = state.failures["name:anna"]
    assert count == 3 and not_before > time.time()
    state.failures.clear()
    assert attempt(PASSWORD) == 302


def test_a_removed_account_ends_its_sessions(casebook: Path) -> None:
    add_account(casebook, "anna", "coordinator", PASSWORD)
    app = create_app(casebook, secret_key="test", testing=True)
    client = app.test_client()
    token = csrf_of(client.get("/inloggen").get_data(as_text=True))
    data = {"name": "anna", "password": PASSWORD, "csrf_token": token}
    assert client.post("/inloggen", data=data).status_code == 302
    assert client.get("/mensen").status_code == 200
    add_account(casebook, "bob", "coordinator", PASSWORD)
    remove_account(casebook, "anna")
    assert client.get("/mensen").status_code == 302


def test_sessions_end_when_idle_or_old(team_app: Flask) -> None:
    client = sign_in(team_app, "coordinator")
    assert client.get("/").status_code == 200
    with client.session_transaction() as session:
        session["seen"] = time.time() - IDLE_MINUTES * 60 - 1
    assert client.get("/").status_code == 302
    client = sign_in(team_app, "coordinator")
    with client.session_transaction() as session:
        session["started"] = time.time() - SESSION_HOURS * 3600 - 1
    assert client.get("/").status_code == 302


def test_the_log_in_does_not_redirect_elsewhere(team_app: Flask) -> None:
    client = team_app.test_client()
    token = csrf_of(client.get("/inloggen").get_data(as_text=True))
    data = {"name": "facilitator", "password": PASSWORD, "csrf_token": token}
    response = client.post("/inloggen?next=//evil.example/", data=data)
    assert response.status_code == 302 and response.location == "/"


def test_forms_without_a_csrf_token_are_refused(coordinator: object) -> None:
    client = coordinator
    response = client.post("/taal", data={"lang": "en"})  # type: ignore[attr-defined]
    assert response.status_code == 400
    assert "formulier" in response.get_data(as_text=True).lower()
    page = client.get("/").get_data(as_text=True)  # type: ignore[attr-defined]
    response = client.post("/taal", data={"lang": "en", "csrf_token": csrf_of(page)})  # type: ignore[attr-defined]
    assert response.status_code == 302
    assert "People" in client.get("/mensen").get_data(as_text=True)  # type: ignore[attr-defined]


def test_cookies_are_http_only_and_same_site(app: Flask) -> None:
    response = app.test_client().get(f"/start?token={TOKEN}")
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie
