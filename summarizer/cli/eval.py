"""`summarize eval`: score the pipeline against gold datasets and print a table."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import click

from summarizer import datasets, embedded, evalrun, signals
from summarizer.cli import options
from summarizer.cli.failures import ending_on_error
from summarizer.cli.progress import download_bar
from summarizer.files import write_atomically
from summarizer.pipeline import Summarizer
from summarizer.prompts import prompt_version
from summarizer.render import to_json
from summarizer.schema import Brief

CACHE_HELP = (
    "Answer a request made before from the response cache: to re-score a change to "
    "the code after the model in seconds. Cached answers cost no tokens and no time, so "
    "the tokens and seconds then measure nothing."
)


@click.command("eval")
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
@options.model(options.AS_FOR_RUN)
@options.mode()
@options.out("Also write the report as JSON.")
@click.option(
    "--briefs",
    type=click.Path(file_okay=False, path_type=Path),
    help="Also write each case's brief to DIR/<kind>/<id>.json, to see what went wrong.",
)
@options.timeout()
@options.cache(default=False, help=CACHE_HELP)
@options.debug()
def evaluate(
    dataset_dir: Path,
    limit: int | None,
    kinds: tuple[str, ...],
    split: str,
    model: str | None,
    mode: str,
    out: Path | None,
    briefs: Path | None,
    timeout: float,
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
    of a whole article. Stopped by Ctrl-C, it still prints (and writes to --out) the
    scores of the cases that finished, marked "interrupted", and exits 130.

    \b
      summarize eval ../shared/datasets/dev --limit 5 --out report.json
      summarize eval ../shared/datasets --split check --briefs briefs/
      summarize eval ../shared/datasets --kind events --cache   # re-score a code change
    """
    with ending_on_error(str(dataset_dir), debug, "summarize eval: interrupted"):
        cases = datasets.load_cases(dataset_dir, set(kinds) or None, limit, split)
        totals = evalrun.Totals()
        stopped: KeyboardInterrupt | None = None
        with Summarizer(
            model=model, mode=mode, timeout=timeout, cache=cache, download_progress=download_bar()
        ) as engine:
            try:
                evalrun.run(cases, engine, _progress(len(cases)), _saver(briefs), totals)
            except KeyboardInterrupt as exc:  # the cases that finished are still reported
                stopped = exc
            report = {
                "model": engine.backend.model,
                "backend": engine.backend.name,
                "mode": "stepwise" if engine.backend.stepwise else mode,  # embedded: stepwise
                **({"runtime": embedded.runtime()} if engine.backend.name == "embedded" else {}),
                "prompt_version": prompt_version(),
                "split": split,
                "response cache": "on" if cache else "off",
                **(
                    {"interrupted": f"after {totals.cases} of {len(cases)} cases"}
                    if stopped
                    else {}
                ),
                **totals.report(),
            }
        for failure in totals.failures:
            click.echo(f"summarize eval: failed: {failure}", err=True)
        click.echo(evalrun.table(report))
        if out is not None:
            body = json.dumps({**report, "failed_cases": totals.failures}, indent=2)
            write_atomically(out, body.encode("utf-8"))
        if stopped is not None:
            raise stopped  # exit 130 (143 for SIGTERM) with the "interrupted" line


def _progress(count: int) -> Callable[[int, datasets.Case], None]:
    def progress(number: int, case: datasets.Case) -> None:
        signals.check()  # a case that failed because of a signal ends the run
        click.echo(f"summarize eval: [{number}/{count}] {case.kind} {case.id}", err=True)

    return progress


def _saver(briefs: Path | None) -> Callable[[datasets.Case, Brief], None]:
    """Writes each case's brief under `briefs` (--briefs), or nothing without it."""

    def save(case: datasets.Case, brief: Brief) -> None:
        if briefs is not None:
            name = case.id.replace("/", "_") + ".json"
            (briefs / case.kind).mkdir(parents=True, exist_ok=True)
            write_atomically(briefs / case.kind / name, to_json(brief).encode())

    return save
