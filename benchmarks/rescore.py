"""Score briefs saved by `summarize eval --briefs DIR` again, on any subset, without a model.

    python benchmarks/rescore.py ../shared/datasets briefs/ --limit 5

One full run serves many comparisons: the same cases as an older, smaller run (`--limit`),
one split (`--split`), or one kind (`--kind`). A case without a saved brief counts as a
failure, as it did in the run.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from summarizer.datasets import load_cases
from summarizer.evalrun import Totals, table
from summarizer.schema import Brief


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dataset", type=Path)
    parser.add_argument("briefs", type=Path)
    parser.add_argument("--limit", type=int)
    parser.add_argument("--split", default="all", choices=["all", "tune", "check"])
    parser.add_argument("--kind", action="append", choices=["quotes", "events", "figures", "brief"])
    args = parser.parse_args()
    totals = Totals()
    for case in load_cases(
        args.dataset, set(args.kind) if args.kind else None, args.limit, args.split
    ):
        totals.cases += 1
        path = args.briefs / case.kind / (case.id.replace("/", "_") + ".json")
        if not path.is_file():
            totals.failures.append(f"{case.kind} {case.id}: no brief saved")
            continue
        totals.add(case, Brief.model_validate_json(path.read_text(encoding="utf-8")))
    print(table(totals.report()))


if __name__ == "__main__":
    main()
