"""Settings from ``CEDBOT_*`` environment variables and an optional ``.env`` file."""

from __future__ import annotations

import re
from datetime import time
from pathlib import Path
from typing import Annotated
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from bot.types import Address, Channel, Lang

_DRIVERS = {
    "sqlite": "sqlite+aiosqlite",
    "sqlite+aiosqlite": "sqlite+aiosqlite",
    "postgresql": "postgresql+asyncpg",
    "postgres": "postgresql+asyncpg",
    "postgresql+asyncpg": "postgresql+asyncpg",
}


class SettingsError(Exception):
    """A setting is missing or wrong; the message names the variable and the fix."""


def normalise_database_url(value: str) -> str:
    """Accept ``sqlite:///file`` and ``postgresql://...`` and pick the async driver."""
    try:
        url = make_url(value.strip())
    except ArgumentError:
        raise ValueError(
            "not a database URL; use sqlite+aiosqlite:///path/to/cedbot.db or "
            "postgresql+asyncpg://user@host:5432/dbname"
        ) from None
    driver = _DRIVERS.get(url.drivername)
    if driver is None:
        raise ValueError(f"unsupported database {url.drivername!r}; use sqlite or postgresql")
    if driver.startswith("sqlite") and not url.database:
        raise ValueError("a SQLite URL needs a file path, e.g. sqlite+aiosqlite:///cedbot.db")
    return url.set(drivername=driver).render_as_string(hide_password=False)


_DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]


def parse_office_hours(value: str) -> tuple[frozenset[int], time, time]:
    """``mon-fri 09:00-16:00`` -> (weekdays 0-4, 09:00, 16:00)."""
    m = re.fullmatch(r"\s*([a-z]{3})(?:-([a-z]{3}))?\s+(\d{1,2}):(\d{2})-(\d{1,2}):(\d{2})\s*", value.lower())
    if not m or m.group(1) not in _DAYS or (m.group(2) and m.group(2) not in _DAYS):
        raise ValueError(f"{value!r} is not like 'mon-fri 09:00-16:00'")
    first = _DAYS.index(m.group(1))
    last = _DAYS.index(m.group(2) or m.group(1))
    days = frozenset(range(first, last + 1)) if first <= last else frozenset([*range(first, 7), *range(last + 1)])
    try:
        start = time(int(m.group(3)), int(m.group(4)))
        end = time(int(m.group(5)), int(m.group(6)))
    except ValueError:
        raise ValueError(f"{value!r} has an impossible time") from None
    if end <= start:
        raise ValueError(f"{value!r}: office hours must end after they start")
    return days, start, end


def _identities(value: object) -> frozenset[str]:
    if isinstance(value, str):
        items = [v.strip() for v in value.split(",") if v.strip()]
    elif isinstance(value, list | tuple | set | frozenset):
        items = [str(v).strip() for v in value]
    else:
        raise ValueError("expected comma-separated identities such as slack:U123,telegram:42")
    for item in items:
        channel, sep, user = item.partition(":")
        if not sep or not user or channel not in {c.value for c in Channel}:
            raise ValueError(f"{item!r} is not CHANNEL:USER (slack:U123, telegram:42, console:anna)")
    return frozenset(items)


class Settings(BaseSettings):
    """Everything the assistant can be configured with; see the README's table."""

    model_config = SettingsConfigDict(env_prefix="CEDBOT_", env_file=".env", env_file_encoding="utf-8", extra="ignore")

    database_url: str = "sqlite+aiosqlite:///cedbot.db"
    default_language: Lang = Lang.EN
    advisers: Annotated[frozenset[str], NoDecode] = frozenset()
    admins: Annotated[frozenset[str], NoDecode] = frozenset()
    adviser_channel: Address | None = None

    max_message_chars: int = Field(4000, ge=100, le=100_000)
    rate_limit_messages: int = Field(20, ge=1)
    rate_limit_window_seconds: float = Field(60.0, gt=0)
    flow_idle_minutes: int = Field(60, ge=1)
    log_retention_days: int = Field(180, ge=1)

    office_hours: str = "mon-fri 09:00-16:00"
    """When CED advisers answer, in ``office_timezone``: ``DAYS HH:MM-HH:MM``."""
    office_timezone: str = "Europe/Copenhagen"
    handoff_remind_minutes: int = Field(30, ge=1)
    """Unclaimed tickets older than this are re-posted to the adviser channel (office hours)."""

    outbox_poll_seconds: float = Field(1.0, gt=0)
    outbox_max_attempts: int = Field(8, ge=1)
    lease_seconds: float = Field(10.0, ge=0.5, le=600)
    """How long a worker holds an inbox or outbox row without renewing it; a dead worker's
    rows are taken over after this."""
    send_parallel: int = Field(8, ge=1, le=100)
    """Chats delivered to at once per channel and worker (each chat's messages go in order)."""
    job_poll_seconds: float = Field(30.0, gt=0)
    files_dir: Path = Path("cedbot-files")
    sample_data: bool | None = None
    """Fill empty registers with the bundled fictional samples; unset: on SQLite only."""

    knowledge_dir: Path | None = None
    """The knowledge base entries; ``None`` means the bundled ``knowledge/entries``."""
    faq_answer_threshold: float = Field(62.0, ge=0, le=100)
    faq_choose_threshold: float = Field(55.0, ge=0, le=100)
    faq_margin: float = Field(3.0, ge=0, le=100)

    telegram_token: str | None = None
    telegram_api_url: str = "https://api.telegram.org"
    telegram_webhook_url: str | None = None
    telegram_webhook_secret: str | None = None
    slack_bot_token: str | None = None
    slack_signing_secret: str | None = None
    slack_app_token: str | None = None
    slack_api_url: str = "https://slack.com/api/"
    host: str = "127.0.0.1"
    port: int = Field(8080, ge=0, le=65535)
    http_max_body_bytes: int = Field(1_000_000, ge=1_000, le=100_000_000)
    """Larger request bodies are refused with 413 while they stream in (platform payloads are small)."""
    http_timeout_seconds: float = Field(10.0, gt=0, le=300)
    """A client must send its request headers, and then its body, within this time each."""
    http_max_connections: int = Field(500, ge=2, le=100_000)
    """Open HTTP connections at most; idle ones are shed first (kept below the open-files limit)."""
    outbox_retention_days: int = Field(7, ge=1)
    """Delivered outbox messages are purged after this many days."""
    public_url: str | None = None
    """Where people reach ``cedbot serve`` (``https://bot.ced.example``); the adviser desk
    needs it for its sign-in links and stays off without it."""
    desk_idle_minutes: int = Field(30, ge=1, le=24 * 60)
    """A desk session unused this long is signed out."""

    @field_validator("office_hours")
    @classmethod
    def _office_hours(cls, value: str) -> str:
        parse_office_hours(value)
        return value.strip().lower()

    @field_validator("office_timezone")
    @classmethod
    def _timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {value!r}; use e.g. Europe/Copenhagen") from None
        return value

    @field_validator(
        "telegram_token",
        "telegram_webhook_url",
        "telegram_webhook_secret",
        "slack_bot_token",
        "slack_signing_secret",
        "slack_app_token",
        mode="before",
    )
    @classmethod
    def _optional(cls, value: object) -> object:
        # An empty variable (CEDBOT_SLACK_APP_TOKEN=) means "not set", as in most .env files.
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("public_url", mode="before")
    @classmethod
    def _public_url(cls, value: object) -> object:
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        text = str(value).strip().rstrip("/")
        if not re.fullmatch(r"https?://[^\s/?#]+(/[^\s?#]*)?", text):
            raise ValueError(f"{text!r} is not an http(s) address such as https://bot.ced.example")
        return text

    @field_validator("telegram_webhook_secret")
    @classmethod
    def _secret(cls, value: str | None) -> str | None:
        # Telegram accepts 1-256 characters from A-Z, a-z, 0-9, _ and - only.
        if value is not None and not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", value):
            raise ValueError("use 1 to 256 characters from A-Z, a-z, 0-9, _ and -")
        return value

    @field_validator("database_url")
    @classmethod
    def _db(cls, value: str) -> str:
        return normalise_database_url(value)

    @field_validator("advisers", "admins", mode="before")
    @classmethod
    def _ids(cls, value: object) -> frozenset[str]:
        return _identities(value)

    @field_validator("adviser_channel", mode="before")
    @classmethod
    def _address(cls, value: object) -> Address | None:
        if value is None or isinstance(value, Address):
            return value
        if not str(value).strip():
            return None
        return Address.parse(str(value))

    @field_validator("default_language", mode="before")
    @classmethod
    def _lang(cls, value: object) -> object:
        return value.lower().strip() if isinstance(value, str) else value

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @property
    def loads_samples(self) -> bool:
        """A production database (PostgreSQL) is never seeded with invented data unless asked."""
        return self.is_sqlite if self.sample_data is None else self.sample_data

    @property
    def configured_channels(self) -> list[Channel]:
        """The chat platforms that are on: those whose token is set."""
        on = [(Channel.TELEGRAM, self.telegram_token), (Channel.SLACK, self.slack_bot_token)]
        return [channel for channel, token in on if token]

    def missing_for(self, channel: Channel) -> list[str]:
        """The variables a channel still needs, by name (empty when it can start)."""
        needs: list[tuple[str, object]] = []
        if channel is Channel.TELEGRAM:
            needs.append(("CEDBOT_TELEGRAM_TOKEN", self.telegram_token))
            if self.telegram_webhook_url:
                needs.append(("CEDBOT_TELEGRAM_WEBHOOK_SECRET", self.telegram_webhook_secret))
        elif channel is Channel.SLACK:
            needs.append(("CEDBOT_SLACK_BOT_TOKEN", self.slack_bot_token))
            if not self.slack_app_token:  # HTTP mode verifies every request with the secret
                needs.append(("CEDBOT_SLACK_SIGNING_SECRET", self.slack_signing_secret))
        return [name for name, value in needs if not value]


def load_settings(**overrides: object) -> Settings:
    """Load and validate; a bad value raises :class:`SettingsError` with one clear line."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        err = exc.errors()[0]
        field = str(err["loc"][0]) if err["loc"] else "?"
        msg = str(err["msg"]).removeprefix("Value error, ")
        raise SettingsError(f"CEDBOT_{field.upper()}: {msg}") from None
