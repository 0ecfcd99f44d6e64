"""Settings from ``CEDBOT_*`` environment variables and an optional ``.env`` file."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

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

    model_config = SettingsConfigDict(
        env_prefix="CEDBOT_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

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

    outbox_poll_seconds: float = Field(1.0, gt=0)
    outbox_max_attempts: int = Field(8, ge=1)
    job_poll_seconds: float = Field(30.0, gt=0)
    files_dir: Path = Path("cedbot-files")

    knowledge_dir: Path | None = None
    """The knowledge base entries; ``None`` means the bundled ``knowledge/entries``."""
    faq_answer_threshold: float = Field(62.0, ge=0, le=100)
    faq_choose_threshold: float = Field(55.0, ge=0, le=100)
    faq_margin: float = Field(3.0, ge=0, le=100)

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


def load_settings(**overrides: object) -> Settings:
    """Load and validate; a bad value raises :class:`SettingsError` with one clear line."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        err = exc.errors()[0]
        field = str(err["loc"][0]) if err["loc"] else "?"
        msg = str(err["msg"]).removeprefix("Value error, ")
        raise SettingsError(f"CEDBOT_{field.upper()}: {msg}") from None
