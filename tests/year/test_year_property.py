"""Property: whatever accepts, declines, stops and renewals a coordinator records, in any order,
no place has more people than slots, no sponsor funds more than its budget, the casebook stays
valid (``check`` is green), and a refused step changes nothing."""

from __future__ import annotations

import datetime as dt
import tempfile
from collections import Counter
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tests.year.yearbook import YEAR, snapshot, write_yearbook
from toolkit.casebook import load_casebook
from toolkit.casebook.path import set_status
from toolkit.casebook.placements import decline, place, renew
from toolkit.errors import UsageError

PEOPLE = ["anna", "bram", "cora", "gijs"]
PLACES = ["keukenhulp", "uitgifte", "chauffeur"]
SPONSORS = [None, "bouwer", "winkel"]

operation = st.one_of(
    st.tuples(
        st.just("place"),
        st.sampled_from(PEOPLE),
        st.sampled_from(PLACES),
        st.sampled_from(SPONSORS),
        st.integers(min_value=0, max_value=400),
    ),
    st.tuples(st.just("decline"), st.sampled_from(PEOPLE), st.sampled_from(PLACES)),
    st.tuples(st.just("stop"), st.sampled_from(PEOPLE), st.integers(min_value=0, max_value=400)),
    st.tuples(
        st.just("candidate"), st.sampled_from(PEOPLE), st.integers(min_value=0, max_value=400)
    ),
    st.tuples(st.just("renew"), st.sampled_from(PEOPLE)),
)


def _apply(root: Path, op: tuple[object, ...], step: int) -> None:
    kind, person_id = op[0], str(op[1])
    base = dt.date(YEAR, 1, 1)
    if kind == "place":
        _kind, _p, opportunity, sponsor, offset = op
        day = base + dt.timedelta(days=int(offset))  # type: ignore[call-overload]
        place(
            root,
            person_id,
            str(opportunity),
            by="C",
            day=day,
            sponsor_id=sponsor if sponsor is None else str(sponsor),
        )
    elif kind == "decline":
        decline(root, person_id, str(op[2]), reason=f"reden {step}", by="C", day=base)
    elif kind == "stop":
        day = base + dt.timedelta(days=int(op[2]))  # type: ignore[call-overload]
        set_status(root, person_id, "gestopt", by="C", day=day, reason="anders")
    elif kind == "candidate":
        day = base + dt.timedelta(days=int(op[2]))  # type: ignore[call-overload]
        set_status(root, person_id, "kandidaat", by="C", day=day)
    else:
        renew(root, person_id, by="C", day=base)


def _invariants(root: Path) -> None:
    book = load_casebook(root)  # raises if check would fail
    on_place = Counter(
        p.placement.opportunity
        for p in book.people.values()
        if p.status == "actief" and p.placement is not None
    )
    for opportunity_id, count in on_place.items():
        assert count <= book.opportunities[opportunity_id].slots
    for sponsor_id, sponsor in book.sponsors.items():
        used = sum(
            placement.person_years()
            for p in book.people.values()
            for placement in p.history()
            if placement.sponsor == sponsor_id
        )
        assert used <= sponsor.budget_person_years + 1e-6, (sponsor_id, used)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(st.lists(operation, min_size=1, max_size=6))
@example([("place", "anna", "uitgifte", "bouwer", 0), ("place", "bram", "chauffeur", "bouwer", 0)])
@example([("place", "gijs", "uitgifte", None, 200), ("stop", "gijs", 10), ("renew", "gijs")])
@example(
    [
        ("place", "anna", "uitgifte", None, 0),
        ("candidate", "anna", 5),
        ("place", "anna", "chauffeur", "winkel", 6),
    ]
)
def test_slots_and_budgets_hold_and_check_stays_green(ops: list[tuple[object, ...]]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = write_yearbook(Path(folder) / "cb")
        for step, op in enumerate(ops):
            before = snapshot(root)
            try:
                _apply(root, op, step)
            except UsageError:
                assert snapshot(root) == before, op
            _invariants(root)
