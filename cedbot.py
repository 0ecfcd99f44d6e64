"""The cedbot application: its features in routing order, and the command line built from them.

This is the one place that lists the features. The core (``bot/``) builds the runtime, the
server and the command line from :data:`APP` and never imports a feature itself; features
meet through the capabilities they declare (``handlers/capabilities.py``). Nothing here is
imported before it is needed, so ``cedbot --version`` starts at once.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from bot import cli
from bot.app import AddCli, Application, CliGroup

if TYPE_CHECKING:
    from bot.router import Router


def routers() -> list[Router]:
    """The features, in the order messages are offered to them; the FAQ takes free text last."""
    from handlers import advice, courses, desk, faq, handoff, housekeeping, labels, privacy, start

    return [
        start.router,
        housekeeping.router,
        privacy.router,
        labels.router,
        courses.router,
        advice.router,
        handoff.router,
        desk.router,
        faq.router,
    ]


def _kb() -> Sequence[AddCli]:
    from handlers.faq.cli import add_cli as faq_tools
    from handlers.handoff.cli import add_cli as handoff_tools

    return [faq_tools, handoff_tools]


def _queue() -> Sequence[AddCli]:
    from handlers.handoff.cli import add_cli

    return [add_cli]


def _labels() -> Sequence[AddCli]:
    from handlers.labels.cli import add_cli

    return [add_cli]


def _courses() -> Sequence[AddCli]:
    from handlers.courses.cli import add_cli

    return [add_cli]


def _slots() -> Sequence[AddCli]:
    from handlers.advice.cli import add_cli

    return [add_cli]


def _desk() -> Sequence[AddCli]:
    from handlers.desk.cli import add_cli

    return [add_cli]


APP = Application(
    routers=routers,
    commands=(
        CliGroup("queue", "The adviser queue of hand-off tickets.", _queue),
        CliGroup("kb", "Knowledge base tools: check, ask, eval, bench, gaps, drafts, publish.", _kb),
        CliGroup("labels", "The cluster label register: import, list.", _labels),
        CliGroup("courses", "The course catalogue: import, list, participants.", _courses),
        CliGroup("slots", "Advisers' meeting slots: import, list.", _slots),
        CliGroup("desk", "The adviser desk in the browser.", _desk),
        CliGroup("report", "Write the monthly report for CED's funders (CSV and PNG).", _desk),
    ),
)


def main(argv: Sequence[str] | None = None) -> int:
    """``cedbot``: the console script."""
    return cli.main(APP, argv)


if __name__ == "__main__":
    raise SystemExit(main())
