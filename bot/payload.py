"""Typed button payloads: a button is a small class that packs to and unpacks from its action.

A pressed button's action comes from the outside world: anyone can send any string. Each
kind of button is declared once, with typed fields::

    class PickSlot(Payload, feature="advice", verb="slot"):
        slot_id: int

    PickSlot(slot_id=12).pack()          # "advice:slot:12"
    PickSlot.unpack("advice:slot:12")    # PickSlot(slot_id=12)

Packing checks the 64-byte limit Telegram sets; unpacking refuses anything that is not
exactly what the class declares (a wrong field count, ``²`` or ``-1`` or ``99999999999``
for an integer, an unknown enum value) with :class:`PayloadError`, which the dispatcher
turns into one polite "that button is no longer valid". Handlers receive the typed value
and never split or convert strings themselves; they still check that the person may do
what the payload asks (it is their booking, the ticket is open).
"""

from __future__ import annotations

import enum
import re
import types
import typing
from collections.abc import Callable
from dataclasses import dataclass, fields
from typing import Any, ClassVar, Self, dataclass_transform

from bot.types import Button

MAX_BYTES = 64
"""Telegram's limit on ``callback_data``; Slack allows more, so the smaller one rules."""
MAX_INT = 2**31 - 1
"""The largest integer a payload carries (database ids are 32-bit integers)."""
SEP = ":"

_NAME = re.compile(r"[a-z][a-z0-9_-]*")
_INT = re.compile(r"0|[1-9][0-9]{0,9}")


class PayloadError(ValueError):
    """A button action that no declared payload accepts (forged, stale or malformed)."""


def _int(text: str) -> int:
    if not _INT.fullmatch(text) or int(text) > MAX_INT:
        raise PayloadError(f"not an integer between 0 and {MAX_INT}: {text!r}")
    return int(text)


def whole_number(text: str) -> int | None:
    """A typed number by the same rule as payload integers (ASCII digits, 0 to 2^31-1), or None.

    For numbers people type after a command (``/slots remove 12``): ``²`` passes
    ``str.isdigit`` but is no number, and an id beyond 32 bits is no row of ours.
    """
    try:
        return _int(text)
    except PayloadError:
        return None


def _str(text: str) -> str:
    if not text or not text.isprintable():
        raise PayloadError(f"not a usable text value: {text!r}")
    return text


def _bool(text: str) -> bool:
    if text not in ("y", "n"):
        raise PayloadError(f"not y or n: {text!r}")
    return text == "y"


def _parser(kind: Any) -> tuple[Callable[[str], Any], Callable[[Any], str]]:
    """How one field type is read from and written to its part of the action."""
    if kind is bool:
        return _bool, lambda v: "y" if v else "n"
    if kind is int:
        return _int, lambda v: str(_int(str(v)))
    if kind is str:
        return _str, _str
    if isinstance(kind, type) and issubclass(kind, enum.Enum):
        enum_kind: type[enum.Enum] = kind

        def read(text: str) -> Any:
            try:
                return enum_kind(text)
            except ValueError:
                raise PayloadError(f"not one of {enum_kind.__name__}: {text!r}") from None

        return read, lambda v: str(enum_kind(v).value)
    raise TypeError(f"payload fields are int, str, bool, an enum, or one of them | None; not {kind!r}")


@dataclass(frozen=True, slots=True)
class _Field:
    name: str
    optional: bool
    read: Callable[[str], Any]
    write: Callable[[Any], str]


def _field(name: str, hint: Any) -> _Field:
    args = typing.get_args(hint)
    if isinstance(hint, types.UnionType) or typing.get_origin(hint) is typing.Union:
        kinds = [a for a in args if a is not type(None)]
        if len(kinds) != 1 or len(args) != 2:
            raise TypeError(f"payload field {name!r}: only 'X | None' unions are allowed")
        return _Field(name, True, *_parser(kinds[0]))
    return _Field(name, False, *_parser(hint))


@dataclass_transform(frozen_default=True)
class Payload:
    """Base of every button payload: subclass with ``feature=`` and ``verb=`` and typed fields.

    Fields are written in declaration order after ``feature:verb``; trailing fields that are
    ``None`` are left out (``advice:start`` and ``advice:start:labels`` are one payload).
    """

    feature: ClassVar[str]
    verb: ClassVar[str]
    _fields: ClassVar[tuple[_Field, ...]]

    def __init_subclass__(cls, *, feature: str, verb: str, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        for part in (feature, verb):
            if not _NAME.fullmatch(part):
                raise TypeError(f"{cls.__name__}: {part!r} is not a lower-case name")
        cls.feature, cls.verb = feature, verb
        dataclass(frozen=True)(cls)
        hints = typing.get_type_hints(cls)
        cls._fields = tuple(_field(f.name, hints[f.name]) for f in fields(cls))  # type: ignore[arg-type]
        seen_optional = False
        for f in cls._fields:
            if seen_optional and not f.optional:
                raise TypeError(f"{cls.__name__}: optional fields come last")
            seen_optional = f.optional

    @classmethod
    def key(cls) -> tuple[str, str]:
        return cls.feature, cls.verb

    def pack(self) -> str:
        """The action string; raises :class:`PayloadError` beyond 64 bytes or for a bad value."""
        parts = [self.feature, self.verb]
        values = [getattr(self, f.name) for f in self._fields]
        while values and values[-1] is None and self._fields[len(values) - 1].optional:
            values.pop()
        for f, value in zip(self._fields, values, strict=False):
            text = "" if value is None else f.write(value)
            if SEP in text:
                raise PayloadError(f"{type(self).__name__}.{f.name} may not contain {SEP!r}: {text!r}")
            parts.append(text)
        action = SEP.join(parts)
        if len(action.encode()) > MAX_BYTES:
            raise PayloadError(f"button action longer than {MAX_BYTES} bytes: {action!r}")
        return action

    @classmethod
    def unpack(cls, action: str) -> Self:
        """The payload this action carries; :class:`PayloadError` unless it is exactly well-formed."""
        if len(action.encode()) > MAX_BYTES:
            raise PayloadError("button action longer than 64 bytes")
        if SEP not in action:
            raise PayloadError(f"not a {cls.__name__} action: {action!r}")
        feature, verb, *parts = action.split(SEP)
        if (feature, verb) != cls.key():
            raise PayloadError(f"not a {cls.__name__} action: {action!r}")
        required = sum(1 for f in cls._fields if not f.optional)
        if not required <= len(parts) <= len(cls._fields):
            raise PayloadError(f"{cls.__name__} takes {len(cls._fields)} values, got {len(parts)}")
        values: dict[str, Any] = {f.name: None for f in cls._fields}
        for f, text in zip(cls._fields, parts, strict=False):
            values[f.name] = None if f.optional and text == "" else f.read(text)
        return cls(**values)

    def button(self, label: str, url: str | None = None) -> Button:
        """A button with this payload."""
        return Button(label, self.pack(), url)


def split_key(action: str) -> tuple[str, str]:
    """``advice:slot:12`` -> ``("advice", "slot")``; the verb is empty when there is none."""
    feature, _, rest = action.partition(SEP)
    return feature, rest.partition(SEP)[0]
