"""Fixtures for the web app: a copy of the example casebook, apps in both sign-in modes."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.helpers import EXAMPLE_CASEBOOK
from toolkit.casebook.accounts import add_account
from toolkit.web.app import create_app

TOKEN = "test-token-0123456789"
PASSWORD = "een-lang-wachtwoord"
ROLES = ("coordinator", "facilitator", "secretaris")


def copy_example(target: Path) -> Path:
    shutil.copytree(EXAMPLE_CASEBOOK, target, ignore=shutil.ignore_patterns(".*"))
    return target


@pytest.fixture(scope="session")
def team_casebook(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example with one account per role (hashing takes a moment: made once)."""
    root = copy_example(tmp_path_factory.mktemp("team") / "cases")
    for role in ROLES:
        add_account(root, role, role, PASSWORD)
    return root


@pytest.fixture(scope="session")
def team_app(team_casebook: Path) -> Flask:
    return create_app(team_casebook, secret_key="test", testing=True)


@pytest.fixture
def casebook(tmp_path: Path) -> Path:
    return copy_example(tmp_path / "cases")


@pytest.fixture
def app(casebook: Path) -> Flask:
    return create_app(casebook, token=TOKEN, secret_key="test", testing=True)


@pytest.fixture
def coordinator(app: Flask) -> Iterator[FlaskClient]:
    client = app.test_client()
    assert client.get(f"/start?token={TOKEN}").status_code == 302
    yield client


def sign_in(app: Flask, role: str) -> FlaskClient:
    client = app.test_client()
    token = csrf_of(client.get("/inloggen").get_data(as_text=True))
    response = client.post(
        "/inloggen", data={"name": role, "password": PASSWORD, "csrf_token": token}
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    return client


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found, "the page has no CSRF token"
    return found.group(1)
