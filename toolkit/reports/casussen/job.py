"""The whole casussen job: choose, build, render and check (:func:`render_casussen`, nothing
written), then write everything or nothing (:func:`write_rendered`).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from toolkit.casebook.casebook import Casebook
from toolkit.casebook.session_cases import SessionChange, record_cases
from toolkit.errors import ConflictError, OutputError, Remedy
from toolkit.files import write_atomic
from toolkit.i18n import _
from toolkit.matching.options import PersonOptions
from toolkit.reports.casussen.documents import KEY_STEM, render_files, zip_files
from toolkit.reports.casussen.handouts import Handouts, build_handouts, internal_key
from toolkit.reports.casussen.privacy import check_handouts
from toolkit.reports.casussen.request import Request
from toolkit.reports.casussen.selection import Plan, plan_cases, pool
from toolkit.reports.casussen.themes import QuestionBank, load_question_bank


@dataclass(frozen=True)
class Result:
    plan: Plan
    handouts: Handouts
    written: tuple[Path, ...]
    session_file: Path | None
    #: False when the session file's layout could not be reproduced exactly (see SessionChange).
    session_layout_kept: bool = True


OptionsSource = Callable[[Sequence[str]], Mapping[str, PersonOptions]]


def write_all(
    files: Mapping[Path, bytes | str],
    *,
    force: bool,
    changed: Iterable[Path] = (),
    private: Iterable[Path] = (),
) -> tuple[Path, ...]:
    """Write every file or none.

    All are checked before the first is written: without ``force`` none may exist yet, except
    the ``changed`` ones (files that are edited in place, like a session file). Each is written
    atomically, the ``private`` ones (personal data) readable by their owner only; if one
    fails, the files already written are put back as they were.
    """
    edited = set(changed)
    owner_only = set(private)
    if not force:
        existing = [path for path in files if path.exists() and path not in edited]
        if existing:
            raise ConflictError(
                _("These files already exist; nothing was written: {paths}").format(
                    paths=", ".join(str(p) for p in existing)
                ),
                path=existing[0],
                remedy=Remedy.REPLACE,
            )
    before = {path: path.read_bytes() if path.is_file() else None for path in files}
    written: list[Path] = []
    try:
        for path, content in files.items():
            write_atomic(path, content, overwrite=True, private=path in owner_only)
            written.append(path)
    except BaseException:
        for path in reversed(written):
            old = before[path]
            with contextlib.suppress(OSError, OutputError):
                if old is None:
                    path.unlink()
                else:
                    write_atomic(path, old, overwrite=True)
        raise
    return tuple(written)


@dataclass(frozen=True)
class Rendered:
    """Every file of one casussen job, rendered and checked but not written.

    ``files`` maps a file name to its content (the internal key only when asked); ``session``
    is the session file with the cases recorded, when the job names a session.
    """

    plan: Plan
    handouts: Handouts
    files: Mapping[str, bytes]
    session: SessionChange | None

    def zip_bytes(self) -> bytes:
        """The public files in one zip (for a download); the internal key is left out."""
        return zip_files({n: c for n, c in self.files.items() if not n.startswith(KEY_STEM)})


def render_casussen(
    casebook: Casebook,
    request: Request,
    options: OptionsSource | None = None,
    *,
    bank: QuestionBank | None = None,
) -> Rendered:
    """Choose, build, render and check every file; nothing is written.

    ``options`` gives the matcher's options for the people it is asked about; without it the
    handouts say that the matcher was not run, and no matcher theme is raised.
    """
    people = pool(casebook, request)
    bank = bank or load_question_bank()
    session = casebook.sessions[request.session] if request.session is not None else None
    given = dict(options(people)) if options is not None else None
    plan = plan_cases(casebook, request, given, session)
    handouts = build_handouts(casebook, plan, given, bank, request.day, session)
    key = internal_key(casebook, plan) if request.intern else None
    files = render_files(handouts, request.format, key, template=request.docx_template)
    check_handouts(casebook, handouts, files)
    change = None
    if session is not None:
        change = record_cases(casebook, session, plan.tables, force=request.force)
    return Rendered(plan=plan, handouts=handouts, files=files, session=change)


def write_rendered(rendered: Rendered, out: Path, *, force: bool) -> Result:
    """Write every file of ``rendered`` into ``out`` (and the session file), all or none."""
    targets: dict[Path, bytes | str] = {out / n: content for n, content in rendered.files.items()}
    change = rendered.session
    if change is not None:
        targets[change.path] = change.text
    key_files = [out / name for name in rendered.files if name.startswith(KEY_STEM)]
    written = write_all(
        targets,
        force=force,
        changed=[change.path] if change else [],
        private=key_files,
    )
    return Result(
        plan=rendered.plan,
        handouts=rendered.handouts,
        written=written,
        session_file=change.path if change else None,
        session_layout_kept=change.faithful if change else True,
    )


def make_casussen(
    casebook: Casebook,
    request: Request,
    options: OptionsSource | None = None,
    *,
    bank: QuestionBank | None = None,
) -> Result:
    """Choose, build, render and check every file, then write them all (or nothing)."""
    rendered = render_casussen(casebook, request, options, bank=bank)
    return write_rendered(rendered, request.out, force=request.force)


def matcher_options(casebook: Casebook) -> OptionsSource:
    """The matcher's top options for the people the handouts choose from (the casebook's
    ``exclusions.yaml`` applies)."""
    # Imported when asked: the matcher takes a second to import, the handouts may go without.
    from toolkit.matching import Matcher
    from toolkit.reports.casussen.themes import TOP_OPTIONS

    matcher = Matcher(casebook)

    def options(person_ids: Sequence[str]) -> dict[str, PersonOptions]:
        return {pid: matcher.options(pid, top=TOP_OPTIONS) for pid in person_ids}

    return options
