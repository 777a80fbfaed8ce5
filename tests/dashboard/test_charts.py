"""Chart geometry and the figures in words (pure functions, no database)."""

from __future__ import annotations

import pytest

from annotations.presenters.charts import (
    BAR_LENGTH,
    COLUMN_HEIGHT,
    bar_chart,
    column_chart,
    duration_text,
    nice_max,
    percent_text,
)


@pytest.mark.parametrize(
    ("value", "expected"),
    [(0, 1), (1, 1), (2, 2), (3, 5), (7, 10), (10, 10), (11, 20), (140, 200), (501, 1000)],
)
def test_nice_max_rounds_up_to_1_2_or_5(value, expected):
    assert nice_max(value) == expected


def test_columns_stand_on_the_baseline_on_a_shared_scale():
    chart = column_chart([0, 5, 10], ["a", "b", "c"], scale_max=20)
    assert [(r.height, r.y) for r in chart.rects] == [
        (0, COLUMN_HEIGHT),
        (COLUMN_HEIGHT / 4, COLUMN_HEIGHT * 3 / 4),
        (COLUMN_HEIGHT / 2, COLUMN_HEIGHT / 2),
    ]
    xs = [r.x for r in chart.rects]
    assert xs == sorted(xs) and len(set(xs)) == 3
    assert chart.width == chart.rects[-1].x + chart.rects[-1].width
    assert chart.scale_max == 20


def test_bars_are_as_long_as_their_share_of_the_scale():
    chart = bar_chart([4, 1, 0], ["True", "False", "Unverifiable"])
    assert chart.scale_max == 5
    assert [r.width for r in chart.rects] == [BAR_LENGTH * 4 / 5, BAR_LENGTH / 5, 0]
    assert [r.label for r in chart.rects] == ["True", "False", "Unverifiable"]
    assert len({r.y for r in chart.rects}) == 3


def test_charts_of_nothing_have_a_size():
    assert bar_chart([], []).height > 0
    assert column_chart([], [], scale_max=0).width > 0


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (None, "—"),
        (20, "under a minute"),
        (12 * 60, "12 min"),
        (3 * 3600, "3 h"),
        (3 * 3600 + 20 * 60, "3 h 20 min"),
        (52200, "14 h 30 min"),
        (2 * 86400, "2 d"),
        (2 * 86400 + 4 * 3600 + 59, "2 d 4 h"),
    ],
)
def test_duration_text(seconds, text):
    assert duration_text(seconds) == text


def test_percent_text():
    assert percent_text(None) == "—"
    assert percent_text(0.2) == "20%"
    assert percent_text(1 / 3) == "33%"
