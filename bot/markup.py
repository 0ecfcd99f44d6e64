"""The neutral reply markup: parse once here, render per channel in the adapters.

Markup: ``**bold**``, ``[text](https://url)``, and lines starting with ``- `` as list items.
User-provided text goes through :func:`escape` so it is always shown literally.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

_SPECIAL = re.compile(r"([\\*\[\]()])")
_TOKEN = re.compile(
    r"\\(?P<esc>.)"
    r"|\*\*(?P<bold>(?:\\.|[^*\\])+?)\*\*"
    r"|\[(?P<label>(?:\\.|[^\]\\])+)\]\((?P<url>(?:https?://|mailto:)[^\s)]+)\)",
    re.S,
)
_UNESCAPE = re.compile(r"\\(.)", re.S)


def escape(text: str) -> str:
    """Make user text literal inside a reply (no bold, no links)."""
    return _SPECIAL.sub(r"\\\1", text)


@dataclass(frozen=True, slots=True)
class Span:
    """A run of text: plain, bold, or a link (``url`` set)."""

    text: str
    bold: bool = False
    url: str | None = None


def parse_line(line: str) -> list[Span]:
    spans: list[Span] = []
    pos = 0
    buf: list[str] = []
    for m in _TOKEN.finditer(line):
        buf.append(line[pos : m.start()])
        pos = m.end()
        if m.group("esc") is not None:
            buf.append(m.group("esc"))
            continue
        if buf:
            spans.append(Span("".join(buf)))
            buf = []
        if m.group("bold") is not None:
            spans.append(Span(_UNESCAPE.sub(r"\1", m.group("bold")), bold=True))
        else:
            spans.append(Span(_UNESCAPE.sub(r"\1", m.group("label")), url=m.group("url")))
    buf.append(line[pos:])
    tail = "".join(buf)
    if tail:
        spans.append(Span(tail))
    return [s for s in spans if s.text]


def render(
    text: str,
    *,
    plain: Callable[[str], str],
    bold: Callable[[str], str],
    link: Callable[[str, str], str],
    bullet: str = "• ",
) -> str:
    """Render markup with channel-specific functions for each kind of span."""
    out: list[str] = []
    for line in text.split("\n"):
        prefix = ""
        if line.startswith("- "):
            prefix, line = bullet, line[2:]
        parts = []
        for span in parse_line(line):
            if span.url is not None:
                parts.append(link(span.text, span.url))
            elif span.bold:
                parts.append(bold(span.text))
            else:
                parts.append(plain(span.text))
        out.append(plain(prefix) + "".join(parts) if prefix else "".join(parts))
    return "\n".join(out)


def to_plain(text: str) -> str:
    """Plain text, for the console and for logs."""
    return render(
        text,
        plain=lambda s: s,
        bold=lambda s: s,
        link=lambda label, url: url if label == url else f"{label} ({url})",
    )
