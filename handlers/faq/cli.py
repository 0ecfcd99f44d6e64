"""``cedbot kb``: check, ask, eval, bench and gaps for the knowledge base."""

from __future__ import annotations

import argparse
import json
import re
import sys
from datetime import timedelta
from pathlib import Path
from typing import Any

from bot.settings import Settings

DEV_SET = Path(__file__).resolve().parents[2] / "knowledge" / "eval" / "dev.yaml"


def add_cli(sub: Any) -> None:
    from bot.cli import _add, command_group

    kb_sub = command_group(sub, "kb", "Knowledge base tools: check, ask, eval, bench, gaps, drafts.")
    _add(kb_sub, "check", "Validate every entry; exit 1 on errors (warnings do not fail).", cmd_check)
    ask = _add(kb_sub, "ask", "Ask one question and show the ranked entries.", cmd_ask)
    ask.add_argument("text")
    ask.add_argument("--lang", choices=["en", "da"], help="the language of the question")
    ask.add_argument("--json", action="store_true", help="print one JSON object")
    ev = _add(kb_sub, "eval", "Measure accuracy on a YAML list of {q, expect, lang}.", cmd_eval)
    ev.add_argument("file", type=Path, nargs="?", default=DEV_SET, help="default: the dev set")
    ev.add_argument("--json", action="store_true", help="print every case and the summary as JSON")
    ev.add_argument("--baseline", choices=["bm25", "wratio"], help="measure a plain baseline instead")
    ev.add_argument(
        "--quiet", action="store_true", help="figures only, no questions (for a held-out set that must stay unseen)"
    )
    bench = _add(kb_sub, "bench", "Build synthetic bases and time queries.", cmd_bench)
    bench.add_argument("--entries", default="100,1000,10000", help="sizes, comma-separated")
    bench.add_argument("--json", action="store_true")
    gaps = _add(kb_sub, "gaps", "Declined and not-helpful questions, grouped, largest first.", cmd_gaps)
    gaps.add_argument("--since", default="30d", help="how far back: 30d, 12h, 2w (default 30d)")
    gaps.add_argument("--json", action="store_true")
    pub = _add(kb_sub, "publish", "Publish FAQ draft N as a new entry or as phrasings of an entry.", cmd_publish)
    pub.add_argument("number", type=int, help="the draft's number (see: cedbot kb drafts)")
    target = pub.add_mutually_exclusive_group(required=True)
    target.add_argument("--as", dest="new_id", metavar="NEW-ID", help="write a new entry with this id")
    target.add_argument("--into", dest="into_id", metavar="EXISTING-ID", help="add the question to this entry")
    pub.add_argument("--category", help="for a new entry: ced, labels, funding, management, ...")
    for lang in ("en", "da"):
        pub.add_argument(f"--title-{lang}", metavar="TEXT")
        pub.add_argument(f"--answer-{lang}", metavar="TEXT", help="'-' reads it from standard input")
        pub.add_argument(f"--question-{lang}", action="append", default=[], metavar="TEXT", help="repeatable")
        pub.add_argument(f"--keyword-{lang}", action="append", default=[], metavar="TEXT", help="repeatable")
    pub.add_argument("--source", action="append", default=[], metavar="URL", help="a public source (repeatable)")
    pub.add_argument("--related", action="append", default=[], metavar="ID", help="a related entry (repeatable)")


def _folder(settings: Settings) -> Path:
    from knowledge.loader import ENTRIES_DIR

    return settings.knowledge_dir or ENTRIES_DIR


def _thresholds(settings: Settings) -> Any:
    from knowledge.engine import Thresholds

    return Thresholds(settings.faq_answer_threshold, settings.faq_choose_threshold, settings.faq_margin)


def _load(settings: Settings) -> Any:
    from knowledge.base import load_base
    from knowledge.loader import KnowledgeError

    try:
        return load_base(settings.knowledge_dir)
    except KnowledgeError as exc:
        print(f"cedbot: the knowledge base has errors; run 'cedbot kb check':\n{exc}", file=sys.stderr)
        return None


def cmd_check(args: argparse.Namespace, settings: Settings) -> int:
    from knowledge.check import check_folder

    entries, problems = check_folder(_folder(settings))
    for problem in problems:
        print(problem, file=sys.stderr if problem.level == "error" else sys.stdout)
    errors = sum(1 for p in problems if p.level == "error")
    warnings = len(problems) - errors
    print(f"{len(entries)} entries, {errors} errors, {warnings} warnings")
    return 1 if errors else 0


def cmd_ask(args: argparse.Namespace, settings: Settings) -> int:
    from bot import language

    base = _load(settings)
    if base is None:
        return 1
    result = base.ask(args.text, _thresholds(settings))
    lang = args.lang or (language.detect(args.text) or settings.default_language).value
    data = {
        "query": args.text,
        "lang": lang,
        "answer_id": result.answer_id,
        "confident": result.confident,
        "score": result.score,
        "candidates": [{"id": c.id, "score": c.score} for c in result.candidates],
    }
    if args.json:
        print(json.dumps(data, ensure_ascii=False))
        return 0
    print(f"{result.outcome.value} (confidence {result.score:g})")
    for c in result.candidates:
        print(f"  {c.score:5.1f}  {c.id}  {base.by_id[c.id].title.get(lang, '')}")
    return 0


def cmd_eval(args: argparse.Namespace, settings: Settings) -> int:
    from knowledge import baselines, evaluate
    from knowledge.loader import KnowledgeError

    try:
        cases = evaluate.load_cases(args.file)
    except KnowledgeError as exc:
        print(f"cedbot: {exc}", file=sys.stderr)
        return 2
    base = _load(settings)
    if base is None:
        return 1
    if args.baseline:
        searcher = getattr(baselines, args.baseline)(base.entries)
    else:
        thresholds = _thresholds(settings)
        searcher = lambda q: base.ask(q, thresholds)  # noqa: E731
    results, summary = evaluate.run(cases, searcher)
    if args.json:
        body = [evaluate.case_json(c, r) for c, r in zip(cases, results, strict=True)]
        print(json.dumps({"cases": body, "summary": summary}, ensure_ascii=False, indent=1))
        return 0
    for case, result in zip(cases, results, strict=True):
        if not args.quiet and evaluate.is_miss(case, result):
            print(evaluate.describe_miss(case, result))
    print(f"\n{args.baseline or 'engine'} on {args.file}:")
    for key, value in summary.items():
        print(f"  {key}: {value:.1%}" if isinstance(value, float) else f"  {key}: {value}")
    for lang, part in evaluate.by_language(cases, results).items():
        figures = ", ".join(f"{k} {v:.1%}" for k, v in part.items() if isinstance(v, float) and k != "asked_to_choose")
        print(f"  {lang} ({part['cases']} cases): {figures}")
    return 0


def cmd_bench(args: argparse.Namespace, settings: Settings) -> int:
    from knowledge import bench

    try:
        sizes = [int(s) for s in args.entries.split(",") if s.strip()]
    except ValueError:
        print("cedbot: --entries takes sizes such as 100,1000,10000", file=sys.stderr)
        return 2
    rows = []
    if not args.json:
        print(f"{'entries':>8} {'build s':>8} {'p50 ms':>8} {'p99 ms':>8} {'queries/s':>10} {'RSS MB':>8}")
    for row in bench.run(sizes):
        rows.append(row)
        if not args.json:
            print(
                f"{row['entries']:>8} {row['build_s']:>8.2f} {row['p50_ms']:>8.2f} {row['p99_ms']:>8.2f}"
                f" {row['qps']:>10.0f} {row['rss_mb']:>8.0f}",
                flush=True,
            )
    if args.json:
        print(json.dumps(rows))
    return 0


def parse_since(text: str) -> timedelta:
    m = re.fullmatch(r"\s*(\d+)\s*([hdw])\s*", text)
    if not m:
        raise ValueError(f"--since takes a number and h, d or w (e.g. 30d), not {text!r}")
    n, unit = int(m.group(1)), m.group(2)
    return {"h": timedelta(hours=n), "d": timedelta(days=n), "w": timedelta(weeks=n)}[unit]


def cmd_gaps(args: argparse.Namespace, settings: Settings) -> int:
    from sqlalchemy.ext.asyncio import AsyncSession

    from bot.cli import in_transaction
    from knowledge.gaps import group
    from storage.faq import gap_questions
    from storage.models import utcnow

    try:
        since = utcnow() - parse_since(args.since)
    except ValueError as exc:
        print(f"cedbot: {exc}", file=sys.stderr)
        return 2

    async def _fetch(session: AsyncSession) -> list[tuple[str, str]]:
        return list(await gap_questions(session, since))

    gaps = group(in_transaction(settings, _fetch))
    if args.json:
        data = [{"size": g.size, "kinds": g.kinds, "questions": g.questions} for g in gaps]
        print(json.dumps({"since": since.isoformat(), "groups": data}, ensure_ascii=False))
        return 0
    if not gaps:
        print(f"No declined or not-helpful questions since {since:%Y-%m-%d %H:%M} UTC.")
    for g in gaps:
        kinds = ", ".join(f"{n} {k}" for k, n in g.kinds.items())
        print(f"{g.size} ({kinds})")
        for q in g.questions[:5]:
            print(f"  - {q}")
    return 0


def cmd_publish(args: argparse.Namespace, settings: Settings) -> int:
    from datetime import date

    from bot.cli import in_transaction
    from knowledge import publish

    async def _draft(session: Any) -> publish.Draft | None:
        from storage.handoff import FaqDraft

        row = await session.get(FaqDraft, args.number)
        return None if row is None else publish.Draft(row.id, row.lang, row.question, row.answer)

    draft = in_transaction(settings, _draft)
    if draft is None:
        print(f"cedbot: there is no FAQ draft {args.number} (see: cedbot kb drafts)", file=sys.stderr)
        return 1
    extra = publish.Extra(category=args.category, related=args.related)
    extra.sources = [{"title": url, "url": url} for url in args.source]
    for lang in ("en", "da"):
        if title := getattr(args, f"title_{lang}"):
            extra.titles[lang] = title
        if answer := getattr(args, f"answer_{lang}"):
            extra.answers[lang] = sys.stdin.read() if answer == "-" else answer
        extra.questions[lang] = getattr(args, f"question_{lang}")
        extra.keywords[lang] = getattr(args, f"keyword_{lang}")
    try:
        if args.new_id:
            path = publish.new_entry(_folder(settings), draft, args.new_id, extra, date.today())
        else:
            path = publish.add_phrasings(_folder(settings), draft, args.into_id, extra, date.today())
    except publish.PublishError as exc:
        print(f"cedbot: draft {draft.number} was not published: {exc}", file=sys.stderr)
        return 1
    print(f"Published draft {draft.number} to {path}. A running assistant answers it after /reload or SIGHUP.")
    return 0
