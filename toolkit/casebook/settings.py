"""The optional ``casebook.yaml``: the casebook's name, rules year, weights, map and synonyms."""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

from toolkit.casebook.numbers import Amount
from toolkit.casebook.tags import fold


class _Settings(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


class Weights(_Settings):
    """How much each part counts in the total fit; they need not sum to one."""

    talents: float = Field(default=0.4, ge=0)
    wishes: float = Field(default=0.4, ge=0)
    values: float = Field(default=0.2, ge=0)

    @model_validator(mode="after")
    def _not_all_zero(self) -> Weights:
        if self.talents + self.wishes + self.values <= 0:
            raise ValueError("weights_all_zero")
        return self

    def normalised(self) -> tuple[float, float, float]:
        total = self.talents + self.wishes + self.values
        return (self.talents / total, self.wishes / total, self.values / total)


class AllowanceOverride(_Settings):
    per_hour_21_plus: Amount | None = Field(default=None, gt=0)
    per_hour_under_21: Amount | None = Field(default=None, gt=0)
    per_month: Amount | None = Field(default=None, gt=0)
    per_year: Amount | None = Field(default=None, gt=0)


def _fold_synonyms(value: dict[str, str]) -> dict[str, str]:
    return {fold(k): fold(v) for k, v in value.items()}


def _check_coordinates(value: dict[str, tuple[float, float]]) -> dict[str, tuple[float, float]]:
    for lat, lon in value.values():
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise ValueError("bad_coordinates")
    return value


class Settings(_Settings):
    name: str = "Casebook"
    rules_year: int | None = Field(default=None, ge=2000, le=2100)
    weights: Weights = Weights()
    districts: Annotated[dict[str, tuple[float, float]], AfterValidator(_check_coordinates)] = {}
    synonyms: Annotated[dict[str, str], AfterValidator(_fold_synonyms)] = {}
    sroi_credit_per_year: Amount | None = Field(default=None, ge=0)
    # Extensions (docs/casebook.md): overrides of the shipped rule figures and privacy settings.
    overhead_per_year: Amount | None = Field(default=None, ge=0)
    allowance_caps: AllowanceOverride | None = None
    retention_months: int = Field(default=24, ge=1)
    pseudonym_salt: str | None = None
    #: Words confirmed as not-a-person in every public output: a surname that is also an
    #: ordinary word ("meer", "vos"). Only single name parts; whole names always count.
    niet_persoon: list[str] = []
