"""/labels: counts per level, what expires soon, and a chart whose bars match the counts."""

from __future__ import annotations

import io
from collections.abc import Sequence

import numpy as np
from PIL import Image

from bot.runtime import Runtime
from bot.types import AttachmentKind
from handlers.labels.chart import COLOURS, bar_chart
from tests.chat import Chat
from tests.labels_helpers import load_sample


def bar_pixel_heights(png: bytes, keys: Sequence[str]) -> dict[str, int]:
    """How many pixel rows each bar's colour fills in the decoded image."""
    pixels = np.asarray(Image.open(io.BytesIO(png)).convert("RGB"))
    heights = {}
    for key in keys:
        rgb = tuple(int(COLOURS[key][i : i + 2], 16) for i in (1, 3, 5))
        rows = np.where((pixels == rgb).all(axis=2).any(axis=1))[0]
        heights[key] = len(rows)
    return heights


async def test_overview_counts_expiring_list_and_chart(runtime: Runtime) -> None:
    await load_sample(runtime)
    chat = Chat(runtime, "anna")
    await chat.send("/labels")
    text = chat.text()
    assert "Cluster labels in the register (41 clusters, as of 27 November 2026)" in text
    for line in ("Gold: 10", "Silver: 9", "Bronze: 12", "Expired: 5", "No label: 5"):
        assert line in text
    assert "Expiring in the next 90 days (8)" in text
    assert text.index("Klitgård Fiskeriklynge: Bronze, valid until 30 November 2026 (3 days left)") < text.index(
        "Tjørnehøj Textile Network: Silver, valid until 14 February 2027 (79 days left)"
    )
    (image,) = chat.replies[0].attachments
    assert image.kind is AttachmentKind.IMAGE and image.mime_type == "image/png"
    assert Image.open(io.BytesIO(image.content)).format == "PNG"
    heights = bar_pixel_heights(image.content, ["gold", "silver", "bronze", "expired", "none"])
    per_cluster = heights["bronze"] / 12
    for key, count in {"gold": 10, "silver": 9, "expired": 5, "none": 5}.items():
        assert abs(heights[key] - count * per_cluster) <= 2, (key, heights)


def test_chart_bars_are_the_counts_and_zero_draws_nothing() -> None:
    chart = bar_chart([("gold", "Gold", 3), ("silver", "Silver", 0), ("bronze", "Bronze", 6)], "t", "y")
    assert chart.heights == [3.0, 0.0, 6.0]
    heights = bar_pixel_heights(chart.png, ["gold", "silver", "bronze"])
    assert heights["silver"] == 0
    assert abs(heights["bronze"] - 2 * heights["gold"]) <= 2


async def test_overview_in_danish_and_on_an_empty_register(runtime: Runtime) -> None:
    chat = Chat(runtime, "bo")
    await chat.send("/lang da")
    await chat.send("/labels")
    if "Mærkeregistret er tomt" in chat.text():  # PostgreSQL starts empty
        await load_sample(runtime)
        await chat.send("/labels")
    assert "Klyngemærker i registret" in chat.text() and "Guld: 10" in chat.text()
    assert "Udløber inden for 90 dage (8)" in chat.text()
