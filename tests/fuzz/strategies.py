"""Generators of broken and hostile input for the fuzz suite.

Three levels: raw bytes, text that looks like YAML (built from the pieces people and attackers
type: indentation, flow brackets, anchors, tags, block scalars, huge numbers), and well-formed
YAML whose *values* are wrong (wrong types, non-finite numbers, impossible dates, markup).
"""

from __future__ import annotations

import atexit
import datetime as dt
import shutil
import tempfile
from functools import cache
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

from tests.helpers import dump_yaml, person, session, write_casebook

#: Pieces of YAML syntax and of things people paste into case files.
FRAGMENTS = [
    "name: ",
    "status: ",
    "placement:\n  ",
    "start: ",
    "- ",
    "  ",
    "    ",
    "\n",
    "\r\n",
    "\t",
    ": ",
    ":",
    "[",
    "]",
    "{",
    "}",
    ", ",
    "&a ",
    "*a",
    "<<: *a\n",
    "!!python/object:os.system ",
    "!!python/object/apply:os.system ['true']",
    "!!binary aGVsbG8=",
    "!!set {a, b}",
    "!!omap [a: 1]",
    "!foo ",
    "!!float ",
    "? ",
    "# comment\n",
    "---\n",
    "...\n",
    "%YAML 1.1\n",
    "|\n  ",
    ">-\n  ",
    '"',
    "'",
    "\\u0000",
    "~",
    "null",
    "ja",
    "2024-02-30",
    "9999-12-31",
    "0001-01-01",
    "1e999",
    ".nan",
    "-.inf",
    "9" * 40,
    "0x1F",
    "0o17",
    "<script>alert(1)</script>",
    "{{ 7*7 }}",
    "\u202e",
    "\ufeff",
    "é",
    "\x07",
    "\x85",
    "\u2028",
]

yaml_like_text = st.lists(
    st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=12)), max_size=40
).map("".join)

raw_bytes = st.one_of(
    st.binary(max_size=300),
    yaml_like_text.map(lambda t: t.encode("utf-8", "surrogatepass")),
    yaml_like_text.map(lambda t: t.encode("utf-16")),
    yaml_like_text.map(lambda t: t.encode("latin-1", "replace")),
)

_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(min_value=-(10**60), max_value=10**60),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=30),
    st.sampled_from(
        [
            "",
            " ",
            "ja",
            "nee",
            "2024-02-30",
            "2024-01-01",
            "9999-12-31",
            "0001-01-01",
            "<script>alert(1)</script>",
            "actief",
            "gestopt",
            "anna-de-vries",
            "ANNA",
            "../../etc/passwd",
        ]
    ),
    st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31)),
    st.integers(min_value=200, max_value=3000).map(lambda n: "a" * n),
)

#: Values of any shape, as a YAML file may hold them.
yaml_values = st.recursive(
    _scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(st.text(max_size=10), children, max_size=4),
    ),
    max_leaves=12,
)

PERSON_FIELDS = [
    "name",
    "contact",
    "birth_year",
    "district",
    "has_bsn",
    "situation",
    "talents",
    "wishes",
    "availability",
    "values",
    "avoid_sectors",
    "needs",
    "status",
    "placement",
    "consent",
    "notes",
    "id",
    "onbekend",
]

placements = st.fixed_dictionaries(
    {
        "opportunity": st.one_of(st.just("keukenhulp"), _scalars),
        "start": st.one_of(st.dates(), _scalars),
        "allowance_per_year": st.one_of(st.just(2000), _scalars),
    },
    optional={"end": st.one_of(st.dates(), _scalars), "sponsor": _scalars},
)

#: A person record with some fields replaced by values of any shape.
broken_people = st.builds(
    lambda changes, placement: person(
        **{**changes, **({"placement": placement} if placement is not None else {})}
    ),
    st.dictionaries(st.sampled_from(PERSON_FIELDS), yaml_values, max_size=3),
    st.one_of(st.none(), placements),
)

#: A session whose table cases and texts are of any shape.
broken_sessions = st.builds(
    lambda cases, extra: session(
        tables=[{"theme": "Tafel", "cases": cases}],
        **extra,
    ),
    st.one_of(st.lists(st.sampled_from(["anna-de-vries", "niemand", "ANNA"])), yaml_values),
    st.dictionaries(
        st.sampled_from(["title", "date", "actions", "questions", "decisions", "next", "closing"]),
        yaml_values,
        max_size=2,
    ),
)


def _write_bytes(root: Path, relative: str, data: bytes) -> None:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def _damage(root: Path, how: str, payload: Any) -> None:
    if how == "person_file":
        _write_bytes(root, "people/anna-de-vries.yaml", payload)
    elif how == "settings_file":
        _write_bytes(root, "casebook.yaml", payload)
    elif how == "person_values":
        dump_yaml(root / "people" / "anna-de-vries.yaml", payload)
    elif how == "session_values":
        dump_yaml(root / "sessions" / "avond-1.yaml", payload)
    elif how == "settings_values":
        dump_yaml(root / "casebook.yaml", payload)
    elif how == "folder_as_file":
        folder = root / "people" / f"{payload}.yaml"
        if folder.exists():
            folder.unlink()
        folder.mkdir(parents=True)
    elif how == "settings_folder":
        (root / "casebook.yaml").unlink()
        (root / "casebook.yaml").mkdir()
    elif how == "symlink":
        target = root / "people" / "anna-de-vries.yaml"
        (root / "people" / "link.yaml").symlink_to(target if payload else root / "nowhere.yaml")
    elif how == "hours_file":
        _write_bytes(root, "hours/anna-de-vries.yaml", payload)
    elif how == "stray_file":
        _write_bytes(root, "notes.yaml", payload)
    elif how == "erasure_log":
        _write_bytes(root, "erasure-log.yaml", payload)
    elif how == "erasure_log_values":
        dump_yaml(root / "erasure-log.yaml", payload)
    elif how == "erased_and_back":
        # Bert was erased; then a backup brought his file (and a reference) back.
        from toolkit.casebook.rights import apply_erasure, plan_erasure, snapshot

        saved = (root / "people" / "bert-bos.yaml").read_bytes()
        apply_erasure(plan_erasure(snapshot(root), "bert-bos"), today=dt.date(2026, 1, 1))
        if payload:
            _write_bytes(root, "people/bert-bos.yaml", saved)


damages = st.one_of(
    st.tuples(st.just("person_file"), raw_bytes),
    st.tuples(st.just("settings_file"), raw_bytes),
    st.tuples(st.just("hours_file"), raw_bytes),
    st.tuples(st.just("stray_file"), raw_bytes),
    st.tuples(st.just("person_values"), st.one_of(broken_people, yaml_values)),
    st.tuples(st.just("session_values"), broken_sessions),
    st.tuples(
        st.just("settings_values"),
        st.one_of(
            yaml_values,
            st.dictionaries(
                st.sampled_from(
                    [
                        "name",
                        "rules_year",
                        "weights",
                        "districts",
                        "synonyms",
                        "retention_months",
                        "pseudonym_salt",
                        "allowance_caps",
                        "overhead_per_year",
                    ]
                ),
                yaml_values,
                max_size=3,
            ),
        ),
    ),
    st.tuples(st.just("folder_as_file"), st.sampled_from(["bert", "Bad Name", "anna-de-vries"])),
    st.tuples(st.just("settings_folder"), st.none()),
    st.tuples(st.just("symlink"), st.booleans()),
    st.tuples(st.just("erasure_log"), raw_bytes),
    st.tuples(
        st.just("erasure_log_values"),
        st.one_of(
            yaml_values,
            st.fixed_dictionaries(
                {"salt": st.one_of(st.just("0123456789abcdef0123"), _scalars)},
                optional={"erased": yaml_values},
            ),
        ),
    ),
    st.tuples(st.just("erased_and_back"), st.booleans()),
)


@cache
def _base_casebook() -> Path:
    """Written once and copied per example: dumping YAML is the slow part of an example."""
    folder = Path(tempfile.mkdtemp(prefix="fuzz-base-"))
    atexit.register(shutil.rmtree, folder, True)
    return write_casebook(
        folder / "cases",
        people={
            "anna-de-vries": person(),
            "bert-bos": person(
                name="Bert Bos",
                status="gestopt",
                placement={
                    "opportunity": "keukenhulp",
                    "start": "2020-01-01",
                    "end": "2020-12-31",
                    "allowance_per_year": 1500,
                },
            ),
        },
        sessions={"avond-1": session(tables=[{"theme": "Tafel", "cases": ["anna-de-vries"]}])},
    )


def fuzzed_casebook(root: Path, damage: tuple[str, Any] | None) -> Path:
    """A small valid casebook (two people, one placed and stopped, one discussed in a session),
    then one damage."""
    shutil.copytree(_base_casebook(), root)
    if damage is not None:
        _damage(root, *damage)
    return root
