"""The documents the commands write, one click away and byte for byte the same.

Each download calls the library function the command calls, with the same options, and sends
its output unchanged: ``verslag``, ``qa``, ``kaart``, ``overzicht``. The sponsor plan is shown
as the command prints it.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, abort, g, render_template, request

from toolkit.errors import UsageError
from toolkit.i18n import _
from toolkit.web.common import book, download, match_results, today

blueprint = Blueprint("documents", __name__)

QA_FORMATS = ("html", "md")
MAP_DOWNLOADS = ("svg", "png", "graphml", "gexf", "html", "text")


def _verslag(record_id: str, fmt: str, intern: bool) -> Response:
    from toolkit.reports.documents import VerslagRequest

    if record_id not in book().sessions:
        abort(404)
    return download("verslag", VerslagRequest(session=record_id, format=fmt, intern=intern))


@blueprint.route("/bijeenkomsten/<record_id>/verslag.<fmt>")
def verslag_download(record_id: str, fmt: str) -> Any:
    return _verslag(record_id, fmt, intern=False)


@blueprint.route("/bijeenkomsten/<record_id>/verslag-intern.<fmt>")
def verslag_intern_download(record_id: str, fmt: str) -> Any:
    return _verslag(record_id, fmt, intern=True)


@blueprint.route("/vragen")
def qa() -> Any:
    from toolkit.reports.qa import QaOptions, render_qa

    text = render_qa(book(), QaOptions(format="md"))
    return render_template("qa.html.j2", text=text, formats=QA_FORMATS)


@blueprint.route("/vragen.<fmt>")
def qa_download(fmt: str) -> Any:
    from toolkit.reports.documents import QaRequest

    return download("qa", QaRequest(format=fmt))


def _map(fmt: str) -> str | bytes:
    from toolkit.reports.kaart import render_map

    day = today()
    casebook = book()
    result: str | bytes = render_map(casebook, day, fmt, match_results())
    return result


@blueprint.route("/kaart")
def kaart() -> Any:
    return render_template("kaart.html.j2", analysis=_map("text"), downloads=MAP_DOWNLOADS)


@blueprint.route("/kaart.<fmt>")
def kaart_download(fmt: str) -> Any:
    from toolkit.reports.documents import MapRequest

    if fmt == "svg" and request.args.get("inline"):
        # The drawing shown on the map page, as an image (its own styles are allowed there).
        g.raw_document = True
        return Response(_map("svg"), mimetype="image/svg+xml")
    return download("kaart", MapRequest(format=fmt, day=today()))


@blueprint.route("/overzicht.<fmt>")
def overzicht_download(fmt: str) -> Any:
    from toolkit.reports.documents import OverviewRequest

    return download("overzicht", OverviewRequest(format=fmt, day=today()))


@blueprint.route("/sponsorplan")
def sponsorplan() -> Any:
    from toolkit.casebook.money import plan, plan_for_sponsor
    from toolkit.reports.sponsorplan import plan_text

    casebook = book()
    sponsor_id = request.args.get("sponsor", "")
    obligation = request.args.get("obligation", "").strip()
    years_text = request.args.get("years", "").strip()
    text = ""
    errors: dict[str, str] = {}
    years: int | None = None
    if years_text:
        if years_text.isdigit() and 1 <= int(years_text) <= 50:
            years = int(years_text)
        else:
            errors["years"] = _("Give a whole number of years from 1 to 50.")
    if not errors and sponsor_id:
        if sponsor_id not in casebook.sponsors:
            errors["sponsor"] = _("Choose a sponsor from the list.")
        else:
            try:
                text = plan_text(plan_for_sponsor(casebook, sponsor_id, years, today()))
            except UsageError as exc:  # e.g. a sponsor without an obligation: said at the field
                errors["sponsor"] = str(exc)
    elif not errors and obligation:
        try:
            amount = float(obligation.replace(".", "").replace(",", "."))
        except ValueError:
            amount = -1.0
        if amount < 0 or amount != amount or amount > 1e12:
            errors["obligation"] = _("Give the obligation in euros, for example 250000.")
        else:
            text = plan_text(plan(amount, years or 1, casebook.rules, start=today()))
    return render_template(
        "sponsorplan.html.j2",
        sponsors=sorted(casebook.sponsors.values(), key=lambda s: s.name),
        sponsor_id=sponsor_id,
        obligation=obligation,
        years=years_text,
        text=text,
        errors=errors,
    )
