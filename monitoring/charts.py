"""Charts drawn on the server as SVG: progress against a target, added up period by period.

Why SVG from the server, and no JavaScript charting library: the page's data table is the
accessible source, and the chart is a picture of the same numbers, named by the table's
caption (role="img", aria-labelledby). It arrives with the page (no script to download and
run, nothing to draw after load, no layout shift), works with JavaScript off and under the
portal's Content Security Policy (no inline script or style: only SVG attributes), prints,
and goes into a WeasyPrint PDF as it is. It is a few lines and shapes, so nothing to keep
up to date.

`cumulative_chart` works out the geometry; templates/monitoring/chart.html draws it.
"""

import math
from dataclasses import dataclass
from decimal import Decimal

# The drawing's own units (the viewBox): it scales to the width of its column, so its
# text is about 19px in a two-thirds column on a desktop and 9px on a 320px phone.
WIDTH = 480
HEIGHT = 320
LEFT = 72  # room for the y-axis numbers
RIGHT = 40  # room for the last period's label
TOP = 64  # room for the legend
BOTTOM = 56  # room for the x-axis labels and title


@dataclass(frozen=True)
class Tick:
    position: float
    label: str


@dataclass(frozen=True)
class Segment:
    """A stretch of the actual line; provisional (dashed) when it ends at a figure not yet
    accepted."""

    x1: float
    y1: float
    x2: float
    y2: float
    provisional: bool


@dataclass(frozen=True)
class Marker:
    x: float
    y: float
    label: str
    provisional: bool


@dataclass(frozen=True)
class Chart:
    title: str
    description: str
    width: int
    height: int
    left: float
    right: float
    top: float
    bottom: float
    x_ticks: list[Tick]
    y_ticks: list[Tick]
    target_points: str  # "x,y x,y …" for a <polyline>
    target_markers: list[Marker]
    segments: list[Segment]
    markers: list[Marker]
    x_title: str
    y_title: str
    has_provisional: bool


@dataclass(frozen=True)
class Period:
    """One period on the chart: its short label (the tick), its full label, the target and
    actual added up to its end (actual None when not reported), and whether the actual is
    provisional (submitted, not yet accepted)."""

    tick: str
    label: str
    cumulative_target: Decimal
    cumulative_actual: Decimal | None
    provisional: bool = False


def number(value: Decimal | float | int) -> str:
    """1,250 or 12.5: no trailing zeros, thousands with commas."""
    value = Decimal(str(value))
    if value == value.to_integral_value():
        return f"{int(value):,}"
    return f"{value.normalize():,f}"


def nice_step(maximum: float, *, intervals: int = 5) -> float:
    """A round step (1, 2, 2.5 or 5 times a power of ten) that covers `maximum` in at most
    `intervals` steps."""
    if maximum <= 0:
        return 1
    rough = maximum / intervals
    power = 10 ** math.floor(math.log10(rough))
    for multiple in (1, 2, 2.5, 5, 10):
        if multiple * power >= rough:
            step = multiple * power
            return int(step) if step >= 1 and step == int(step) else step
    return 10 * power  # pragma: no cover - the loop always returns


def _round(value: float) -> float:
    return round(value, 1)


def cumulative_chart(*, title: str, description: str, unit: str, periods: list[Period]) -> Chart:
    """Cumulative actuals against the cumulative target, period by period, starting from
    nothing at the start of the agreement. Periods without an actual leave a gap at the end
    of the line; a provisional actual is drawn with a dashed line and an open circle."""
    plot_right = WIDTH - RIGHT
    plot_bottom = HEIGHT - BOTTOM
    plot_width = plot_right - LEFT
    plot_height = plot_bottom - TOP

    values = [float(p.cumulative_target) for p in periods] + [
        float(p.cumulative_actual) for p in periods if p.cumulative_actual is not None
    ]
    step = nice_step(max(values, default=0))
    top_value = step * max(1, math.ceil(max(values, default=0) / step))

    def x_of(index: int) -> float:
        """Index 0 is the start of the agreement; period i ends at i + 1."""
        return _round(LEFT + plot_width * index / max(1, len(periods)))

    def y_of(value: Decimal | float) -> float:
        return _round(plot_bottom - plot_height * float(value) / top_value)

    y_ticks = []
    tick_value = 0.0
    while tick_value <= top_value + step / 1000:
        y_ticks.append(Tick(position=y_of(tick_value), label=number(round(tick_value, 2))))
        tick_value += step

    # Label at most five periods, evenly, always the last.
    every = max(1, math.ceil(len(periods) / 5))
    x_ticks = [
        Tick(position=x_of(index + 1), label=period.tick)
        for index, period in enumerate(periods)
        if (len(periods) - 1 - index) % every == 0
    ]

    target = [(x_of(0), y_of(0))] + [
        (x_of(index + 1), y_of(period.cumulative_target)) for index, period in enumerate(periods)
    ]
    target_markers = [
        Marker(
            x=x_of(index + 1),
            y=y_of(period.cumulative_target),
            label=f"{period.label}: target to date {number(period.cumulative_target)} {unit}",
            provisional=False,
        )
        for index, period in enumerate(periods)
    ]

    segments = []
    markers = []
    previous = (x_of(0), y_of(0))
    for index, period in enumerate(periods):
        if period.cumulative_actual is None:
            continue
        point = (x_of(index + 1), y_of(period.cumulative_actual))
        segments.append(Segment(*previous, *point, provisional=period.provisional))
        words = " (not yet accepted)" if period.provisional else ""
        markers.append(
            Marker(
                x=point[0],
                y=point[1],
                label=f"{period.label}: actual to date {number(period.cumulative_actual)} "
                f"{unit}{words}",
                provisional=period.provisional,
            )
        )
        previous = point

    return Chart(
        title=title,
        description=description,
        width=WIDTH,
        height=HEIGHT,
        left=LEFT,
        right=plot_right,
        top=TOP,
        bottom=plot_bottom,
        x_ticks=x_ticks,
        y_ticks=y_ticks,
        target_points=" ".join(f"{x},{y}" for x, y in target),
        target_markers=target_markers,
        segments=segments,
        markers=markers,
        x_title="End of period",
        y_title=f"{unit[:1].upper()}{unit[1:]}, added up" if unit else "Added up",
        has_provisional=any(p.provisional and p.cumulative_actual is not None for p in periods),
    )
