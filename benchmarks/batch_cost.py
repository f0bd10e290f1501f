"""What a brief costs through OpenAI's Batch API and synchronously: requests and tokens per
article, as an `--engine openai-batch` run reports them, and the price of 100,000 articles.

    python benchmarks/batch_cost.py [--input-per-million 0.15 --output-per-million 0.60]

No real batch can run here (no key, no network), so the run goes to the test suite's fake
of the Files and Batches endpoints (tests/fake_batches.py), whose answers are the model
exchanges recorded in cassettes/: the tokens are those the recorded model (Qwen2.5-Coder
1.5B through llama.cpp) reported, for the articles the cassettes hold. Each record's
`meta.usage` and `meta.attempts` are read back from the results file. Also measured: the
seconds this machine spends planning and checking an article locally, once with no answer
yet (the round that writes the first batch) and once with every answer in (the round
that writes its record).

Prices are per million tokens, input and output, synchronous; the Batch API's are half.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from fake_batches import FakeBatches  # noqa: E402
from synthetic import long_article  # noqa: E402

from summarizer import batch_api, openai_batch  # noqa: E402
from summarizer.backends import remote_client  # noqa: E402
from summarizer.batch import Item, Output  # noqa: E402

MODEL = "qwen2.5-coder-1.5b-instruct"  # the model the cassettes were recorded with
CASSETTES = ROOT / "cassettes"
DATA = ROOT / "tests" / "data"
ARTICLES = [  # id, text, the cassette holding its passes' real answers
    ("kursk (the seed)", (ROOT / "examples" / "kursk.txt").read_text(encoding="utf-8"),
     CASSETTES / "test_api" / "test_seed_end_to_end.yaml"),
    ("lisbon", (DATA / "lisbon.txt").read_text(encoding="utf-8"),
     CASSETTES / "test_batch" / "test_batch_of_a_folder_resumes_and_reuses_cached_answers.yaml"),
    ("spanish", (DATA / "spanish.txt").read_text(encoding="utf-8"),
     CASSETTES / "test_hard_articles" / "test_a_spanish_article_is_briefed_and_grounded.yaml"),
    ("injection (2 re-asks)", (DATA / "injection.txt").read_text(encoding="utf-8"),
     CASSETTES / "test_hard_articles" / "test_instructions_inside_the_article_do_not_steer_the_brief.yaml"),
    ("60,000 characters (5 windows)", long_article(60_000),
     CASSETTES / "test_hard_articles" / "test_a_60000_character_article_is_briefed_window_by_window.yaml"),
]  # fmt: skip
ARTICLES_IN_A_RUN = 100_000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--input-per-million", type=float, default=0.15)
    parser.add_argument("--output-per-million", type=float, default=0.60)
    args = parser.parse_args()
    items = [Item(id=name, text=text) for name, text, _ in ARTICLES]
    with tempfile.TemporaryDirectory() as tmp, FakeBatches(*(c for *_, c in ARTICLES)) as fake:
        out = Path(tmp) / "results.jsonl"
        client = remote_client(base_url=fake.url, api_key="sk-placeholder")
        openai_batch.run(items, Output(out), client=client, model=MODEL, attempts=3, poll_s=0)
        records = {r["id"]: r for r in map(json.loads, out.read_text().splitlines())}
        rounds = len(fake.created())
        assert fake.unmatched == 0, "a request had no recorded answer"
        first, last = planning_seconds(client, items, out)
    print(f"{len(items)} articles in {rounds} batches (rounds)\n")
    print(
        "| article | characters | requests | prompt tokens | answer tokens | plan s (no answer / all in) |"
    )
    print("|---|---|---|---|---|---|")
    rows = []
    for name, text, _ in ARTICLES:
        meta = records[name]["brief"]["meta"]
        usage = meta["usage"]
        rows.append((meta["attempts"], usage["prompt_tokens"], usage["completion_tokens"]))
        print(
            f"| {name} | {len(text):,} | {meta['attempts']} | {usage['prompt_tokens']:,} | "
            f"{usage['completion_tokens']:,} | {first[name]:.3f} / {last[name]:.3f} |"
        )
    print()
    for label, (requests, prompt, answer) in [
        ("the seed", rows[0]),
        ("mean of the 5", tuple(statistics.mean(column) for column in zip(*rows, strict=True))),
    ]:
        sync = (
            ARTICLES_IN_A_RUN
            * (prompt * args.input_per_million + answer * args.output_per_million)
            / 1e6
        )
        print(
            f"{label}: {ARTICLES_IN_A_RUN:,} articles = {requests * ARTICLES_IN_A_RUN:,.0f} "
            f"requests, {prompt * ARTICLES_IN_A_RUN / 1e6:,.1f}M prompt and "
            f"{answer * ARTICLES_IN_A_RUN / 1e6:,.1f}M answer tokens: sync ${sync:,.2f}, "
            f"batch ${sync / 2:,.2f}"
        )


def planning_seconds(client, items: list[Item], out: Path) -> tuple[dict, dict]:
    """Each article's local seconds per round: planned with no answer yet, and with every
    answer the run downloaded (grounding, merging and the record included)."""
    state, folder = batch_api.paths(out)
    answered = batch_api.Results()
    for part in batch_api.State.load(state).parts:
        answered.read(folder, part)
    timings: list[dict] = []
    for results in (batch_api.Results(), answered):
        replay = openai_batch._Replaying(client, MODEL, 3, results)
        seconds = {}
        for item in items:
            replay.record(item)  # warm: the first of each kind builds its schemas
            started = time.perf_counter()
            for _ in range(5):
                replay.record(item)
            seconds[item.id] = (time.perf_counter() - started) / 5
        timings.append(seconds)
    return timings[0], timings[1]


if __name__ == "__main__":
    main()
