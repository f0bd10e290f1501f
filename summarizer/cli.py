"""The `summarize` command. Results go to stdout (or --out), messages and progress to stderr.

Exit codes: 0 success; 3 a partial brief (a pass could not be answered; `meta.incomplete`
names it); 1 a runtime failure (endpoint, model, extraction); 2 bad usage or an
unreadable/empty article; 130 interrupted (Ctrl-C, SIGINT); 143 terminated (SIGTERM). With
several articles the worst outcome decides (2, then 1, then 3, then 0). Errors are one
line; --debug (or SUMMARIZER_DEBUG=1) shows the traceback too. A signal ends any command
within seconds with one line, "summarize: interrupted", after what was finished is
written (summarizer/signals.py).
"""

from __future__ import annotations

import json
import logging
import os
import sys
import traceback
from pathlib import Path

import click

from summarizer import embedded, llm, signals
from summarizer.article import read_source
from summarizer.errors import EXIT_FAILED, EXIT_OK, EXIT_PARTIAL, SummarizerError, one_line, worst
from summarizer.files import write_atomically
from summarizer.pipeline import DEFAULT_ATTEMPTS, Summarizer
from summarizer.render import to_json, to_markdown
from summarizer.schema import Brief


class DefaultGroup(click.Group):
    """`summarize FILE` runs the default command; `summarize models` the subcommand."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ("--help", "-h", "--version"):
            args = ["run", *args]
        elif not args:
            args = ["run"]
        return super().parse_args(ctx, args)

    def invoke(self, ctx: click.Context) -> object:
        """Run the command with Ctrl-C and SIGTERM handled (summarizer/signals.py): the
        commands save what they finished; a signal anywhere else ends it here."""
        with signals.handled():
            try:
                return super().invoke(ctx)
            except KeyboardInterrupt as exc:
                signals.leave(exc)


MODE_OPTION = click.option(
    "--mode",
    type=click.Choice(sorted(llm.MODES)),
    default="auto",
    show_default=True,
    help="How structured output is requested: json_schema (response_format), tools, or json. stepwise (llama.cpp servers) writes the quotes answer's keys itself and asks the model only for each value, one request each: about half the tokens to write. auto: stepwise for the embedded model; for other servers json_schema, falling back when the server rejects it.",
)
CACHE_OPTION = click.option(
    "--cache/--no-cache",
    default=True,
    show_default=True,
    help="Answer a request made before (same article, prompts, model) from the response "
    "cache in the user cache dir, costing no tokens.",
)


@click.group(cls=DefaultGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="summarizer")
def main() -> None:
    """Turn news articles into trustworthy structured briefs.

    \b
      summarize article.txt                  brief as JSON on stdout
      summarize article.txt --format md      readable Markdown
      summarize a.txt b.txt --format jsonl   one JSON line per article
      cat article.txt | summarize -          read stdin
      summarize models                       list embedded models

    Run `summarize run --help` for every option. Every quote and number in the output is
    checked against the article text, with character offsets.
    """


@main.command("run")
@click.argument("articles", nargs=-1, required=True, metavar="ARTICLE...")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["json", "jsonl", "md"]),
    default="json",
    show_default=True,
    help="json: the schema-v1 brief (a list for several articles); jsonl: one line per article; md: Markdown.",
)
@click.option(
    "--published",
    metavar="YYYY-MM-DD",
    help='Publication date; relative dates ("Sunday") resolve against it. Default: the article\'s dateline.',
)
@click.option(
    "--model",
    envvar="SUMMARIZER_MODEL",
    help="Embedded model name, a .gguf path, or the remote model when OPENAI_BASE_URL/OPENAI_API_KEY is set (default gpt-4o-mini). Env: SUMMARIZER_MODEL.",
)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the result to this file (atomically) instead of stdout.",
)
@click.option(
    "--max-retries",
    type=click.IntRange(0, 10),
    default=DEFAULT_ATTEMPTS - 1,
    show_default=True,
    help="Re-asks after an answer fails grounding; then ungrounded items are dropped and listed in meta.warnings.",
)
@click.option(
    "--timeout",
    type=click.FloatRange(1),
    default=llm.DEFAULT_TIMEOUT,
    show_default=True,
    help="Seconds allowed per HTTP request (429/5xx/timeouts are retried twice with backoff).",
)
@MODE_OPTION
@click.option(
    "--lang",
    metavar="LANGUAGE",
    help="Write the title, summary and events in this language (e.g. English). "
    "Default: the article's own language. Quotes and figures stay as written.",
)
@CACHE_OPTION
@click.option(
    "--debug",
    is_flag=True,
    envvar="SUMMARIZER_DEBUG",
    help="Show tracebacks on errors. Env: SUMMARIZER_DEBUG=1.",
)
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
    results: list[str] = []
    status = 0
    summarizer: Summarizer | None = None
    current = {"label": ""}  # what the progress lines name
    try:
        for number, source in enumerate(articles, 1):
            count = f" ({number}/{len(articles)})" if len(articles) > 1 else ""
            current["label"] = source + count
            try:
                read = read_source(source)
                text, warnings = read.text, list(read.warnings)
                for warning in warnings:
                    click.echo(f"summarize: warning: {warning}", err=True)
                if summarizer is None:
                    summarizer = Summarizer(
                        model=model,
                        attempts=max_retries + 1,
                        timeout=timeout,
                        mode=mode,
                        lang=lang,
                        cache=cache,
                        progress=_progress(current),
                        download_progress=_download_bar(),
                    )
                brief = summarizer.summarize(
                    text, published=published or read.published, warnings=warnings
                )
                if read.extracted:  # offsets refer to the extracted text: hand it over
                    brief.article.text = text
            except SummarizerError as exc:
                signals.check()  # an error that was a signal ends the run, unreported
                _report(source, exc, debug)
                status = worst(status, exc.exit_code)
                continue
            except Exception as exc:  # a bug: still one line, and the other articles go on
                signals.check()
                _report(source, _InternalError(exc), debug)
                status = worst(status, EXIT_FAILED)
                continue
            if brief.meta.incomplete:
                passes = " and ".join(brief.meta.incomplete)
                click.echo(
                    f"summarize: warning: {source}: partial brief: the {passes} "
                    f"{'pass' if len(brief.meta.incomplete) == 1 else 'passes'} could not "
                    "be answered (meta.warnings says why)",
                    err=True,
                )
                status = worst(status, EXIT_PARTIAL)
            if fmt == "md":
                results.append(to_markdown(brief))
            else:
                results.append(to_json(brief, indent=None if fmt == "jsonl" else 2))
    except KeyboardInterrupt as exc:
        _emit(results, fmt, out, len(articles))  # what finished, written whole
        signals.leave(exc)  # the embedded server is left to the process's exit
    finally:
        if summarizer is not None:
            summarizer.close()
    _emit(results, fmt, out, len(articles))
    sys.exit(status)


class _InternalError(Exception):
    def __init__(self, original: Exception) -> None:
        super().__init__(
            f"internal error: {type(original).__name__}: {original} (--debug shows the traceback)"
        )
        self.original = original


def _report(source: str, exc: Exception, debug: bool) -> None:
    if debug or os.environ.get("SUMMARIZER_DEBUG"):
        traceback.print_exception(getattr(exc, "original", exc), file=sys.stderr)
    message = one_line(exc)
    prefix = "" if message.startswith(source) else f"{source}: "
    click.echo(f"summarize: error: {prefix}{message}", err=True)


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


def _progress(current: dict[str, str]):  # noqa: ANN202 — a small closure
    """Progress lines on stderr, for a person watching a terminal (not for pipes or logs)."""
    if not sys.stderr.isatty():
        return None
    return lambda message: click.echo(f"summarize: {current['label']}: {message}…", err=True)


def _download_bar():  # noqa: ANN202
    state: dict[str, object] = {}

    def update(done: int, total: int) -> None:
        bar = state.get("bar")
        if bar is None:
            click.echo("summarize: assembling the embedded model (once)…", err=True)
            bar = click.progressbar(length=total, file=sys.stderr, label="model", show_eta=True)
            bar.__enter__()
            state["bar"], state["done"] = bar, 0
        bar.update(done - state["done"])  # type: ignore[attr-defined]
        state["done"] = done
        if done >= total:
            bar.__exit__(None, None, None)  # type: ignore[attr-defined]

    return update


@main.command("models")
def models() -> None:
    """List the embedded models, whether they are ready, and where their files live."""
    for spec in embedded.MODELS.values():
        default = " (default)" if spec.name == embedded.DEFAULT_MODEL else ""
        click.echo(f"{spec.name}{default}: {embedded.model_state(spec)}")
        click.echo(f"    {spec.description}; {spec.size / 1e9:.2f} GB")
        click.echo(f"    {embedded.model_path(spec)}")
    click.echo(f"runtime: {embedded.runtime()}")
    if hint := embedded.runtime_hint():
        click.echo(f"    {hint}")


@main.command("eval")
@click.argument("dataset_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--limit", type=click.IntRange(1), help="At most N cases of each kind.")
@click.option(
    "--kind",
    "kinds",
    multiple=True,
    type=click.Choice(["quotes", "events", "figures", "brief"]),
    help="Only these kinds of cases (repeatable). Default: every dataset found.",
)
@click.option(
    "--split",
    type=click.Choice(["all", "tune", "check"]),
    default="all",
    show_default=True,
    help="Cases to run: the held-out 'check' quarter (chosen by a hash of the id), the "
    "'tune' rest, or all. Change prompts looking at 'tune' only; 'check' shows whether "
    "the change generalises.",
)
@click.option("--model", envvar="SUMMARIZER_MODEL", help="As for `summarize run`.")
@MODE_OPTION
@click.option(
    "--out", type=click.Path(dir_okay=False, path_type=Path), help="Also write the report as JSON."
)
@click.option(
    "--briefs",
    type=click.Path(file_okay=False, path_type=Path),
    help="Also write each case's brief to DIR/<kind>/<id>.json, to see what went wrong.",
)
@click.option(
    "--cache/--no-cache",
    default=False,
    show_default=True,
    help="Answer a request made before from the response cache: to re-score a change to "
    "the code after the model in seconds. Cached answers cost no tokens and no time, so "
    "the tokens and seconds then measure nothing.",
)
@click.option("--debug", is_flag=True, envvar="SUMMARIZER_DEBUG", help="Show tracebacks.")
def evaluate(
    dataset_dir: Path,
    limit: int | None,
    kinds: tuple[str, ...],
    split: str,
    model: str | None,
    mode: str,
    out: Path | None,
    briefs: Path | None,
    cache: bool,
    debug: bool,
) -> None:
    """Score the pipeline against gold datasets under DATASET_DIR and print a table.

    \b
    Finds PolNeAR quotes, Giveme5W1H events, NewsQuant figures and hand-made briefs
    (see ../shared/datasets/README.md), runs each case, and reports quote P/R/F1 and
    speaker accuracy, event who/what/when/where F1, figure value and value+unit F1 (and
    token F1 of what each matched figure counts), ungrounded items, failures, calls,
    tokens and median seconds per case. Each case asks only what its gold scores (quotes,
    events or figures); a hand-made gold brief gets all three, so its seconds are those
    of a whole article.

    \b
      summarize eval ../shared/datasets/dev --limit 5 --out report.json
      summarize eval ../shared/datasets --split check --briefs briefs/
      summarize eval ../shared/datasets --kind events --cache   # re-score a code change
    """
    from summarizer import datasets, evalrun
    from summarizer.prompts import prompt_version

    try:
        cases = datasets.load_cases(dataset_dir, set(kinds) or None, limit, split)
        with Summarizer(
            model=model, mode=mode, cache=cache, download_progress=_download_bar()
        ) as engine:

            def progress(number: int, case: datasets.Case) -> None:
                signals.check()  # a case that failed because of a signal ends the run
                click.echo(
                    f"summarize eval: [{number}/{len(cases)}] {case.kind} {case.id}", err=True
                )

            def save(case: datasets.Case, brief: Brief) -> None:
                if briefs is not None:
                    name = case.id.replace("/", "_") + ".json"
                    (briefs / case.kind).mkdir(parents=True, exist_ok=True)
                    write_atomically(briefs / case.kind / name, to_json(brief).encode())

            totals = evalrun.run(cases, engine, progress, save)
            report = {
                "model": engine.backend.model,
                "backend": engine.backend.name,
                "mode": "stepwise" if engine.backend.stepwise else mode,  # embedded: stepwise
                **({"runtime": embedded.runtime()} if engine.backend.name == "embedded" else {}),
                "prompt_version": prompt_version(),
                "split": split,
                "response cache": "on" if cache else "off",
                **totals.report(),
            }
    except SummarizerError as exc:
        _report(str(dataset_dir), exc, debug)
        sys.exit(exc.exit_code)
    except KeyboardInterrupt as exc:
        signals.leave(exc, "summarize eval: interrupted")
    for failure in totals.failures:
        click.echo(f"summarize eval: failed: {failure}", err=True)
    click.echo(evalrun.table(report))
    if out is not None:
        body = json.dumps({**report, "failed_cases": totals.failures}, indent=2)
        write_atomically(out, body.encode("utf-8"))


@main.command("batch")
@click.argument("source", type=click.Path(exists=True, path_type=Path))
@click.option(
    "--out",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The results file (JSON lines); appended to, and read to skip what is done.",
)
@click.option(
    "--jobs",
    type=click.IntRange(1, 64),
    default=1,
    show_default=True,
    help="Articles at a time, for a remote endpoint. The embedded model takes them one at "
    "a time: more slots were no faster on 2 cores and changed answers (BENCHMARKS.md).",
)
@click.option(
    "--published", metavar="YYYY-MM-DD", help="Default publication date for items without one."
)
@click.option("--model", envvar="SUMMARIZER_MODEL", help="As for `summarize run`.")
@click.option(
    "--max-retries", type=click.IntRange(0, 10), default=DEFAULT_ATTEMPTS - 1, show_default=True
)
@click.option("--timeout", type=click.FloatRange(1), default=llm.DEFAULT_TIMEOUT, show_default=True)
@CACHE_OPTION
@click.option("--debug", is_flag=True, envvar="SUMMARIZER_DEBUG", help="Show tracebacks.")
def batch(
    source: Path,
    out: Path,
    jobs: int,
    published: str | None,
    model: str | None,
    max_retries: int,
    timeout: float,
    cache: bool,
    debug: bool,
) -> None:
    """Summarize many articles into one JSON line each; rerun the same command to resume.

    SOURCE is a folder of article files (the id is the file name) or a JSONL file of
    {"id", "text" | "path", "published"?} items. Each finished article appends
    {"id", "brief"} or {"id", "error", "exit_code"} to --out, fsynced; ids that already
    have a whole brief are skipped (a partial brief, whose meta.incomplete names a pass,
    is asked again), so a run stopped by Ctrl-C, a crash or a failed endpoint loses at
    most the articles in flight. Of several records of one id, the last whole brief
    counts, else the last partial one, else the last error. Progress, rate and ETA go
    to stderr.

    \b
    Exit codes: 0 all done, 3 some briefs partial (none failed), 1 some articles failed
    (their error records say why), 2 bad usage or unreadable SOURCE, 130 interrupted
    (Ctrl-C), 143 terminated (SIGTERM).
    """
    import time

    from summarizer import batch as batches

    try:
        items = batches.read_items(source)
        if published:
            items = [
                item
                if item.published
                else batches.Item(**{**item.__dict__, "published": published})
                for item in items
            ]
        output = batches.Output(out)
        todo = sum(item.id not in output.done for item in items)
        click.echo(
            f"summarize batch: {len(items)} articles, {len(items) - todo} already done", err=True
        )
        if todo == 0:
            return
        started = time.monotonic()

        redraw = sys.stderr.isatty()  # a bar redrawn in place; in a log, one line each

        def progress(item: batches.Item, record: dict, tally: batches.Tally) -> None:
            finished = tally.done + tally.failed
            line = _batch_progress(finished, todo, time.monotonic() - started)
            if "brief" not in record:  # errors stay on screen, above the bar
                click.echo(f"{CLEAR_LINE if redraw else ''}summarize batch: {item.id}: "
                           f"error: {record['error']}", err=True)  # fmt: skip
            elif incomplete := record["brief"]["meta"]["incomplete"]:
                click.echo(f"{CLEAR_LINE if redraw else ''}summarize batch: {item.id}: "
                           f"partial brief: no {' or '.join(incomplete)}", err=True)  # fmt: skip
            if redraw:
                click.echo(f"{CLEAR_LINE}{line}", err=True, nl=finished == todo)
            else:
                click.echo(f"{line} {item.id}", err=True)

        with Summarizer(
            model=model, attempts=max_retries + 1, timeout=timeout, cache=cache,
            download_progress=_download_bar(),
        ) as engine:  # fmt: skip
            tally = batches.run(items, output, engine, jobs=jobs, on_record=progress)
    except SummarizerError as exc:
        _report(str(source), exc, debug)
        sys.exit(exc.exit_code)
    except KeyboardInterrupt as exc:  # in-flight articles are abandoned, finished ones on disk
        signals.leave(exc, f"summarize batch: interrupted; rerun to resume ({out} is intact)")
    click.echo(
        f"summarize batch: {tally.done} done, {tally.partial} partial, {tally.failed} failed, "
        f"{tally.skipped} skipped",
        err=True,
    )
    sys.exit(worst(EXIT_OK, EXIT_FAILED if tally.failed else EXIT_OK,
                   EXIT_PARTIAL if tally.partial else EXIT_OK))  # fmt: skip


CLEAR_LINE = "\r\033[K"


def _batch_progress(finished: int, todo: int, elapsed: float, width: int = 24) -> str:
    """ "summarize batch: [#####...] 5/20 (2.5 articles/min, ETA 6 min)"."""
    filled = round(width * finished / todo) if todo else width
    rate = finished / max(elapsed, 1e-9) * 60
    eta = f"ETA {(todo - finished) / rate:.0f} min" if rate else "ETA unknown"
    return (
        f"summarize batch: [{'#' * filled}{'.' * (width - filled)}] {finished}/{todo} "
        f"({rate:.1f} articles/min, {eta})"
    )


if __name__ == "__main__":
    main()
