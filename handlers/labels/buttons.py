"""The labels feature's buttons and flow step."""

from __future__ import annotations

from bot.payload import Payload
from bot.states import State, States


class LabelsFlow(States, prefix="labels"):
    confirm = State()
    """Asked whether a cluster is the person's own."""


class ShowCluster(Payload, feature="labels", verb="show"):
    cluster_id: int


class ChooseMine(Payload, feature="labels", verb="mine"):
    cluster_id: int


class LinkMine(Payload, feature="labels", verb="link"):
    cluster_id: int


class KeepMine(Payload, feature="labels", verb="keep"):
    pass


class RemindMe(Payload, feature="labels", verb="remind"):
    cluster_id: int


class StopReminders(Payload, feature="labels", verb="stop"):
    cluster_id: int
