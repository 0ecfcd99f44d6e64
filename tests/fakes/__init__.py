"""Fake Telegram Bot API and Slack Web API servers on 127.0.0.1, for end-to-end channel tests.

Use the fixtures ``fake_telegram`` and ``fake_slack`` (tests/fakes/fixtures.py, loaded by the
conftest): each starts a server on a free port, records every call, and stops at the end.
"""

from tests.fakes.slack import FakeSlack, signed_headers
from tests.fakes.telegram import FakeTelegram

__all__ = ["FakeSlack", "FakeTelegram", "signed_headers"]
