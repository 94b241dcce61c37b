"""The geometry of the year page's bar charts, in SVG user units; the templates draw it and write the words."""

from collections.abc import Sequence
from dataclasses import dataclass

LABEL_WIDTH = 250
BAR_AREA = 420
ROW_HEIGHT = 30
BAR_THICKNESS = 20
COLUMN_AREA = 300
COLUMN_WIDTH = 40
COLUMN_GAP = 18
AXIS_MARGIN = 40


def nice_ceiling(value: int) -> int:
    """The smallest of 1, 2, 5, 10, 20, 50… at least value: the end of a scale a reader can take in."""
    step = 1
    while True:
        for multiple in (1, 2, 5):
            if step * multiple >= value:
                return step * multiple
        step *= 10


def ticks(top: int) -> list[int]:
    """Gridlines from 0 to top (a nice ceiling) every 1, 2, 5, 10… : at most five steps, the last one at top."""
    step = 1
    while top % step or top // step > 5:
        step = nice_ceiling(step + 1)
    return list(range(0, top + 1, step))


def _scale(value: int, top: int, length: int) -> float:
    return round(value * length / top, 1) if top else 0.0


@dataclass(frozen=True)
class Row:
    label: str
    value: int
    y: int
    length: float


@dataclass(frozen=True)
class HorizontalBars:
    rows: list[Row]
    top: int
    gridlines: list[tuple[int, float]]
    width: int
    height: int
    bar_start: int = LABEL_WIDTH
    thickness: int = BAR_THICKNESS


def horizontal_bars(values: Sequence[tuple[str, int]]) -> HorizontalBars:
    """One bar a row, all on the same scale from zero."""
    top = nice_ceiling(max([value for _label, value in values], default=0) or 1)
    rows = [Row(label, value, index * ROW_HEIGHT, _scale(value, top, BAR_AREA))
            for index, (label, value) in enumerate(values)]
    gridlines = [(tick, LABEL_WIDTH + _scale(tick, top, BAR_AREA)) for tick in ticks(top)]
    height = len(rows) * ROW_HEIGHT + AXIS_MARGIN // 2
    return HorizontalBars(rows, top, gridlines, LABEL_WIDTH + BAR_AREA + AXIS_MARGIN, height)


@dataclass(frozen=True)
class Segment:
    series: str
    value: int
    y: float
    height: float


@dataclass(frozen=True)
class Column:
    key: object
    x: int
    total: int
    segments: list[Segment]


@dataclass(frozen=True)
class StackedColumns:
    columns: list[Column]
    top: int
    gridlines: list[tuple[int, float]]
    width: int
    height: int
    baseline: int = COLUMN_AREA + 10
    column_width: int = COLUMN_WIDTH


def _segments(counts: dict[str, int], series: Sequence[str], top: int, baseline: int) -> list[Segment]:
    """The column's series stacked from the baseline upwards, in the series' order; empty ones left out."""
    segments, floor = [], float(baseline)
    for name in series:
        height = _scale(counts.get(name, 0), top, COLUMN_AREA)
        if counts.get(name, 0):
            floor = round(floor - height, 1)
            segments.append(Segment(name, counts[name], floor, height))
    return segments


def stacked_columns(counts: dict[object, dict[str, int]], series: Sequence[str]) -> StackedColumns:
    """One column per key (in the dict's order), its series stacked, all on the same scale from zero."""
    totals = {key: sum(by_series.get(name, 0) for name in series) for key, by_series in counts.items()}
    top = nice_ceiling(max(totals.values(), default=0) or 1)
    baseline = COLUMN_AREA + 10
    columns = [Column(key, AXIS_MARGIN + index * (COLUMN_WIDTH + COLUMN_GAP), totals[key],
                      _segments(by_series, series, top, baseline))
               for index, (key, by_series) in enumerate(counts.items())]
    gridlines = [(tick, round(baseline - _scale(tick, top, COLUMN_AREA), 1)) for tick in ticks(top)]
    width = AXIS_MARGIN + len(columns) * (COLUMN_WIDTH + COLUMN_GAP)
    return StackedColumns(columns, top, gridlines, width, baseline + AXIS_MARGIN)
