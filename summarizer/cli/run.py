"""`summarize run` (the default command): a brief of each article on stdout or in --out."""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from pathlib import Path

import click

from summarizer import signals
from summarizer.article import read_source
from summarizer.cli import options
from summarizer.cli.failures import report, usage_error
from summarizer.cli.progress import ArticleLines, download_bar
from summarizer.errors import EXIT_OK, EXIT_PARTIAL, worst
from summarizer.files import write_atomically
from summarizer.pipeline import Summarizer
from summarizer.render import to_json, to_markdown
from summarizer.report import render_page
from summarizer.schema import Brief


@click.command("run")
@click.argument("articles", nargs=-1, required=True, metavar="ARTICLE...")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["json", "jsonl", "md", "markdown", "html"]),
    default="json",
    show_default=True,
    help="json: the schema-v1 brief (a list for several articles); jsonl: one line per article; md (or markdown): Markdown; html: a self-contained page with the evidence highlighted in the article (one article; for many, `summarize batch --report`).",
)
@options.published(
    'Publication date; relative dates ("Sunday") resolve against it. Default: the article\'s dateline.'
)
@options.model()
@options.out("Write the result to this file (atomically) instead of stdout.")
@options.max_retries()
@options.timeout()
@options.mode()
@click.option(
    "--lang",
    metavar="LANGUAGE",
    help="Write the title, summary and events in this language (e.g. English). "
    "Default: the article's own language. Quotes and figures stay as written.",
)
@options.cache()
@options.debug("Show tracebacks on errors. Env: SUMMARIZER_DEBUG=1.")
def run(
    articles: tuple[str, ...],
    fmt: str,
    published: str | None,
    model: str | None,
    out: Path | None,
    max_retries: int,
    timeout: float,
    mode: str,
    lang: str | None,
    cache: bool,
    debug: bool,
) -> None:
    """Summarize each ARTICLE (a text file path, or - for stdin) into a grounded brief.

    \b
    Backend: OPENAI_BASE_URL or OPENAI_API_KEY selects that OpenAI-compatible endpoint
    (OpenAI, Ollama, vLLM, llama.cpp); otherwise, or when --model names an embedded model
    or a .gguf file, a llama.cpp server runs the embedded model on this machine.

    \b
    Exit codes: 0 ok, 3 a partial brief (a pass could not be answered: meta.incomplete
    names it, meta.warnings says why), 1 runtime error (endpoint, model, extraction), 2 bad
    usage or an unreadable/empty article, 130 interrupted (Ctrl-C), 143 terminated
    (SIGTERM). With several articles the worst outcome decides: 2, then 1, then 3, then 0.
    """
    if debug:
        logging.basicConfig(format="summarize: %(message)s")
        logging.getLogger("summarizer").setLevel(logging.DEBUG)
    if articles.count("-") > 1:
        raise click.UsageError("stdin (-) can be read only once")
    if fmt == "html" and len(articles) > 1:
        usage_error(
            "--format html makes one page of one article; for several, "
            "`summarize batch SOURCE --out results.jsonl --report DIR` writes a page each"
        )
    lines = ArticleLines()
    summarizer: Summarizer | None = None

    def engine() -> Summarizer:
        """Started for the first article that could be read: a bad path starts no model."""
        nonlocal summarizer
        if summarizer is None:
            summarizer = Summarizer(
                model=model, attempts=max_retries + 1, timeout=timeout, mode=mode, lang=lang,
                cache=cache, progress=lines.callback(), download_progress=download_bar(),
            )  # fmt: skip
        return summarizer

    results: list[str] = []
    status = EXIT_OK
    try:
        for number, source in enumerate(articles, 1):
            lines.article = source + (f" ({number}/{len(articles)})" if len(articles) > 1 else "")
            try:
                brief, text = _brief(source, published, engine)
                rendered = _render(brief, text, fmt, source)
            except Exception as exc:  # one line, a bug's too; the other articles go on
                status = worst(status, report(source, exc, debug))
                continue
            status = worst(status, _warn_if_partial(source, brief))
            results.append(rendered)
    except KeyboardInterrupt as exc:
        _emit(results, fmt, out, len(articles))  # what finished, written whole
        signals.leave(exc)  # the embedded server is left to the process's exit
    finally:
        if summarizer is not None:
            summarizer.close()
    _emit(results, fmt, out, len(articles))
    sys.exit(status)


def _brief(
    source: str, published: str | None, engine: Callable[[], Summarizer]
) -> tuple[Brief, str]:
    """One article's brief and the text it was read as; what reading it warned about goes
    to stderr first."""
    read = read_source(source)
    warnings = list(read.warnings)
    for warning in warnings:
        click.echo(f"summarize: warning: {warning}", err=True)
    brief = engine().summarize(read.text, published=published or read.published, warnings=warnings)
    if read.extracted:  # offsets refer to the extracted text: hand it over
        brief.article.text = read.text
    return brief, read.text


def _warn_if_partial(source: str, brief: Brief) -> int:
    """EXIT_PARTIAL, said on stderr, when a pass could not be answered; else EXIT_OK."""
    if not brief.meta.incomplete:
        return EXIT_OK
    passes = " and ".join(brief.meta.incomplete)
    click.echo(
        f"summarize: warning: {source}: partial brief: the {passes} "
        f"{'pass' if len(brief.meta.incomplete) == 1 else 'passes'} could not "
        "be answered (meta.warnings says why)",
        err=True,
    )
    return EXIT_PARTIAL


def _render(brief: Brief, text: str, fmt: str, source: str) -> str:
    if fmt in ("md", "markdown"):
        return to_markdown(brief)
    if fmt == "html":
        return render_page(brief, text, source="stdin" if source == "-" else source)
    return to_json(brief, indent=None if fmt == "jsonl" else 2)


def _emit(results: list[str], fmt: str, out: Path | None, count: int) -> None:
    """Print (or atomically write) what succeeded; nothing finished is lost on failure."""
    if not results:
        return
    if fmt == "jsonl":
        body = "".join(r + "\n" for r in results)
    elif fmt == "json" and count > 1:
        body = "[\n" + ",\n".join(results) + "\n]\n"
    else:
        body = "\n".join(r.rstrip("\n") for r in results) + "\n"
    if out is None:
        click.echo(body, nl=False)
        return
    write_atomically(out, body.encode("utf-8"))
