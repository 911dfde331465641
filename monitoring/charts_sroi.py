"""The SROI sensitivity (tornado) chart, drawn on the server as SVG like monitoring.charts:
for each assumption, a bar from the ratio as set to the ratio with the assumption 25 %
lower, and one to the ratio with it 25 % higher; the biggest swing at the top. The table
beside it on the page is the accessible source; templates/monitoring/sroi_chart.html draws
it."""

import math
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from monitoring.charts import nice_step
from monitoring.sroi import SensitivityRow

WIDTH = 480
LEFT = 168  # room for the assumptions' names
RIGHT = 24
TOP = 56  # room for the legend
BOTTOM = 56  # room for the axis numbers and title
ROW = 36
BAR = 12


def ratio_text(value: Decimal) -> str:
    return f"£{Decimal(value).quantize(Decimal('0.01'), rounding=ROUND_HALF_UP):,}"


@dataclass(frozen=True)
class Tick:
    position: float
    label: str


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str


@dataclass(frozen=True)
class TornadoRow:
    label: str
    label_y: float
    low: Bar
    high: Bar


@dataclass(frozen=True)
class TornadoChart:
    title: str
    description: str
    width: int
    height: int
    left: float
    right: float
    top: float
    bottom: float
    base_x: float
    base_label: str
    rows: list[TornadoRow]
    ticks: list[Tick]
    x_title: str


def _round(value: float) -> float:
    return round(value, 1)


def tornado_chart(*, rows: list[SensitivityRow], base_ratio: Decimal) -> TornadoChart:
    height = TOP + BOTTOM + ROW * max(1, len(rows))
    plot_right = WIDTH - RIGHT
    plot_bottom = height - BOTTOM
    values = (
        [float(base_ratio)]
        + [float(r.low_ratio) for r in rows]
        + [float(r.high_ratio) for r in rows]
    )
    low, high = min(values), max(values)
    step = nice_step(max(high - low, 0.01), intervals=4)
    start = step * math.floor(low / step)
    end = step * math.ceil(high / step)
    if end <= start:
        end = start + step

    def x_of(value: float) -> float:
        return _round(LEFT + (plot_right - LEFT) * (float(value) - start) / (end - start))

    ticks = []
    tick = start
    while tick <= end + step / 1000:
        ticks.append(Tick(position=x_of(tick), label=ratio_text(Decimal(str(round(tick, 4))))))
        tick += step

    base_x = x_of(base_ratio)

    def bar(value: Decimal, y: float, label: str) -> Bar:
        x = x_of(value)
        return Bar(x=min(x, base_x), y=y, width=_round(abs(x - base_x)), height=BAR, label=label)

    drawn = []
    for index, row in enumerate(rows):
        middle = TOP + ROW * index + ROW / 2
        drawn.append(
            TornadoRow(
                label=row.label,
                label_y=_round(middle + 5),
                low=bar(
                    row.low_ratio,
                    _round(middle - BAR),
                    f"{row.label} 25 % lower ({row.low_setting}): {ratio_text(row.low_ratio)}",
                ),
                high=bar(
                    row.high_ratio,
                    _round(middle),
                    f"{row.label} 25 % higher ({row.high_setting}): {ratio_text(row.high_ratio)}",
                ),
            )
        )
    biggest = rows[0] if rows else None
    description = f"The ratio as set is {ratio_text(base_ratio)} for each £1 invested."
    if biggest is not None:
        description += (
            f" It moves most with {biggest.label.lower()}: from "
            f"{ratio_text(biggest.low_ratio)} with it 25 % lower to "
            f"{ratio_text(biggest.high_ratio)} with it 25 % higher."
        )
    return TornadoChart(
        title="How the SROI ratio moves when each assumption is 25 % lower or higher",
        description=description,
        width=WIDTH,
        height=height,
        left=LEFT,
        right=plot_right,
        top=TOP,
        bottom=plot_bottom,
        base_x=base_x,
        base_label=f"As set: {ratio_text(base_ratio)}",
        rows=drawn,
        ticks=ticks,
        x_title="Social value for each £1 invested",
    )
