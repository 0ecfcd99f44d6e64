"""A fake Telegram Bot API: ``POST /bot<token>/<method>``, JSON answers, a queue of updates."""

from __future__ import annotations

import asyncio
import itertools
import time
from typing import Any

from aiohttp import web

from tests.fakes.base import Call, FakeServer, maybe_json, read_params

BOT_ID = 7000001
BOT_USERNAME = "ced_test_bot"
TOKEN = "7000001:TEST-token"


class FakeTelegram(FakeServer):
    """Records every call; ``push_update`` queues an update for ``getUpdates``.

    Point python-telegram-bot at it with ``base_url(f"{fake.url}/bot")``, or set
    ``CEDBOT_TELEGRAM_API_URL=fake.url``.
    """

    def __init__(self) -> None:
        super().__init__()
        self.updates: list[dict[str, Any]] = []
        self._update_ids = itertools.count(1000)
        self._message_ids = itertools.count(500)
        self._new_update = asyncio.Event()

    def routes(self, app: web.Application) -> None:
        app.router.add_route("*", "/bot{token}/{method}", self._api)

    async def stop(self) -> None:
        self._new_update.set()  # end the long polls still waiting, so the server stops at once
        await super().stop()

    # What a test does -------------------------------------------------------------------------

    def push_update(self, update: dict[str, Any]) -> dict[str, Any]:
        update.setdefault("update_id", next(self._update_ids))
        self.updates.append(update)
        self._new_update.set()
        return update

    def message_update(
        self,
        text: str,
        *,
        user_id: int = 42,
        chat_id: int | None = None,
        chat_type: str = "private",
        first_name: str = "Mette",
        reply_to: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        """An update as Telegram sends it for a typed message (commands get their entity)."""
        chat_id = user_id if chat_id is None else chat_id
        chat: dict[str, Any] = {"id": chat_id, "type": chat_type}
        if chat_type == "private":
            chat["first_name"] = first_name
        else:
            chat["title"] = "Cluster managers"
        message: dict[str, Any] = {
            "message_id": next(self._message_ids),
            "from": {"id": user_id, "is_bot": False, "first_name": first_name, "language_code": "da"},
            "chat": chat,
            "date": int(time.time()),
            "text": text,
        }
        if text.startswith("/"):
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]
        if f"@{BOT_USERNAME}" in text and not text.startswith("/"):
            at = text.index(f"@{BOT_USERNAME}")
            message["entities"] = [{"type": "mention", "offset": at, "length": len(BOT_USERNAME) + 1}]
        if reply_to is not None:
            message["reply_to_message"] = reply_to
        return {"update_id": next(self._update_ids), "message": message}

    def press_update(self, data: str, message: dict[str, Any], *, user_id: int = 42) -> dict[str, Any]:
        """An update for a pressed inline button under ``message`` (a sent message's result)."""
        return {
            "update_id": next(self._update_ids),
            "callback_query": {
                "id": str(next(self._message_ids)),
                "from": {"id": user_id, "is_bot": False, "first_name": "Mette"},
                "chat_instance": "1",
                "message": message,
                "data": data,
            },
        }

    def sent(self) -> list[Call]:
        """Messages sent (not edits), in order."""
        return [c for c in self.calls if c.method in {"sendMessage", "sendPhoto", "sendDocument"}]

    def texts(self) -> list[str]:
        return [str(c.params.get("text", "")) for c in self.called("sendMessage")]

    # The Bot API ------------------------------------------------------------------------------

    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        params, files = await read_params(request)
        params = {k: maybe_json(v) for k, v in params.items()}
        call = Call(method, params, files)
        if method != "getUpdates":
            await self.record(call)
        failure = self.take_failure(method)
        if failure is not None:
            call.failed = True
            return web.json_response(failure.body, status=failure.status, headers=failure.headers)
        handler = getattr(self, f"_m_{method}", None)
        if handler is None:
            return web.json_response(
                {"ok": False, "error_code": 404, "description": "Not Found: method not found"}, status=404
            )
        result = await handler(params)
        return web.json_response({"ok": True, "result": result})

    async def _m_getMe(self, params: dict[str, Any]) -> Any:
        return {
            "id": BOT_ID,
            "is_bot": True,
            "first_name": "cedbot",
            "username": BOT_USERNAME,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
        }

    async def _m_setWebhook(self, params: dict[str, Any]) -> Any:
        return True

    async def _m_deleteWebhook(self, params: dict[str, Any]) -> Any:
        return True

    async def _m_getUpdates(self, params: dict[str, Any]) -> Any:
        offset = int(params.get("offset") or 0)
        timeout = float(params.get("timeout") or 0)
        self.updates = [u for u in self.updates if u["update_id"] >= offset]
        if not self.updates and timeout > 0:
            self._new_update.clear()
            try:
                await asyncio.wait_for(self._new_update.wait(), timeout)
            except TimeoutError:
                pass
        return list(self.updates[:100])

    def _message(self, params: dict[str, Any], **extra: Any) -> dict[str, Any]:
        chat_id = int(params["chat_id"])
        message: dict[str, Any] = {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": {"id": chat_id, "type": "private" if chat_id > 0 else "supergroup"},
            "from": {"id": BOT_ID, "is_bot": True, "first_name": "cedbot", "username": BOT_USERNAME},
            **extra,
        }
        if isinstance(params.get("reply_markup"), dict):
            message["reply_markup"] = params["reply_markup"]
        return message

    async def _m_sendMessage(self, params: dict[str, Any]) -> Any:
        return self._message(params, text=params.get("text", ""))

    async def _m_sendPhoto(self, params: dict[str, Any]) -> Any:
        size = {"file_id": "photo1", "file_unique_id": "p1", "width": 10, "height": 10}
        return self._message(params, photo=[size])

    async def _m_sendDocument(self, params: dict[str, Any]) -> Any:
        return self._message(params, document={"file_id": "doc1", "file_unique_id": "d1"})

    async def _m_editMessageText(self, params: dict[str, Any]) -> Any:
        message = self._message(params, text=params.get("text", ""))
        message["message_id"] = int(params["message_id"])
        return message

    async def _m_editMessageReplyMarkup(self, params: dict[str, Any]) -> Any:
        message = self._message(params)
        message["message_id"] = int(params["message_id"])
        return message

    async def _m_answerCallbackQuery(self, params: dict[str, Any]) -> Any:
        return True


def flood(retry_after: int = 1) -> dict[str, Any]:
    """The body Telegram sends with status 429."""
    return {
        "ok": False,
        "error_code": 429,
        "description": f"Too Many Requests: retry after {retry_after}",
        "parameters": {"retry_after": retry_after},
    }


def blocked() -> dict[str, Any]:
    """The body Telegram sends with status 403 when the person blocked the bot."""
    return {"ok": False, "error_code": 403, "description": "Forbidden: bot was blocked by the user"}
