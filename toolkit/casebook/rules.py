"""Rule figures per year (allowance caps, overhead, SROI credit), read from shipped data.

The figures live in ``data/rules.yaml`` with their sources; a casebook may override them in
``casebook.yaml``. Nothing else in the toolkit holds these numbers.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field
from ruamel.yaml import YAML

from toolkit.errors import InvalidInputError
from toolkit.i18n import _

RULES_FILE = Path(__file__).resolve().parent / "data" / "rules.yaml"

#: The age from which the higher hourly cap applies.
ADULT_AGE = 21
#: The certainty of figures taken from the Belastingdienst's own publication.
CONFIRMED = "zeker"


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class AllowanceCaps(_Frozen):
    """The volunteer-allowance maxima of one year; all hold at once, summed over organisations."""

    per_hour_21_plus: float = Field(gt=0)
    per_hour_under_21: float = Field(gt=0)
    per_month: float = Field(gt=0)
    per_year: float = Field(gt=0)
    certainty: str = "zeker"
    source: str = ""
    #: Why figures that are not ``zeker`` are not confirmed (shown wherever they are used).
    unconfirmed_because: str = ""

    def per_hour(self, age: int) -> float:
        """The hourly cap at ``age``: it applies only where an hourly allowance was agreed, and
        the Belastingdienst treats it as a guide (a higher rate may still count if the
        organisation can explain it), so exceeding it is a warning, never a refusal."""
        return self.per_hour_21_plus if age >= ADULT_AGE else self.per_hour_under_21

    @property
    def confirmed(self) -> bool:
        return self.certainty == CONFIRMED

    def caveat(self) -> str:
        """Empty for confirmed figures; otherwise "unconfirmed" and the reason, for every
        output that rests on these figures."""
        if self.confirmed:
            return ""
        return _("unconfirmed: {reason}").format(
            reason=self.unconfirmed_because or self.source or _("no source")
        )


class Figure(_Frozen):
    value: float = Field(ge=0)
    source: str = ""


class RuleData(_Frozen):
    allowance: dict[int, AllowanceCaps]
    overhead_per_year: Figure
    sroi_credit_per_year: Figure
    sponsor_allowance_per_year: Figure


class Rules(_Frozen):
    """The figures that apply to one casebook: one year's caps and the money per burgerbaan-year."""

    year: int
    allowance: AllowanceCaps
    overhead_per_year: Figure
    sroi_credit_per_year: Figure
    sponsor_allowance_per_year: Figure
    caps_by_year: dict[int, AllowanceCaps]

    @property
    def sponsor_cost_per_year(self) -> float:
        """What a sponsor pays per burgerbaan-year: the allowance plus the overhead."""
        return self.sponsor_allowance_per_year.value + self.overhead_per_year.value

    def caps_for(self, year: int) -> AllowanceCaps | None:
        return self.caps_by_year.get(year)


@cache
def rule_data(path: Path = RULES_FILE) -> RuleData:
    """The shipped rule data (read once)."""
    with path.open(encoding="utf-8") as handle:
        raw = YAML(typ="safe", pure=True).load(handle)
    return RuleData.model_validate(raw)


def known_years() -> list[int]:
    return sorted(rule_data().allowance)


def rules_for(
    year: int,
    *,
    allowance_override: dict[str, Any] | None = None,
    overhead_per_year: float | None = None,
    sroi_credit_per_year: float | None = None,
) -> Rules:
    """The rules of ``year`` with a casebook's overrides applied (each names its source)."""
    data = rule_data()
    caps_by_year = dict(data.allowance)
    if allowance_override:
        base = caps_by_year.get(year)
        merged: dict[str, Any] = base.model_dump() if base else {}
        merged.update(allowance_override)
        merged["source"] = _("casebook.yaml (override)")
        caps_by_year[year] = AllowanceCaps.model_validate(merged)
    if year not in caps_by_year:
        years = ", ".join(str(y) for y in sorted(caps_by_year))
        raise InvalidInputError(
            _(
                "There are no allowance figures for {year}; known years: {years}. "
                "Give the figures under allowance_caps in casebook.yaml."
            ).format(year=year, years=years),
            field="rules_year",
        )
    overhead = data.overhead_per_year
    if overhead_per_year is not None:
        overhead = Figure(value=overhead_per_year, source=_("casebook.yaml (override)"))
    credit = data.sroi_credit_per_year
    if sroi_credit_per_year is not None:
        credit = Figure(value=sroi_credit_per_year, source=_("casebook.yaml (override)"))
    return Rules(
        year=year,
        allowance=caps_by_year[year],
        overhead_per_year=overhead,
        sroi_credit_per_year=credit,
        sponsor_allowance_per_year=data.sponsor_allowance_per_year,
        caps_by_year=caps_by_year,
    )
