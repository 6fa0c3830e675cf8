"""Starter files for new records: valid YAML with a Dutch comment on every field."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import jinja2

from toolkit.casebook.casebook import SETTINGS_FILE
from toolkit.casebook.records import ID_PATTERN, RECORD_TYPES
from toolkit.casebook.yamlfile import YamlProblem, read_yaml
from toolkit.errors import ConflictError, InvalidInputError, NotFoundError
from toolkit.files import write_atomic
from toolkit.i18n import _
from toolkit.paths import templates_dir

STARTER_KINDS: tuple[str, ...] = tuple(t.record_kind for t in RECORD_TYPES)
_FOLDER_OF = {t.record_kind: t.folder for t in RECORD_TYPES}


def write_starter(
    casebook_root: Path, kind: str, record_id: str, *, today: date | None = None
) -> Path:
    """Write ``<casebook>/<folder>/<id>.yaml`` from the starter of ``kind``; never overwrite."""
    if kind not in _FOLDER_OF:
        raise InvalidInputError(
            _("Unknown kind '{kind}'; choose one of: {kinds}.").format(
                kind=kind, kinds=", ".join(STARTER_KINDS)
            ),
            field="kind",
        )
    if not ID_PATTERN.match(record_id):
        raise InvalidInputError(
            _(
                "'{id}' is not a valid id: use lowercase letters a-z, digits and hyphens, "
                "for example jan-de-vries."
            ).format(id=record_id),
            field="id",
        )
    if not casebook_root.is_dir():
        raise NotFoundError(
            _("The casebook folder {path} does not exist.").format(path=casebook_root)
        )
    path = casebook_root / _FOLDER_OF[kind] / f"{record_id}.yaml"
    if path.exists() or path.is_symlink():
        # Said here rather than by write_atomic, whose remedy (replace it) is one that `new`
        # deliberately does not offer.
        raise ConflictError(
            _(
                "{path} already exists; nothing was written. Edit that file, or choose another id."
            ).format(path=path),
            path=path,
        )
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates_dir() / "new"),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        autoescape=False,
    )
    text = environment.get_template(f"{kind}.yaml.j2").render(
        id=record_id,
        today=(today or date.today()).isoformat(),
        district=_first_district(casebook_root),
        organisation=_first_id(casebook_root / "organisations", "organisatie-id"),
        opportunity=_first_id(casebook_root / "opportunities", "plek-id"),
    )
    write_atomic(path, text)
    return path


def _first_district(root: Path) -> str:
    settings = root / SETTINGS_FILE
    if settings.is_file():
        try:
            districts = read_yaml(settings).data.get("districts") or {}
        except YamlProblem:
            districts = {}
        if isinstance(districts, dict) and districts:
            return str(next(iter(districts)))
    return "Almere Stad"


def _first_id(folder: Path, fallback: str) -> str:
    stems = sorted(p.stem for p in folder.glob("*.yaml")) if folder.is_dir() else []
    return stems[0] if stems else fallback
