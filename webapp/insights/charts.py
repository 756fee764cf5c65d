"""Geometry for the server-rendered SVG charts (`templates/insights/_charts.html` draws it).

Pure arithmetic, no markup: a chart is a view box, a plot area, tick lines with round values,
labels that fit, and bars or lines in view-box units. Colours and line styles are classes in
app.css (the CSP allows no style attributes); each series also differs in dash pattern and
marker shape, so no reading depends on telling colours apart.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace

WIDTH = 320
HEIGHT = 180
LEFT, RIGHT, TOP, BOTTOM = 34, 8, 10, 26
MAX_TICKS = 4
# Small enough that labels never collide at 12 view-box units a character.
MAX_X_LABELS = 6


@dataclass(frozen=True)
class Tick:
    """A horizontal grid line at a round value."""

    y: float
    value: int


@dataclass(frozen=True)
class Label:
    """A label under the x axis."""

    x: float
    text: str


@dataclass(frozen=True)
class Bar:
    """One bar of a column chart."""

    x: float
    y: float
    width: float
    height: float
    value: int
    label: str


@dataclass(frozen=True)
class Line:
    """One series of a line chart: its polyline and its markers."""

    series: int
    points: str
    markers: list[tuple[float, float, int, str]]


@dataclass(frozen=True)
class Chart:
    """Everything a template needs to draw one chart."""

    width: int
    height: int
    left: float
    top: float
    right: float
    bottom: float
    ticks: list[Tick]
    labels: list[Label]
    bars: list[Bar] = field(default_factory=list)
    lines: list[Line] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not any(b.value for b in self.bars) and not any(
            value for line in self.lines for *_xy, value, _label in line.markers
        )


@dataclass(frozen=True)
class HBar:
    """One bar of a horizontal bar chart, with its series (1 or 2) and value."""

    series: int
    y: float
    width: float
    value: int


@dataclass(frozen=True)
class HRow:
    """A labelled group of horizontal bars."""

    label: str
    label_y: float
    bars: list[HBar]


@dataclass(frozen=True)
class HChart:
    """A horizontal bar chart: one row per label, one bar per series."""

    width: int
    height: int
    left: float
    plot_width: float
    rows: list[HRow]


def nice_step(top: int, ticks: int = MAX_TICKS) -> int:
    """A round step (1, 2 or 5 times a power of ten) so that `top` needs at most `ticks`
    steps."""
    if top <= ticks:
        return 1
    raw = top / ticks
    power = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 5, 10):
        if factor * power >= raw:
            return int(factor * power)
    return int(10 * power)  # pragma: no cover  (the loop always returns)


def _scale(values: list[int]) -> tuple[int, int]:
    """The axis top (a multiple of the step, at least 1) and the step."""
    step = nice_step(max([*values, 1]))
    top = step * math.ceil(max([*values, 1]) / step)
    return top, step


def _frame(values: list[int], labels: list[str], width: int, height: int) -> Chart:
    top_value, step = _scale(values)
    bottom = height - BOTTOM
    plot_height = bottom - TOP
    ticks = [
        Tick(y=round(bottom - plot_height * v / top_value, 2), value=v)
        for v in range(0, top_value + 1, step)
    ]
    return Chart(width, height, LEFT, TOP, width - RIGHT, bottom, ticks, _x_labels(labels, width))


def _x_labels(labels: list[str], width: int) -> list[Label]:
    if not labels:
        return []
    every = max(1, math.ceil(len(labels) / MAX_X_LABELS))
    slot = (width - RIGHT - LEFT) / len(labels)
    # Counted from the newest, so the latest week always has its label.
    return [
        Label(x=round(LEFT + slot * (i + 0.5), 2), text=text)
        for i, text in enumerate(labels)
        if (len(labels) - 1 - i) % every == 0
    ]


def _y(chart: Chart, value: int) -> float:
    top_value = chart.ticks[-1].value or 1
    return round(chart.bottom - (chart.bottom - chart.top) * value / top_value, 2)


def column_chart(
    values: list[int], labels: list[str], width: int = WIDTH, height: int = HEIGHT
) -> Chart:
    """One bar per value, labelled below (labels thinned to fit)."""
    frame = _frame(values, labels, width, height)
    slot = (frame.right - frame.left) / max(len(values), 1)
    gap = min(6.0, slot * 0.25)
    bars = []
    for i, (value, label) in enumerate(zip(values, labels, strict=True)):
        y = _y(frame, value)
        bars.append(
            Bar(
                x=round(frame.left + slot * i + gap / 2, 2),
                y=y,
                width=round(slot - gap, 2),
                height=round(frame.bottom - y, 2),
                value=value,
                label=label,
            )
        )
    return replace(frame, bars=bars)


def line_chart(
    series: list[list[int]], labels: list[str], width: int = WIDTH, height: int = HEIGHT
) -> Chart:
    """One line per series over the same labels; each point also gets a marker."""
    frame = _frame([v for values in series for v in values], labels, width, height)
    slot = (frame.right - frame.left) / max(len(labels), 1)
    lines = []
    for number, values in enumerate(series, start=1):
        markers = [
            (round(frame.left + slot * (i + 0.5), 2), _y(frame, value), value, labels[i])
            for i, value in enumerate(values)
        ]
        points = " ".join(f"{x},{y}" for x, y, _v, _l in markers)
        lines.append(Line(series=number, points=points, markers=markers))
    return replace(frame, lines=lines)


def hbar_chart(rows: list[tuple[str, list[int]]], width: int = WIDTH) -> HChart:
    """Horizontal bars: for each label a line of text, then one bar per series below it.
    The value is written at the end of each bar, so the chart reads without a legend."""
    label_height, bar_height, gap = 16, 10, 10
    left, value_room = 4, 34
    plot_width = width - left - value_room
    top = max([v for _label, values in rows for v in values] + [1])
    made, y = [], 0.0
    for label, values in rows:
        label_y = y + 12
        bars = []
        bar_y = y + label_height
        for number, value in enumerate(values, start=1):
            bars.append(HBar(number, round(bar_y, 2), round(plot_width * value / top, 2), value))
            bar_y += bar_height + 2
        made.append(HRow(label, round(label_y, 2), bars))
        y = bar_y + gap
    return HChart(width, math.ceil(y), left, plot_width, made)
