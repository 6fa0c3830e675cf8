"""The forms' help is the text of the starter files' comments (one source)."""

from __future__ import annotations

from toolkit.casebook.field_help import help_for, parse_help, starter_help
from toolkit.casebook.starter import STARTER_KINDS


def test_every_starter_kind_gives_help_for_its_fields() -> None:
    for kind in STARTER_KINDS:
        assert starter_help(kind), kind
    person = starter_help("person")
    assert person["district"] == "wijk waar de persoon woont"
    # A comment continued on the next line belongs to the field above it.
    assert person["situation"].endswith("inburgering, asielzoeker, statushouder, ww, geen")
    # A field the starter leaves commented out still gives its help.
    assert starter_help("sponsor")["sroi_obligation"] == "SROI-verplichting in euro (optioneel)"


def test_parse_help_reads_nesting_quotes_and_groups() -> None:
    text = (
        "# Kop: geen veld\n"
        "name: x            # de naam\n"
        'time: "19:30 # geen commentaar"   # de tijd\n'
        "contact:           # de groep\n"
        "  phone: 06        # telefoon\n"
        "                   #   of leeg laten\n"
        "hours: {min: 1, max: 2}  # uren\n"
    )
    helps = parse_help(text)
    assert helps == {
        "name": "de naam",
        "time": "de tijd",
        "contact": "de groep",
        "contact.phone": "telefoon of leeg laten",
        "hours": "uren",
    }


def test_a_part_without_help_has_its_groups_help() -> None:
    assert help_for("opportunity", "hours_per_week.min") == "uren per week: minimum en maximum"
    assert help_for("person", "no_such_field") == ""
    assert help_for("no-such-kind", "name") == ""
