"""The knowledge base tools: the checker, the quality bar on the dev set, and the kb commands."""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

from knowledge import evaluate
from knowledge.base import load_base
from knowledge.check import check_folder
from knowledge.gaps import group
from knowledge.loader import ENTRIES_DIR
from tests.bot.test_cli import run

DEV = Path(__file__).resolve().parents[2] / "knowledge" / "eval" / "dev.yaml"
BLIND = DEV.with_name("blind.yaml")
BLIND_FLOOR = {
    "in_scope_accuracy": 0.85,
    "top3_recall": 0.965,
    "confidently_wrong": 0.023,
    "out_of_scope_declined": 0.92,
}
"""The figures measured on the blind set (README), a little below, as a floor."""


def test_the_curated_base_has_no_errors_and_every_required_topic() -> None:
    entries, problems = check_folder(ENTRIES_DIR, date(2026, 11, 27))
    assert [p for p in problems if p.level == "error"] == []
    ids = {e.id for e in entries}
    assert {"ced-contact", "labels-gold", "labels-cost", "fund-state-aid", "events-cluster-summit"} <= ids
    assert len(entries) >= 58


def test_check_names_file_and_field_for_each_kind_of_error(tmp_path: Path) -> None:
    folder = tmp_path / "entries"
    shutil.copytree(ENTRIES_DIR, folder)
    gold = (folder / "labels-gold.yaml").read_text()
    (folder / "labels-gold.yaml").write_text(gold.replace("  da: Guldmærket\n", ""))
    (folder / "copy.yaml").write_text((folder / "labels-cost.yaml").read_text())
    bronze = (folder / "labels-bronze.yaml").read_text()
    (folder / "labels-bronze.yaml").write_text(
        bronze.replace("related: [", "related: [no-such-entry, ").replace(
            "  en:\n  - ", "  en:\n  - label fees\n  - ", 1
        )
    )
    silver = (folder / "labels-silver.yaml").read_text()
    (folder / "labels-silver.yaml").write_text(
        silver.replace("related: [", "related: [no-such-entry, ").replace(
            "reviewed: 2026-11-27", "reviewed: 2026-13-01"
        )
    )
    kpis = (folder / "mgmt-kpis.yaml").read_text()
    (folder / "mgmt-kpis.yaml").write_text(
        kpis.replace("Ask an adviser via", "See mgmt-strategy, or ask an adviser via", 1)
    )
    _, problems = check_folder(folder, date(2026, 11, 27))
    text = "\n".join(map(str, problems))
    assert "labels-gold.yaml: title.da: missing language" in text
    assert "id: duplicate id 'labels-cost'" in text
    assert "labels-bronze.yaml: related: unknown id 'no-such-entry'" in text
    assert "'label fees' is in several entries: ['labels-bronze', 'labels-cost']" in text
    assert "labels-silver.yaml: -: line 49: '2026-13-01' is not a valid date (YYYY-MM-DD)" in text
    assert "mgmt-kpis.yaml: answer.en: shows the internal id 'mgmt-strategy'" in text


def test_check_warns_about_stale_and_expired_entries() -> None:
    _, problems = check_folder(ENTRIES_DIR, date(2028, 12, 1))
    warnings = [str(p) for p in problems if p.level == "warning"]
    assert any("reviewed: not reviewed since 2026-11-27" in w for w in warnings)
    assert any("valid_until: expired on" in w for w in warnings)
    assert all(p.level == "warning" for p in problems)


def test_dev_set_quality_floor() -> None:
    """What the engine reaches on the dev set, held so it does not slip: answered right, right
    entry in the top 3, confidently wrong, out-of-scope declined; overall and per language."""
    base = load_base()
    cases = evaluate.load_cases(DEV)
    results, summary = evaluate.run(cases, base.ask)
    assert summary["in_scope"] >= 3 * 2 * 58 and summary["out_of_scope"] >= 90
    assert summary["top3_recall"] >= 0.99
    assert summary["in_scope_accuracy"] >= 0.90
    assert summary["confidently_wrong"] <= 0.015
    assert summary["out_of_scope_declined"] >= 0.90
    for lang, part in evaluate.by_language(cases, results).items():
        assert part["in_scope_accuracy"] >= 0.88, lang


def test_blind_set_figures_hold() -> None:
    """The blind set (written without sight of the entries) is for measuring only: nothing is
    tuned on it. This holds the figures measured on it, so a change that loses ground on
    questions nobody wrote for the engine shows up (README: "Measured")."""
    base = load_base()
    cases = evaluate.load_cases(BLIND)
    results, summary = evaluate.run(cases, base.ask)
    assert summary["in_scope"] >= 390 and summary["out_of_scope"] >= 60
    assert summary["in_scope_accuracy"] >= BLIND_FLOOR["in_scope_accuracy"]
    assert summary["top3_recall"] >= BLIND_FLOOR["top3_recall"]
    assert summary["confidently_wrong"] <= BLIND_FLOOR["confidently_wrong"]
    assert summary["out_of_scope_declined"] >= BLIND_FLOOR["out_of_scope_declined"]
    for lang, part in evaluate.by_language(cases, results).items():
        assert part["in_scope_accuracy"] >= BLIND_FLOOR["in_scope_accuracy"] - 0.02, lang


def test_a_lone_word_answers_only_when_it_is_the_entrys_own() -> None:
    base = load_base()
    # "time" appears only in passing (a survey question "over time"): not a topic to answer
    assert base.ask("what time is it").outcome.value == "decline"
    assert base.ask("innobooster").answer_id == "fund-innobooster"
    assert base.ask("guld").answer_id == "labels-gold"


def test_kb_check_ask_and_eval_commands(tmp_path: Path) -> None:
    assert run(["kb", "check"]).returncode == 0
    asked = json.loads(run(["kb", "ask", "what does a gold label require", "--json"]).stdout)
    assert asked["answer_id"] == "labels-gold" and asked["confident"] is True
    assert set(asked) == {"query", "lang", "answer_id", "confident", "score", "candidates"}
    assert asked["lang"] == "en" and len(asked["candidates"]) <= 5
    cases = tmp_path / "cases.yaml"
    cases.write_text(
        '- {q: "hvad koster guldmærket", expect: labels-cost, lang: da}\n- {q: "tell me a joke", expect: null}\n'
    )
    out = json.loads(run(["kb", "eval", str(cases), "--json"]).stdout)
    assert out["summary"]["in_scope_accuracy"] == 1.0 and out["summary"]["out_of_scope_declined"] == 1.0
    assert set(out["cases"][0]) >= {"q", "expect", "answer_id", "confident", "candidates"}
    broken = tmp_path / "broken"
    shutil.copytree(ENTRIES_DIR, broken)
    (broken / "labels-gold.yaml").write_text("id: [")
    failed = run(["kb", "check"], env={"CEDBOT_KNOWLEDGE_DIR": str(broken)})
    assert failed.returncode == 1 and "labels-gold.yaml" in failed.stderr


def test_gaps_group_similar_questions_largest_first() -> None:
    gaps = group(
        [
            ("declined", "how do I register for VAT"),
            ("declined", "what is the weather"),
            ("not helpful", "VAT registration how"),
            ("declined", "register VAT company"),
        ]
    )
    assert gaps[0].size == 3 and gaps[0].kinds == {"declined": 2, "not helpful": 1}
    assert gaps[1].questions == ["what is the weather"]
