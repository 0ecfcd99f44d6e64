"""Typed button payloads and declared flow states: parsed once, refused in one place."""

from __future__ import annotations

import enum

import pytest

from bot.payload import MAX_INT, Payload, PayloadError
from bot.states import State, States


class Colour(enum.StrEnum):
    RED = "red"
    BLUE = "blue"


class Pick(Payload, feature="demo", verb="pick"):
    item_id: int


class Move(Payload, feature="demo", verb="move"):
    item_id: int
    to: int


class Vote(Payload, feature="demo", verb="vote"):
    answer_id: int
    helpful: bool


class Paint(Payload, feature="demo", verb="paint"):
    colour: Colour
    note: str | None = None


class Steps(States):
    name = State()


class DemoFlow(Steps, prefix="demoflow"):
    city = State()


class OtherFlow(Steps, prefix="otherflow"):
    pass


def test_payloads_pack_to_the_strings_users_already_have() -> None:
    assert Pick(item_id=12).pack() == "demo:pick:12"
    assert Move(item_id=3, to=4).pack() == "demo:move:3:4"
    assert Vote(answer_id=7, helpful=False).pack() == "demo:vote:7:n"
    assert Paint(Colour.RED).pack() == "demo:paint:red"
    assert Paint(Colour.RED, "x").pack() == "demo:paint:red:x"


def test_payloads_unpack_to_typed_values() -> None:
    assert Pick.unpack("demo:pick:12") == Pick(item_id=12)
    assert Move.unpack("demo:move:3:4").to == 4
    assert Vote.unpack("demo:vote:7:y").helpful is True
    assert Paint.unpack("demo:paint:blue") == Paint(Colour.BLUE, None)
    assert Pick.unpack(f"demo:pick:{MAX_INT}").item_id == MAX_INT


@pytest.mark.parametrize(
    "action",
    [
        "demo:pick:²",  # passes str.isdigit, crashes int()
        "demo:pick:-1",
        "demo:pick:+1",
        "demo:pick: 1",
        f"demo:pick:{MAX_INT + 1}",
        "demo:pick:99999999999999",
        "demo:pick:",
        "demo:pick",
        "demo:pick:1:2",
        "demo:pick:007",
        "demo:vote:1:maybe",
        "demo:paint:green",
        "demo:move:1",
        "other:pick:1",
    ],
)
def test_malformed_or_forged_payloads_are_refused(action: str) -> None:
    kind = {"pick": Pick, "vote": Vote, "paint": Paint, "move": Move}[action.split(":")[1]]
    with pytest.raises(PayloadError):
        kind.unpack(action)


def test_the_64_byte_limit_is_checked_when_packing() -> None:
    Paint(Colour.RED, "x" * 40).pack()
    with pytest.raises(PayloadError):
        Paint(Colour.RED, "x" * 60).pack()
    with pytest.raises(PayloadError):
        Paint(Colour.RED, "a:b").pack()
    with pytest.raises(PayloadError):
        Pick(item_id=-1).pack()


def test_a_payload_declaration_with_an_unsupported_field_fails_at_import() -> None:
    with pytest.raises(TypeError):

        class Bad(Payload, feature="demo", verb="bad"):
            price: float


def test_states_are_named_by_their_group_and_shared_steps_are_bound_per_group() -> None:
    assert DemoFlow.city.name == "demoflow.city"
    assert DemoFlow.name.name == "demoflow.name"
    assert OtherFlow.name.name == "otherflow.name"
    assert DemoFlow.get("demoflow.name") is DemoFlow.name
    assert DemoFlow.get("otherflow.name") is None
    assert set(DemoFlow.members) == {"demoflow.name", "demoflow.city"}


def test_a_typo_in_a_state_fails_at_once() -> None:
    with pytest.raises(AttributeError):
        DemoFlow.ctiy  # type: ignore[attr-defined]  # noqa: B018
