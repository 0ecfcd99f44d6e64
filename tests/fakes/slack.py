"""A fake Slack Web API (``/api/<method>``), response URLs, and signed inbound requests."""

from __future__ import annotations

import itertools
import json
import secrets
import time
from typing import Any
from urllib.parse import urlencode

from aiohttp import web
from slack_sdk.signature import SignatureVerifier

from tests.fakes.base import Call, FakeServer, maybe_json, read_params

BOT_USER_ID = "UCEDBOT"
SIGNING_SECRET = "test-signing-secret"
BOT_TOKEN = "xoxb-test-token"


class FakeSlack(FakeServer):
    """Records every Web API call and every POST to a response URL (method ``response_url``).

    Point the client at ``f"{fake.url}/api/"`` (``CEDBOT_SLACK_API_URL``).
    """

    def __init__(self) -> None:
        super().__init__()
        self._ts = itertools.count(1)
        self._files = itertools.count(1)

    def routes(self, app: web.Application) -> None:
        app.router.add_post("/api/{method}", self._api)
        app.router.add_post("/upload/{file_id}", self._upload)
        app.router.add_post("/response/{n}", self._response_url)

    @property
    def api_url(self) -> str:
        return f"{self.url}/api/"

    def response_url(self) -> str:
        return f"{self.url}/response/{secrets.token_hex(4)}"

    def posts(self) -> list[Call]:
        return self.called("chat.postMessage")

    def texts(self) -> list[str]:
        """The mrkdwn of every posted message's blocks, one string per message."""
        return ["\n".join(b["text"]["text"] for b in c.params.get("blocks", []) if "text" in b) for c in self.posts()]

    def next_ts(self) -> str:
        return f"{int(time.time())}.{next(self._ts):06d}"

    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        params, files = await read_params(request)
        params = {k: maybe_json(v) for k, v in params.items()}
        call = Call(method, params, files)
        await self.record(call)
        failure = self.take_failure(method)
        if failure is not None:
            call.failed = True
            return web.json_response(failure.body, status=failure.status, headers=failure.headers)
        handler = getattr(self, "_m_" + method.replace(".", "_"), None)
        if handler is None:
            return web.json_response({"ok": False, "error": "unknown_method"})
        return web.json_response({"ok": True, **handler(params)})

    async def _upload(self, request: web.Request) -> web.Response:
        body = await request.read()
        await self.record(Call("upload", {"file_id": request.match_info["file_id"]}, {"file": ("", body)}))
        return web.Response(text=f"OK - {len(body)}")

    async def _response_url(self, request: web.Request) -> web.Response:
        await self.record(Call("response_url", json.loads(await request.read())))
        return web.Response(text="ok")

    def _m_auth_test(self, params: dict[str, Any]) -> dict[str, Any]:
        return {
            "url": "https://ced-test.slack.com/",
            "team": "CED",
            "user": "cedbot",
            "team_id": "T0CED",
            "user_id": BOT_USER_ID,
            "bot_id": "B0CEDBOT",
            "is_enterprise_install": False,
        }

    def _m_chat_postMessage(self, params: dict[str, Any]) -> dict[str, Any]:
        ts = self.next_ts()
        return {"channel": params.get("channel"), "ts": ts, "message": {"ts": ts, "text": params.get("text")}}

    def _m_chat_update(self, params: dict[str, Any]) -> dict[str, Any]:
        return {"channel": params.get("channel"), "ts": params.get("ts"), "text": params.get("text")}

    def _m_files_getUploadURLExternal(self, params: dict[str, Any]) -> dict[str, Any]:
        file_id = f"F{next(self._files):05d}"
        return {"upload_url": f"{self.url}/upload/{file_id}", "file_id": file_id}

    def _m_files_completeUploadExternal(self, params: dict[str, Any]) -> dict[str, Any]:
        files = params.get("files") or []
        return {"files": [{"id": f["id"], "title": f.get("title", "")} for f in files]}


def rate_limited() -> tuple[int, dict[str, Any], dict[str, str]]:
    """What Slack answers when a method is called too often (``Retry-After`` in seconds)."""
    return 429, {"ok": False, "error": "ratelimited"}, {"Retry-After": "0"}


# Inbound requests, as Slack sends them -------------------------------------------------------


def signed_headers(
    body: bytes,
    *,
    secret: str = SIGNING_SECRET,
    timestamp: int | None = None,
    content_type: str = "application/json",
) -> dict[str, str]:
    ts = str(int(time.time()) if timestamp is None else timestamp)
    signature = SignatureVerifier(secret).generate_signature(timestamp=ts, body=body)
    return {"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": signature, "Content-Type": content_type}


def event_body(event: dict[str, Any], *, event_id: str | None = None) -> bytes:
    return json.dumps(
        {
            "token": "legacy",
            "team_id": "T0CED",
            "api_app_id": "A0CED",
            "type": "event_callback",
            "event_id": event_id or f"Ev{secrets.token_hex(5).upper()}",
            "event_time": int(time.time()),
            "authorizations": [{"team_id": "T0CED", "user_id": BOT_USER_ID, "is_bot": True}],
            "event": event,
        }
    ).encode()


def dm_event(text: str, *, user: str = "U0MANAGER", channel: str = "D0MANAGER") -> dict[str, Any]:
    ts = f"{time.time():.6f}"
    return {
        "type": "message",
        "channel_type": "im",
        "user": user,
        "channel": channel,
        "text": text,
        "ts": ts,
        "event_ts": ts,
        "team": "T0CED",
    }


def mention_event(text: str, *, user: str = "U0MANAGER", channel: str = "C0GENERAL") -> dict[str, Any]:
    ts = f"{time.time():.6f}"
    return {
        "type": "app_mention",
        "user": user,
        "channel": channel,
        "ts": ts,
        "event_ts": ts,
        "text": f"<@{BOT_USER_ID}> {text}",
        "team": "T0CED",
    }


def command_body(text: str, *, response_url: str, user: str = "U0MANAGER", channel: str = "C0GENERAL") -> bytes:
    return urlencode(
        {
            "token": "legacy",
            "team_id": "T0CED",
            "channel_id": channel,
            "channel_name": "general",
            "user_id": user,
            "user_name": "mette",
            "command": "/ced",
            "text": text,
            "api_app_id": "A0CED",
            "response_url": response_url,
            "trigger_id": "1.2.abc",
        }
    ).encode()


def action_body(
    value: str,
    *,
    message_ts: str,
    channel: str = "D0MANAGER",
    user: str = "U0MANAGER",
    response_url: str = "",
    ephemeral: bool = False,
) -> bytes:
    payload = {
        "type": "block_actions",
        "team": {"id": "T0CED", "domain": "ced-test"},
        "user": {"id": user, "username": "mette", "name": "mette", "team_id": "T0CED"},
        "api_app_id": "A0CED",
        "token": "legacy",
        "container": {
            "type": "message",
            "message_ts": message_ts,
            "channel_id": channel,
            "is_ephemeral": ephemeral,
        },
        "trigger_id": "1.2.def",
        "channel": {"id": channel, "name": "directmessage"},
        "message": {"type": "message", "ts": message_ts, "user": BOT_USER_ID, "text": "card"},
        "response_url": response_url,
        "actions": [
            {
                "action_id": "cedbot-0-0",
                "block_id": "row0",
                "type": "button",
                "value": value,
                "text": {"type": "plain_text", "text": "x"},
                "action_ts": f"{time.time():.6f}",
            }
        ],
    }
    return urlencode({"payload": json.dumps(payload)}).encode()
