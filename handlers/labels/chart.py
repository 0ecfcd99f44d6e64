"""The overview chart, drawn on the server with matplotlib's Agg backend (no display needed)."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

# One solid colour per bar, so the picture reads at a glance (and a test can measure bars).
COLOURS = {
    "gold": "#c9a227",
    "silver": "#8f9aa3",
    "bronze": "#a0522d",
    "expired": "#c0392b",
    "none": "#4a6fa5",
}


@dataclass(frozen=True)
class Chart:
    png: bytes
    heights: list[float]
    """The drawn bar heights, in the order of the bars."""


def bar_chart(bars: Sequence[tuple[str, str, int]], title: str, ylabel: str) -> Chart:
    """Render ``(key, label, count)`` bars as a PNG.

    Uses a bare ``Figure`` rather than pyplot, so no global state is shared between
    requests and it may run in a worker thread.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    fig = Figure(figsize=(6.4, 4.0), dpi=100)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    labels = [label for _key, label, _count in bars]
    counts = [count for _key, _label, count in bars]
    colours = [COLOURS.get(key, "#555555") for key, _label, _count in bars]
    drawn = ax.bar(labels, counts, color=colours, edgecolor="none", antialiased=False)
    ax.bar_label(drawn, padding=2)
    ax.set_title(title)
    ax.set_ylabel(ylabel)
    ax.set_ylim(0, max([*counts, 1]) * 1.15)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    fig.tight_layout()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    return Chart(buffer.getvalue(), [float(rect.get_height()) for rect in drawn.patches])
