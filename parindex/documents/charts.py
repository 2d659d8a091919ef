"""Charts as PNG images for documents, drawn server-side with matplotlib (Agg, no display).

Charts take plain series and never rely on colour alone: each series also has its own hatching
or marker, a legend names it, and every bar or point carries its value, written the Vietnamese
way (85,95). Figures are built with the object API (no pyplot state), so threads are safe.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from parindex.documents.blocks import Chart
from parindex.documents.formatting import format_number

if TYPE_CHECKING:
    from matplotlib.figure import Figure

Number = Decimal | float | int | None
PALETTE = ("#1f4e79", "#9dc3e6", "#7f7f7f", "#c55a11")
HATCHES = ("", "//", "..", "xx")
MARKERS = ("o", "s", "^", "D")
DPI = 150


@dataclass(frozen=True)
class Series:
    """A named series of values, one per category (None where there is no value)."""

    label: str
    values: Sequence[Number]


def _vi(value: Number) -> str:
    return "" if value is None else format_number(value)


def _figure(size_inches: tuple[float, float]) -> Figure:
    """A new figure. matplotlib is imported here, on the first chart, not with the module: every
    command and web process imports this module, few draw (about half a second saved each)."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    return Figure(figsize=size_inches)


def _png(figure: Figure) -> bytes:
    output = io.BytesIO()
    figure.savefig(output, format="png", dpi=DPI, bbox_inches="tight")
    return output.getvalue()


def _float(value: Number) -> float:
    return float(value) if value is not None else float("nan")


def bar_chart_png(
    *,
    categories: Sequence[str],
    series: Sequence[Series],
    title: str = "",
    value_label: str = "",
    limits: tuple[float, float] | None = None,
    horizontal: bool = False,
    value_format: Callable[[Number], str] = _vi,
    size_inches: tuple[float, float] = (7.5, 4.2),
) -> bytes:
    """Grouped bars, one group per category; values written on the bars."""
    figure = _figure(size_inches)
    axes = figure.add_subplot()
    count = max(len(series), 1)
    width = 0.8 / count
    positions = range(len(categories))
    for index, item in enumerate(series):
        offsets = [p - 0.4 + width * (index + 0.5) for p in positions]
        values = [_float(v) for v in item.values]
        style: dict[str, Any] = {
            "color": PALETTE[index % len(PALETTE)],
            "hatch": HATCHES[index % len(HATCHES)],
            "edgecolor": "black",
            "linewidth": 0.5,
            "label": item.label,
        }
        if horizontal:
            bars = axes.barh(offsets, values, height=width, **style)
        else:
            bars = axes.bar(offsets, values, width=width, **style)
        axes.bar_label(
            bars,
            labels=[value_format(v) for v in item.values],
            padding=2,
            fontsize=6.5 if count > 2 else 7.5,
        )
    if horizontal:
        axes.set_yticks(list(positions), labels=list(categories), fontsize=8)
        axes.invert_yaxis()
        if limits:
            axes.set_xlim(*limits)
        axes.set_xlabel(value_label)
    else:
        axes.set_xticks(list(positions), labels=list(categories), fontsize=8)
        if limits:
            axes.set_ylim(*limits)
        axes.set_ylabel(value_label)
    axes.set_title(title, fontsize=10)
    axes.grid(axis="x" if horizontal else "y", linestyle=":", linewidth=0.5)
    axes.set_axisbelow(True)
    if len(series) > 1:  # below the plot, where it hides no bar
        axes.legend(
            fontsize=8,
            loc="upper center",
            bbox_to_anchor=(0.5, -0.08 if not horizontal else -0.06),
            ncol=len(series),
            frameon=False,
        )
    figure.tight_layout()
    return _png(figure)


def line_chart_png(
    *,
    categories: Sequence[str],
    series: Sequence[Series],
    title: str = "",
    value_label: str = "",
    invert: bool = False,
    limits: tuple[float, float] | None = None,
    value_format: Callable[[Number], str] = _vi,
    size_inches: tuple[float, float] = (7.5, 3.6),
) -> bytes:
    """Lines with a distinct marker per series, each point labelled; `invert` puts rank 1 on top."""
    figure = _figure(size_inches)
    axes = figure.add_subplot()
    positions = list(range(len(categories)))
    for index, item in enumerate(series):
        values = [_float(v) for v in item.values]
        axes.plot(
            positions,
            values,
            marker=MARKERS[index % len(MARKERS)],
            color=PALETTE[index % len(PALETTE)],
            linestyle="-" if index == 0 else "--",
            label=item.label,
        )
        for position, raw in zip(positions, item.values, strict=True):
            if raw is not None:
                axes.annotate(
                    value_format(raw),
                    (position, float(raw)),
                    textcoords="offset points",
                    xytext=(0, 7 if not invert else -12),
                    ha="center",
                    fontsize=8,
                )
    axes.set_xticks(positions, labels=list(categories), fontsize=8)
    if limits:
        axes.set_ylim(*limits)
    if invert:
        axes.invert_yaxis()
    axes.set_ylabel(value_label)
    axes.set_title(title, fontsize=10)
    axes.grid(axis="y", linestyle=":", linewidth=0.5)
    axes.margins(x=0.1, y=0.2)
    if len(series) > 1:
        axes.legend(fontsize=8)
    figure.tight_layout()
    return _png(figure)


def chart_png(chart: Chart) -> bytes:
    """The PNG of a `Chart` block (horizontal bars, a value beside each), for either writer."""
    return bar_chart_png(
        categories=list(chart.labels),
        series=[Series(chart.series_label, list(chart.values))],
        limits=chart.limits,
        horizontal=True,
        size_inches=(7.5, max(2.0, 0.28 * len(chart.labels) + 1)),
    )
