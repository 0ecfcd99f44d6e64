"""What an application hands the core: its features and its command-line groups.

The core never imports a feature. The application module (``cedbot.py``) lists them in
an :class:`Application`; the core builds the runtime, the server and the command line
from it. Both lists are functions, so nothing is imported before it is needed:
``cedbot --version`` imports no feature, ``cedbot kb check`` only the ones it runs.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bot.router import Router

AddCli = Callable[[Any], None]
"""A feature's ``add_cli(subparsers)``: adds its ``cedbot ...`` commands."""


@dataclass(frozen=True)
class CliGroup:
    """A top-level command of a feature (``cedbot kb ...``), loaded only when it is run."""

    name: str
    help: str
    load: Callable[[], Sequence[AddCli]]
    """The ``add_cli`` functions that add this command's actions (several features may share one)."""


@dataclass(frozen=True)
class Application:
    """The features in routing order (free text last) and the features' commands."""

    routers: Callable[[], Sequence[Router]]
    commands: Sequence[CliGroup] = ()
