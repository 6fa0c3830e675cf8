"""The path of a person: every step allowed and refused, with the date and who set it."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import shutil
from pathlib import Path

import pytest

from tests.helpers import EXAMPLE_CASEBOOK
from tests.year.yearbook import DAY, PLACEMENT, snapshot, write_yearbook
from toolkit.casebook import load_casebook
from toolkit.casebook.path import next_steps, set_status, transition_refusal, transition_table
from toolkit.casebook.records import STATUSES
from toolkit.errors import ConflictError, InvalidInputError, NotFoundError, UsageError

# Written out here, not taken from the module: the path, as an independent oracle.
ALLOWED = {
    ("aanmelding", "intake"),
    ("aanmelding", "gestopt"),
    ("intake", "kandidaat"),
    ("intake", "gestopt"),
    ("kandidaat", "voorgesteld"),
    ("kandidaat", "gestopt"),
    ("voorgesteld", "kandidaat"),
    ("voorgesteld", "gestopt"),
    ("actief", "kandidaat"),
    ("actief", "gestopt"),
    ("gestopt", "kandidaat"),
}


def _book_with(root: Path, status: str) -> Path:
    fields = {"status": status}
    if status in ("actief", "gestopt"):
        fields["placement"] = dict(PLACEMENT)
    from tests.helpers import person

    return write_yearbook(root, people={"pim": person(name="Pim Peters", **fields)})


@pytest.mark.parametrize(("current", "new"), list(itertools.product(STATUSES, STATUSES)))
def test_every_step_is_allowed_or_refused_as_the_path_says(
    tmp_path: Path, current: str, new: str
) -> None:
    root = _book_with(tmp_path / "cb", current)
    before = snapshot(root)
    reason = "eigen-keuze" if new == "gestopt" else None
    if (current, new) in ALLOWED:
        step = set_status(root, "pim", new, by="Coördinator", day=DAY, reason=reason)
        person = load_casebook(root).people["pim"]
        assert person.status == new
        assert person.status_history[-1].status == new
        assert person.status_history[-1].date == DAY
        assert person.status_history[-1].by == "Coördinator"
        assert step.change.reason == reason
    else:
        with pytest.raises(ConflictError) as caught:
            set_status(root, "pim", new, by="Coördinator", day=DAY, reason=reason)
        assert str(caught.value)  # a Dutch sentence, not a code
        assert "--" not in str(caught.value)  # the library names no command-line flag
        assert snapshot(root) == before


def test_the_table_matches_the_path() -> None:
    allowed = {(a, b) for a, b, refusal in transition_table() if refusal is None}
    assert allowed == ALLOWED
    for status in STATUSES:
        assert next_steps(status) == [b for b in STATUSES if (status, b) in ALLOWED]


def test_becoming_actief_is_refused_with_a_pointer_to_the_placement() -> None:
    message = transition_refusal("voorgesteld", "actief", None)
    assert message is not None and "plaatsing" in message


def test_a_refused_step_says_which_steps_are_possible() -> None:
    message = transition_refusal("aanmelding", "kandidaat", None)
    assert message is not None
    assert "intake" in message and "gestopt" in message


def test_stopping_needs_a_reason_from_the_list(tmp_path: Path) -> None:
    root = _book_with(tmp_path / "cb", "kandidaat")
    with pytest.raises(InvalidInputError, match="reden") as caught:
        set_status(root, "pim", "gestopt", by="C", day=DAY)
    assert caught.value.field == "reason"
    with pytest.raises(UsageError, match="geen reden"):
        set_status(root, "pim", "gestopt", by="C", day=DAY, reason="zomaar")
    with pytest.raises(UsageError, match="alleen bij stoppen"):
        set_status(root, "pim", "voorgesteld", by="C", day=DAY, reason="gezondheid")
    set_status(root, "pim", "gestopt", by="C", day=DAY, reason="gezondheid", note="Rugklachten")
    change = load_casebook(root).people["pim"].status_history[-1]
    assert (change.reason, change.note) == ("gezondheid", "Rugklachten")


def test_leaving_actief_ends_the_placement_that_day(tmp_path: Path) -> None:
    root = _book_with(tmp_path / "cb", "actief")
    step = set_status(root, "pim", "gestopt", by="C", day=DAY, reason="betaald-werk")
    assert step.ended_placement_on == DAY
    person = load_casebook(root).people["pim"]
    assert person.placement is not None and person.placement.end == DAY


def test_leaving_before_the_placement_starts_is_refused(tmp_path: Path) -> None:
    root = _book_with(tmp_path / "cb", "actief")
    with pytest.raises(InvalidInputError):
        set_status(root, "pim", "gestopt", by="C", day=dt.date(2024, 12, 1), reason="anders")


def test_unknown_person_and_missing_author(tmp_path: Path) -> None:
    root = _book_with(tmp_path / "cb", "kandidaat")
    with pytest.raises(NotFoundError, match="pi"):
        set_status(root, "pom", "voorgesteld", by="C", day=DAY)
    with pytest.raises(InvalidInputError):
        set_status(root, "pim", "voorgesteld", by="  ", day=DAY)


def test_the_history_grows_in_order_and_other_files_stay_byte_identical(tmp_path: Path) -> None:
    root = tmp_path / "cb"
    shutil.copytree(EXAMPLE_CASEBOOK, root)
    before = snapshot(root)
    candidate = next(p.id for p in load_casebook(root).candidates())
    set_status(root, candidate, "voorgesteld", by="C", day=DAY)
    set_status(root, candidate, "kandidaat", by="C", day=DAY + dt.timedelta(days=3))
    after = snapshot(root)
    changed = {name for name in after if after[name] != before.get(name)}
    # The person's file, and the change history (who, which fields: never the values).
    assert changed == {f"people/{candidate}.yaml", "history.jsonl"}
    lines = [json.loads(line) for line in after["history.jsonl"].decode().splitlines()]
    assert [(c["by"], c["folder"], c["id"], c["action"]) for c in lines] == [
        ("C", "people", candidate, "changed")
    ] * 2
    assert lines[0]["fields"] == ["status", "status_history"]
    old = before[f"people/{candidate}.yaml"].decode()
    new = after[f"people/{candidate}.yaml"].decode()
    # Every line of the original stays; only the status line changed and the history was added.
    assert [line for line in old.splitlines() if not line.startswith("status:")] == [
        line
        for line in new.splitlines()
        if line in old.splitlines() and not line.startswith("status:")
    ]
    history = load_casebook(root).people[candidate].status_history
    assert [h.status for h in history] == ["voorgesteld", "kandidaat"]


def test_a_history_out_of_order_or_not_ending_in_the_status_is_refused(tmp_path: Path) -> None:
    from tests.helpers import person
    from toolkit.errors import CasebookError

    wrong_end = person(
        status="kandidaat",
        status_history=[{"status": "intake", "date": "2025-01-01", "by": "C"}],
    )
    wrong_order = person(
        status="kandidaat",
        status_history=[
            {"status": "intake", "date": "2025-02-01", "by": "C"},
            {"status": "kandidaat", "date": "2025-01-01", "by": "C"},
        ],
    )
    for record in (wrong_end, wrong_order):
        root = write_yearbook(tmp_path / record["status_history"][0]["date"], people={"p": record})
        with pytest.raises(CasebookError):
            load_casebook(root)


def test_the_refusal_offers_actief_only_where_a_placement_can_follow() -> None:
    from_candidate = transition_refusal("kandidaat", "intake", None)
    from_registration = transition_refusal("aanmelding", "kandidaat", None)
    from_active = transition_refusal("actief", "voorgesteld", None)
    assert from_candidate is not None and "actief" in from_candidate
    assert from_registration is not None and "actief" not in from_registration
    assert from_active is not None and "actief" not in from_active.split("stap ")[1].split(",")[0]


def test_two_steps_on_one_day_are_in_order(tmp_path: Path) -> None:
    root = _book_with(tmp_path / "cb", "kandidaat")
    set_status(root, "pim", "voorgesteld", by="C", day=DAY)
    set_status(root, "pim", "kandidaat", by="C", day=DAY)
    with pytest.raises(InvalidInputError, match="volgorde"):
        set_status(root, "pim", "voorgesteld", by="C", day=DAY - dt.timedelta(days=1))


def _placement_of(root: Path) -> object:
    return load_casebook(root).people["pim"].placement


@pytest.mark.parametrize(
    ("day", "end", "ended"),
    [
        (dt.date(2025, 1, 1), "2025-12-31", dt.date(2025, 1, 1)),  # the first day: allowed
        (dt.date(2025, 12, 31), "2025-12-31", None),  # the last day: nothing to end
        (dt.date(2025, 6, 30), None, dt.date(2025, 6, 30)),  # an open end gets one
    ],
)
def test_leaving_actief_ends_the_placement_only_where_it_runs_on(
    tmp_path: Path, day: dt.date, end: str | None, ended: dt.date | None
) -> None:
    from tests.helpers import person

    placement = (
        {**PLACEMENT, "end": end} if end else {k: v for k, v in PLACEMENT.items() if k != "end"}
    )
    root = write_yearbook(
        tmp_path / "cb",
        people={"pim": person(name="Pim Peters", status="actief", placement=placement)},
    )
    step = set_status(root, "pim", "gestopt", by="C", day=day, reason="anders")
    assert step.ended_placement_on == ended
    assert _placement_of(root).end == (ended or dt.date.fromisoformat(end or "1900-01-01"))  # type: ignore[attr-defined]


def test_a_stopped_persons_placement_is_left_alone_when_they_return(tmp_path: Path) -> None:
    root = _book_with(tmp_path / "cb", "gestopt")  # placement 2025-01-01 to 2025-12-31
    set_status(root, "pim", "kandidaat", by="C", day=DAY)
    assert _placement_of(root).end == dt.date(2025, 12, 31)  # type: ignore[attr-defined]
