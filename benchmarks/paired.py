"""A brief against one plain instructor call, article by article, on the same server, and
both against the floor (issue #28).

    python benchmarks/paired.py ../shared/fresh/events --first 10

For each article (the first N of a dataset folder by id, or article files), alternating
which goes first: this project's whole brief (default mode, no response cache) and the
pinned baseline, one `instructor` call in JSON-schema mode on the same embedded llama.cpp
server: a response model with the brief's fields, a two-sentence system prompt,
`max_retries=3`, `max_tokens=2000`, temperature 0. A baseline call that fails is reported
and left out of the ratios.

Per article: wall seconds, prompt tokens (and how many the server's prompt cache held),
answer tokens, requests and items of each; then the floor of the brief: reading its
prompt prefix (the system message, which holds the article) once, plus writing the
answer tokens of the answers the brief kept, at the reading and writing speeds llama.cpp
reported over this run. The baseline is peer code and stays here, out of the package.
"""

from __future__ import annotations

import json
import re
import statistics
import time
from pathlib import Path
from typing import Any, Literal

import httpx2
import instructor
import openai
from openai.types.chat import ChatCompletion
from pydantic import BaseModel
from tokens import Exchanges, arguments, articles, exchange_log, tokens

from summarizer import Summarizer, SummarizerError
from summarizer.article import load_article
from summarizer.context import Context
from summarizer.llm import exchange as read_exchange
from summarizer.passes import events, figures, quotes
from summarizer.pipeline import _article_variables
from summarizer.prompts import render
from summarizer.words import words as summarizer_words


class PlainEvent(BaseModel):
    what: str
    who: list[str]
    where: str | None
    when: str | None


class PlainFigure(BaseModel):
    value: float
    unit: str | None
    qualifier: str | None
    counts: str | None


class PlainQuote(BaseModel):
    text: str
    kind: Literal["direct", "partial"]
    speaker: str | None
    channel: str | None


class PlainBrief(BaseModel):
    title: str
    summary: str
    events: list[PlainEvent]
    figures: list[PlainFigure]
    quotes: list[PlainQuote]


SYSTEM = (
    "You turn a news article into a structured brief: its title, a short summary, its "
    "events (what, who, where, when), its figures (value, unit, qualifier, what it counts) "
    "and its quotes (verbatim text, direct or partial, speaker, channel). Use only what "
    "the article says."
)


class Usage:
    """Each response's usage and llama.cpp timings, read off the HTTP layer (instructor's
    retries included)."""

    def __init__(self) -> None:
        self.rows: list[dict[str, Any]] = []

    def hook(self, response: httpx2.Response) -> None:
        if not response.url.path.endswith("/chat/completions"):
            return
        response.read()
        # the same reading of usage and llama.cpp's timings as the brief's (llm.exchange)
        sent = read_exchange(
            "plain", 1, ChatCompletion.model_validate(json.loads(response.content)), 0
        )
        self.rows.append(
            {
                "prompt": sent.prompt_tokens,
                "cached": sent.cached_tokens,
                "answer": sent.completion_tokens,
                "read_s": sent.read_s or 0,
                "write_s": sent.write_s or 0,
            }
        )


def plain(base_url: str, model: str, text: str) -> tuple[dict[str, Any], Usage]:
    """The baseline: one instructor call, as the issue pins it."""
    usage = Usage()
    http = httpx2.Client(event_hooks={"response": [usage.hook]}, timeout=1200)
    client = instructor.from_openai(
        openai.OpenAI(base_url=base_url, api_key="embedded", http_client=http, max_retries=0),
        mode=instructor.Mode.JSON_SCHEMA,
    )
    started = time.monotonic()
    result: dict[str, Any] = {}
    try:
        brief = client.chat.completions.create(
            model=model,
            response_model=PlainBrief,
            messages=[{"role": "system", "content": SYSTEM}, {"role": "user", "content": text}],
            max_retries=3,
            max_tokens=2000,
            temperature=0,
        )
        result["items"] = len(brief.events) + len(brief.figures) + len(brief.quotes)
    except Exception as exc:  # the baseline's failure is a result, reported
        result["failed"] = f"{type(exc).__name__}: {str(exc).splitlines()[0][:120]}"
    result["wall_s"] = time.monotonic() - started
    http.close()
    return result, usage


def ours(engine: Summarizer, handler: Exchanges, text: str, published: str | None) -> dict:
    """The project's brief and its exchanges (from the debug log, as benchmarks/tokens.py)."""
    handler.rows = []
    started = time.monotonic()
    try:
        brief = engine.summarize(text, published=published)
        items = len(brief.events) + len(brief.figures) + len(brief.quotes)
    except SummarizerError as exc:
        return {"failed": str(exc), "wall_s": time.monotonic() - started, "rows": handler.rows}
    return {"items": items, "wall_s": time.monotonic() - started, "rows": handler.rows}


def kept_answer_tokens(rows: list[tuple[str, ...]]) -> int:
    """Answer tokens of the answers a brief kept: each pass's last answer (a stepwise
    answer is several requests; an earlier answer was asked again)."""
    last: dict[str, int] = {}
    for task, answer, *_ in rows:
        last[task] = max(last.get(task, 0), int(answer))
    return sum(int(r[4]) for r in rows if int(r[1]) == last[r[0]])


def prefix_tokens(base_url: str, text: str, published: str | None) -> int:
    """The system message every request of a short article's brief starts with."""
    article = load_article(text, published=published)
    return tokens(base_url, render("system", **_article_variables(Context.build(article))))


def without_article(prompt: str, article_words: set[tuple[str, ...]], n: int = 4) -> str:
    """The prompt's words that are not the article's: a word inside a run of `n` words
    that the article also has in a row is the article's (its sentences, a quote's frame, a
    number's context), the rest is task text (instructions, ids, labels)."""
    words = re.findall(r"\S+", prompt)
    keys = [tuple(summarizer_words(word)) for word in words]
    flat = [(i, k) for i, key in enumerate(keys) for k in key]
    covered: set[int] = set()
    for j in range(len(flat) - n + 1):
        if tuple(k for _, k in flat[j : j + n]) in article_words:
            covered.update(i for i, _ in flat[j : j + n])
    return " ".join(word for i, word in enumerate(words) if i not in covered)


def task_tokens(base_url: str, text: str, published: str | None) -> int:
    """The task text of a short article's brief, as the issue counts it: the system
    prompt and each pass's question without the article's own words."""
    article = load_article(text, published=published)
    ctx = Context.build(article)
    words = summarizer_words(article.text)
    ngrams = {tuple(words[i : i + 4]) for i in range(len(words) - 3)}
    prompts = [render("system", **_article_variables(ctx))]
    for module in (quotes, figures, events):
        question = module.question(ctx)
        if question is not None:
            prompts.append(render(question.template, **question.variables))
    return tokens(base_url, "\n".join(without_article(prompt, ngrams) for prompt in prompts))


def main() -> None:
    args = arguments(__doc__.splitlines()[0], json_out=True)
    handler = exchange_log()
    rows = []
    with Summarizer(model=args.model, timeout=1200) as engine:  # a loaded machine is slow
        base_url = str(engine.backend.client.base_url)
        model = engine.backend.model
        for number, (name, text, published) in enumerate(articles(args.paths, args.first)):
            if number % 2 == 0:
                mine = ours(engine, handler, text, published)
                theirs, usage = plain(base_url, model, text)
            else:
                theirs, usage = plain(base_url, model, text)
                mine = ours(engine, handler, text, published)
            rows.append(
                {
                    "name": name,
                    "article": tokens(base_url, text),
                    "prefix": prefix_tokens(base_url, text, published),
                    "task": task_tokens(base_url, text, published),
                    "ours": mine,
                    "plain": theirs | {"usage": usage.rows},
                }
            )
            print(line(rows[-1]), flush=True)
            if args.json:  # every request, for per-pass tables
                Path(args.json).write_text(json.dumps(rows, indent=1), encoding="utf-8")
    print(summary(rows))


def _sums(rows: list[dict[str, Any]]) -> dict[str, float]:
    keys = ("prompt", "cached", "answer", "read_s", "write_s")
    return {k: sum(float(r[k]) for r in rows) for k in keys} | {"requests": len(rows)}


def _ours_rows(mine: dict[str, Any]) -> list[dict[str, Any]]:
    fields = ("task", "answer_no", "prompt", "cached", "answer", "wall", "read_s", "write_s")
    return [dict(zip(fields, r, strict=True)) for r in mine["rows"]]


def line(row: dict[str, Any]) -> str:
    mine, theirs = row["ours"], row["plain"]
    a, b = _sums(_ours_rows(mine)), _sums(theirs["usage"])
    return (
        f"| {row['name']} | {row['article']} | {mine.get('failed') or ''}"
        f"{mine['wall_s']:.1f} s, {a['prompt']:.0f} ({a['cached']:.0f}) / {a['answer']:.0f}, "
        f"{a['requests']:.0f} req, {mine.get('items', '—')} items | {theirs.get('failed') or ''}"
        f"{theirs['wall_s']:.1f} s, {b['prompt']:.0f} ({b['cached']:.0f}) / {b['answer']:.0f}, "
        f"{b['requests']:.0f} req, {theirs.get('items', '—')} items |"
    )


def summary(rows: list[dict[str, Any]]) -> str:
    everything = [r for row in rows for r in _ours_rows(row["ours"])]
    everything += [r for row in rows for r in row["plain"]["usage"]]
    done = _sums(everything)
    read_speed = (done["prompt"] - done["cached"]) / max(done["read_s"], 1e-9)
    write_speed = done["answer"] / max(done["write_s"], 1e-9)
    wall_ratio, floor_ratio, uncached_ratio, task_ratio, floor_plain = [], [], [], [], []
    for row in rows:
        mine = row["ours"]
        if "failed" in mine:
            continue
        a = _sums(_ours_rows(mine))
        floor = row["prefix"] / read_speed + kept_answer_tokens(mine["rows"]) / write_speed
        floor_ratio.append(mine["wall_s"] / floor)
        uncached_ratio.append((a["prompt"] - a["cached"]) / row["article"])
        task_ratio.append((a["prompt"] - a["cached"]) / (row["article"] + row["task"]))
        if "failed" not in row["plain"]:
            wall_ratio.append(mine["wall_s"] / row["plain"]["wall_s"])
            floor_plain.append(floor / row["plain"]["wall_s"])  # the best this brief can do
    median = lambda values: f"{statistics.median(values):.2f}" if values else "—"  # noqa: E731
    return (
        f"\nllama.cpp over this run: read {read_speed:.1f} prompt tokens/s, wrote "
        f"{write_speed:.1f} answer tokens/s\n"
        f"medians: brief wall ÷ plain wall {median(wall_ratio)} ({len(wall_ratio)} articles "
        f"both answered); brief wall ÷ floor {median(floor_ratio)}; floor ÷ plain wall "
        f"{median(floor_plain)}; uncached prompt ÷ "
        f"article tokens {median(uncached_ratio)}; uncached prompt ÷ (article + task text) "
        f"{median(task_ratio)}"
    )


if __name__ == "__main__":
    main()
