"""The quotes pass with and without its role and channel steps, article by article (#28).

    python benchmarks/quotes_steps.py ../shared/datasets/dev --first 10
    python benchmarks/quotes_steps.py ../shared/fresh/events --kind events --first 10

The default quotes pass is written stepwise: per quote the model writes the speaker, the
speaker's role and the channel, one request each. Without the two last steps the role
and channel are typed in as `null` (the stepwise writer asks nothing for a value whose
schema is null) and nothing else changes, not even the prompt. For the first N quote
cases of a dataset folder by id, alternating which goes first, this runs the pass both
ways, no response cache, each way in its own process with its own embedded server (one
server would hold the article's prompt in its prompt cache for the second way), and
prints per article the wall seconds, requests, prompt tokens (cached), answer tokens,
the named speakers the gold judges and those right, and the roles and channels kept;
then the median time ratio and llama.cpp's reading and writing speeds over the run.
With `--kind events` it times whole briefs (every pass) of the folder's events cases
instead, the articles `paired.py` times: what the two steps cost a brief.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from pydantic import ConfigDict
from tokens import exchange_log

from summarizer import Brief, Summarizer
from summarizer.datasets import Case, load_cases
from summarizer.evaluate import QUOTE_MATCH, is_proper_name, match_one_to_one, speaker_correct
from summarizer.passes import quotes
from summarizer.pipeline import PASSES

WAYS = ("with", "without")


class WithoutSteps(quotes.QuoteAnswer):
    model_config = ConfigDict(title="QuoteAnswer")  # the same schema but for the two nulls
    speaker_role: None  # type: ignore[assignment]
    channel: None  # type: ignore[assignment]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path, help="a dataset folder with quote cases")
    parser.add_argument("--first", type=int, default=10)
    parser.add_argument(
        "--kind",
        choices=("quotes", "events"),
        default="quotes",
        help="quotes: the quotes pass of quote cases; events: whole briefs of events cases",
    )
    parser.add_argument("--worker", choices=WAYS, help=argparse.SUPPRESS)
    args = parser.parse_args()
    cases = {c.id: c for c in load_cases(args.folder, kinds={args.kind})}
    if args.worker:
        return worker(cases, args.worker, args.kind)
    workers = {
        way: subprocess.Popen(
            [sys.executable, __file__, str(args.folder), "--kind", args.kind, "--worker", way],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        for way in WAYS
    }
    for process in workers.values():
        assert process.stdout is not None and process.stdout.readline().strip() == "ready"
    print(
        "| article | quotes | with: wall s, requests, prompt (cached) / answer, speakers right / judged, roles, channels | without: the same | ratio |"
    )  # noqa: E501
    print("|---|---|---|---|---|")
    totals = {way: [0.0, 0.0, 0.0, 0.0] for way in WAYS}
    ratios = []
    for i, cid in enumerate(sorted(cases)[: args.first]):
        got = {}
        for way in WAYS if i % 2 == 0 else WAYS[::-1]:
            process = workers[way]
            assert process.stdin is not None and process.stdout is not None
            process.stdin.write(cid + "\n")
            process.stdin.flush()
            got[way] = json.loads(process.stdout.readline())
        for way in WAYS:
            totals[way] = [t + g for t, g in zip(totals[way], got[way]["totals"], strict=True)]
        with_s, without_s = got["with"]["wall_s"], got["without"]["wall_s"]
        ratio = "—"
        if got["with"]["requests"]:  # an article without quotes asks nothing
            ratios.append(without_s / with_s)
            ratio = f"{ratios[-1]:.2f}"
        print(
            f"| {cid[:40]} | {got['with']['quotes']} | {got['with']['cell']} | {got['without']['cell']} | {ratio} |"
        )  # noqa: E501
    for process in workers.values():
        assert process.stdin is not None
        process.stdin.close()
        process.wait()
    print(f"\nmedian without ÷ with: {statistics.median(ratios):.2f} over {len(ratios)} articles")
    for way, (uncached, answer, read_s, write_s) in totals.items():
        print(
            f"{way}: uncached prompt {uncached:,.0f}, answer {answer:,.0f} tokens; llama.cpp read "
            f"{uncached / max(read_s, 1e-9):.1f} and wrote {answer / max(write_s, 1e-9):.1f} tokens/s"
        )


def worker(cases: dict[str, Case], way: str, kind: str) -> None:
    """Brief each case id read from stdin one way (its quotes, or the whole brief for an
    events case); a JSON line for each."""
    if way == "without":
        quotes.QuoteAnswer = WithoutSteps  # type: ignore[misc]
    handler = exchange_log()
    with Summarizer(cache=False) as engine:
        print("ready", flush=True)
        for line in sys.stdin:
            case = cases[line.strip()]
            handler.rows = []
            started = time.monotonic()
            passes = ("quotes",) if kind == "quotes" else PASSES
            brief = engine.summarize(case.text, published=case.published, passes=passes)
            wall_s = time.monotonic() - started
            print(json.dumps(_measured(brief, case, handler.rows, wall_s)), flush=True)


def _measured(
    brief: Brief, case: Case, rows: list[tuple[str, ...]], wall_s: float
) -> dict[str, Any]:
    prompt, cached, answer = (sum(int(r[k]) for r in rows) for k in (2, 3, 4))
    read_s, write_s = (sum(float(r[k]) for r in rows) for k in (6, 7))
    gold = case.gold.get("quotes") or []
    right = judged = 0
    for i, j, _ in match_one_to_one(
        [q.text for q in brief.quotes], [q["text"] for q in gold], QUOTE_MATCH
    ):
        if is_proper_name(gold[j].get("speaker")):
            judged += 1
            right += speaker_correct(brief.quotes[i].speaker, gold[j]["speaker"])
    roles = sum(bool(q.speaker_role) for q in brief.quotes)
    channels = sum(bool(q.channel) for q in brief.quotes)
    cell = (
        f"{wall_s:.1f}, {len(rows)}, {prompt:,} ({cached:,}) / {answer}, "
        f"{right}/{judged}, {roles}, {channels}"
    )
    return {
        "wall_s": wall_s,
        "requests": len(rows),
        "quotes": len(brief.quotes),
        "cell": cell,
        "totals": [prompt - cached, answer, read_s, write_s],
    }


if __name__ == "__main__":
    main()
