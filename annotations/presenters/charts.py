"""Chart geometry for server-rendered SVG, and the dashboard's figures in words.

Pure: numbers in, rectangles and strings out. Templates draw the rectangles as SVG
`<rect>`s in a `viewBox` (the browser scales it), so the page needs no script and no chart
library; every chart has a table beside it with the same numbers.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

#: Drawing units of a column chart (the viewBox): one column per value.
COLUMN_WIDTH = 10
COLUMN_GAP = 2
COLUMN_HEIGHT = 80
#: Horizontal bars: the longest bar's length, each bar's thickness and the gap between.
BAR_LENGTH = 300
BAR_HEIGHT = 18
BAR_GAP = 8


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    width: float
    height: float
    value: int
    label: str


@dataclass(frozen=True)
class Chart:
    width: float
    height: float
    rects: list[Rect]
    #: The value the full height (columns) or length (bars) stands for.
    scale_max: int


def nice_max(value: int) -> int:
    """The smallest of 1, 2, 5 × 10ⁿ at or above `value` (an axis that reads well)."""
    if value <= 1:
        return 1
    step = 10 ** math.floor(math.log10(value))
    return next(factor * step for factor in (1, 2, 5, 10) if factor * step >= value)


def column_chart(values: Sequence[int], labels: Sequence[str], *, scale_max: int) -> Chart:
    """One column per value, bottom-aligned, all on the same scale (small multiples share
    `scale_max`, so their heights compare). A zero is a column of no height."""
    top = max(scale_max, 1)
    rects = []
    for i, (value, label) in enumerate(zip(values, labels, strict=True)):
        height = round(COLUMN_HEIGHT * value / top, 2)
        rects.append(
            Rect(
                x=i * (COLUMN_WIDTH + COLUMN_GAP),
                y=round(COLUMN_HEIGHT - height, 2),
                width=COLUMN_WIDTH,
                height=height,
                value=value,
                label=label,
            )
        )
    width = max(len(values) * (COLUMN_WIDTH + COLUMN_GAP) - COLUMN_GAP, COLUMN_WIDTH)
    return Chart(width=width, height=COLUMN_HEIGHT, rects=rects, scale_max=top)


def bar_chart(values: Sequence[int], labels: Sequence[str]) -> Chart:
    """One horizontal bar per value, top to bottom, the longest value filling BAR_LENGTH."""
    top = nice_max(max(values, default=0))
    rects = [
        Rect(
            x=0,
            y=i * (BAR_HEIGHT + BAR_GAP),
            width=round(BAR_LENGTH * value / top, 2),
            height=BAR_HEIGHT,
            value=value,
            label=label,
        )
        for i, (value, label) in enumerate(zip(values, labels, strict=True))
    ]
    height = max(len(values) * (BAR_HEIGHT + BAR_GAP) - BAR_GAP, BAR_HEIGHT)
    return Chart(width=BAR_LENGTH, height=height, rects=rects, scale_max=top)


def duration_text(seconds: float | None) -> str:
    """A wait in the largest two units that matter: "2 d 4 h", "3 h 20 min", "12 min"."""
    if seconds is None:
        return "—"
    minutes = round(seconds / 60)
    if minutes < 1:
        return "under a minute"
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    if days:
        return f"{days} d {hours} h" if hours else f"{days} d"
    if hours:
        return f"{hours} h {minutes} min" if minutes else f"{hours} h"
    return f"{minutes} min"


def percent_text(share: float | None) -> str:
    """A share as a whole percentage ("25%"); "—" when there was nothing to divide."""
    return "—" if share is None else f"{round(share * 100)}%"
