"""Features, one module each. The order of :func:`build_routers` is the order of matching."""

from __future__ import annotations

from types import ModuleType

from bot.router import Router


def feature_modules() -> list[ModuleType]:
    """Every feature module, in routing order; free-text FAQ comes last."""
    from handlers import advice, courses, desk, faq, handoff, housekeeping, labels, privacy, start

    return [start, housekeeping, privacy, labels, courses, advice, handoff, desk, faq]


def build_routers() -> list[Router]:
    return [module.router for module in feature_modules()]
