"""The desk's routes: sign-in, sign-out, language, and the guard every other page goes through."""

from __future__ import annotations

import secrets
from collections.abc import Awaitable, Callable, Mapping
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from sqlalchemy import update
from starlette.datastructures import FormData
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from bot.runtime import Runtime
from bot.types import Lang
from handlers.desk import security as sec
from handlers.desk.signin import may_sign_in
from handlers.desk.texts import PAGE
from storage import desk as db

STATIC = Path(__file__).with_name("static")
MAX_BODY = 2 * 1024 * 1024
"""Forms and CSV uploads; anything larger is refused before it is read."""

TEMPLATES = Environment(
    loader=PackageLoader("handlers.desk", "templates"),
    autoescape=select_autoescape(default=True, default_for_string=True),
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)

Endpoint = Callable[[Request, "Desk", sec.Viewer, FormData | None], Awaitable[Response]]


class Desk:
    """The desk's shared pieces for one runtime: rendering, the guard, flash messages, audit."""

    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime

    @property
    def on(self) -> bool:
        return self.runtime.settings.public_url is not None

    def lang_of(self, request: Request) -> Lang:
        """For pages before sign-in: ?lang=, else the browser's preference, else the default."""
        asked = request.query_params.get("lang", "")
        if asked in {"da", "en"}:
            return Lang(asked)
        accept = request.headers.get("accept-language", "").lower()
        if accept.startswith("da"):
            return Lang.DA
        if accept.startswith("en"):
            return Lang.EN
        return self.runtime.settings.default_language

    def render(
        self, name: str, lang: Lang, viewer: sec.Viewer | None = None, *, status: int = 200, **values: Any
    ) -> HTMLResponse:
        def t(key: str, **fields: object) -> str:
            return PAGE(lang, key, **fields)

        html = TEMPLATES.get_template(name).render(t=t, lang=lang.value, viewer=viewer, **values)
        return HTMLResponse(html, status_code=status)

    def message(self, lang: Lang, title: str, body: str, *, status: int, viewer: sec.Viewer | None = None) -> Response:
        return self.render("message.html", lang, viewer, status=status, title=title, body=body)

    def guard(
        self, endpoint: Endpoint, *, post: bool = False, admin: bool = False, refresh: bool = False
    ) -> Callable[[Request], Awaitable[Response]]:
        """Only signed-in advisers reach ``endpoint``; a form also needs the session's CSRF token.

        Refusals change nothing: the check runs before the endpoint, in its own transaction.
        """

        async def guarded(request: Request) -> Response:
            lang = self.lang_of(request)
            if not self.on:
                return self.message(lang, PAGE(lang, "off_title"), PAGE(lang, "off_body"), status=503)
            form = await request.form() if post else None
            try:
                return await self._checked(request, endpoint, lang, form, admin, refresh)
            finally:
                if form is not None:
                    await form.close()  # uploaded files are spooled to disk

        return guarded

    async def _checked(
        self, request: Request, endpoint: Endpoint, lang: Lang, form: FormData | None, admin: bool, refresh: bool
    ) -> Response:
        async with self.runtime.sessions() as session, session.begin():
            viewer = await sec.viewer(self.runtime, session, request, touch=not refresh)
        if viewer is None:
            minutes = self.runtime.settings.desk_idle_minutes
            body = PAGE(lang, "session_over", minutes=minutes) if request.cookies.get(sec.COOKIE) else None
            return self.render("signin_how.html", lang, status=401, notice=body)
        if form is not None and not sec.csrf_ok(viewer.csrf, form.get("csrf")):
            # Not the adviser's doing, perhaps, but worth seeing: a form from elsewhere.
            await self.record(viewer, "refused", target=request.url.path, detail="missing or wrong CSRF token")
            return self.message(
                viewer.lang, PAGE(viewer.lang, "desk"), PAGE(viewer.lang, "forbidden"), status=403, viewer=viewer
            )
        if admin and not viewer.admin:
            return self.message(
                viewer.lang, PAGE(viewer.lang, "audit"), PAGE(viewer.lang, "admins_only"), status=403, viewer=viewer
            )
        return await endpoint(request, self, viewer, form)

    async def record(
        self,
        viewer: sec.Viewer,
        action: str,
        *,
        target: str | None = None,
        detail: str | None = None,
        flash: str | None = None,
    ) -> None:
        """Write the audit line (and the message for the next page) of a desk action."""
        async with self.runtime.sessions() as session, session.begin():
            db.audit(
                session,
                viewer.identity,
                action,
                self.runtime.clock(),
                target=target,
                detail=detail,
                session_id=viewer.session_id,
            )
            if flash is not None:
                await session.execute(
                    update(db.DeskSession).where(db.DeskSession.id == viewer.session_id).values(flash=flash)
                )


# Sign-in and sign-out --------------------------------------------------------------------------


async def signin_page(request: Request) -> Response:
    desk: Desk = request.scope["desk"]
    lang = desk.lang_of(request)
    if not desk.on:
        return desk.message(lang, PAGE(lang, "off_title"), PAGE(lang, "off_body"), status=503)
    token = request.path_params["token"]
    async with desk.runtime.sessions() as session, session.begin():
        link = await db.peek_link(session, token, desk.runtime.clock())
    if link is None or not may_sign_in(desk.runtime.settings, link.identity):
        return desk.message(lang, PAGE(lang, "signin_title"), PAGE(lang, "link_invalid"), status=403)
    # Showing the page spends nothing: link previews (Slack, Telegram) fetch it too. The
    # button posts it back with a nonce the browser also holds as a cookie.
    nonce = secrets.token_urlsafe(24)
    response = desk.render("signin.html", lang, who=link.identity, nonce=nonce, token=token)
    response.set_cookie(
        sec.PRE_COOKIE,
        nonce,
        max_age=600,
        httponly=True,
        samesite="strict",
        secure=sec.secure(desk.runtime),
        path="/desk",
    )
    return response


async def signin(request: Request) -> Response:
    desk: Desk = request.scope["desk"]
    lang = desk.lang_of(request)
    if not desk.on:
        return desk.message(lang, PAGE(lang, "off_title"), PAGE(lang, "off_body"), status=503)
    async with request.form() as form:
        nonce = form.get("nonce")
    if not sec.csrf_ok(request.cookies.get(sec.PRE_COOKIE, ""), nonce):
        return desk.message(lang, PAGE(lang, "signin_title"), PAGE(lang, "forbidden"), status=403)
    runtime = desk.runtime
    now = runtime.clock()
    async with runtime.sessions() as session, session.begin():
        identity = await db.use_link(session, request.path_params["token"], now)
        if identity is None or not may_sign_in(runtime.settings, identity):
            refused = True
        else:
            refused = False
            # The link carries the language the adviser asked in.
            token, row = await db.new_session(session, identity, lang.value, now)
            db.audit(session, identity, "sign-in", now, session_id=row.id)
            value = sec.sign(await sec.key(runtime, session), token)
    if refused:
        return desk.message(lang, PAGE(lang, "signin_title"), PAGE(lang, "link_invalid"), status=403)
    response = RedirectResponse("/desk", status_code=303)
    sec.set_session_cookie(response, runtime, value)
    response.delete_cookie(sec.PRE_COOKIE, path="/desk")
    return response


async def signout(request: Request, desk: Desk, viewer: sec.Viewer, form: FormData | None) -> Response:
    async with desk.runtime.sessions() as session, session.begin():
        row = await session.get_one(db.DeskSession, viewer.session_id)
        await db.end_session(session, row, desk.runtime.clock())
        db.audit(session, viewer.identity, "sign-out", desk.runtime.clock(), session_id=viewer.session_id)
    response = desk.message(viewer.lang, PAGE(viewer.lang, "desk"), PAGE(viewer.lang, "signed_out"), status=200)
    response.delete_cookie(sec.COOKIE, path="/desk")
    return response


async def switch_language(request: Request, desk: Desk, viewer: sec.Viewer, form: FormData | None) -> Response:
    assert form is not None
    lang = form.get("lang")
    if lang in {"da", "en"}:
        async with desk.runtime.sessions() as session, session.begin():
            await session.execute(
                update(db.DeskSession).where(db.DeskSession.id == viewer.session_id).values(lang=lang)
            )
    back = str(form.get("back") or "/desk")
    return RedirectResponse(back if back.startswith("/desk") and "//" not in back else "/desk", status_code=303)


async def audit_page(request: Request, desk: Desk, viewer: sec.Viewer, form: FormData | None) -> Response:
    async with desk.runtime.sessions() as session:
        lines = await db.audit_log(session)
    return desk.render("audit.html", viewer.lang, viewer, lines=lines, when=_when(viewer.lang))


def _when(lang: Lang) -> Callable[[Any], str]:
    from handlers.bookings.timefmt import when

    return lambda moment: when(moment, lang)


class _WithDesk:
    """Puts the desk object in the request scope for the routes that are not guarded."""

    def __init__(self, app: Any, desk: Desk) -> None:
        self.app, self.desk = app, desk

    async def __call__(self, scope: Mapping[str, Any], receive: Any, send: Any) -> None:
        await self.app({**scope, "desk": self.desk}, receive, send)


def routes(runtime: Runtime) -> list[BaseRoute]:
    """Everything under ``/desk``, with the security headers on every response."""
    from handlers.desk import bookings_page, figures_page, knowledge_page, labels_page, pages

    desk = Desk(runtime)
    g = desk.guard
    inner = [
        Route("/", g(pages.queue_page), methods=["GET"]),
        Route("/queue/rows", g(pages.queue_rows, refresh=True), methods=["GET"]),
        Route("/tickets/{number:int}", g(pages.ticket_page), methods=["GET"]),
        Route("/tickets/{number:int}/messages", g(pages.ticket_messages, refresh=True), methods=["GET"]),
        Route("/tickets/{number:int}/claim", g(pages.claim, post=True), methods=["POST"]),
        Route("/tickets/{number:int}/reply", g(pages.reply, post=True), methods=["POST"]),
        Route("/tickets/{number:int}/resolve", g(pages.resolve, post=True), methods=["POST"]),
        Route("/tickets/{number:int}/draft", g(pages.save_draft, post=True), methods=["POST"]),
        Route("/audit", g(audit_page, admin=True), methods=["GET"]),
        Route("/bookings", g(bookings_page.bookings_page), methods=["GET"]),
        Route("/bookings/courses/{course:int}/participants.csv", g(bookings_page.participants_csv), methods=["GET"]),
        Route("/bookings/slots", g(bookings_page.slot_add, post=True), methods=["POST"]),
        Route("/bookings/slots/{slot:int}/remove", g(bookings_page.slot_remove, post=True), methods=["POST"]),
        Route("/figures", g(figures_page.figures_page), methods=["GET"]),
        Route("/figures/report-{month}.{kind:str}", g(figures_page.report_file), methods=["GET"]),
        Route("/figures/{which}.png", g(figures_page.chart_png), methods=["GET"]),
        Route("/labels", g(labels_page.labels_page), methods=["GET"]),
        Route("/knowledge", g(knowledge_page.knowledge_page), methods=["GET"]),
        Route("/knowledge/drafts/{number:int}", g(knowledge_page.draft_page), methods=["GET"]),
        Route("/knowledge/drafts/{number:int}", g(knowledge_page.draft_post, post=True), methods=["POST"]),
        Route("/labels/import", g(labels_page.labels_import, post=True), methods=["POST"]),
        Route("/signin/{token}", signin_page, methods=["GET"]),
        Route("/signin/{token}", signin, methods=["POST"]),
        Route("/signout", g(signout, post=True), methods=["POST"]),
        Route("/lang", g(switch_language, post=True), methods=["POST"]),
        Mount("/static", app=StaticFiles(directory=STATIC), name="desk-static"),
    ]
    middleware = [Middleware(sec.SecurityHeaders), Middleware(_WithDesk, desk=desk)]
    return [
        Route("/desk", lambda request: RedirectResponse("/desk/", status_code=307)),
        Mount("/desk", routes=inner, middleware=middleware, max_body_size=MAX_BODY),
    ]
