"""The charts of the insight pages, built from the figures: week labels in the reader's
language, and the geometry of `insights/charts.py`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from webapp.i18n import format_calendar_day
from webapp.insights.charts import Chart, HChart, column_chart, hbar_chart, line_chart
from webapp.insights.trends import Glance, Trends, Weekly


@dataclass(frozen=True)
class TrendCharts:
    """Every chart of the trends page."""

    labels: list[str]
    moments: Chart
    kudos_given: Chart
    kudos_received: Chart
    recognitions: Chart
    people: Chart  # givers and receivers per week
    values: HChart
    spread: Chart


def week_label(monday: date) -> str:
    """A week named by its Monday: "7 Sep"."""
    return format_calendar_day(monday, "d MMM")


def weekly_chart(weekly: Glance | Weekly) -> Chart:
    """Moments and kudos received per week, as two lines (the overview's glance)."""
    labels = [week_label(w) for w in weekly.weeks]
    return line_chart([weekly.moments, weekly.kudos_received], labels)


def trend_charts(trends: Trends) -> TrendCharts:
    """Charts for the trends page."""
    weekly = trends.weekly
    labels = [week_label(w) for w in weekly.weeks]
    spread_labels = [str(n) for n in range(1, trends.spread.people + 1)]
    return TrendCharts(
        labels=labels,
        moments=column_chart(weekly.moments, labels),
        kudos_given=column_chart(weekly.kudos_given, labels),
        kudos_received=column_chart(weekly.kudos_received, labels),
        recognitions=column_chart(weekly.recognitions, labels),
        people=line_chart([weekly.givers, weekly.receivers], labels),
        values=hbar_chart([(v.value.name, [v.moments, v.kudos]) for v in trends.values]),
        spread=column_chart(trends.spread.received, spread_labels),
    )
