"""User-facing text in both languages, kept with the feature that uses it."""

from __future__ import annotations

import re
from collections.abc import Mapping

from bot.types import Lang


class Texts:
    """A feature's messages: ``{"key": {"en": "...", "da": "..."}}`` with ``{name}`` fields.

    Checked at import: every message exists in both languages with the same fields, so a
    missing translation fails the test run instead of a conversation.
    """

    def __init__(self, messages: Mapping[str, Mapping[str, str]]) -> None:
        for key, langs in messages.items():
            missing = {lang.value for lang in Lang} - set(langs)
            if missing:
                raise ValueError(f"message {key!r} lacks {sorted(missing)}")
            fields = {lang: set(re.findall(r"(?<!\{)\{(\w+)\}", text)) for lang, text in langs.items()}
            if len({frozenset(f) for f in fields.values()}) > 1:
                raise ValueError(f"message {key!r} has different fields per language: {fields}")
        self._messages = messages

    def __call__(self, lang: Lang | str, key: str, /, **fields: object) -> str:
        text = self._messages[key][Lang(lang).value]
        return text.format(**fields) if fields else text

    def has(self, key: str) -> bool:
        return key in self._messages

    def all(self, key: str) -> list[str]:
        """Every language's version (for matching typed words such as button labels)."""
        return list(self._messages[key].values())
