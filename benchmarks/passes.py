"""Seconds per pass over real articles: p50, p95 and max, and the articles left without
a brief or with a partial one.

    python benchmarks/passes.py ../shared/datasets ../shared/fresh --kinds events --ids 3819549c,aaa7a68a
    PYTHONPATH=../before python benchmarks/passes.py ...   # the same articles, older code

Summarizes each article (whole briefs, one embedded server, no response cache) and reads
each pass's seconds from the pipeline's debug log ("pass quotes: … 12.3s"), summed over
the pass's requests, rounds and windows. It runs against any version of the package on
the path, so a change and its baseline can be timed in turn on the same machine.
"""

from __future__ import annotations

import argparse
import logging
import re
import statistics
import time
from collections import defaultdict
from pathlib import Path

from summarizer import Summarizer, SummarizerError, embedded
from summarizer.datasets import load_cases

PASS_LINE = re.compile(r"^pass (\w+): .*?([\d.]+)s$")


class PassTimes(logging.Handler):
    """Collects the pipeline's per-pass debug lines for the article being briefed."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.seconds: dict[str, float] = defaultdict(float)

    def emit(self, record: logging.LogRecord) -> None:
        match = PASS_LINE.match(record.getMessage())
        if match:
            self.seconds[match.group(1)] += float(match.group(2))


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("datasets", type=Path, nargs="+")
    parser.add_argument("--kinds", default="events,quotes")
    parser.add_argument("--ids", help="only articles whose id starts with one of these")
    parser.add_argument("--model", default="qwen2.5-coder-1.5b")
    parser.add_argument("--timeout", type=float, default=300.0)
    args = parser.parse_args()
    cases = [c for root in args.datasets for c in load_cases(root, set(args.kinds.split(",")))]
    if args.ids:
        cases = [case for case in cases if case.id.startswith(tuple(args.ids.split(",")))]
    times = PassTimes()
    logger = logging.getLogger("summarizer")
    logger.setLevel(logging.DEBUG)
    logger.addHandler(times)
    per_pass: dict[str, list[float]] = defaultdict(list)
    print("| article | chars | quotes s | figures s | events s | brief s | outcome |")
    print("|---|---|---|---|---|---|---|")
    with Summarizer(model=args.model, timeout=args.timeout) as engine:
        for case in cases:
            times.seconds.clear()
            started = time.monotonic()
            try:
                brief = engine.summarize(case.text, published=case.published)
                incomplete = getattr(brief.meta, "incomplete", [])
                outcome = f"partial: no {', '.join(incomplete)}" if incomplete else "brief"
            except SummarizerError as exc:
                outcome = f"no brief: {' '.join(str(exc).split())[:90]}"
            took = time.monotonic() - started
            for name, seconds in times.seconds.items():
                per_pass[name].append(seconds)
            row = [f"{times.seconds.get(name, 0):.1f}" for name in ("quotes", "figures", "events")]
            print(
                f"| {case.id[:8]} | {len(case.text):,} | {' | '.join(row)} | {took:.1f} | {outcome} |"
            )
    print()
    print("| pass | articles | p50 s | p95 s | max s |")
    print("|---|---|---|---|---|")
    for name in ("quotes", "figures", "events"):
        values = per_pass.get(name, [])
        if values:
            print(
                f"| {name} | {len(values)} | {statistics.median(values):.1f} "
                f"| {percentile(values, 0.95):.1f} | {max(values):.1f} |"
            )
    print(f"runtime: {embedded.runtime()}")


if __name__ == "__main__":
    main()
