"""The geometry of the SVG charts: round ticks, bars inside the plot, labels that fit."""

from __future__ import annotations

import pytest

from webapp.insights import charts


@pytest.mark.parametrize(
    ("top", "step"), [(0, 1), (3, 1), (4, 1), (7, 2), (10, 5), (38, 10), (120, 50), (999, 500)]
)
def test_nice_steps(top, step):
    assert charts.nice_step(top) == step
    assert top / charts.nice_step(top) <= charts.MAX_TICKS


def test_columns_stay_inside_the_plot_and_scale_to_the_top_tick():
    chart = charts.column_chart([0, 5, 38, 12], ["a", "b", "c", "d"])
    assert [t.value for t in chart.ticks] == [0, 10, 20, 30, 40]
    for bar in chart.bars:
        assert chart.left <= bar.x and bar.x + bar.width <= chart.right
        assert chart.top <= bar.y <= chart.bottom
        assert bar.y + bar.height == pytest.approx(chart.bottom)
    assert chart.bars[0].height == 0
    assert chart.bars[2].height == pytest.approx((chart.bottom - chart.top) * 38 / 40, abs=0.01)


def test_twelve_week_labels_are_thinned_keeping_the_latest():
    labels = [f"w{n}" for n in range(12)]
    chart = charts.column_chart(list(range(12)), labels)
    assert [label.text for label in chart.labels] == ["w1", "w3", "w5", "w7", "w9", "w11"]


def test_lines_share_one_scale_and_mark_every_point():
    chart = charts.line_chart([[1, 2, 3], [30, 20, 10]], ["a", "b", "c"])
    assert [len(line.markers) for line in chart.lines] == [3, 3]
    assert chart.lines[1].markers[0][1] == pytest.approx(chart.top)  # 30 is the top tick
    assert not chart.empty
    assert charts.line_chart([[0, 0]], ["a", "b"]).empty


def test_horizontal_rows_grow_with_the_rows():
    one = charts.hbar_chart([("Calm", [3, 5])])
    three = charts.hbar_chart([("Calm", [3, 5]), ("Detail", [0, 1]), ("Extra", [5, 0])])
    assert three.height > one.height
    widths = [bar.width for row in three.rows for bar in row.bars]
    assert max(widths) == pytest.approx(three.plot_width) and 0 in widths
