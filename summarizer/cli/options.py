"""The options several commands share, each declared once.

Each function returns the option's decorator. `help` is there for the commands that word
an option differently (`summarize eval` and `batch` point back to `summarize run`).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from summarizer import backends
from summarizer.pipeline import DEFAULT_ATTEMPTS

Decorator = Callable[[Callable[..., Any]], Callable[..., Any]]

AS_FOR_RUN = "As for `summarize run`."
MODEL_HELP = "Embedded model name, a .gguf path, or the remote model when OPENAI_BASE_URL/OPENAI_API_KEY is set (default gpt-4o-mini). Env: SUMMARIZER_MODEL."
MODE_HELP = "How structured output is requested: json_schema (response_format), tools, or json. stepwise (llama.cpp servers) writes the quotes answer's keys itself and asks the model only for each value, one request each: about half the tokens to write. auto: stepwise for the embedded model; for other servers json_schema, falling back when the server rejects it."
MAX_RETRIES_HELP = "Re-asks after an answer fails grounding; then ungrounded items are dropped and listed in meta.warnings."
TIMEOUT_HELP = "Seconds allowed per HTTP request (429/5xx/timeouts are retried twice with backoff)."
CACHE_HELP = (
    "Answer a request made before (same article, prompts, model) from the response "
    "cache in the user cache dir, costing no tokens."
)


def model(help: str = MODEL_HELP) -> Decorator:
    return click.option("--model", envvar="SUMMARIZER_MODEL", help=help)


def mode() -> Decorator:
    return click.option(
        "--mode",
        type=click.Choice(sorted(backends.MODES)),
        default="auto",
        show_default=True,
        help=MODE_HELP,
    )


def max_retries(help: str | None = MAX_RETRIES_HELP) -> Decorator:
    return click.option(
        "--max-retries",
        type=click.IntRange(0, 10),
        default=DEFAULT_ATTEMPTS - 1,
        show_default=True,
        help=help,
    )


def timeout(help: str | None = TIMEOUT_HELP) -> Decorator:
    return click.option(
        "--timeout",
        type=click.FloatRange(1),
        default=backends.DEFAULT_TIMEOUT,
        show_default=True,
        help=help,
    )


def cache(default: bool = True, help: str = CACHE_HELP) -> Decorator:
    return click.option("--cache/--no-cache", default=default, show_default=True, help=help)


def published(help: str) -> Decorator:
    return click.option("--published", metavar="YYYY-MM-DD", help=help)


def out(help: str, required: bool = False) -> Decorator:
    return click.option(
        "--out",
        required=required,
        type=click.Path(dir_okay=False, path_type=Path),
        help=help,
    )


def debug(help: str = "Show tracebacks.") -> Decorator:
    return click.option("--debug", is_flag=True, envvar="SUMMARIZER_DEBUG", help=help)
