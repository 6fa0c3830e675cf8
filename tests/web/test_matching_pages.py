"""The matcher's pages report exactly what the library's run_match reports for the same request
(the web keeps its matcher and round per loaded casebook for speed; the answer may not differ)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from flask import Flask, template_rendered
from flask.testing import FlaskClient

from tests.web.conftest import sign_in
from toolkit.casebook import load_casebook
from toolkit.casebook.public import pseudonyms
from toolkit.i18n import use_language
from toolkit.reports.matchrun import MatchRequest, run_match


@contextmanager
def captured(app: Flask) -> Iterator[list[dict[str, Any]]]:
    contexts: list[dict[str, Any]] = []

    def record(sender: Flask, template: Any, context: dict[str, Any], **extra: Any) -> None:
        contexts.append(context)

    template_rendered.connect(record, app)
    try:
        yield contexts
    finally:
        template_rendered.disconnect(record, app)


def report_of(app: Flask, client: FlaskClient, url: str) -> Any:
    with captured(app) as contexts:
        response = client.get(url)
    assert response.status_code == 200, url
    return contexts[-1]["report"]


@pytest.mark.parametrize("method", ["flow", "stable"])
def test_the_round_page_is_run_match(
    coordinator: FlaskClient, app: Flask, casebook: Path, method: str
) -> None:
    shown = report_of(app, coordinator, f"/ronde?method={method}")
    with use_language("nl"):
        expected = run_match(
            load_casebook(casebook),
            MatchRequest(method=method, intern=True, shortlists=False),
            date.today(),
        )
    assert shown == expected


@pytest.mark.parametrize("top", [3, 5])
def test_the_options_page_is_run_match(
    coordinator: FlaskClient, app: Flask, casebook: Path, top: int
) -> None:
    book = load_casebook(casebook)
    for person in sorted(book.people)[:4]:
        shown = report_of(app, coordinator, f"/mensen/{person}/opties?top={top}")
        with use_language("nl"):
            expected = run_match(
                book, MatchRequest(person=person, top=top, intern=True), date.today()
            )
        assert shown == expected, person


def test_a_facilitator_gets_the_public_report(team_app: Flask, team_casebook: Path) -> None:
    client = sign_in(team_app, "facilitator")
    book = load_casebook(team_casebook)
    person = sorted(book.people)[0]
    shown = report_of(team_app, client, f"/mensen/{pseudonyms(book)[person]}/opties")
    with use_language("nl"):
        expected = run_match(book, MatchRequest(person=person, intern=False), date.today())
    assert shown == expected and not shown.intern
    shown = report_of(team_app, client, "/ronde")
    with use_language("nl"):
        expected = run_match(book, MatchRequest(round=True, shortlists=False), date.today())
    assert shown == expected
