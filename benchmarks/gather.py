"""Ten `asummarize` calls at once on the embedded model, against the same ten in turn.

    python benchmarks/gather.py ../shared/datasets/dev/figures/newsquant_dev.json --count 10

Takes the first COUNT NewsQuant sentences that hold a number (short articles, so the run
stays short) and briefs them twice with the embedded default, alternating the order of the
two runs: one `await asummarize(...)` after another, then all of them under
`asyncio.gather`. Prints each run's wall time, the ratio, the briefs that failed or came
back partial, and how many embedded servers the process started.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time
from pathlib import Path

import summarizer
from summarizer import embedded


async def in_turn(texts: list[str]) -> list:
    return [await summarizer.asummarize(text, published="2019-01-01") for text in texts]


async def at_once(texts: list[str]) -> list:
    calls = (summarizer.asummarize(text, published="2019-01-01") for text in texts)
    return await asyncio.gather(*calls, return_exceptions=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sentences", type=Path)
    parser.add_argument("--count", type=int, default=10)
    args = parser.parse_args()
    data = json.loads(args.sentences.read_text(encoding="utf-8"))
    texts = [item["text"] for item in data if item["quantities"]][: args.count]
    starts = []
    original = embedded.EmbeddedServer.start

    def counted(self: embedded.EmbeddedServer, *a, **k):  # noqa: ANN202
        starts.append(self)
        return original(self, *a, **k)

    embedded.EmbeddedServer.start = counted  # type: ignore[method-assign]
    asyncio.run(in_turn(texts[:1]))  # the server starts and loads the model: not timed
    print("| run | articles | wall s | no brief | partial |")
    print("|---|---|---|---|---|")
    walls = {}
    for name, run in (("in turn", in_turn), ("at once", at_once)):
        started = time.monotonic()
        briefs = asyncio.run(run(texts))
        walls[name] = time.monotonic() - started
        failed = sum(isinstance(b, Exception) for b in briefs)
        partial = sum(not isinstance(b, Exception) and bool(b.meta.incomplete) for b in briefs)
        print(f"| {name} | {len(texts)} | {walls[name]:.1f} | {failed} | {partial} |")
    print(f"\nat once / in turn: {walls['at once'] / walls['in turn']:.2f}")
    print(f"embedded servers started: {len(starts)}; runtime: {embedded.runtime()}")


if __name__ == "__main__":
    main()
