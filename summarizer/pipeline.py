"""Article in → prompts rendered → LLM passes through instructor → grounded brief out.

`Summarizer` owns the backend (and, for the embedded model, the llama.cpp server), so many
articles reuse one loaded model; `summarize()` is the one-shot convenience around it.
The passes share one prefix (system prompt + article) and differ only in the task at the
end, so the server's prompt cache processes the article once per article, not per pass.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import time
from collections.abc import Callable
from typing import Any

import openai

from summarizer import embedded, llm
from summarizer.article import Article, load_article
from summarizer.passes import Context, Question, events, figures, quotes
from summarizer.prompts import prompt_version, render
from summarizer.schema import ArticleInfo, Brief, Meta
from summarizer.windows import DEFAULT_MAX_CHARS, windows

DEFAULT_ATTEMPTS = 3
PASSES = ("quotes", "figures", "events")
log = logging.getLogger("summarizer")


class Summarizer:
    """A reusable summarizer: one backend (one model server) for many articles.

    Use as a context manager, or call `close()`, to stop an embedded server. With
    `cache=True`, a request made before (same article, prompts, model and settings) is
    answered from the response cache in the user cache dir, costing no tokens.
    """

    def __init__(
        self,
        *,
        model: str | None = None,
        client: openai.OpenAI | None = None,
        attempts: int = DEFAULT_ATTEMPTS,
        timeout: float = llm.DEFAULT_TIMEOUT,
        mode: str = "auto",
        cache: bool = False,
        max_chars: int = DEFAULT_MAX_CHARS,
        lang: str | None = None,
        progress: Callable[[str], None] | None = None,
        download_progress: embedded.Progress | None = None,
    ) -> None:
        if attempts < 1:
            raise ValueError("attempts must be at least 1")
        self.attempts = attempts
        self.max_chars = max_chars  # longer articles are asked about in windows this size
        self.lang = lang  # title, summary and events in this language; None: the article's
        self._progress = progress or (lambda message: None)
        self._server: embedded.EmbeddedServer | None = None
        self._owns_client = client is None  # a caller's client is the caller's to close
        mode_enum = llm.MODES[mode]
        auto = mode == "auto"
        stepwise = mode == "stepwise"  # asked for: the endpoint is a llama.cpp server
        if client is None and (embedded.is_embedded_name(model) or not llm.wants_remote()):
            name, path = embedded.resolve_model_file(model, download_progress)
            self._progress(f"starting embedded model {name}")
            self._server = embedded.EmbeddedServer(path).start()
            transport = llm.remote_client(
                base_url=self._server.base_url,
                api_key="embedded",
                timeout=timeout,
                cache=cache,
                cache_identity=embedded.model_identity(path) if cache else None,
            )
            # The embedded server is llama.cpp: stepwise unless a mode was chosen.
            self.backend = llm.Backend(
                transport, name, "embedded", mode_enum, auto, stepwise or auto
            )
        else:  # the caller's client, or one from OPENAI_BASE_URL / OPENAI_API_KEY
            transport = (
                client if client is not None else llm.remote_client(timeout=timeout, cache=cache)
            )
            self.backend = llm.Backend(
                transport,
                model or llm.DEFAULT_REMOTE_MODEL,
                "openai-compatible",
                mode_enum,
                auto,
                stepwise,
            )

    def close(self) -> None:
        if self._owns_client:
            self.backend.client.close()
        if self._server is not None:
            self._server.stop()
            self._server = None

    def __enter__(self) -> Summarizer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

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
        return self._run(article, passes)

    def _run(self, article: Article, passes: tuple[str, ...]) -> Brief:
        started = time.monotonic()
        whole = Context.build(article, lang=self.lang)
        accounting = llm.Accounting()
        parts = [
            whole.window(w.shown_from, w.start, w.end)
            for w in windows(article.text, self.max_chars)
        ]
        if len(parts) > 1:
            self._progress(f"long article: asking about it in {len(parts)} parts")
        found_quotes, found_figures, found_events = [], [], []
        title = summary = ""
        for number, ctx in enumerate(parts):
            system = render("system", **_article_variables(ctx))
            if "quotes" in passes:
                answers = self._ask(system, quotes.question(ctx), ctx, accounting)
                found_quotes += quotes.build(ctx, answers)
            if "figures" in passes:
                answers = self._ask(system, figures.question(ctx), ctx, accounting)
                found_figures += figures.build(ctx, answers)
            if "events" in passes:
                answers = self._ask(system, events.question(ctx), ctx, accounting)
                found_events += events.build(ctx, answers)
                if number == 0:  # the lead: the article's headline and summary
                    title, summary = answers.title.strip(), events.clean_summary(answers.summary)
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
            events=events.merge(found_events),
            figures=found_figures,
            quotes=found_quotes,
            meta=Meta(
                model=self.backend.model,
                backend=self.backend.name,
                prompt_version=prompt_version(),
                attempts=accounting.attempts,
                usage=accounting.usage,
                latency_s=round(time.monotonic() - started, 3),
                warnings=list(dict.fromkeys([*article.warnings, *whole.warnings])),
            ),
        )
        brief.check_grounding(article.text)
        return brief

    def _ask(
        self, system: str, question: Question | None, ctx: Context, accounting: llm.Accounting
    ) -> Any:
        """One pass: the shared system prompt (with the article), then this pass's task."""
        if question is None:
            return None
        self._progress(f"asking about {question.template}")
        messages = [
            {"role": "system", "content": system},
            {"role": "user", "content": render(question.template, **question.variables)},
        ]
        before = (accounting.attempts, accounting.usage.completion_tokens, time.monotonic())
        answer = llm.call(
            self.backend,
            question.model,
            messages,
            context=ctx,
            accounting=accounting,
            attempts=self.attempts,
            max_tokens=question.max_tokens,
            stepwise_pass=question.stepwise,
        )
        log.debug(
            "pass %s: %d call(s), %d completion tokens, %.1fs",
            question.template,
            accounting.attempts - before[0],
            accounting.usage.completion_tokens - before[1],
            time.monotonic() - before[2],
        )
        return answer


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
    timeout: float = llm.DEFAULT_TIMEOUT,
) -> Brief:
    """Summarize one article into a grounded Brief (starts and stops a backend each call).

    For many articles, keep one `Summarizer` instead: it reuses the loaded model.
    """
    with Summarizer(model=model, client=client, attempts=attempts, timeout=timeout) as summarizer:
        return summarizer.summarize(text, published=published)


async def asummarize(
    text: str,
    *,
    published: str | dt.date | None = None,
    model: str | None = None,
    client: openai.OpenAI | None = None,
    attempts: int = DEFAULT_ATTEMPTS,
    timeout: float = llm.DEFAULT_TIMEOUT,
) -> Brief:
    """`summarize` without blocking the event loop (runs in a worker thread)."""
    return await asyncio.to_thread(
        summarize,
        text,
        published=published,
        model=model,
        client=client,
        attempts=attempts,
        timeout=timeout,
    )
