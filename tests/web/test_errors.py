"""No traceback ever reaches a page: unexpected errors are a Dutch 500, library errors by kind."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from toolkit.errors import ConflictError, InvalidInputError, NotFoundError, ToolkitError
from toolkit.web import records


def test_an_unexpected_error_is_a_dutch_500_without_a_traceback(
    coordinator: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object) -> object:
        raise RuntimeError("secret detail /home/coordinator/cases/people/x.yaml")

    monkeypatch.setattr(records, "opportunities_listing", broken)
    response = coordinator.get("/plekken")
    text = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Er ging iets mis" in text
    assert "Traceback" not in text and "secret detail" not in text


@pytest.mark.parametrize(
    ("error", "status"),
    [
        (NotFoundError("Er is geen record 'x'."), 404),
        (InvalidInputError("Een ongeldige datum."), 400),
        (ConflictError("Het bestand bestaat al."), 409),
        (ToolkitError("Iets anders."), 400),
    ],
)
def test_library_errors_become_pages_by_kind(
    coordinator: FlaskClient, monkeypatch: pytest.MonkeyPatch, error: Exception, status: int
) -> None:
    def refuse(*args: object) -> object:
        raise error

    monkeypatch.setattr(records, "sponsors_listing", refuse)
    response = coordinator.get("/sponsors")
    assert response.status_code == status
    assert str(error) in response.get_data(as_text=True)
