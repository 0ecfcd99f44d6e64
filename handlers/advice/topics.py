"""The advice topics offered as buttons (the areas CED's advisers cover)."""

from __future__ import annotations

from bot.types import Lang

TOPICS: dict[str, dict[str, str]] = {
    "strategy": {"en": "Cluster management and strategy", "da": "Klyngeledelse og strategi"},
    "labels": {"en": "Cluster excellence labels", "da": "Klyngemærker (labels)"},
    "international": {"en": "Internationalisation", "da": "Internationalisering"},
    "mergers": {"en": "Consolidation and mergers", "da": "Konsolidering og fusioner"},
    "communication": {"en": "Communication and results", "da": "Kommunikation og resultater"},
    "triplehelix": {"en": "Triple-helix projects", "da": "Triple helix-projekter"},
    "funding": {"en": "Funding", "da": "Finansiering"},
    "other": {"en": "Something else", "da": "Noget andet"},
}


def label(topic: str, lang: Lang) -> str:
    return TOPICS.get(topic, TOPICS["other"])[lang.value]
