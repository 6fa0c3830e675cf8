"""Alerts for the coordinator: situations that need an action or a check, per person.

An alert never blocks anything; it tells the coordinator what to arrange (a declaration, a
report to UWV) or what the pilot has not settled yet (PGB).
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

from toolkit.casebook.casebook import Casebook
from toolkit.casebook.hours import allowance_years, eur
from toolkit.casebook.records import Person
from toolkit.files import leftover_temporary_files
from toolkit.formatting import short_date
from toolkit.i18n import _, ngettext

#: Ages and windows the alerts turn on. The bijstand age is in the Participatiewet (art. 31).
BIJSTAND_KEEP_AGE = 27
RENEWAL_WINDOW_DAYS = 60


@dataclass(frozen=True)
class Alert:
    person_id: str
    code: str
    message: str


def person_alerts(person: Person) -> list[Alert]:
    """Alerts that follow from a person's own record, whatever the date (the matcher uses these)."""
    alerts = []

    def add(code: str, message: str) -> None:
        alerts.append(Alert(person.id, code, message))

    if not person.has_bsn:
        add("no_bsn", _("no BSN: check whether volunteering and the allowance are possible"))
    if "asielzoeker" in person.situation:
        add(
            "asylum_seeker",
            _("asylum seeker: the organisation needs a UWV volunteer declaration"),
        )
    if "pgb" in person.situation:
        add("pgb", _("PGB: the pilot has not yet set the framework for PGB funding"))
    if "wajong" in person.situation:
        add("wajong", _("Wajong: report the volunteer work to UWV within a week"))
    return alerts


def alerts_on(casebook: Casebook, person: Person, today: date) -> list[Alert]:
    """Every alert for ``person`` on ``today``: their own, age and consent, agreements, caps."""
    alerts = person_alerts(person)

    def add(code: str, message: str) -> None:
        alerts.append(Alert(person.id, code, message))

    if "bijstand" in person.situation:
        if person.age_in(today.year) < BIJSTAND_KEEP_AGE:
            add(
                "bijstand_under_27",
                _("bijstand and under 27: the allowance is deducted from the benefit"),
            )
        else:
            add(
                "bijstand_27_plus",
                _(
                    "bijstand and 27 or older: report the allowance to the municipality; "
                    "within the caps it is kept"
                ),
            )
    if "ww" in person.situation:
        add(
            "ww",
            _(
                "WW: the volunteer work needs UWV's permission before it starts; ask for it "
                "first and keep the answer"
            ),
        )
    if person.consent is None or person.consent.data is None:
        add("no_consent", _("no consent for data processing recorded"))
    placement = person.placement
    if person.status == "actief" and placement is not None and placement.end is not None:
        if placement.end < today:
            add(
                "agreement_ended",
                _("the agreement ended on {end}: renew it or set the status to gestopt").format(
                    end=short_date(placement.end)
                ),
            )
        elif placement.end <= today + timedelta(days=RENEWAL_WINDOW_DAYS):
            add(
                "agreement_ending",
                _("the agreement ends on {end}, within {days} days: discuss renewal").format(
                    end=short_date(placement.end), days=RENEWAL_WINDOW_DAYS
                ),
            )
    rate = placement.allowance_per_hour if placement is not None else None
    caps = casebook.rules.caps_for(today.year)
    if rate is not None and caps is not None:
        guide = caps.per_hour(person.age_in(today.year))
        if round(rate * 100) > round(guide * 100):
            message = _(
                "the agreed allowance of € {rate} an hour is above the hourly cap of € {guide} "
                "for {year} (age {age}); it is a guide: the organisation must be able to "
                "explain why the rate is still no wage, or lower it"
            ).format(
                rate=eur(rate), guide=eur(guide), year=today.year, age=person.age_in(today.year)
            )
            if not caps.confirmed:
                message += " " + _("(Caps {year} {caveat}.)").format(
                    year=today.year, caveat=caps.caveat()
                )
            add("hourly_rate_above_guide", message)
    hours = casebook.hours.get(person.id)
    if hours is not None:
        for year in allowance_years(person, hours, casebook.rules):
            if year.taxable:
                add("allowance_taxable", year.verdict())
            elif year.above_guide:
                add("allowance_above_hourly_guide", year.verdict())
    alerts.extend(waiting_alerts(casebook, person))
    return alerts


def waiting_alerts(casebook: Casebook, person: Person) -> list[Alert]:
    """Hours statements entered but not yet approved: nothing is paid until they are."""
    hours = casebook.hours.get(person.id)
    months = sorted({s.month for s in hours.statements if s.state == "ingediend"}) if hours else []
    if not months:
        return []
    message = ngettext(
        "the hours statement of {months} awaits approval; it is paid only once approved",
        "the hours statements of {months} await approval; they are paid only once approved",
        len(months),
    ).format(months=", ".join(months))
    return [Alert(person.id, "hours_waiting", message)]


def casebook_alerts(casebook: Casebook, today: date) -> list[Alert]:
    """The alerts of every person, in the order of their ids; for people who have stopped only
    consent and retention (:func:`stopped_alerts`)."""
    alerts: list[Alert] = []
    for person_id in sorted(casebook.people):
        person = casebook.people[person_id]
        if person.status == "gestopt":
            alerts.extend(stopped_alerts(casebook, person, today))
        else:
            alerts.extend(alerts_on(casebook, person, today))
    return alerts


def stopped_alerts(casebook: Casebook, person: Person, today: date) -> list[Alert]:
    """For a person who has stopped, only what concerns keeping their data: consent and the
    retention period (``retention_months`` after the end of their last placement)."""
    alerts = waiting_alerts(casebook, person)
    months = casebook.settings.retention_months
    if person.consent is None or person.consent.data is None:
        alerts.append(Alert(person.id, "no_consent", _("no consent for data processing recorded")))
    end = person.placement.end if person.placement is not None else None
    if end is None:
        alerts.append(
            Alert(
                person.id,
                "retention_unknown",
                _(
                    "stopped, but no end date of a placement is recorded, so the retention "
                    "period ({months} months) cannot be checked: record the end date, or remove "
                    "the file if it is no longer needed"
                ).format(months=months),
            )
        )
    elif today > add_months(end, months):
        alerts.append(
            Alert(
                person.id,
                "retention_passed",
                _(
                    "stopped: the last placement ended on {end}, more than {months} months ago; "
                    "remove the file ('burgerbaan vergeet') unless there is a reason to keep it"
                ).format(end=short_date(end), months=months),
            )
        )
    return alerts


def add_months(day: date, months: int) -> date:
    """``day`` moved ``months`` calendar months on (31 January + 1 month = 28/29 February); a
    day beyond the calendar's end is :attr:`date.max`."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    if year > date.max.year:
        return date.max
    last_day = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last_day))


def casebook_notices(casebook: Casebook) -> list[str]:
    """Advice about the casebook as a whole (not about one person)."""
    notices = []
    caps = casebook.rules.allowance
    if not caps.confirmed:
        notices.append(
            _(
                "The allowance caps of {year} that this casebook uses are {caveat}. Every "
                "figure and alert that rests on them says so."
            ).format(year=casebook.rules.year, caveat=caps.caveat())
        )
    if not casebook.settings.pseudonym_salt:
        notices.append(
            _(
                "No pseudonym_salt is set in casebook.yaml: pseudonyms are keyed by the "
                "casebook's name, so someone who knows a person's id could work out their "
                "pseudonym. Set a secret word as pseudonym_salt (pseudonyms change once)."
            )
        )
    leftovers = leftover_temporary_files(casebook.root)
    if leftovers:
        notices.append(
            _(
                "Temporary files left by a write that was interrupted: {files}. They hold a "
                "copy of case data; the next command that writes to the casebook removes them "
                "(or remove them yourself)."
            ).format(files=", ".join(str(p.relative_to(casebook.root)) for p in leftovers))
        )
    words = [("casebook.yaml", casebook.settings.niet_persoon)]
    words += [(f"sessions/{s.id}", s.niet_persoon) for s in casebook.sessions.values()]
    for where, listed in words:
        if listed:
            notices.append(
                _(
                    "Confirmed as not-a-person in public outputs ({where}): {words}. A name "
                    "part on this list passes the privacy guard; whole names never do."
                ).format(where=where, words=", ".join(listed))
            )
    return notices
