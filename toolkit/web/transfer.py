"""Bringing lists in and out in the browser: the upload (import) page and an export per list.

The import is the library's (:mod:`toolkit.casebook.importing`): the page reads the uploaded
file once, shows the preview (every problem per row and column, a choice of field per column,
possible duplicates), lets the coordinator correct the refused rows in the form and writes all
rows or none with :func:`~toolkit.casebook.importing.import_rows` under the casebook lock.

The uploaded file is never stored. Its rows travel with the form: read once, then carried in a
hidden field, signed with the app's secret key (so a row is either the file's or typed in the
form) and valid for one session's length. Nothing of the file is on the server's disk or in its
memory between two requests, so there is nothing to clean up after an import or an abandoned
preview; the page itself is never cached (``Cache-Control: no-store``).

An export is :func:`~toolkit.reports.export.export_bytes` of exactly the rows the list shows for
the same address: the list's own search and filters (:mod:`toolkit.web.records`) choose the
records, the export shows them. People appear by their public view unless the coordinator asks
for the internal list.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from itsdangerous import BadSignature, URLSafeTimedSerializer
from werkzeug.exceptions import RequestEntityTooLarge

from toolkit.casebook import Casebook
from toolkit.casebook.columns import COLUMNS
from toolkit.casebook.importing import (
    IMPORT_KINDS,
    SUFFIXES,
    ImportPreview,
    Rows,
    import_rows,
    preview_rows,
    read_table,
)
from toolkit.casebook.lock import CasebookBusyError
from toolkit.casebook.public import pseudonyms
from toolkit.errors import InvalidInputError
from toolkit.i18n import _
from toolkit.reports.export import Selection, export_bytes
from toolkit.reports.spreadsheet import FORMATS
from toolkit.web import records
from toolkit.web.common import book, private, today

blueprint = Blueprint("transfer", __name__)

#: The kinds of record an upload may hold, by the word in the address and the form.
UPLOAD_KINDS: dict[str, str] = {
    "personen": "people",
    "plekken": "opportunities",
    "organisaties": "organisations",
    "sponsors": "sponsors",
}
_WORD_OF = {kind: word for word, kind in UPLOAD_KINDS.items()}
_LIST_ENDPOINT = {
    "people": "records.people",
    "opportunities": "records.opportunities",
    "organisations": "records.organisations",
    "sponsors": "records.sponsors",
}
#: How long a preview may wait for its import: as long as a session lasts.
PREVIEW_SECONDS = 8 * 3600
_MEDIA_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}


def _kind_labels() -> dict[str, str]:
    return {
        "personen": _("people"),
        "plekken": _("opportunities"),
        "organisaties": _("organisations"),
        "sponsors": _("sponsors"),
    }


# --- the upload ----------------------------------------------------------------------------------


@blueprint.route("/importeren", methods=["GET", "POST"])
def upload() -> Any:
    if request.method == "GET":
        return _upload_form(request.args.get("soort", "personen"))
    word = request.form.get("soort", "")
    if word not in UPLOAD_KINDS:
        return _upload_form(word, _("Choose what the file holds."), 400)
    sent = request.files.get("bestand")
    if sent is None or not sent.filename:
        return _upload_form(word, _("Choose a file to upload."), 400)
    data = sent.read()
    if not data:
        return _upload_form(word, _("{file} is empty.").format(file=sent.filename), 400)
    try:
        table = read_table(data, sent.filename)
        preview = preview_rows(book().root, UPLOAD_KINDS[word], table, sent.filename)
    except InvalidInputError as exc:
        return _upload_form(word, str(exc), 400)
    return _preview_page(word, sent.filename, table, preview, {}, allow_duplicates=False)


@blueprint.errorhandler(RequestEntityTooLarge)
def too_large(exc: RequestEntityTooLarge) -> Any:
    limit = current_app.config["MAX_CONTENT_LENGTH"] // (1024 * 1024)
    message = _(
        "The file is larger than {limit} MB. Save only the sheet with the list, or split it."
    ).format(limit=limit)
    return _upload_form("personen", message, 413)


def _upload_form(word: str, error: str = "", status: int = 200) -> Any:
    return (
        render_template(
            "import.html.j2",
            kinds=_kind_labels(),
            chosen=word if word in UPLOAD_KINDS else "personen",
            error=error,
            suffixes=", ".join(SUFFIXES),
            limit=current_app.config["MAX_CONTENT_LENGTH"] // (1024 * 1024),
        ),
        status,
    )


@blueprint.route("/importeren/controle", methods=["POST"])
def review() -> Any:
    """The preview sent back: the choice of field per column, corrections and rows left out;
    checked again, and imported when asked and nothing is refused."""
    try:
        word, filename, table = _unsealed(request.form.get("rijen", ""))
    except InvalidInputError as exc:
        return _upload_form("personen", str(exc), 400)
    kind = UPLOAD_KINDS[word]
    headers = table[0][1] if table else []
    mapping = {
        str(header): request.form.get(f"kolom-{index}", "")
        for index, header in enumerate(headers)
        if header not in (None, "") and f"kolom-{index}" in request.form
    }
    table = _corrected(table, request.form)
    allow_duplicates = request.form.get("dubbelen") == "1"
    root = book().root
    try:
        if request.form.get("actie") == "importeren":
            # The one check that counts is made under the lock, against the casebook as it is
            # at that moment: written only if it finds nothing.
            preview = import_rows(
                root,
                kind,
                table,
                filename,
                mapping=mapping,
                allow_duplicates=allow_duplicates,
                actor=g.user or "web",
            )
            if preview.ok:
                return redirect(
                    url_for("transfer.done", soort=word, aantal=len(preview.rows)), code=303
                )
        else:
            preview = preview_rows(
                root, kind, table, filename, mapping=mapping, allow_duplicates=allow_duplicates
            )
    except CasebookBusyError as exc:
        # Another writer holds the casebook: the preview again, with everything typed kept.
        preview = preview_rows(
            root, kind, table, filename, mapping=mapping, allow_duplicates=allow_duplicates
        )
        return _preview_page(word, filename, table, preview, mapping, allow_duplicates, str(exc))
    except InvalidInputError as exc:
        return _upload_form(word, str(exc), 400)
    return _preview_page(word, filename, table, preview, mapping, allow_duplicates)


@blueprint.route("/importeren/klaar")
def done() -> Any:
    word = request.args.get("soort", "")
    if word not in UPLOAD_KINDS:
        abort(404)
    count = request.args.get("aantal", "0")
    return render_template(
        "import_done.html.j2",
        count=int(count) if count.isdigit() else 0,
        kind=_kind_labels()[word],
        list_url=url_for(_LIST_ENDPOINT[UPLOAD_KINDS[word]]),
    )


def _preview_page(
    word: str,
    filename: str,
    table: Rows,
    preview: ImportPreview,
    mapping: Mapping[str, str],
    allow_duplicates: bool,
    error: str = "",
) -> Any:
    headers = [str(h) if h is not None else "" for h in table[0][1]] if table else []
    cells_of = {number: cells for number, cells in table[1:]}
    folder = UPLOAD_KINDS[word]
    fields = [(c.field, f"{c.header} ({c.field})") for c in COLUMNS[folder]]
    mapped = [i for i, h in enumerate(headers) if h and preview.columns.get(h)]
    rows = []
    for row in preview.rows:
        cells = cells_of.get(row.row, [])
        rows.append(
            {
                "row": row,
                "name": row.values.get("name") or row.values.get("title") or "",
                "inputs": [
                    (
                        index,
                        headers[index],
                        _shown(
                            cells[index] if index < len(cells) else None,
                            preview.columns.get(headers[index]),
                        ),
                    )
                    for index in mapped
                ],
                # A problem without a column (a field no column fills) is still shown.
                "problems": row.problems,
            }
        )
    refused = sum(1 for row in preview.rows if row.problems)
    status = 409 if error else 200 if preview.ok else 422
    return (
        render_template(
            "import_preview.html.j2",
            word=word,
            kind=_kind_labels()[word],
            filename=filename,
            sealed=_sealed(word, filename, table),
            headers=headers,
            columns=[(i, h, preview.columns.get(h) or "") for i, h in enumerate(headers) if h],
            fields=fields,
            rows=rows,
            refused=refused,
            preview=preview,
            allow_duplicates=allow_duplicates,
            has_duplicates=any(row.duplicates for row in preview.rows),
            error=error,
            doubled=preview.doubled_message,
        ),
        status,
    )


# --- the rows between preview and import ---------------------------------------------------------


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="burgerbaan-import")


def _sealed(word: str, filename: str, table: Rows) -> str:
    rows = [[number, [_encoded(value) for value in cells]] for number, cells in table]
    return str(_serializer().dumps({"kind": word, "file": filename, "rows": rows}))


def _unsealed(text: str) -> tuple[str, str, Rows]:
    """The kind, the file's name and its rows, as the upload (and the corrections) left them."""
    try:
        payload = _serializer().loads(text, max_age=PREVIEW_SECONDS)
        word = str(payload["kind"])
        if word not in UPLOAD_KINDS:
            raise ValueError(word)
        filename = str(payload["file"])
        table: Rows = [
            (int(number), [_decoded(value) for value in cells]) for number, cells in payload["rows"]
        ]
    except (BadSignature, KeyError, TypeError, ValueError) as exc:
        raise InvalidInputError(
            _("The preview has expired or was damaged; upload the file again.")
        ) from exc
    return word, filename, table


def _encoded(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return {"datetime": value.isoformat()}
    if isinstance(value, dt.date):
        return {"date": value.isoformat()}
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)  # a time or a duration: shown, and checked, as text


def _decoded(value: Any) -> Any:
    if isinstance(value, dict):
        if "datetime" in value:
            return dt.datetime.fromisoformat(value["datetime"])
        return dt.date.fromisoformat(value["date"])
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    raise ValueError(value)


def _shown(value: Any, target: str | None = None) -> str:
    """A cell as its input shows it; a phone number that Excel kept as a number with its
    leading 0 back, as the import reads it."""
    if target == "contact.phone" and isinstance(value, int) and len(str(value)) == 9:
        return f"0{value}"
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return str(value)


def _corrected(table: Rows, form: Mapping[str, str]) -> Rows:
    """The rows with the corrections typed in the form, without the rows left out. A cell whose
    input still shows what the file held keeps the file's value (a number stays a number)."""
    if not table:
        return table
    width = len(table[0][1])
    result: Rows = [table[0]]
    for number, cells in table[1:]:
        if form.get(f"weglaten-{number}") == "1":
            continue
        cells = list(cells) + [None] * (width - len(cells))
        for index in range(width):
            typed = form.get(f"cel-{number}-{index}")
            # A phone shown with its 0 back and left alone becomes that text: the same number.
            if typed is not None and typed.strip() != _shown(cells[index]):
                cells[index] = typed.strip() or None
        result.append((number, cells))
    return result


# --- exports -------------------------------------------------------------------------------------


def _check_format(fmt: str) -> None:
    if fmt not in FORMATS:
        abort(404)


def _intern() -> bool:
    """Whether the internal list (names, contact) was asked for; only the coordinator may."""
    if request.args.get("intern") != "1":
        return False
    if not private():
        abort(403)
    return True


def _shown_ids(listing: records.Listing, ids_by_href: Mapping[str, str]) -> set[str]:
    """The ids of the records the list shows for this address's search and filters."""
    rows, _chosen, _query = records._apply(listing)
    return {ids_by_href[row.href] for row in rows}


def _send(casebook: Casebook, kind: str, fmt: str, intern: bool, selection: Selection) -> Any:
    data = export_bytes(casebook, kind, fmt, intern=intern, day=today(), selection=selection)
    names = {
        "people": "personen",
        "opportunities": "plekken",
        "organisations": "organisaties",
        "sponsors": "sponsors",
        "proposals": "voorstellen",
        "sponsor-figures": "sponsorcijfers",
        "sessions": "bijeenkomsten",
        "hours": "uren",
    }
    suffix = "-intern" if intern else ""
    response = Response(data, content_type=_MEDIA_TYPES[fmt])
    response.headers["Content-Disposition"] = f'attachment; filename="{names[kind]}{suffix}.{fmt}"'
    return response


def _records_export(
    kind: str,
    fmt: str,
    make: Callable[[Casebook], records.Listing],
    endpoint: str,
    folder: str,
) -> Any:
    _check_format(fmt)
    casebook = book()
    intern = _intern()
    ids = {url_for(endpoint, record_id=rid): rid for rid in casebook.records(folder)}
    chosen = _shown_ids(make(casebook), ids)
    return _send(casebook, kind, fmt, intern, Selection(only=chosen))


@blueprint.route("/mensen.<fmt>")
def people_export(fmt: str) -> Any:
    _check_format(fmt)
    casebook = book()
    intern = _intern()
    # The list names people by id for the coordinator and by pseudonym for everyone else.
    keys = {pid: pid for pid in casebook.people} if private() else pseudonyms(casebook)
    ids = {url_for("records.person", key=key): pid for pid, key in keys.items()}
    chosen = _shown_ids(records.people_listing(casebook, today()), ids)
    return _send(casebook, "people", fmt, intern, Selection(only=chosen))


@blueprint.route("/plekken.<fmt>")
def opportunities_export(fmt: str) -> Any:
    return _records_export(
        "opportunities",
        fmt,
        records.opportunities_listing,
        "records.opportunity",
        "opportunities",
    )


@blueprint.route("/organisaties.<fmt>")
def organisations_export(fmt: str) -> Any:
    return _records_export(
        "organisations",
        fmt,
        records.organisations_listing,
        "records.organisation",
        "organisations",
    )


@blueprint.route("/sponsors.<fmt>")
def sponsors_export(fmt: str) -> Any:
    return _records_export("sponsors", fmt, records.sponsors_listing, "records.sponsor", "sponsors")


@blueprint.route("/sponsorcijfers.<fmt>")
def sponsor_figures_export(fmt: str) -> Any:
    """The figures of the sponsors the sponsors list shows (budget, funded, SROI)."""
    return _records_export(
        "sponsor-figures", fmt, records.sponsors_listing, "records.sponsor", "sponsors"
    )


@blueprint.route("/bijeenkomsten.<fmt>")
def sessions_export(fmt: str) -> Any:
    return _records_export("sessions", fmt, records.sessions_listing, "records.session", "sessions")


@blueprint.route("/ronde/voorstellen.<fmt>")
def round_export(fmt: str) -> Any:
    """The round as its page shows it: every candidate, with or without a proposal."""
    from toolkit.web.matching import METHODS

    _check_format(fmt)
    method = request.args.get("method", "flow")
    if method not in METHODS:
        raise InvalidInputError(
            _("Unknown method '{method}'; choose one of: {methods}.").format(
                method=method, methods=", ".join(METHODS)
            ),
            field="method",
        )
    selection = Selection(method=method, unplaced=True)
    return _send(book(), "proposals", fmt, _intern(), selection)


#: The export of each list page, for the links under the list (``_export_links.html.j2``).
@blueprint.route("/uren.<fmt>")
def hours_export(fmt: str) -> Any:
    """Every hours statement of the casebook, in every state (the hours page is the
    coordinator's, so the internal list with names is the one it offers next to the public)."""
    _check_format(fmt)
    return _send(book(), "hours", fmt, _intern(), Selection())


EXPORTS: dict[str, tuple[str, ...]] = {
    "records.people": ("transfer.people_export",),
    "records.opportunities": ("transfer.opportunities_export",),
    "records.organisations": ("transfer.organisations_export",),
    "records.sponsors": ("transfer.sponsors_export", "transfer.sponsor_figures_export"),
    "records.sessions": ("transfer.sessions_export",),
    "matching.round": ("transfer.round_export",),
    "money.statements": ("transfer.hours_export",),
}


def export_url(endpoint: str, fmt: str, intern: bool = False) -> str:
    """The address of an export with this page's search and filters."""
    asked: dict[str, Any] = {k: v for k, v in request.args.items() if k not in ("fmt", "intern")}
    if intern:
        asked["intern"] = "1"
    return url_for(endpoint, fmt=fmt, **asked)


@blueprint.app_context_processor
def _export_links() -> dict[str, Any]:
    return {
        "export_endpoints": lambda endpoint: EXPORTS.get(endpoint or "", ()),
        "export_url": export_url,
    }


__all__ = ["IMPORT_KINDS", "blueprint"]
