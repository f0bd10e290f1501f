"""Where a brief's tokens and seconds go: each request by pass and answer, with llama.cpp's
own timings, against the article's own length in tokens.

    python benchmarks/tokens.py ../shared/datasets/seed/kursk.txt ../shared/fresh/events --first 10

Briefs each article with the embedded model (no response cache, one server, whole briefs
in the default mode) and reads each HTTP exchange from the debug log (`llm.Exchange`): a
stepwise answer is several requests, a re-ask another answer. Per article and pass it
prints the requests, answers, prompt tokens (and how many the server's prompt cache held),
answer tokens, llama.cpp's seconds reading and writing, and the wall seconds; then the
totals against the article's tokens (counted by the same server's tokenizer).
"""

from __future__ import annotations

import argparse
import json
import logging
import re
import statistics
import time
import urllib.request
from collections import defaultdict
from pathlib import Path

from summarizer import Summarizer, SummarizerError
from summarizer.datasets import load_cases

LINE = re.compile(
    r"^request (\w+) answer (\d+): (\d+) prompt tokens \((\d+) cached\), (\d+) answer tokens, "
    r"([\d.]+)s(?: \(llama\.cpp: read ([\d.]+)s, wrote ([\d.]+)s\))?"
)
FIELDS = ("requests", "answers", "prompt", "cached", "answer", "read_s", "write_s", "wall_s")


class Exchanges(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.rows: list[tuple[str, ...]] = []

    def emit(self, record: logging.LogRecord) -> None:
        match = LINE.match(record.getMessage())
        if match:
            self.rows.append(match.groups(default="0"))


def articles(paths: list[Path], first: int) -> list[tuple[str, str, str | None]]:
    """(id, text, published) of a plain text file, or of the first cases of a dataset."""
    out = []
    for path in paths:
        if path.is_file():
            out.append((path.stem, path.read_text(encoding="utf-8"), None))
        else:
            cases = [c for c in load_cases(path) if c.kind in ("events", "quotes")][:first]
            out += [(c.id[:8], c.text, c.published) for c in cases]
    return out


def tokens(base_url: str, text: str) -> int:
    root = base_url.rstrip("/").removesuffix("/v1")
    body = json.dumps({"content": text}).encode()
    request = urllib.request.Request(f"{root}/tokenize", body, {"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=60) as response:
        return len(json.load(response)["tokens"])


def per_pass(rows: list[tuple[str, ...]]) -> dict[str, dict[str, float]]:
    out: dict[str, dict[str, float]] = defaultdict(lambda: dict.fromkeys(FIELDS, 0.0))
    for task, answer, prompt, cached, written, wall, read, write in rows:
        totals = out[task]
        totals["requests"] += 1
        totals["answers"] = max(totals["answers"], int(answer))
        totals["prompt"] += int(prompt)
        totals["cached"] += int(cached)
        totals["answer"] += int(written)
        totals["read_s"] += float(read)
        totals["write_s"] += float(write)
        totals["wall_s"] += float(wall)
    return out


def arguments(description: str, json_out: bool = False) -> argparse.Namespace:
    """The articles to brief (files, or the first N cases of dataset folders) and the model;
    with `json_out`, a file for every row the run measured."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("paths", type=Path, nargs="+", help="article files or dataset folders")
    parser.add_argument("--first", type=int, default=10, help="cases of each dataset, by id")
    parser.add_argument("--model", default="qwen2.5-coder-1.5b")
    if json_out:
        parser.add_argument("--json", help="also write every request measured to this file")
    return parser.parse_args()


def exchange_log() -> Exchanges:
    """Collects each HTTP exchange the package logs (at debug level) from now on."""
    handler = Exchanges()
    logger = logging.getLogger("summarizer")
    logger.setLevel(logging.DEBUG)
    logger.addHandler(handler)
    return handler


def main() -> None:
    args = arguments(__doc__.splitlines()[0])
    handler = exchange_log()
    print(
        "| article | pass | requests | answers | prompt (cached) | answer | read s | write s | wall s |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    summary = []
    with Summarizer(model=args.model) as engine:
        base_url = engine.backend.client.base_url
        for name, text, published in articles(args.paths, args.first):
            handler.rows = []
            started = time.monotonic()
            try:
                engine.summarize(text, published=published)
            except SummarizerError as exc:
                print(f"| {name} | failed: {exc} | | | | | | | |")
                continue
            wall = time.monotonic() - started
            passes = per_pass(handler.rows)
            for task, t in passes.items():
                print(
                    f"| {name} | {task} | {t['requests']:.0f} | {t['answers']:.0f} | "
                    f"{t['prompt']:.0f} ({t['cached']:.0f}) | {t['answer']:.0f} | "
                    f"{t['read_s']:.1f} | {t['write_s']:.1f} | {t['wall_s']:.1f} |"
                )
            prompt = sum(t["prompt"] for t in passes.values())
            cached = sum(t["cached"] for t in passes.values())
            written = sum(t["answer"] for t in passes.values())
            read = sum(t["read_s"] for t in passes.values())
            write = sum(t["write_s"] for t in passes.values())
            own = tokens(str(base_url), text)
            summary.append((name, own, prompt, cached, written, read, write, wall))
    print(
        "\n| article | its tokens | prompt (cached) | uncached ÷ article | answer | read s | write s | wall s |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for name, own, prompt, cached, written, read, write, wall in summary:
        print(
            f"| {name} | {own} | {prompt:.0f} ({cached:.0f}) | {(prompt - cached) / own:.2f} | "
            f"{written:.0f} | {read:.1f} | {write:.1f} | {wall:.1f} |"
        )
    if summary:
        ratios = [(p - c) / o for _, o, p, c, *_ in summary]
        reads = [p - c for _, _, p, c, _, r, *_ in summary]
        read_speed = sum(reads) / max(sum(s[5] for s in summary), 1e-9)
        write_speed = sum(s[4] for s in summary) / max(sum(s[6] for s in summary), 1e-9)
        print(
            f"\nmedian uncached prompt ÷ article tokens {statistics.median(ratios):.2f}; "
            f"llama.cpp read {read_speed:.1f} tokens/s, wrote {write_speed:.1f} tokens/s "
            f"(summed over the run)"
        )


if __name__ == "__main__":
    main()
