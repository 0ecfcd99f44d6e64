"""The monthly report: a CSV of every figure and a one-page PNG with the charts, drawn on the
server with matplotlib (a bare ``Figure``, as the label chart, so it may run in a thread)."""

from __future__ import annotations

import io
from typing import Any

from bot.types import Lang
from fileimport import write_csv
from handlers.desk.figures import Figures
from handlers.desk.texts import PAGE
from handlers.labels.chart import COLOURS


def _pct(value: float | None) -> str:
    return "" if value is None else f"{value * 100:.1f}"


def _num(value: float | None) -> str:
    return "" if value is None else f"{value:.1f}"


def rows(f: Figures) -> list[tuple[str, str, str]]:
    """(section, metric, value): the CSV's lines, stable names a spreadsheet can refer to."""
    out = [
        ("questions", "total", str(f.questions)),
        ("questions", "answered", str(f.answered)),
        ("questions", "declined", str(f.declined)),
        ("questions", "answered_percent", _pct(f.answered_share)),
        ("questions", "helpful_votes", str(f.helpful)),
        ("questions", "not_helpful_votes", str(f.not_helpful)),
    ]
    out += [("questions_per_week", week, str(a + d)) for week, (a, d) in f.weeks.items()]
    out += [("top_topics", entry, str(n)) for entry, n in f.top_topics]
    out += [
        ("handoffs", "tickets", str(f.handoffs)),
        ("handoffs", "claimed", str(f.claimed)),
        ("handoffs", "resolved", str(f.resolved)),
        ("handoffs", "median_minutes_to_claim", _num(f.minutes_to_claim)),
        ("ratings", "average", _num(f.average_rating)),
    ]
    out += [("ratings", str(k), str(n)) for k, n in f.ratings.items()]
    out += [
        ("bookings", "seats_booked", str(f.seats_booked)),
        ("bookings", "waiting_list_places", str(f.waiting_booked)),
        ("bookings", "courses_starting", str(f.courses_run)),
        ("bookings", "fill_rate_percent", _pct(f.fill_rate)),
        ("bookings", "adviser_meetings", str(f.meetings)),
        ("bookings", "adviser_slots", str(f.slots)),
    ]
    out += [("labels", level, str(n)) for level, n in f.labels.items()]
    out.append(("labels", "expiring_within_90_days", str(f.expiring)))
    return out


def to_csv(f: Figures) -> str:
    out = io.StringIO()
    write_csv(out, [("month", "section", "metric", "value"), *((f.month.label, *row) for row in rows(f))])
    return out.getvalue()


def chart(f: Figures, lang: Lang, which: str) -> bytes:
    """One chart as a PNG: ``questions``, ``ratings`` or ``labels``."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(6.4, 3.6), dpi=100)
    FigureCanvasAgg(fig)
    _draw(fig.add_subplot(), f, lang, which)
    fig.tight_layout()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    return buffer.getvalue()


def report_png(f: Figures, lang: Lang) -> bytes:
    """The one-page report: the key figures and the three charts."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(11.7, 8.3), dpi=100)  # A4 landscape
    FigureCanvasAgg(fig)
    fig.suptitle(PAGE(lang, "report_title", month=f.month.label), fontsize=16)
    text = fig.add_subplot(2, 2, 1)
    text.axis("off")
    text.text(0, 1, "\n".join(summary(f, lang)), va="top", fontsize=11, family="DejaVu Sans")
    for position, which in ((2, "questions"), (3, "ratings"), (4, "labels")):
        _draw(fig.add_subplot(2, 2, position), f, lang, which)
    fig.tight_layout(rect=(0, 0, 1, 0.95))
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    return buffer.getvalue()


def summary(f: Figures, lang: Lang) -> list[str]:
    def t(key: str, **values: object) -> str:
        return PAGE(lang, key, **values)

    return [
        t("fig_questions", total=f.questions, answered=_pct(f.answered_share) or "-"),
        t("fig_handoffs", tickets=f.handoffs, minutes=_num(f.minutes_to_claim) or "-"),
        t("fig_ratings", average=_num(f.average_rating) or "-", count=sum(f.ratings.values())),
        t("fig_bookings", seats=f.seats_booked, waiting=f.waiting_booked, fill=_pct(f.fill_rate) or "-"),
        t("fig_meetings", meetings=f.meetings, slots=f.slots),
        t("fig_labels", gold=f.labels.get("gold", 0), silver=f.labels.get("silver", 0),
          bronze=f.labels.get("bronze", 0), expiring=f.expiring),
    ]  # fmt: skip


def _draw(ax: Any, f: Figures, lang: Lang, which: str) -> None:
    from matplotlib.ticker import MaxNLocator

    if which == "questions":
        weeks = list(f.weeks)
        answered = [f.weeks[w][0] for w in weeks]
        declined = [f.weeks[w][1] for w in weeks]
        ax.bar(weeks, answered, color="#2e7d32", label=PAGE(lang, "answered"))
        ax.bar(weeks, declined, bottom=answered, color="#c0392b", label=PAGE(lang, "declined"))
        ax.legend(loc="upper left", frameon=False)
        ax.set_title(PAGE(lang, "chart_questions"))
    elif which == "ratings":
        ax.bar([str(k) for k in f.ratings], list(f.ratings.values()), color="#0b4f8a")
        ax.set_title(PAGE(lang, "chart_ratings"))
    else:
        levels = list(f.labels)
        ax.bar(levels, [f.labels[k] for k in levels], color=[COLOURS.get(k, "#555555") for k in levels])
        ax.set_title(PAGE(lang, "chart_labels"))
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
