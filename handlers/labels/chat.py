"""In the chat: /label, /mycluster, /labels and the free-text "what is our label status"."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Sequence
from datetime import date

from bot.context import Context
from bot.markup import escape
from bot.router import UNHANDLED, Result
from bot.types import Attachment, AttachmentKind, Button, Lang, Reply
from handlers.capabilities import ASK_ADVISER, BOOK_MEETING, READ_TOPIC
from handlers.labels.buttons import ChooseMine, KeepMine, LabelsFlow, LinkMine, RemindMe, ShowCluster, StopReminders
from handlers.labels.chart import bar_chart
from handlers.labels.common import expiring, router, status, today
from handlers.labels.matching import fold, lookup
from handlers.labels.texts import TEXTS, days, level_name, long_date
from storage import labels as store
from storage.labels import Cluster, LinkKind

# Knowledge entries to read next, by where a cluster stands.
READ_NEXT = {
    "none": ("labels-bronze", "labels-next-level"),
    "bronze": ("labels-silver", "labels-next-level", "labels-validity-renewal"),
    "silver": ("labels-gold", "labels-next-level", "labels-validity-renewal"),
    "gold": ("labels-validity-renewal",),
    "expired": ("labels-validity-renewal", "labels-next-level"),
}
BARS = ("gold", "silver", "bronze", "expired", "none")


def read_next_buttons(ctx: Context, key: str) -> list[Button]:
    """Knowledge entries to read next, titled as the knowledge base has them (where it is installed)."""
    read_topic = ctx.capability(READ_TOPIC)
    if read_topic is None:
        return []
    buttons = []
    for entry in READ_NEXT[key]:
        title = ctx.runtime.knowledge.title(entry, ctx.lang) or ctx.t(TEXTS, f"kb_{entry}")
        if (button := read_topic(title, entry)) is not None:
            buttons.append(button)
    return buttons


def book_button(ctx: Context) -> list[Button]:
    book_meeting = ctx.capability(BOOK_MEETING)
    return [book_meeting(ctx.t(TEXTS, "btn_book"), "labels")] if book_meeting else []


async def card(ctx: Context, cluster: Cluster) -> Reply:
    """A cluster's label status, what comes next, and what the person can do about it."""
    on = today(ctx.now)
    key = status(cluster, on)
    left = cluster.days_left(on)
    lines = [f"**{escape(cluster.name)}**" + (f" ({escape(cluster.region)})" if cluster.region else "")]
    level = level_name(ctx.lang, cluster.label)
    if left is None or cluster.valid_until is None or cluster.awarded_on is None:
        lines.append(ctx.t(TEXTS, "card_none"))
    else:
        lines.append(ctx.t(TEXTS, "card_label_expired" if left < 0 else "card_label", level=level))
        lines.append(ctx.t(TEXTS, "card_awarded", date=long_date(ctx.lang, cluster.awarded_on)))
        until = long_date(ctx.lang, cluster.valid_until)
        if left < 0:
            lines.append(ctx.t(TEXTS, "card_expired", date=until, days=days(ctx.lang, left)))
        elif left == 0:
            lines.append(ctx.t(TEXTS, "card_valid_today", date=until))
        else:
            lines.append(ctx.t(TEXTS, "card_valid", date=until, days=days(ctx.lang, left)))
    if cluster.website:
        lines.append(f"- [{escape(cluster.website.split('://', 1)[-1])}]({cluster.website})")
    lines += ["", ctx.t(TEXTS, f"next_{key}")]
    link = await store.link_of(ctx.session, ctx.person.id, cluster.id)
    valid = left is not None and left >= 0
    if link is not None and valid:
        lines.append(ctx.t(TEXTS, "card_reminders"))
    await ctx.runtime.knowledge.ready()  # the entries' titles
    rows = [read_next_buttons(ctx, key), book_button(ctx)]
    if valid and link is None:
        rows.append([RemindMe(cluster.id).button(ctx.t(TEXTS, "btn_remind"))])
    elif link is not None and link.kind == LinkKind.WATCH:
        rows.append([StopReminders(cluster.id).button(ctx.t(TEXTS, "btn_stop"))])
    return Reply("\n".join(lines), buttons=[row for row in rows if row])


async def find(ctx: Context, query: str, pick: type[ShowCluster | ChooseMine]) -> Result:
    """Look a name up; one match is shown or chosen, several become ``pick`` buttons, none is said plainly."""
    clusters = await store.all_clusters(ctx.session)
    if not clusters:
        return Reply(ctx.t(TEXTS, "empty_register"))
    found = lookup(query, [(c, [c.name, *c.aliases]) for c in clusters])
    if found.match is not None:
        return await (card(ctx, found.match) if pick is ShowCluster else confirm(ctx, found.match))
    shown = escape(query[:80])
    if found.choices:
        buttons = [[pick(c.id).button(c.name)] for c in found.choices]
        return Reply(ctx.t(TEXTS, "choose", query=shown), buttons=buttons)
    lines = [ctx.t(TEXTS, "not_found", query=shown)]
    rows: list[list[Button]] = []
    if found.suggestion is not None:
        lines.append(ctx.t(TEXTS, "suggest", name=escape(found.suggestion.name)))
        rows.append([pick(found.suggestion.id).button(found.suggestion.name)])
    lines.append(ctx.t(TEXTS, "ask_adviser"))
    if (ask_adviser := ctx.capability(ASK_ADVISER)) is not None:
        rows.append([ask_adviser(ctx.t(TEXTS, "btn_adviser"))])
    return Reply("\n".join(lines), buttons=rows)


async def _example(ctx: Context) -> str:
    clusters = await store.all_clusters(ctx.session)
    return escape(clusters[0].name) if clusters else "Fjordlys"


@router.command(
    "label",
    usage="NAME",
    help={
        "en": "a cluster's label status (alone: your own cluster)",
        "da": "en klynges mærkestatus (alene: jeres egen)",
    },
)
async def label(ctx: Context) -> Result:
    if ctx.args:
        return await find(ctx, ctx.args, ShowCluster)
    return await own_status(ctx)


async def own_status(ctx: Context) -> Result:
    own = await store.member_cluster(ctx.session, ctx.person.id)
    if own is not None:
        return await card(ctx, own)
    if ctx.command == "label":
        return Reply(ctx.t(TEXTS, "label_usage", example=await _example(ctx)))
    return Reply(ctx.t(TEXTS, "own_unknown"))


# "My cluster", with a confirmation --------------------------------------------------------


@router.command(
    "mycluster",
    usage="NAME",
    help={"en": "link yourself to your cluster", "da": "knyt dig til jeres klynge"},
)
async def mycluster(ctx: Context) -> Result:
    if ctx.args:
        return await find(ctx, ctx.args, ChooseMine)
    own = await store.member_cluster(ctx.session, ctx.person.id)
    if own is not None:
        return Reply(ctx.t(TEXTS, "mine_current", name=escape(own.name)))
    return Reply(ctx.t(TEXTS, "mine_usage", example=await _example(ctx)))


async def confirm(ctx: Context, cluster: Cluster) -> Reply:
    own = await store.member_cluster(ctx.session, ctx.person.id)
    if own is not None and own.id == cluster.id:
        return Reply(ctx.t(TEXTS, "mine_current", name=escape(own.name)))
    await ctx.flow.start(LabelsFlow.confirm, cluster_id=cluster.id)
    name = escape(cluster.name)
    text = (
        ctx.t(TEXTS, "mine_replace", old=escape(own.name), name=name)
        if own is not None
        else ctx.t(TEXTS, "mine_confirm", name=name)
    )
    buttons = [
        [
            LinkMine(cluster.id).button(ctx.t(TEXTS, "btn_yes")),
            KeepMine().button(ctx.t(TEXTS, "btn_no")),
        ]
    ]
    return Reply(text, buttons=buttons)


async def link(ctx: Context, cluster: Cluster) -> Reply:
    await ctx.flow.clear()
    await store.set_member(ctx.session, ctx.person.id, cluster.id, ctx.now)
    return Reply(ctx.t(TEXTS, "mine_linked", name=escape(cluster.name)))


_YES = {fold(w) for w in ["yes", "y", "yep", "ja", "j", "jo", *TEXTS.all("btn_yes")]}
_NO = {fold(w) for w in ["no", "n", "nope", "nej", *TEXTS.all("btn_no")]}


@router.state(LabelsFlow)
async def confirm_step(ctx: Context) -> Result:
    answer = fold(ctx.args).strip(" .!")
    cluster_id = ctx.flow.data.get("cluster_id")
    cluster = await store.get_cluster(ctx.session, cluster_id) if isinstance(cluster_id, int) else None
    if answer in _YES and cluster is not None:
        return await link(ctx, cluster)
    await ctx.flow.clear()
    if answer in _NO or answer in _YES:
        return Reply(ctx.t(TEXTS, "mine_kept"))
    return UNHANDLED  # something else entirely: let it be answered as usual


# Buttons ----------------------------------------------------------------------------------


@router.button(KeepMine)
async def keep_mine(ctx: Context, _: KeepMine) -> Result:
    await ctx.flow.clear()
    return Reply(ctx.t(TEXTS, "mine_kept"))


@router.button(ShowCluster)
async def show_cluster(ctx: Context, pressed: ShowCluster) -> Result:
    cluster = await store.get_cluster(ctx.session, pressed.cluster_id)
    return UNHANDLED if cluster is None else await card(ctx, cluster)


@router.button(ChooseMine)
async def choose_mine(ctx: Context, pressed: ChooseMine) -> Result:
    cluster = await store.get_cluster(ctx.session, pressed.cluster_id)
    return UNHANDLED if cluster is None else await confirm(ctx, cluster)


@router.button(LinkMine)
async def link_mine(ctx: Context, pressed: LinkMine) -> Result:
    cluster = await store.get_cluster(ctx.session, pressed.cluster_id)
    pending = ctx.flow.at(LabelsFlow.confirm) and ctx.flow.data.get("cluster_id") == pressed.cluster_id
    return await link(ctx, cluster) if cluster is not None and pending else UNHANDLED


@router.button(StopReminders)
async def stop_reminders(ctx: Context, pressed: StopReminders) -> Result:
    cluster = await store.get_cluster(ctx.session, pressed.cluster_id)
    if cluster is None:
        return UNHANDLED
    await store.unwatch(ctx.session, ctx.person.id, cluster.id)
    return Reply(ctx.t(TEXTS, "remind_off", name=escape(cluster.name)))


@router.button(RemindMe)
async def remind_me(ctx: Context, pressed: RemindMe) -> Result:
    cluster = await store.get_cluster(ctx.session, pressed.cluster_id)
    return UNHANDLED if cluster is None else await remind(ctx, cluster)


async def remind(ctx: Context, cluster: Cluster) -> Reply:
    name = escape(cluster.name)
    left = cluster.days_left(today(ctx.now))
    if left is None or left < 0 or cluster.valid_until is None:
        return Reply(ctx.t(TEXTS, "remind_nothing", name=name))
    if not await store.watch(ctx.session, ctx.person.id, cluster.id, ctx.now):
        return Reply(ctx.t(TEXTS, "remind_already", name=name))
    return Reply(ctx.t(TEXTS, "remind_on", name=name, date=long_date(ctx.lang, cluster.valid_until)))


# Free text: "what is our label status" ----------------------------------------------------

_POSSESSIVE = {"our", "my", "vores", "min", "mit", "vor"}
_LABEL = {"label", "labels", "marke", "market", "certificering", "certification"}
_STATUS = {
    "status",
    "expire",
    "expires",
    "expiry",
    "expired",
    "valid",
    "udlober",
    "udlobet",
    "gyldig",
    "gyldigt",
}
_COMPOUNDS = ("labelstatus", "markestatus", "markeudlob", "labeludlob")


def asks_own_status(ctx: Context) -> bool:
    """Questions about *our* label's status or expiry; general label questions go to the FAQ."""
    words = set(re.findall(r"[a-z]+", fold(ctx.text)))
    if not words & _POSSESSIVE:
        return False
    if any(w.startswith(_COMPOUNDS) for w in words):
        return True
    return bool(words & _LABEL) and bool(words & _STATUS)


@router.text(asks_own_status)
async def own_status_text(ctx: Context) -> Result:
    return await own_status(ctx)


# The overview -----------------------------------------------------------------------------


@router.command(
    "labels", help={"en": "all clusters' labels, with a chart", "da": "alle klyngers mærker med et diagram"}
)
async def overview(ctx: Context) -> Result:
    clusters = await store.all_clusters(ctx.session)
    if not clusters:
        return Reply(ctx.t(TEXTS, "empty_register"))
    on = today(ctx.now)
    counts = {key: 0 for key in BARS}
    for cluster in clusters:
        counts[status(cluster, on)] += 1
    bars = [
        (key, level_name(ctx.lang, key) if key != "expired" else ctx.t(TEXTS, "level_expired"), counts[key])
        for key in BARS
    ]
    as_of = long_date(ctx.lang, on)
    lines = [ctx.t(TEXTS, "overview_title", total=len(clusters), date=as_of)]
    lines += [ctx.t(TEXTS, "overview_line", level=label, count=count) for _key, label, count in bars]
    lines += ["", *expiring_lines(ctx.lang, clusters, on)]
    title = ctx.t(TEXTS, "chart_title", date=as_of)
    chart = await asyncio.to_thread(bar_chart, bars, title, ctx.t(TEXTS, "chart_ylabel"))
    image = Attachment(f"labels-{on.isoformat()}.png", chart.png, "image/png", AttachmentKind.IMAGE)
    return Reply("\n".join(lines), attachments=[image])


def expiring_lines(lang: Lang, clusters: Sequence[Cluster], on: date) -> list[str]:
    soon = expiring(list(clusters), on)
    if not soon:
        return [TEXTS(lang, "expiring_none")]
    lines = [TEXTS(lang, "expiring_title", count=len(soon))]
    for c in soon:
        assert c.valid_until is not None
        lines.append(
            TEXTS(
                lang,
                "expiring_line",
                name=escape(c.name),
                level=level_name(lang, c.label),
                date=long_date(lang, c.valid_until),
                days=days(lang, (c.valid_until - on).days),
            )
        )
    return lines
