"""Articles per hour of `summarize batch --jobs N` with the embedded model, for each N.

    python benchmarks/slots.py ../shared/datasets --ids 1e582ad2,1667b720,8c28a3d0,51bd183b --jobs 1,2,4

Each N gets its own server with N slots (a unified KV cache), briefs the same articles with
N at a time, as `summarize batch --jobs N` does (no response cache), and reports the wall
time, articles per hour, and how many briefs differ from the first N's (batched arithmetic
can round differently, and so change an answer).
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from summarizer import Summarizer, embedded
from summarizer.batch import Item, Output, run
from summarizer.datasets import load_cases


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dataset", type=Path)
    parser.add_argument("--kinds", default="events,quotes")
    parser.add_argument("--ids", required=True, help="articles whose id starts with these")
    parser.add_argument("--jobs", default="1,2,4")
    parser.add_argument("--out", type=Path, default=Path("slots-results"))
    args = parser.parse_args()
    cases = load_cases(args.dataset, set(args.kinds.split(",")))
    cases = [case for case in cases if case.id.startswith(tuple(args.ids.split(",")))]
    items = [Item(id=case.id, text=case.text, published=case.published) for case in cases]
    args.out.mkdir(exist_ok=True)
    first: dict[str, dict] | None = None
    print("| jobs (slots) | articles | wall s | articles/hour | briefs unlike jobs=first |")
    print("|---|---|---|---|---|")
    for jobs in (int(n) for n in args.jobs.split(",")):
        path = args.out / f"jobs{jobs}.jsonl"
        path.unlink(missing_ok=True)
        with Summarizer(slots=jobs) as engine:
            engine.summarize("Warm-up: the server loads the model before the clock starts.")
            started = time.monotonic()
            run(items, Output(path), engine, jobs=jobs)
            wall = time.monotonic() - started
        embedded.stop_shared()
        briefs = {}
        for line in path.read_text().splitlines():
            record = json.loads(line)
            brief = record.get("brief", {})
            brief.get("meta", {}).clear()
            briefs[record["id"]] = brief
        first = first or briefs
        unlike = sum(briefs.get(key) != value for key, value in first.items())
        print(f"| {jobs} | {len(items)} | {wall:.0f} | {len(items) / wall * 3600:.1f} | {unlike} |")


if __name__ == "__main__":
    main()
