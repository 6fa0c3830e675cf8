"""The pilot overview (``burgerbaan overzicht``): progress, candidates, money and agreements.

:func:`build_overview` gathers the figures from a casebook on one day; :func:`render_overview`
writes them as Markdown or as one self-contained HTML page with charts. People appear only by
pseudonym, and :func:`render_overview` runs the privacy guard before it returns anything.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from html import escape
from typing import Literal

import jinja2
from markdown_it import MarkdownIt
from markupsafe import Markup

from toolkit.casebook.casebook import Casebook
from toolkit.casebook.hours import allowance_report
from toolkit.casebook.money import (
    SponsorAccount,
    agreements_ending,
    cooperative_costs,
    sponsor_accounts,
)
from toolkit.casebook.public import pseudonyms
from toolkit.casebook.rules import AllowanceCaps, Figure
from toolkit.formatting import long_date
from toolkit.i18n import _
from toolkit.reports.charts import Chart, organisation_chart, progress_chart, sponsor_chart
from toolkit.reports.environment import make_environment, render
from toolkit.reports.matchresults import MatchResults
from toolkit.reports.privacy import check_public
from toolkit.reports.sponsorplan import years_text

Format = Literal["md", "html"]
FORMATS: tuple[str, ...] = ("md", "html")


@dataclass(frozen=True)
class Row:
    label: str
    count: int


@dataclass(frozen=True)
class Goal:
    """The goal set at the latest session (``next.goal``), if it names a number."""

    count: int | None
    text: str | None
    due: date | None
    session: str | None
    session_date: date | None
    #: The date as the session named it: a day, or as written ("eind maart 2025").
    due_text: str = ""


@dataclass(frozen=True)
class AllowanceRow:
    pseudonym: str
    age_band: str
    months: int
    hours: float
    paid: float
    checked: bool
    taxable: bool
    unsigned: int
    verdict: str
    above_guide: bool = False


@dataclass(frozen=True)
class AgreementRow:
    pseudonym: str
    place: str
    organisation: str
    sponsor: str | None
    end: date
    days_left: int

    @property
    def ended(self) -> bool:
        return self.days_left < 0


@dataclass(frozen=True)
class OwnCostRow:
    pseudonym: str
    place: str
    organisation: str
    allowance: float
    overhead: float
    per_year: float


@dataclass(frozen=True)
class Candidates:
    """Candidates, and how many have a feasible option (``None``: the matcher was not run)."""

    total: int
    with_options: int | None
    without_options: tuple[str, ...] | None
    not_assessed: int | None
    proposals: int | None

    @property
    def computed(self) -> bool:
        return self.with_options is not None


@dataclass(frozen=True)
class Overview:
    name: str
    day: date
    rules_year: int
    active: int
    goal: Goal
    by_organisation: tuple[Row, ...]
    by_district: tuple[Row, ...]
    by_sponsor: tuple[Row, ...]
    candidates: Candidates
    progress: tuple[tuple[date, int], ...]
    hours_year: int
    caps: AllowanceCaps | None
    allowances: tuple[AllowanceRow, ...]
    without_hours: tuple[str, ...]
    sponsors: tuple[SponsorAccount, ...]
    credit: Figure
    sponsor_allowance: Figure
    overhead: Figure
    window: int
    agreements: tuple[AgreementRow, ...]
    own_costs: tuple[OwnCostRow, ...]

    @property
    def goal_share(self) -> int | None:
        """The part of the goal reached, in whole percent."""
        if not self.goal.count:
            return None
        return round(100 * self.active / self.goal.count)

    @property
    def goal_passed(self) -> bool:
        return self.goal.due is not None and self.goal.due < self.day

    @property
    def own_cost_total(self) -> float:
        return round(sum(row.per_year for row in self.own_costs), 2)

    @property
    def taxable(self) -> tuple[AllowanceRow, ...]:
        return tuple(row for row in self.allowances if row.taxable or row.above_guide)

    @property
    def sponsor_cost_per_year(self) -> float:
        return self.sponsor_allowance.value + self.overhead.value


def _goal(casebook: Casebook) -> Goal:
    session = casebook.latest_session()
    if session is None or session.next is None:
        return Goal(None, None, None, session.title if session else None, None)
    return Goal(
        count=session.next.goal_count,
        text=session.next.goal,
        due=session.next.latest_day,
        session=session.title,
        session_date=session.date,
        due_text=long_date(session.next.date) or session.next.approximate_date or "",
    )


def _counted(labels: list[str]) -> tuple[Row, ...]:
    counts = Counter(labels)
    return tuple(
        Row(label, count) for label, count in sorted(counts.items(), key=lambda i: (-i[1], i[0]))
    )


def progress_series(casebook: Casebook, day: date) -> tuple[tuple[date, int], ...]:
    """(date, active burgerbanen) at each start and end up to ``day``, from every placement.

    A person's whole history counts, so a switch of organisation is one line without a dip (the
    placements follow each other). An open-ended placement counts only while the person is
    actief: a stopped person's placement without an end date has no known end.
    """
    spans: list[tuple[date, date | None]] = []
    for person in casebook.people.values():
        for placement in person.history():
            if placement.end is None and person.status != "actief":
                continue
            spans.append((placement.start, placement.end))
    moments = {start for start, _end in spans}
    moments |= {end + timedelta(days=1) for _start, end in spans if end is not None}
    moments = {m for m in moments if m <= day}
    if not moments:
        return ()
    return tuple(
        (
            moment,
            sum(1 for start, end in spans if start <= moment and (end is None or moment <= end)),
        )
        for moment in sorted(moments)
    )


def build_overview(
    casebook: Casebook,
    day: date,
    *,
    window: int,
    matches: MatchResults | None = None,
) -> Overview:
    """The overview of ``casebook`` on ``day``; agreements ending within ``window`` days.

    ``matches`` are the matcher's results; without them, candidates' options are "not computed".
    """
    from toolkit.casebook.public import age_band

    names = pseudonyms(casebook)
    rules = casebook.rules
    active = sorted(casebook.active(), key=lambda p: p.id)
    placements = [p.placement for p in active if p.placement is not None]

    def opportunity_title(opportunity_id: str) -> str:
        opportunity = casebook.opportunities.get(opportunity_id)
        return opportunity.title if opportunity else opportunity_id

    def organisation_name(opportunity_id: str) -> str:
        opportunity = casebook.opportunities.get(opportunity_id)
        if opportunity is None:
            return "?"
        organisation = casebook.organisations.get(opportunity.organisation)
        return organisation.name if organisation else opportunity.organisation

    def district(opportunity_id: str) -> str:
        opportunity = casebook.opportunities.get(opportunity_id)
        return opportunity.district if opportunity else "?"

    def sponsor_name(sponsor_id: str | None) -> str | None:
        if sponsor_id is None:
            return None
        sponsor = casebook.sponsors.get(sponsor_id)
        return sponsor.name if sponsor else sponsor_id

    no_sponsor = _("no sponsor (the cooperative)")

    candidates = sorted(casebook.candidates(), key=lambda p: p.id)
    if matches is None:
        candidate_figures = Candidates(len(candidates), None, None, None, None)
    else:
        assessed = [(p, matches.options_of(p.id)) for p in candidates]
        candidate_figures = Candidates(
            total=len(candidates),
            with_options=sum(1 for _p, n in assessed if n is not None and n > 0),
            without_options=tuple(sorted(names[p.id] for p, n in assessed if n == 0)),
            not_assessed=sum(1 for _p, n in assessed if n is None),
            proposals=len(matches.proposals),
        )

    year = day.year
    report = allowance_report(casebook.hours, casebook.people, casebook.rules, year)
    allowances = tuple(
        sorted(
            (
                AllowanceRow(
                    pseudonym=names[entry.person_id],
                    age_band=age_band(casebook.people[entry.person_id].birth_year, year),
                    months=len(entry.months),
                    hours=entry.hours,
                    paid=entry.paid,
                    checked=entry.checked,
                    taxable=entry.taxable,
                    unsigned=entry.unsigned,
                    verdict=entry.verdict(),
                    above_guide=entry.above_guide,
                )
                for entry in report
            ),
            key=lambda row: row.pseudonym,
        )
    )
    with_hours = {entry.person_id for entry in report}
    without_hours = tuple(sorted(names[p.id] for p in active if p.id not in with_hours))

    return Overview(
        name=casebook.settings.name,
        day=day,
        rules_year=rules.year,
        active=len(active),
        goal=_goal(casebook),
        by_organisation=_counted([organisation_name(p.opportunity) for p in placements]),
        by_district=_counted([district(p.opportunity) for p in placements]),
        by_sponsor=_counted([sponsor_name(p.sponsor) or no_sponsor for p in placements]),
        candidates=candidate_figures,
        progress=progress_series(casebook, day),
        hours_year=year,
        caps=rules.caps_for(year),
        allowances=allowances,
        without_hours=without_hours,
        sponsors=tuple(sponsor_accounts(casebook, day)),
        credit=rules.sroi_credit_per_year,
        sponsor_allowance=rules.sponsor_allowance_per_year,
        overhead=rules.overhead_per_year,
        window=window,
        agreements=tuple(
            AgreementRow(
                pseudonym=names[a.person_id],
                place=opportunity_title(a.opportunity_id),
                organisation=organisation_name(a.opportunity_id),
                sponsor=sponsor_name(a.sponsor_id),
                end=a.end,
                days_left=a.days_left,
            )
            for a in agreements_ending(casebook, day, window)
        ),
        own_costs=tuple(
            OwnCostRow(
                pseudonym=names[c.person_id],
                place=opportunity_title(c.opportunity_id),
                organisation=organisation_name(c.opportunity_id),
                allowance=c.allowance_per_year,
                overhead=c.overhead_per_year,
                per_year=c.per_year,
            )
            for c in cooperative_costs(casebook)
        ),
    )


def overview_charts(overview: Overview) -> list[Chart]:
    """The three charts of the HTML overview."""
    return [
        progress_chart(overview.progress, overview.goal.count, overview.goal.due, overview.day),
        organisation_chart([(row.label, row.count) for row in overview.by_organisation]),
        sponsor_chart([(s.name, s.funded_years, s.budget_years) for s in overview.sponsors]),
    ]


def _cell(value: object) -> str:
    """Text for a Markdown table cell: a ``|`` would end the cell, a newline the row."""
    return str(value).replace("|", "\\|").replace("\n", " ")


def _environment() -> jinja2.Environment:
    environment = make_environment()
    environment.filters.update(cell=_cell, years=years_text)
    return environment


#: Markdown to HTML for the page: CommonMark with tables; raw HTML in the text is escaped.
_MARKDOWN = MarkdownIt("commonmark", {"html": False}).enable("table")


def _figure(chart: Chart) -> str:
    # The SVG comes from matplotlib, which escapes the text it draws; the caption is escaped here.
    return (
        f'<figure id="chart-{chart.key}">{chart.svg}'
        f"<figcaption><strong>{escape(chart.title)}.</strong> {escape(chart.alt)}</figcaption>"
        "</figure>"
    )


def render_overview(casebook: Casebook, overview: Overview, fmt: Format) -> str:
    """The overview as Markdown or as one HTML page, after the privacy guard has passed it."""
    environment = _environment()
    text = render(environment, "overview/overzicht.md.j2", o=overview, charts=fmt == "html")
    source = f"overzicht.{fmt}"
    check_public(casebook, [(source, "text", text)])
    if fmt == "md":
        return text
    charts = overview_charts(overview)
    # The drawings' path data is not text; every text drawn in them is checked on its own.
    check_public(
        casebook,
        [
            (f"{source} ({chart.key})", "chart", piece)
            for chart in charts
            for piece in (*chart.texts, chart.alt)
        ],
    )
    body = _MARKDOWN.render(text)
    for chart in charts:
        body = body.replace(f"<p>@@chart:{chart.key}@@</p>", _figure(chart))
    return render(environment, "overview/overzicht.html.j2", o=overview, body=Markup(body))
