"""The sponsor plan as text: what meets an obligation, what it costs, and on which assumption."""

from __future__ import annotations

from toolkit.casebook.money import SponsorPlan
from toolkit.formatting import long_date, money, number
from toolkit.i18n import _, ngettext


def years_text(value: float) -> str:
    digits = 0 if round(value, 2) == round(value) else 2
    return number(value, digits)


def burgerbaan_years(value: float) -> str:
    """``1 burgerbaan-year``, ``2,5 burgerbaan-years``."""
    return ngettext(
        "{years} burgerbaan-year", "{years} burgerbaan-years", 1 if value == 1 else 2
    ).format(years=years_text(value))


def plan_text(plan: SponsorPlan) -> str:
    """The plan in a few plain lines, for the terminal."""
    lines: list[str] = []
    account = plan.sponsor
    if account is not None and account.obligation is not None:
        lines.append(
            _("Sponsor {name}: SROI obligation {obligation}{deadline}.").format(
                name=account.name,
                obligation=money(account.obligation),
                deadline=(
                    " " + _("by {date}").format(date=long_date(account.deadline))
                    if account.deadline
                    else ""
                ),
            )
        )
        lines.append(
            _("Already credited: {years} = {credited}; still missing: {missing}.").format(
                years=burgerbaan_years(account.credited_years),
                credited=money(account.credited),
                missing=money(plan.obligation),
            )
        )
        if account.deadline_passed:
            lines.append(
                _("Note: the deadline {date} has passed.").format(date=long_date(account.deadline))
            )
    else:
        lines.append(_("SROI obligation: {obligation}.").format(obligation=money(plan.obligation)))
    lines.append(
        _("Assumption: {credit} SROI credit per burgerbaan-year (source: {source}).").format(
            credit=money(plan.credit.value), source=plan.credit.source
        )
    )
    if plan.obligation <= 0:
        lines.append(_("The obligation is met; no more burgerbanen are needed."))
        return "\n".join(lines)
    lines.append(
        _("Needed: {needed} ({obligation} / {credit}).").format(
            needed=burgerbaan_years(round(plan.person_years_needed, 2)),
            obligation=money(plan.obligation),
            credit=money(plan.credit.value),
        )
    )
    lines.append(
        ngettext(
            "Plan: {count} burgerbaan for {years}, {start} to {end}.",
            "Plan: {count} burgerbanen for {years}, {start} to {end}.",
            plan.burgerbanen,
        ).format(
            count=plan.burgerbanen,
            years=ngettext("{n} year", "{n} years", plan.years).format(n=plan.years),
            start=long_date(plan.start),
            end=long_date(plan.end),
        )
    )
    lines.append(
        _(
            "Cost: {person_years} × {per_year} ({allowance} allowance + {overhead} overhead) "
            "= {cost}."
        ).format(
            person_years=burgerbaan_years(plan.person_years),
            per_year=money(plan.cost_per_year),
            allowance=money(plan.allowance.value),
            overhead=money(plan.overhead.value),
            cost=money(plan.cost),
        )
    )
    if plan.rounded_up:
        lines.append(
            _(
                "Rounded up: {exact} burgerbanen are needed, and a burgerbaan is a whole person, "
                "so {count}; they are credited {credited}, {surplus} more than needed."
            ).format(
                exact=years_text(round(plan.person_years_needed / plan.years, 2)),
                count=plan.burgerbanen,
                credited=money(plan.credited),
                surplus=money(plan.surplus),
            )
        )
    if plan.past_deadline and account is not None and account.deadline is not None:
        lines.append(
            _(
                "Warning: the plan runs until {end}, after the deadline {deadline}; years after "
                "the deadline do not count."
            ).format(end=long_date(plan.end), deadline=long_date(account.deadline))
        )
    return "\n".join(lines)
