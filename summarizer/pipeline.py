"""Article in → prompts rendered → LLM passes through instructor → grounded brief out.

`Summarizer` owns the backend, so many articles reuse one client and, for the embedded
model, this process's one llama.cpp server (`embedded.shared_server`); `summarize()` and
`asummarize()` are the one-shot conveniences around it.
The passes share one prefix (system prompt + article) and differ only in the task at the
end, so the server's prompt cache processes the article once per article, not per pass.

A brief is planned once (`Summarizer._brief`, a generator that yields each request and
is sent its answer) and run by `summarizer.plans` either synchronously or asynchronously,
so `summarize` and `asummarize` run the same steps. Each pass fails on its own: a pass that cannot be
answered leaves its name in `meta.incomplete` and its reason in `meta.warnings`, and the
brief carries what the other passes found. Only an endpoint that refuses every request
(a bad key, an unknown model, no server there) or the failure of every pass that asked
the model ends the brief with an error.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import os
import time
import weakref
from collections.abc import AsyncIterator, Callable, Generator, Iterator
from dataclasses import dataclass
from types import ModuleType
from typing import Any

import openai

from summarizer import backends, embedded, llm, plans, retry
from summarizer.article import Article, load_article
from summarizer.errors import BackendError, OutputTruncated, SummarizerError, one_line
from summarizer.passes import Context, Question, events, figures, quotes
from summarizer.passes.base import Collected, finished_part
from summarizer.prompts import prompt_version, render
from summarizer.schema import ArticleInfo, Brief, Meta, PassName
from summarizer.windows import DEFAULT_MAX_CHARS, windows

DEFAULT_ATTEMPTS = 3
PASSES: tuple[PassName, ...] = ("quotes", "figures", "events")
MODULES: dict[str, ModuleType] = {"quotes": quotes, "figures": figures, "events": events}
# The largest token budget of one answer. A pass whose candidates need more is asked in
# groups (the article prefix stays cached between them), and a runaway answer is cut off
# there. 1,536 tokens hold 28 quotes or 56 numbers, so few windows need groups.
MAX_ANSWER_TOKENS = 1536
# Articles `asummarize` works on at once in one event loop (their requests are in flight
# together on a remote endpoint; the embedded server takes them in turn).
DEFAULT_MAX_IN_FLIGHT = 16
log = logging.getLogger("summarizer")


@dataclass
class Ask:
    """One request of a brief's plan: a question about a window, with its messages."""

    question: Question
    messages: list[dict[str, str]]
    accounting: llm.Accounting


class Summarizer:
    """A reusable summarizer: one backend for many articles.

    Use as a context manager, or call `close()`, to close its client. With `cache=True`, a
    request made before (same article, prompts, model and settings, same endpoint) is
    answered from the response cache in the user cache dir, costing no tokens.
    """

    def __init__(
        self,
        *,
        model: str | None = None,
        client: openai.OpenAI | openai.AsyncOpenAI | None = None,
        attempts: int = DEFAULT_ATTEMPTS,
        timeout: float = backends.DEFAULT_TIMEOUT,
        mode: str = "auto",
        cache: bool = False,
        max_chars: int = DEFAULT_MAX_CHARS,
        lang: str | None = None,
        progress: Callable[[str], None] | None = None,
        download_progress: embedded.Progress | None = None,
        slots: int = 1,
        threads: int | None = None,
    ) -> None:
        """The backend is chosen by `backends.backend_for`, in the order `summarizer.backends` gives.

        `slots`: articles the embedded server works on at once. 1 by default: a few cores
        are busy with one article already, so more slots gain little or lose, and they
        change answers (batched arithmetic rounds differently; BENCHMARKS.md).
        `threads`: the cores the embedded server computes on; None for every core (one
        of several Ray actors on a node takes its share: summarizer/cluster.py).
        """
        if attempts < 1:
            raise ValueError("attempts must be at least 1")
        self.attempts = attempts
        self.max_chars = max_chars  # longer articles are asked about in windows this size
        self.lang = lang  # title, summary and events in this language; None: the article's
        self._progress = progress or (lambda message: None)
        chosen = backends.backend_for(
            model=model, client=client, timeout=timeout, mode=mode, cache=cache, slots=slots,
            threads=threads, progress=self._progress, download_progress=download_progress,
        )  # fmt: skip
        self.backend = chosen.backend
        self._server = chosen.server
        self._owns_client = chosen.owns_client
        self._callers_aclient = chosen.callers_aclient

    def close(self) -> None:
        """Close the client this Summarizer made. The embedded server is shared by the
        process and stopped at exit (`embedded.stop_shared` stops it now)."""
        if self._owns_client:
            self.backend.client.close()
        self._server = None

    def __enter__(self) -> Summarizer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    async def aclose(self) -> None:
        """`close`, and the async client made for `asummarize` (a caller's stays open)."""
        self.close()
        aclient = self.backend.aclient
        if aclient is not None and not self._callers_aclient:  # made here
            await aclient.close()

    async def __aenter__(self) -> Summarizer:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    def summarize(
        self,
        text: str,
        *,
        published: str | dt.date | None = None,
        warnings: list[str] | None = None,
        passes: tuple[str, ...] = PASSES,
    ) -> Brief:
        """Summarize one article's text into a grounded Brief.

        `passes` limits which questions are asked (evaluation scores one at a time);
        without "events" the brief has an empty title and summary.
        """
        article = load_article(text, published, warnings)
        with self._turn():
            return plans.run(self._brief(article, passes), self.call)

    async def asummarize(
        self,
        text: str,
        *,
        published: str | dt.date | None = None,
        warnings: list[str] | None = None,
        passes: tuple[str, ...] = PASSES,
    ) -> Brief:
        """`summarize` as a coroutine: its requests go through `openai.AsyncOpenAI`."""
        article = load_article(text, published, warnings)
        async with self._aturn():
            return await plans.arun(self._brief(article, passes), self._acall)

    def _turn(self) -> contextlib.AbstractContextManager[None]:
        return self._server.turn() if self._server else contextlib.nullcontext()

    def _aturn(self) -> contextlib.AbstractAsyncContextManager[None]:
        return self._server.aturn() if self._server else contextlib.nullcontext()

    def call(self, ask: Ask) -> Any:
        """One request of a plan, asked through the backend (re-asks included).
        `summarizer.openai_batch` overrides it to answer from a provider's batches."""
        return llm.call(self.backend, ask.question.model, ask.messages, **self._options(ask))

    async def _acall(self, ask: Ask) -> Any:
        return await llm.acall(self.backend, ask.question.model, ask.messages, **self._options(ask))

    def _options(self, ask: Ask) -> dict[str, Any]:
        self._progress(f"asking about {ask.question.template}")
        return {
            "context": ask.question.ctx,
            "accounting": ask.accounting,
            "attempts": self.attempts,
            "max_tokens": ask.question.max_tokens,
            "stepwise_pass": ask.question.stepwise,
            "task": ask.question.template,
        }

    def _brief(self, article: Article, passes: tuple[str, ...]) -> Generator[Ask, Any, Brief]:
        """The plan of one brief: yields each request, is sent its answer (or thrown its
        error), returns the brief."""
        started = time.monotonic()
        whole = Context.build(article, lang=self.lang)
        accounting = llm.Accounting()
        parts = [
            whole.window(w.shown_from, w.start, w.end)
            for w in windows(article.text, self.max_chars)
        ]
        if len(parts) > 1:
            self._progress(f"long article: asking about it in {len(parts)} parts")
        found: dict[str, list[Any]] = {name: [] for name in PASSES}
        warnings = [*article.warnings, *whole.notes]
        failures: dict[str, SummarizerError] = {}
        answered: set[str] = set()
        title = summary = ""
        for ctx in parts:
            system = render("system", **_article_variables(ctx))
            for name in (name for name in PASSES if name in passes):
                module = MODULES[name]
                collected, error = yield from self._pass(module, ctx, system, accounting)
                warnings += collected.warnings
                if error is not None:
                    if _ends_the_brief(error):
                        raise error
                    failures.setdefault(name, error)
                    warnings.append(f"{name} pass failed: {one_line(error)}")
                if collected.asked:
                    answered.add(name)
                items, notes = module.build(ctx, collected)
                found[name] += items
                warnings += notes
                if name == "events" and ctx.start == 0:  # the lead: headline and summary
                    title, summary = (
                        collected.title.strip(),
                        events.clean_summary(collected.summary),
                    )
        if failures and not answered:  # no pass could be answered: there is no brief
            raise next(iter(failures.values()))
        brief = Brief(
            article=ArticleInfo(
                title=article.title,
                published=article.published.isoformat() if article.published else None,
                dateline=article.dateline.place if article.dateline else None,
                chars=len(article.text),
                sha256=article.sha256,
            ),
            title=title,
            summary=summary,
            events=events.merge(found["events"]),
            figures=found["figures"],
            quotes=found["quotes"],
            meta=Meta(
                model=self.backend.model,
                backend=self.backend.name,
                prompt_version=prompt_version(),
                attempts=accounting.attempts,
                usage=accounting.usage,
                latency_s=round(time.monotonic() - started, 3),
                warnings=list(dict.fromkeys(warnings)),
                incomplete=[name for name in PASSES if name in failures],
            ),
        )
        brief.check_grounding(article.text)
        return brief

    def _pass(
        self, module: ModuleType, ctx: Context, system: str, accounting: llm.Accounting
    ) -> Generator[Ask, Any, tuple[Collected, SummarizerError | None]]:
        """One pass over one window: what its answers say, and the error that stopped it.

        Its candidates are asked in groups that fit one answer's budget. An answer cut off
        at its budget keeps the items it finished, and the rest are asked again, for at
        most `retry.CUTOFF_ROUNDS` answers. What was answered before an error is kept.
        """
        collected = Collected()
        for remaining, whole in _groups(module, ctx):
            first: Question | None = whole  # later rounds ask what is left
            try:
                for attempt in self.backend.policy.cutoffs():
                    with attempt:
                        question = first or module.question(ctx, remaining)
                        first = None
                        started = time.monotonic()
                        try:
                            collected.add((yield self._ask(system, question, accounting)))
                        except OutputTruncated as cut:
                            remaining = _keep_finished(module, question, cut, remaining, collected)
                            if remaining:
                                raise
                        finally:
                            log.debug(
                                "pass %s: %d answer field(s), %.1fs",
                                question.template,
                                len(question.model.model_fields),
                                time.monotonic() - started,
                            )
            except OutputTruncated as cut:
                return collected, OutputTruncated(
                    f"{cut}; {len(remaining)} candidates left unanswered after "
                    f"{retry.CUTOFF_ROUNDS} answers were cut off",
                    partial=cut.partial,
                )
            except SummarizerError as exc:
                return collected, exc
        return collected, None

    def _ask(self, system: str, question: Question, accounting: llm.Accounting) -> Ask:
        """One request: the shared system prompt (with the article), then the task."""
        messages = [
            {"role": "system", "content": system},
            {"role": "user", "content": render(question.template, **question.variables)},
        ]
        return Ask(question, messages, accounting)


def _groups(module: ModuleType, ctx: Context) -> Iterator[tuple[list[str], Question]]:
    """The pass's candidates in order, cut into groups whose answer fits
    MAX_ANSWER_TOKENS, each with its question. Nearly every pass is one group, asked as
    it always was."""
    ids = module.candidates(ctx)
    whole = module.question(ctx, ids)
    if whole is None:
        return
    if whole.max_tokens <= MAX_ANSWER_TOKENS:
        yield ids, whole
        return
    group: list[str] = []
    for cid in ids:
        if group and module.question(ctx, [*group, cid]).max_tokens > MAX_ANSWER_TOKENS:
            yield group, module.question(ctx, group)
            group = []
        group.append(cid)
    if group:
        yield group, module.question(ctx, group)


def _keep_finished(
    module: ModuleType,
    question: Question,
    cut: OutputTruncated,
    asked: list[str],
    collected: Collected,
) -> list[str]:
    """Keep what a cut-off answer finished (checked as a last attempt is: what fails is
    left out with a warning) and return the candidates still to ask. When it finished
    none, the one it was writing ran past the whole budget: that one is left out, so
    each round makes progress."""
    ctx = question.ctx
    assert ctx is not None
    done, data = finished_part(question, cut.partial)
    if done:
        kept = module.question(ctx, done)
        kept.ctx.lenient = True
        try:
            collected.add(kept.model.model_validate(data, context={"summarizer": kept.ctx}))
        finally:
            kept.ctx.lenient = False
    rest = [cid for cid in asked if cid not in done]
    if not done and rest:
        collected.warnings.append(
            f"{question.template}: {rest[0]}: left out: the model's answer ran past its "
            f"{question.max_tokens}-token budget"
        )
        rest = rest[1:]
    return rest


def _ends_the_brief(exc: SummarizerError) -> bool:
    """An endpoint that refuses requests as such (a bad key, an unknown model, no server
    there, not a chat API) would fail every pass the same way."""
    return isinstance(exc, BackendError) and exc.every_request


def _article_variables(ctx: Context) -> dict[str, object]:
    paragraphs: list[list[dict[str, object]]] = []
    for number in ctx.sentence_numbers(shown=True):
        sentence = ctx.sentences[number - 1]
        if not paragraphs or sentence.paragraph != paragraphs[-1][0]["paragraph"]:
            paragraphs.append([])
        paragraphs[-1].append(
            {"number": number, "text": sentence.text, "paragraph": sentence.paragraph}
        )
    published = ctx.article.published
    return {
        "paragraphs": paragraphs,
        "published": published.isoformat() if published else None,
        "weekday": published.strftime("%A") if published else None,
    }


def summarize(
    text: str,
    *,
    published: str | dt.date | None = None,
    model: str | None = None,
    client: openai.OpenAI | None = None,
    attempts: int = DEFAULT_ATTEMPTS,
    timeout: float = backends.DEFAULT_TIMEOUT,
) -> Brief:
    """Summarize one article into a grounded Brief.

    The embedded model's server is started on the first call and shared by later ones.
    """
    with Summarizer(model=model, client=client, attempts=attempts, timeout=timeout) as summarizer:
        return summarizer.summarize(text, published=published)


async def asummarize(
    text: str,
    *,
    published: str | dt.date | None = None,
    model: str | None = None,
    client: openai.OpenAI | openai.AsyncOpenAI | None = None,
    attempts: int = DEFAULT_ATTEMPTS,
    timeout: float = backends.DEFAULT_TIMEOUT,
) -> Brief:
    """`summarize` as a coroutine, async end to end (`openai.AsyncOpenAI` under instructor).

    `asyncio.gather` over many articles has up to $SUMMARIZER_MAX_IN_FLIGHT (default 16)
    of them in flight at once per event loop; the embedded model's one server takes them
    in turn, article by article.
    """
    async with _in_flight():
        # Starting the embedded server (or assembling its model) blocks: not in the loop.
        engine = await asyncio.to_thread(
            Summarizer, model=model, client=client, attempts=attempts, timeout=timeout
        )
        async with engine:
            return await engine.asummarize(text, published=published)


_limits: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Semaphore] = (
    weakref.WeakKeyDictionary()
)  # one limit per event loop, gone with its loop


@contextlib.asynccontextmanager
async def _in_flight() -> AsyncIterator[None]:
    loop = asyncio.get_running_loop()
    limit = _limits.get(loop)
    if limit is None:
        limit = _limits[loop] = asyncio.Semaphore(max_in_flight())
    async with limit:
        yield


def max_in_flight() -> int:
    raw = os.environ.get("SUMMARIZER_MAX_IN_FLIGHT", "")
    return int(raw) if raw.isdigit() and int(raw) > 0 else DEFAULT_MAX_IN_FLIGHT
