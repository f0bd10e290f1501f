"""Whole briefs of real dev articles, timed: what a user waits for per article.

    python benchmarks/articles.py ../shared/datasets --limit 4
    python benchmarks/articles.py ../shared/datasets --kinds events,quotes --limit 0

Summarizes the first N Giveme5W1H dev articles (sorted by id; `--kinds` adds the PolNeAR
articles of the quotes set, `--limit 0` takes them all) in turn with one embedded server,
as `summarize` would, and prints one row per article and the median. `summarize
eval` asks each case only the pass its gold scores; this asks all three, so the seconds
are a whole brief's. `--passes figures` times one pass alone (without the prompt cache
the other passes would have warmed). `--briefs DIR` keeps the briefs, to compare runs.
"""

from __future__ import annotations

import argparse
import statistics
from pathlib import Path

from summarizer import Summarizer, embedded
from summarizer.datasets import load_cases


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dataset", type=Path)
    parser.add_argument("--limit", type=int, default=4, help="articles per kind; 0: all")
    parser.add_argument("--kinds", default="events", help="events, quotes or both")
    parser.add_argument("--model", default="qwen2.5-coder-1.5b")
    parser.add_argument("--passes", default="quotes,figures,events")
    parser.add_argument("--briefs", type=Path, help="also write each brief to DIR/<id>.json")
    args = parser.parse_args()
    passes = tuple(args.passes.split(","))
    cases = load_cases(args.dataset, set(args.kinds.split(",")), args.limit or None, "all")
    print("| article | chars | s | calls | prompt tokens (cached) | completion tokens | figures |")
    print("|---|---|---|---|---|---|---|")
    seconds = []
    with Summarizer(model=args.model) as engine:
        for case in cases:
            brief = engine.summarize(case.text, published=case.published, passes=passes)
            usage = brief.meta.usage
            seconds.append(brief.meta.latency_s)
            if args.briefs:
                args.briefs.mkdir(parents=True, exist_ok=True)
                (args.briefs / f"{case.id}.json").write_text(brief.model_dump_json(indent=2))
            print(
                f"| {case.id[:8]} | {len(case.text):,} | {brief.meta.latency_s:.1f} "
                f"| {brief.meta.attempts} | {usage.prompt_tokens:,} ({usage.cached_tokens:,}) "
                f"| {usage.completion_tokens:,} | {len(brief.figures)} |",
                flush=True,
            )
    print(f"\nmedian {statistics.median(seconds):.1f} s per article ({', '.join(passes)})")
    print(f"runtime: {embedded.runtime()}")


if __name__ == "__main__":
    main()
