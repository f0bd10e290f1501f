"""Benchmark: the seed article against its hand-made gold brief, on the embedded models.

    python benchmarks/seed.py --gold ../shared/datasets/seed/kursk.gold.json --runs 3

Prints, per model, the median wall time per article, tokens and calls, and how many gold
quotes (verbatim text + speaker), figures (value + unit) and event dates the brief got.
Each model gets one server for all its runs (load time is reported separately).
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

import summarizer

ROOT = Path(__file__).resolve().parent.parent


def score(brief: summarizer.Brief, gold: dict) -> dict[str, str]:
    quotes = {(q.text, q.speaker) for q in brief.quotes}
    gold_quotes = gold["quotes"]
    quote_text = sum(any(q.text == g["text"] for q in brief.quotes) for g in gold_quotes)
    speaker = sum(
        any(g["speaker"] in (s or "") for t, s in quotes if t == g["text"]) for g in gold_quotes
    )
    figures = {(float(f.value), f.unit.lower()) for f in brief.figures}
    values = {float(f.value) for f in brief.figures}
    gold_figures = [(float(g["value"]), g["unit"].lower()) for g in gold["figures"]]
    value_hits = sum(v in values for v, _ in gold_figures)
    unit_hits = sum(pair in figures for pair in gold_figures)
    dates = {e.when.date for e in brief.events}
    gold_dates = {e["when"]["date"] for e in gold["events"] if e["when"]["date"]}
    return {
        "quotes verbatim": f"{quote_text}/{len(gold_quotes)}",
        "quote speakers": f"{speaker}/{len(gold_quotes)}",
        "figure values": f"{value_hits}/{len(gold_figures)}",
        "figure value+unit": f"{unit_hits}/{len(gold_figures)}",
        "extra figures": str(len(values - {v for v, _ in gold_figures})),
        "event dates found": f"{len(dates & gold_dates)}/{len(gold_dates)}",
        "lead event date": str(brief.events[0].when.date if brief.events else None),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gold", type=Path, required=True)
    parser.add_argument("--article", type=Path, default=ROOT / "examples" / "kursk.txt")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--models", nargs="+", default=["qwen2.5-coder-1.5b", "qwen2.5-coder-0.5b"])
    args = parser.parse_args()
    text = args.article.read_text(encoding="utf-8")
    gold = json.loads(args.gold.read_text(encoding="utf-8"))
    rows = {}
    for model in args.models:
        started = time.monotonic()
        with summarizer.Summarizer(model=model) as engine:
            load = time.monotonic() - started
            briefs = [engine.summarize(text) for _ in range(args.runs)]
        for brief in briefs:
            brief.check_grounding(text)
        meta = [b.meta for b in briefs]
        rows[model] = {
            "server start (s)": f"{load:.1f}",
            "median s/article": f"{statistics.median(m.latency_s for m in meta):.1f}",
            "calls (median)": str(statistics.median(m.attempts for m in meta)),
            "prompt tokens": str(statistics.median(m.usage.prompt_tokens for m in meta)),
            "cached prompt tokens": str(statistics.median(m.usage.cached_tokens for m in meta)),
            "completion tokens": str(statistics.median(m.usage.completion_tokens for m in meta)),
            "warnings": str(statistics.median(len(m.warnings) for m in meta)),
            **score(briefs[-1], gold),
        }
    names = list(rows)
    print("| measure | " + " | ".join(names) + " |")
    print("|---|" + "---|" * len(names))
    for key in rows[names[0]]:
        print(f"| {key} | " + " | ".join(rows[n][key] for n in names) + " |")


if __name__ == "__main__":
    main()
