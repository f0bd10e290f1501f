"""Whole briefs of real dev articles, timed: what a user waits for per article.

    python benchmarks/articles.py ../shared/datasets --limit 4
    python benchmarks/articles.py ../shared/datasets --kinds events,quotes --limit 0
    python benchmarks/articles.py ../shared/datasets --ids 101ee22f,1e582ad2 --modes json_schema,stepwise

Summarizes the first N Giveme5W1H dev articles (sorted by id; `--kinds` adds the PolNeAR
articles of the quotes set, `--limit 0` takes them all) in turn with one embedded server,
as `summarize` would, and prints one row per article and the median. `summarize
eval` asks each case only the pass its gold scores; this asks all three, so the seconds
are a whole brief's. `--passes figures` times one pass alone (without the prompt cache
the other passes would have warmed). `--briefs DIR` keeps the briefs, to compare runs.
`--modes` times each article once per structured-output mode, back to back, with one
server per mode (only one of them works at a time), and prints the median ratio to the
first mode; `--ids` picks articles by the start of their id, among all of `--kinds`.
"""

from __future__ import annotations

import argparse
import statistics
from pathlib import Path

from summarizer import Brief, Summarizer, embedded
from summarizer.datasets import Case, load_cases


def report(case: Case, mode: str, brief: Brief, briefs: Path | None, per_mode: bool) -> None:
    """Print the article's table row, and keep its brief in `briefs` when given."""
    usage = brief.meta.usage
    if briefs:
        briefs.mkdir(parents=True, exist_ok=True)
        name = f"{case.id}.{mode}.json" if per_mode else f"{case.id}.json"
        (briefs / name).write_text(brief.model_dump_json(indent=2))
    print(
        f"| {case.id[:8]} | {len(case.text):,} | {mode} | {brief.meta.latency_s:.1f} "
        f"| {brief.meta.attempts} | {usage.prompt_tokens:,} ({usage.cached_tokens:,}) "
        f"| {usage.completion_tokens:,} |",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dataset", type=Path)
    parser.add_argument("--limit", type=int, default=4, help="articles per kind; 0: all")
    parser.add_argument("--kinds", default="events", help="events, quotes or both")
    parser.add_argument("--model", default="qwen2.5-coder-1.5b")
    parser.add_argument("--passes", default="quotes,figures,events")
    parser.add_argument("--briefs", type=Path, help="also write each brief to DIR/<id>.json")
    parser.add_argument("--modes", default="auto", help="e.g. json_schema,stepwise: each in turn")
    parser.add_argument("--ids", help="only articles whose id starts with one of these")
    args = parser.parse_args()
    passes = tuple(args.passes.split(","))
    modes = args.modes.split(",")
    limit = None if args.ids or not args.limit else args.limit  # --ids picks among all
    cases = load_cases(args.dataset, set(args.kinds.split(",")), limit, "all")
    if args.ids:
        cases = [case for case in cases if case.id.startswith(tuple(args.ids.split(",")))]
    print("| article | chars | mode | s | calls | prompt tokens (cached) | completion tokens |")
    print("|---|---|---|---|---|---|---|")
    seconds: dict[str, list[float]] = {mode: [] for mode in modes}
    engines = {mode: Summarizer(model=args.model, mode=mode) for mode in modes}
    try:
        for case in cases:
            for mode, engine in engines.items():
                brief = engine.summarize(case.text, published=case.published, passes=passes)
                report(case, mode, brief, args.briefs, len(modes) > 1)
                seconds[mode].append(brief.meta.latency_s)
    finally:
        for engine in engines.values():
            engine.close()
    print()
    for mode in modes:
        print(f"{mode}: median {statistics.median(seconds[mode]):.1f} s per article", end="")
        if mode != modes[0]:
            ratios = [b / a for a, b in zip(seconds[modes[0]], seconds[mode], strict=True)]
            print(f", median ratio to {modes[0]} {statistics.median(ratios):.2f}", end="")
        print(f" ({', '.join(passes)})")
    print(f"runtime: {embedded.runtime()}")


if __name__ == "__main__":
    main()
