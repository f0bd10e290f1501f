"""Benchmark: the deterministic quote finder alone against the PolNeAR gold, no model.

    python benchmarks/quote_finder.py ../shared/datasets/dev/quotes

The quotes the brief reports are the finder's candidates (the model only attributes
them), so this is the ceiling of quote precision and recall, in seconds instead of the
minutes a model run takes. Prints P/R/F1 for the tune split, the held-out check split and
all cases, matched as `summarize eval` matches them (token F1 >= 0.6, one to one).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from summarizer.datasets import load_cases
from summarizer.evaluate import PRF, QUOTE_MATCH, match_one_to_one
from summarizer.quotes import find_quotes, is_speech


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dataset", type=Path)
    parser.add_argument("--verbose", action="store_true", help="print misses and extras")
    args = parser.parse_args()
    print("| split | cases | matched | extra | missed | P | R | F1 |")
    print("|---|---|---|---|---|---|---|---|")
    for split in ("tune", "check", "all"):
        total = PRF()
        cases = load_cases(args.dataset, {"quotes"}, split=split)
        for case in cases:
            found = [q for q in find_quotes(case.text) if is_speech(case.text, q)]
            gold = [g["text"] for g in case.gold["quotes"]]
            pairs = match_one_to_one([q.text for q in found], gold, QUOTE_MATCH)
            total = total + PRF(len(pairs), len(found) - len(pairs), len(gold) - len(pairs))
            if args.verbose and split != "all":
                matched, hit = {p[0] for p in pairs}, {p[1] for p in pairs}
                extra = [q.text for i, q in enumerate(found) if i not in matched]
                missed = [g for j, g in enumerate(gold) if j not in hit]
                print(f"{split} {case.id}: extra {extra!r} missed {missed!r}")
        print(
            f"| {split} | {len(cases)} | {total.tp} | {total.fp} | {total.fn} "
            f"| {total.precision:.3f} | {total.recall:.3f} | {total.f1:.3f} |"
        )


if __name__ == "__main__":
    main()
