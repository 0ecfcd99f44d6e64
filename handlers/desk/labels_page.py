"""The label register on the desk: the list with filters, and the CSV import with a preview.

The checks and the import are the command line's (``handlers.labels.register``): a preview is
the dry run, listing every bad line, and writes nothing.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from starlette.datastructures import FormData, UploadFile
from starlette.requests import Request
from starlette.responses import Response

from fileimport import FileProblem, text_lines
from handlers.desk.security import Viewer
from handlers.desk.texts import PAGE
from handlers.desk.web import Desk
from handlers.labels import register
from handlers.labels.common import status, today
from storage import labels as store
from storage.labels import Level

LEVELS = [lvl.value for lvl in Level] + ["expired"]


def _int(value: str | None) -> int | None:
    text = (value or "").strip()
    return int(text) if text.isdigit() and len(text) < 6 else None


async def _register(desk: Desk, request: Request) -> dict[str, Any]:
    level = request.query_params.get("level", "")
    region = request.query_params.get("region", "")
    within = _int(request.query_params.get("expiring"))
    on: date = today(desk.runtime.clock())
    async with desk.runtime.sessions() as session:
        clusters = list(await store.all_clusters(session))
    shown = []
    for c in clusters:
        left = c.days_left(on)
        if level in LEVELS and status(c, on) != level:
            continue
        if region and c.region != region:
            continue
        if within is not None and (left is None or not 0 <= left <= within):
            continue
        shown.append({"cluster": c, "status": status(c, on), "left": left})
    regions = sorted({c.region for c in clusters if c.region})
    return {
        "clusters": shown,
        "total": len(clusters),
        "levels": LEVELS,
        "regions": regions,
        "level": level,
        "region": region,
        "expiring": "" if within is None else str(within),
    }


async def labels_page(request: Request, desk: Desk, viewer: Viewer, form: FormData | None) -> Response:
    return desk.render("labels.html", viewer.lang, viewer, **await _register(desk, request), preview=None)


async def _csv_text(form: FormData) -> str | None:
    upload = form.get("file")
    if isinstance(upload, UploadFile) and upload.filename:
        raw = await upload.read()
    else:
        raw = str(form.get("csv") or "").encode()
    if not raw.strip():
        return None
    return raw.decode("utf-8-sig", errors="replace")


async def labels_import(request: Request, desk: Desk, viewer: Viewer, form: FormData | None) -> Response:
    """Preview (the dry run) or import; a file with any bad line imports nothing."""
    assert form is not None
    text = await _csv_text(form)
    write = form.get("do") == "import"
    preview: dict[str, Any] = {"csv": text or "", "errors": [], "changes": [], "can_import": False}
    if text is None:
        preview["errors"] = [PAGE(viewer.lang, "csv_empty")]
    else:
        try:
            async with desk.runtime.sessions() as session, session.begin():
                lines, now = text_lines(text), desk.runtime.clock()
                changes = await register.import_lines(session, lines, "", now, dry_run=not write)
        except FileProblem as exc:  # the transaction rolled back: nothing changed
            preview["errors"] = exc.errors
        else:
            preview["changes"] = register.describe(changes, dry_run=not write)
            preview["can_import"] = not write and changes.any
            preview["done"] = write
    if write:
        outcome = "refused" if preview["errors"] else "imported"
        detail = "\n".join([outcome, *(preview["errors"] or preview["changes"])])
        await desk.record(viewer, "labels-import", target="labels", detail=detail[:4000])
    values = await _register(desk, request)
    status_code = 400 if preview["errors"] else 200
    return desk.render("labels.html", viewer.lang, viewer, status=status_code, **values, preview=preview)
