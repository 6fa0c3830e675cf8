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


def match_results(day: date) -> MatchResults:
    """The matcher's feasible options per candidate and its round, for the overview and the
    map, as ``overzicht`` and ``kaart`` compute them."""
    from toolkit.reports.matchresults import MatchResults

    current = book()

    def make() -> MatchResults:
        if not current.candidates() or not current.opportunities:
            return MatchResults(options={p.id: 0 for p in current.candidates()}, proposals=())
        found = matcher()
        proposals = found.round().proposals
        return MatchResults(
            options=found.feasible_counts(),
            proposals=tuple((o.person_id, o.opportunity_id) for o in proposals),
        )

    result: MatchResults = derived(f"results:{g.language}", make)
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


def download(content: str | bytes, filename: str, mimetype: str) -> Response:
    """The exact bytes a command would write, as a file to save."""
    data = content.encode("utf-8") if isinstance(content, str) else content
    response = Response(data, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


MIMETYPES = {
    "md": "text/markdown; charset=utf-8",
    "html": "text/html; charset=utf-8",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "svg": "image/svg+xml",
    "png": "image/png",
    "graphml": "application/xml",
    "gexf": "application/xml",
    "text": "text/plain; charset=utf-8",
}


def page(template: str, **context: Any) -> str:
    return render_template(template, **context)
