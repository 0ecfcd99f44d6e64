"""Knowledge on the desk: the gaps to write next, FAQ drafts edited and published, and the
entries with the stale ones first.

Publishing is ``cedbot kb publish`` (``knowledge.publish``): the same checks as ``kb check``,
nothing written unless the whole folder still passes, then the running assistant reloads.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import update
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from bot.markup import to_plain
from handlers.desk.security import Viewer
from handlers.desk.texts import PAGE
from handlers.desk.web import Desk
from knowledge import publish
from knowledge.check import STALE_AFTER
from knowledge.gaps import group
from knowledge.loader import ENTRIES_DIR, LANGS, Entry
from storage import faq as faqdb
from storage import handoff as db

GAP_DAYS = 30


@dataclass(frozen=True)
class EntryLine:
    """An entry as the list shows it."""

    id: str
    title: str
    category: str
    reviewed: date | None
    valid_until: date | None
    stale: bool


def folder(desk: Desk) -> Path:
    return desk.runtime.settings.knowledge_dir or ENTRIES_DIR


def _loaded(desk: Desk) -> list[Entry]:
    handle = desk.runtime.knowledge
    return list(handle.base.entries) if handle.loaded else []


def _entries(desk: Desk, lang: str, today: date) -> list[EntryLine]:
    lines = []
    for e in _loaded(desk):
        expired = e.valid_until is not None and e.valid_until < today
        old = e.reviewed is None or e.reviewed < today - STALE_AFTER
        lines.append(EntryLine(e.id, e.title.get(lang, e.id), e.category, e.reviewed, e.valid_until, expired or old))
    # Stale first; then the longest since review.
    return sorted(lines, key=lambda x: (not x.stale, x.reviewed or date.min, x.id))


async def knowledge_page(request: Request, desk: Desk, viewer: Viewer, form: FormData | None) -> Response:
    now = desk.runtime.clock()
    async with desk.runtime.sessions() as session:
        gaps = group(list(await faqdb.gap_questions(session, now - timedelta(days=GAP_DAYS))))
        drafts = list(await db.drafts(session))
    entries = _entries(desk, viewer.lang.value, now.date())
    return desk.render(
        "knowledge.html", viewer.lang, viewer, gaps=gaps, drafts=drafts, entries=entries, gap_days=GAP_DAYS
    )


def _lines(text: object) -> list[str]:
    return [line.strip() for line in str(text or "").splitlines() if line.strip()]


def _list(text: object) -> list[str]:
    return [part.strip() for part in re.split(r"[,\n]", str(text or "")) if part.strip()]


def _extra(form: FormData) -> publish.Extra:
    extra = publish.Extra(category=str(form.get("category") or "").strip() or None)
    extra.related = _list(form.get("related"))
    extra.sources = [{"title": url, "url": url} for url in _lines(form.get("sources"))]
    for lang in LANGS:
        if title := str(form.get(f"title_{lang}") or "").strip():
            extra.titles[lang] = title
        if answer := str(form.get(f"answer_{lang}") or "").strip():
            extra.answers[lang] = answer
        extra.questions[lang] = _lines(form.get(f"questions_{lang}"))
        extra.keywords[lang] = _list(form.get(f"keywords_{lang}"))
    return extra


async def _draft_view(desk: Desk, number: int) -> db.FaqDraft | None:
    async with desk.runtime.sessions() as session:
        return await session.get(db.FaqDraft, number)


async def draft_page(request: Request, desk: Desk, viewer: Viewer, form: FormData | None) -> Response:
    number = request.path_params["number"]
    draft = await _draft_view(desk, number)
    if draft is None:
        body = PAGE(viewer.lang, "no_draft", number=number)
        return desk.message(viewer.lang, PAGE(viewer.lang, "knowledge"), body, status=404, viewer=viewer)
    values = {f"answer_{draft.lang}": draft.answer}
    return desk.render("draft.html", viewer.lang, viewer, **_draft_values(desk, draft, values, []))


def _draft_values(desk: Desk, draft: db.FaqDraft, values: dict[str, Any], problems: list[str]) -> dict[str, Any]:
    ids = sorted(e.id for e in _loaded(desk))
    return {"draft": draft, "v": values, "problems": problems, "entry_ids": ids, "langs": LANGS}


async def draft_post(request: Request, desk: Desk, viewer: Viewer, form: FormData | None) -> Response:
    """Save the edited question and answer; with ``do=publish`` also publish them."""
    assert form is not None
    number = request.path_params["number"]
    question = str(form.get("question") or "").strip()
    answer = str(form.get("answer") or "").strip()
    draft = await _draft_view(desk, number)
    if draft is None:
        body = PAGE(viewer.lang, "no_draft", number=number)
        return desk.message(viewer.lang, PAGE(viewer.lang, "knowledge"), body, status=404, viewer=viewer)
    values = {key: str(value) for key, value in form.items() if key != "csrf"}
    if not question or not answer:
        problems = [PAGE(viewer.lang, "draft_empty")]
        return desk.render(
            "draft.html", viewer.lang, viewer, status=400, **_draft_values(desk, draft, values, problems)
        )
    async with desk.runtime.sessions() as session, session.begin():
        await session.execute(
            update(db.FaqDraft).where(db.FaqDraft.id == number).values(question=question, answer=answer)
        )
    draft.question, draft.answer = question, answer
    if form.get("do") != "publish":
        await desk.record(viewer, "draft-edit", target=f"draft:{number}", flash=PAGE(viewer.lang, "draft_saved"))
        return RedirectResponse(f"/desk/knowledge/drafts/{number}", status_code=303)
    return await _publish(desk, viewer, draft, form, values)


async def _publish(desk: Desk, viewer: Viewer, draft: db.FaqDraft, form: FormData, values: dict[str, Any]) -> Response:
    item = publish.Draft(draft.id, draft.lang, draft.question, draft.answer)
    extra = _extra(form)
    today = desk.runtime.clock().date()
    new_id = str(form.get("new_id") or "").strip()
    into_id = str(form.get("into_id") or "").strip()
    try:
        if (new_id and into_id) or not (new_id or into_id):
            raise publish.PublishError(PAGE(viewer.lang, "publish_target"))
        if new_id:
            path = publish.new_entry(folder(desk), item, new_id, extra, today)
        else:
            path = publish.add_phrasings(folder(desk), item, into_id, extra, today)
    except publish.PublishError as exc:
        problems = str(exc).splitlines()
        await desk.record(viewer, "publish", target=f"draft:{draft.id}", detail="refused\n" + str(exc))
        return desk.render(
            "draft.html", viewer.lang, viewer, status=400, **_draft_values(desk, draft, values, problems)
        )
    # The running assistant answers from the new file at once, as after /reload.
    reloaded = await desk.runtime.reload(viewer.lang)
    flash = "\n".join([PAGE(viewer.lang, "published", number=draft.id, file=path.name), *map(to_plain, reloaded)])
    await desk.record(viewer, "publish", target=f"draft:{draft.id}", detail=f"done: {path.name}", flash=flash)
    return RedirectResponse("/desk/knowledge", status_code=303)
