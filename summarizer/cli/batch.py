"""`summarize batch`: many articles into one JSON lines file, resumable."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from summarizer import backends, batch_api, cluster, embedded, openai_batch
from summarizer import batch as batches
from summarizer.cli import options
from summarizer.cli.failures import ending_on_error, usage_error
from summarizer.cli.progress import batch_bar, download_bar
from summarizer.errors import EXIT_FAILED, EXIT_OK, EXIT_PARTIAL, InputError, worst
from summarizer.pipeline import Summarizer
from summarizer.report.folder import ReportFolder


@click.command("batch")
@click.argument("source", type=click.Path(exists=True, path_type=Path))
@options.out(
    "The results file (JSON lines); appended to, and read to skip what is done.", required=True
)
@click.option(
    "--jobs",
    type=click.IntRange(1, 64),
    default=1,
    show_default=True,
    help="Articles at a time, for a remote endpoint. The embedded model takes them one at "
    "a time: on 2 cores, more slots gain little or lose and change answers (BENCHMARKS.md).",
)
@click.option(
    "--report",
    type=click.Path(file_okay=False, path_type=Path),
    help="Also write an HTML report into this folder: a page per brief, its evidence lit up "
    "in the article, and index.html listing every article; kept current as the batch runs.",
)
@click.option(
    "--engine",
    "engine_name",
    type=click.Choice(["local", "openai-batch"]),
    default="local",
    show_default=True,
    help="Who answers: 'local' asks the model request by request; 'openai-batch' sends "
    "every request through OpenAI's Batch API (half price, answered within 24 hours; "
    "needs OPENAI_API_KEY) and keeps its job ids in OUT.batch-state.json, so a rerun "
    "resumes polling.",
)
@click.option(
    "--poll",
    type=click.FloatRange(0.0),
    default=batch_api.DEFAULT_POLL_S,
    show_default=True,
    help="openai-batch: seconds between two looks at the batches in flight.",
)
@click.option(
    "--batch-requests",
    type=click.IntRange(1, batch_api.Limits.requests),
    default=batch_api.Limits.requests,
    show_default=True,
    help="openai-batch: requests per batch file (the API allows 50,000 and 200 MB); "
    "fewer keeps each batch under an organisation's enqueued-token limit.",
)
@click.option(
    "--batches-at-once",
    type=click.IntRange(1),
    help="openai-batch: batch files in flight at a time (default: all of a round); fewer "
    "keeps the tokens enqueued under your organisation's batch queue limit.",
)
@click.option(
    "--ray",
    "ray_address",
    is_flag=False,
    flag_value=cluster.LOCAL,
    default=None,
    metavar="[ADDRESS]",
    help="Run on a Ray cluster: an actor per node (--actors-per-node), each with its own "
    "Summarizer; this process reads the articles and writes --out. ADDRESS is the cluster's "
    "(auto, HOST:6379, ray://HOST:10001); without it, a private Ray instance on this machine. "
    "Needs the ray extra; put it after SOURCE.",
)
@click.option(
    "--actors-per-node",
    type=click.IntRange(1, 64),
    default=1,
    show_default=True,
    help="With --ray: actors on each node; each embedded model computes on the node's "
    "cores ÷ its actors. --jobs is then articles at a time per actor.",
)
@options.published("Default publication date for items without one.")
@options.model(options.AS_FOR_RUN)
@options.max_retries()
@options.timeout()
@options.cache()
@options.debug()
def batch(
    source: Path,
    out: Path,
    jobs: int,
    report: Path | None,
    engine_name: str,
    poll: float,
    batch_requests: int,
    batches_at_once: int | None,
    ray_address: str | None,
    actors_per_node: int,
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

    --report DIR writes DIR/index.html, a row per article, and a self-contained page per
    brief (the article with its evidence highlighted), each as soon as its record is.

    --ray [ADDRESS] runs the articles on a Ray cluster (a private one on this machine
    without ADDRESS), with the same output and resume rule; an article whose worker dies
    is given to another, at most 3 times. One line per worker at the end counts its
    articles.

    \b
    Exit codes: 0 all done, 3 some briefs partial (none failed), 1 some articles failed
    (their error records say why), 2 bad usage or unreadable SOURCE, 130 interrupted
    (Ctrl-C), 143 terminated (SIGTERM).
    """
    if ray_address is not None and engine_name != "local":
        usage_error("--ray runs the local engine on a cluster; it does not go with --engine")
    if ray_address is not None and not cluster.available():
        usage_error("--ray needs the ray extra: pip install 'summarizer[ray]'")
    # A signal abandons the articles in flight; the finished ones are on disk already.
    interrupted = f"summarize batch: interrupted; rerun to resume ({out} is intact)"
    if engine_name == "openai-batch":  # the provider's batches go on without us
        interrupted = (
            f"summarize batch: interrupted; the batches in flight keep running, and rerunning "
            f"the same command polls them ({out} is intact)"
        )
    with ending_on_error(str(source), debug, interrupted):
        items = _items(source, published)
        output = batches.Output(out)
        folder = _report(report, items, out, source)
        todo = sum(item.id not in output.done for item in items)
        click.echo(
            f"summarize batch: {len(items)} articles, {len(items) - todo} already done", err=True
        )
        if todo == 0:
            return
        on_record = batch_bar(todo)  # the rate counts from here, the model's start included
        settings: dict[str, Any] = {
            "model": model,
            "attempts": max_retries + 1,
            "timeout": timeout,
            "cache": cache,
        }
        if engine_name == "openai-batch":
            tally = _openai_batch(
                items, output, model, max_retries, timeout, poll, batch_requests,
                batches_at_once, on_record, folder, jobs,
            )  # fmt: skip
        elif ray_address is not None:
            tally, workers = cluster.run(
                items, output, address=ray_address, per_node=actors_per_node, jobs=jobs,
                options=settings, on_record=on_record, report=folder,
            )  # fmt: skip
            for worker in workers:
                click.echo(f"summarize batch: {worker.line()}", err=True)
        else:
            with Summarizer(**settings, download_progress=download_bar()) as engine:
                tally = batches.run(
                    items, output, engine, jobs=jobs, on_record=on_record, report=folder
                )
    click.echo(
        f"summarize batch: {tally.done} done, {tally.partial} partial, {tally.failed} failed, "
        f"{tally.skipped} skipped",
        err=True,
    )
    sys.exit(worst(EXIT_OK, EXIT_FAILED if tally.failed else EXIT_OK,
                   EXIT_PARTIAL if tally.partial else EXIT_OK))  # fmt: skip


def _openai_batch(
    items: list[batches.Item],
    output: batches.Output,
    model: str | None,
    max_retries: int,
    timeout: float,
    poll: float,
    batch_requests: int,
    batches_at_once: int | None,
    on_record: Callable[[batches.Item, dict, batches.Tally], None],
    report: ReportFolder | None,
    jobs: int,
) -> batches.Tally:
    """The batch through OpenAI's Batch API (summarizer/openai_batch.py)."""
    if jobs != 1:
        usage_error("--jobs is for the local engine; a provider batch runs every request at once")
    if embedded.is_embedded_name(model):
        usage_error(f"--engine openai-batch needs a remote model, not the embedded {model!r}")
    if not backends.wants_remote():
        usage_error("--engine openai-batch needs OPENAI_API_KEY (or OPENAI_BASE_URL) set")
    client = backends.remote_client(timeout=timeout)
    tally, spent = openai_batch.run(
        items,
        output,
        client=client,
        model=model or backends.DEFAULT_REMOTE_MODEL,
        attempts=max_retries + 1,
        limits=batch_api.Limits(requests=batch_requests),
        poll_s=poll,
        at_once=batches_at_once,
        on_record=on_record,
        on_status=lambda message: click.echo(f"summarize batch: {message}", err=True),
        report=report,
    )
    click.echo(
        f"summarize batch: the new records were built from {spent.requests} answers: "
        f"{spent.prompt_tokens} prompt and {spent.completion_tokens} answer tokens",
        err=True,
    )
    return tally


def _items(source: Path, published: str | None) -> list[batches.Item]:
    """SOURCE's items, those without a publication date given --published."""
    items = batches.read_items(source)
    if not published:
        return items
    return [
        item if item.published else batches.Item(**{**item.__dict__, "published": published})
        for item in items
    ]


def _report(
    folder: Path | None, items: list[batches.Item], out: Path, source: Path
) -> ReportFolder | None:
    """The --report folder, its index listing what earlier runs finished; None without."""
    if folder is None:
        return None
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"--report {folder}: cannot create the folder ({exc.strerror})") from None
    report = ReportFolder(folder, [item.id for item in items], source=str(source))
    batches.report_earlier(items, out, report)
    return report
