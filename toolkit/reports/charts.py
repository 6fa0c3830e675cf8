"""Charts for the overview, drawn with matplotlib (Agg) and kept as inline SVG.

Each chart carries its own ``<title>`` and ``<desc>`` (read by screen readers, shown as a tooltip)
and the same text as alt text for the page around it. Text stays text in the SVG (not paths), so
it is searchable, sharp in print and small. matplotlib is imported only when a chart is drawn,
so commands that draw nothing do not pay for it.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from toolkit.formatting import long_date, number
from toolkit.i18n import _

#: Colours that stay apart in greyscale print and for the common colour-vision deficiencies.
COLOURS = {"main": "#1f5a96", "light": "#a9c4e0", "goal": "#c0392b", "grey": "#777777"}
_RC: Any = {
    "svg.fonttype": "none",
    "svg.hashsalt": "burgerbaan",
    "font.size": 10,
    "axes.spines.top": False,
    "axes.spines.right": False,
}


@dataclass(frozen=True)
class Chart:
    """One chart: its SVG, its title and alt text, and every text drawn in it (for the guard)."""

    key: str
    title: str
    alt: str
    svg: str
    texts: tuple[str, ...]


def _figure(width: float, height: float) -> Any:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(width, height), dpi=100, layout="constrained")
    FigureCanvasAgg(figure)
    return figure


def _svg(figure: Any, key: str, title: str, alt: str) -> str:
    import matplotlib

    buffer = io.StringIO()
    with matplotlib.rc_context(_RC):
        figure.savefig(buffer, format="svg", metadata={"Date": None})
    text = buffer.getvalue()
    text = text[text.index("<svg") :]
    opening = text.index(">") + 1
    head = text[: opening - 1]
    head = re.sub(r'\s(width|height)="[^"]*"', "", head, count=2)
    labelled = (
        f'{head} role="img" aria-labelledby={quoteattr(f"{key}-title {key}-desc")}'
        f' class="chart">'
        f'<title id="{key}-title">{escape(title)}</title>'
        f'<desc id="{key}-desc">{escape(alt)}</desc>'
    )
    return labelled + text[opening:]


def _with_rc(draw: Any) -> Any:
    import matplotlib

    with matplotlib.rc_context(_RC):
        return draw()


def progress_chart(
    series: Sequence[tuple[date, int]], goal: int | None, goal_date: date | None, day: date
) -> Chart:
    """Active burgerbanen over time, with the goal as a line."""
    title = _("Active burgerbanen over time")
    now = series[-1][1] if series else 0
    if goal is not None:
        alt = _(
            "Step chart of the number of active burgerbanen from {first} to {day}, from the "
            "placements' start and end dates: {now} now, against a goal of {goal}{by}."
        ).format(
            first=long_date(series[0][0]) if series else long_date(day),
            day=long_date(day),
            now=now,
            goal=goal,
            by=" " + _("by {date}").format(date=long_date(goal_date)) if goal_date else "",
        )
    else:
        alt = _(
            "Step chart of the number of active burgerbanen from {first} to {day}: {now} now; "
            "no goal was set."
        ).format(
            first=long_date(series[0][0]) if series else long_date(day), day=long_date(day), now=now
        )
    points = list(series) or [(day, 0)]
    if points[-1][0] < day:
        points.append((day, points[-1][1]))
    goal_label = _("goal: {goal}").format(goal=goal) if goal is not None else ""
    goal_date_label = _("goal date")
    today_label = _("today")

    def draw() -> Chart:
        figure = _figure(7.5, 3.4)
        axes = figure.subplots()
        dates = [p[0] for p in points]
        counts = [p[1] for p in points]
        axes.step(dates, counts, where="post", color=COLOURS["main"], linewidth=2)
        axes.fill_between(dates, counts, step="post", color=COLOURS["light"], alpha=0.5)
        top = max([*counts, goal or 0, 1])
        if goal is not None:
            axes.axhline(goal, color=COLOURS["goal"], linestyle="--", linewidth=1.5)
            axes.annotate(
                goal_label,
                (dates[0], goal),
                xytext=(2, 3),
                textcoords="offset points",
                color=COLOURS["goal"],
            )
            if goal_date is not None and dates[0] <= goal_date <= day:
                axes.axvline(goal_date, color=COLOURS["goal"], linestyle=":", linewidth=1)
                axes.annotate(
                    goal_date_label,
                    (goal_date, top * 1.1),
                    xytext=(3, 0),
                    textcoords="offset points",
                    color=COLOURS["goal"],
                    va="top",
                )
        axes.set_ylim(0, top * 1.15)
        axes.set_xlim(dates[0], day + timedelta(days=max(7, (day - dates[0]).days // 40)))
        axes.set_ylabel(_("burgerbanen"))
        _date_axis(axes, dates[0], day)
        axes.yaxis.get_major_locator().set_params(integer=True)
        axes.annotate(
            f"{today_label}: {now}",
            (day, now),
            xytext=(-4, 6),
            textcoords="offset points",
            ha="right",
        )
        axes.grid(axis="y", color="#dddddd", linewidth=0.6)
        return Chart(
            "progress",
            title,
            alt,
            _svg(figure, "progress", title, alt),
            (title, goal_label, goal_date_label, today_label),
        )

    result: Chart = _with_rc(draw)
    return result


def _date_axis(axes: Any, first: date, last: date) -> None:
    """Years on a long axis, months (as 03-2025) on a short one: no month names to translate."""
    import matplotlib.dates

    # matplotlib.dates has no type hints; its use here is small and plain.
    dates: Any = matplotlib.dates
    span = (last - first).days
    if span > 2 * 365:
        axes.xaxis.set_major_locator(dates.YearLocator())
        axes.xaxis.set_major_formatter(dates.DateFormatter("%Y"))
        axes.xaxis.set_minor_locator(dates.MonthLocator(bymonth=(4, 7, 10)))
    else:
        axes.xaxis.set_major_locator(dates.MonthLocator(interval=max(1, span // 180)))
        axes.xaxis.set_major_formatter(dates.DateFormatter("%m-%Y"))


def _bar_chart(
    key: str,
    title: str,
    alt: str,
    labels: Sequence[str],
    values: Sequence[float],
    extra: Sequence[float] | None,
    legend: tuple[str, str] | None,
    xlabel: str,
) -> Chart:
    def draw() -> Chart:
        height = 1.0 + 0.32 * max(len(labels), 1)
        figure = _figure(7.5, height)
        axes = figure.subplots()
        if not labels:
            axes.text(0.5, 0.5, _("none"), ha="center", va="center", transform=axes.transAxes)
            axes.set_axis_off()
        else:
            positions = list(range(len(labels)))[::-1]
            axes.barh(positions, values, color=COLOURS["main"], label=legend[0] if legend else None)
            if extra is not None:
                axes.barh(
                    positions,
                    extra,
                    left=values,
                    color=COLOURS["light"],
                    label=legend[1] if legend else None,
                )
            axes.set_yticks(positions, labels)
            totals = [v + (extra[i] if extra else 0) for i, v in enumerate(values)]
            for position, value, total in zip(positions, values, totals, strict=True):
                text = number(value, 0 if value == round(value) else 1)
                if extra is not None:
                    text += " / " + number(total, 0 if total == round(total) else 1)
                axes.annotate(
                    text, (total, position), xytext=(3, 0), textcoords="offset points", va="center"
                )
            axes.set_xlim(0, max([*totals, 1]) * 1.2)
            axes.set_xlabel(xlabel)
            axes.xaxis.get_major_locator().set_params(integer=True)
            if legend is not None:
                axes.legend(loc="lower left", bbox_to_anchor=(0, 1), ncol=2, frameon=False)
        return Chart(
            key,
            title,
            alt,
            _svg(figure, key, title, alt),
            (title, xlabel, *labels, *(legend or ())),
        )

    result: Chart = _with_rc(draw)
    return result


def organisation_chart(rows: Sequence[tuple[str, int]]) -> Chart:
    """Active burgerbanen per organisation."""
    title = _("Burgerbanen by organisation")
    listing = "; ".join(f"{label}: {count}" for label, count in rows) or _("none")
    alt = _("Bar chart of the active burgerbanen per organisation: {listing}.").format(
        listing=listing
    )
    return _bar_chart(
        "organisations",
        title,
        alt,
        [label for label, _count in rows],
        [count for _label, count in rows],
        None,
        None,
        _("active burgerbanen"),
    )


def sponsor_chart(rows: Sequence[tuple[str, float, float]]) -> Chart:
    """Each sponsor's budget in burgerbaan-years: used, and left."""
    title = _("Sponsor budgets used")
    listing = "; ".join(
        _("{name}: {used} of {budget} used").format(
            name=name,
            used=number(used, 0 if used == round(used) else 2),
            budget=number(budget, 0 if budget == round(budget) else 2),
        )
        for name, used, budget in rows
    ) or _("none")
    alt = _("Bar chart of each sponsor's budget in burgerbaan-years: {listing}.").format(
        listing=listing
    )
    return _bar_chart(
        "sponsors",
        title,
        alt,
        [name for name, _used, _budget in rows],
        [used for _name, used, _budget in rows],
        [max(0.0, budget - used) for _name, used, budget in rows],
        (_("used"), _("left")),
        _("burgerbaan-years"),
    )
