"""The label register on the desk: filters, and a CSV import that previews before it writes."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from bot.runtime import Runtime
from storage import desk as deskdb
from storage import labels as store
from tests.desk_support import desk_for, settings_for_desk

HEADER = "name,aliases,region,website,label,awarded_on,valid_until\n"
BROKEN = (
    HEADER
    + "Fjordlys Energiklynge,,Midtjylland,,platinum,2025-06-01,2027-05-31\n"
    + "# a comment line keeps the numbering\n"
    + "Nyt Netværk,,Hovedstaden,ftp://x.example,silver,2025-13-01,2027-01-01\n"
    + "Godt Netværk,,Sjælland,,none,,\n"
    + "Dobbelt,,Sjælland,,none,,\n"
    + "dobbelt,,Sjælland,,none,,\n"
)
GOOD = HEADER + "Helt Nyt Klyngenetværk,HNK,Testegnen,https://hnk.example,bronze,2026-01-01,2028-01-01\n"


@pytest.fixture
async def office(make_runtime: Any) -> Runtime:
    rt: Runtime = await make_runtime(**settings_for_desk())
    return rt


async def register(rt: Runtime) -> list[tuple[str, str, Any]]:
    async with rt.sessions() as session:
        return [(c.name, c.label, c.valid_until) for c in await store.all_clusters(session)]


async def test_a_broken_file_shows_every_bad_line_and_changes_nothing(office: Runtime) -> None:
    before = await register(office)
    async with desk_for(office) as (http, csrf):
        for do in ("preview", "import"):
            page = await http.post(
                "/desk/labels/import",
                data={"csrf": csrf, "do": do},
                files={"file": ("register.csv", BROKEN.encode(), "text/csv")},
            )
            assert page.status_code == 400
            assert "nothing was imported and nothing changed" in page.text
            for line in (
                "line 2: field &#39;label&#39;: &#39;platinum&#39; is unknown",
                "line 4: field &#39;awarded_on&#39;",
                "line 4: field &#39;website&#39;",
                "line 7: field &#39;name&#39;: duplicate name",
            ):
                assert line in page.text, line
    assert await register(office) == before


async def test_a_good_file_is_previewed_then_imported(office: Runtime) -> None:
    before = await register(office)
    async with desk_for(office) as (http, csrf):
        preview = await http.post(
            "/desk/labels/import",
            data={"csrf": csrf, "do": "preview"},
            files={"file": ("register.csv", GOOD.encode(), "text/csv")},
        )
        assert preview.status_code == 200 and "nothing has been written yet" in preview.text
        assert "new: Helt Nyt Klyngenetværk (bronze until 2028-01-01)" in preview.text
        assert await register(office) == before
        done = await http.post("/desk/labels/import", data={"csrf": csrf, "do": "import", "csv": GOOD})
        assert done.status_code == 200 and "Imported." in done.text
        forged = await http.post("/desk/labels/import", data={"csrf": "nope", "do": "import", "csv": GOOD})
        assert forged.status_code == 403
        filtered = await http.get("/desk/labels?level=bronze&region=Testegnen")
    assert "Helt Nyt Klyngenetværk" in filtered.text and "1 of" in filtered.text
    assert ("Helt Nyt Klyngenetværk", "bronze") in [(n, lvl) for n, lvl, _ in await register(office)]
    async with office.sessions() as session:
        actions = [a.action for a in (await session.execute(select(deskdb.DeskAudit))).scalars()]
    assert actions.count("labels-import") == 1


async def test_the_register_filters_by_expiry(office: Runtime) -> None:
    async with desk_for(office) as (http, _):
        everything = await http.get("/desk/labels")
        soon = await http.get("/desk/labels?expiring=30")
    assert "41 of 41 clusters" in everything.text
    shown = int(soon.text.split(" of 41 clusters")[0].rsplit(">", 1)[1])
    assert 0 < shown < 41
