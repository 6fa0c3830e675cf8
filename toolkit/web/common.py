"""What the views share: the current casebook, the matcher, people by their key, downloads."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from flask import Response, abort, g, render_template

from toolkit.casebook import Casebook
from toolkit.casebook.public import pseudonyms
from toolkit.casebook.records import Person
from toolkit.errors import CasebookError
from toolkit.web import permissions
from toolkit.web.store import Loaded

if TYPE_CHECKING:
    from toolkit.matching import Matcher
    from toolkit.reports.matchresults import MatchResults


class CasebookInvalid(Exception):
    """The casebook does not load: the view gives way to the problems page."""

    def __init__(self, error: CasebookError) -> None:
        super().__init__(str(error))
        self.error = error


def loaded() -> Loaded:
    from toolkit.web.app import state

    if "loaded" not in g:
        g.loaded = state().store.current()
    result: Loaded = g.loaded
    return result


def book() -> Casebook:
    """The casebook of this request; an invalid one shows the problems page instead."""
    current = loaded()
    if current.casebook is None:
        assert current.error is not None
        raise CasebookInvalid(current.error)
    return current.casebook


def derived(key: str, make: Any) -> Any:
    from toolkit.web.app import state

    return state().store.derived(loaded(), key, make)


def matcher() -> Matcher:
    """The matcher of the current casebook, built once per load (its arrays take a while)."""
    from toolkit.matching import Matcher

    current = book()
    result: Matcher = derived("matcher", lambda: Matcher(current))
    return result


def match_results() -> MatchResults:
    """The matcher's results for the overview and the map (as ``overzicht`` and ``kaart``
    compute them), once per loaded casebook: they hold ids and counts, no language."""
    from toolkit.reports.matchresults import compute_match_results

    current = book()
    result: MatchResults = derived("results", lambda: compute_match_results(current))
    return result


def today() -> date:
    return date.today()


def private() -> bool:
    """Whether this request may see people's names, contact and situation."""
    return permissions.can(g.get("role"), "people.private")


def person_key(casebook: Casebook, person: Person) -> str:
    """How a person is named in addresses: the id (a name) only for who may see names."""
    return person.id if private() else pseudonyms(casebook)[person.id]


def person_by_key(casebook: Casebook, key: str) -> Person:
    """The person an address names; an unknown key is a plain 404, with no close ids."""
    if private():
        person = casebook.people.get(key)
    else:
        by_pseudonym = {name: pid for pid, name in pseudonyms(casebook).items()}
        person = casebook.people.get(by_pseudonym.get(key, ""))
    if person is None:
        abort(404)
    return person


def download(kind: str, request: object) -> Response:
    """The document the command writes, byte for byte (:func:`render_document`), to save."""
    from toolkit.reports.documents import KINDS, render_document

    fmt = getattr(request, "format", "")
    if fmt not in KINDS[kind].formats:
        abort(404)
    document = render_document(kind, book(), request)
    response = Response(document.data, content_type=document.media_type)
    response.headers["Content-Disposition"] = f'attachment; filename="{document.name}"'
    return response


def page(template: str, **context: Any) -> str:
    return render_template(template, **context)
