"""What the commands draw on stderr while they work: progress lines, the model download bar
and the batch bar. Results never go here, so stdout stays a clean brief."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import Any

import click

from summarizer import batch as batches
from summarizer.embedded import Progress

CLEAR_LINE = "\r\033[K"


class ArticleLines:
    """Progress lines naming the article at hand, for a person watching a terminal (not
    for pipes or logs): "summarize: a.txt (1/3): starting embedded model qwen2.5-coder-1.5b…"."""

    def __init__(self) -> None:
        self.article = ""

    def callback(self) -> Callable[[str], None] | None:
        return self.say if sys.stderr.isatty() else None

    def say(self, message: str) -> None:
        click.echo(f"summarize: {self.article}: {message}…", err=True)


def download_bar() -> Progress:
    """A bar for assembling the embedded model, drawn from its first update (a model that
    is ready already draws nothing)."""
    state: dict[str, Any] = {}

    def update(done: int, total: int) -> None:
        bar = state.get("bar")
        if bar is None:
            click.echo("summarize: assembling the embedded model (once)…", err=True)
            bar = click.progressbar(length=total, file=sys.stderr, label="model", show_eta=True)
            bar.__enter__()
            state["bar"], state["done"] = bar, 0
        bar.update(done - state["done"])
        state["done"] = done
        if done >= total:
            bar.__exit__(None, None, None)

    return update


def batch_bar(todo: int) -> Callable[[batches.Item, dict, batches.Tally], None]:
    """`batches.run`'s on_record: the bar and each error or partial brief. On a terminal
    the bar is redrawn in place under them; in a log each record gets its own line."""
    started = time.monotonic()
    redraw = sys.stderr.isatty()
    clear = CLEAR_LINE if redraw else ""

    def on_record(item: batches.Item, record: dict, tally: batches.Tally) -> None:
        finished = tally.done + tally.failed
        line = batch_line(finished, todo, time.monotonic() - started)
        if "brief" not in record:  # errors stay on screen, above the bar
            click.echo(f"{clear}summarize batch: {item.id}: error: {record['error']}", err=True)
        elif incomplete := record["brief"]["meta"]["incomplete"]:
            click.echo(
                f"{clear}summarize batch: {item.id}: partial brief: no {' or '.join(incomplete)}",
                err=True,
            )
        if redraw:
            click.echo(f"{CLEAR_LINE}{line}", err=True, nl=finished == todo)
        else:
            click.echo(f"{line} {item.id}", err=True)

    return on_record


def batch_line(finished: int, todo: int, elapsed: float, width: int = 24) -> str:
    """ "summarize batch: [#####...] 5/20 (2.5 articles/min, ETA 6 min)"."""
    filled = round(width * finished / todo) if todo else width
    rate = finished / max(elapsed, 1e-9) * 60
    eta = f"ETA {(todo - finished) / rate:.0f} min" if rate else "ETA unknown"
    return (
        f"summarize batch: [{'#' * filled}{'.' * (width - filled)}] {finished}/{todo} "
        f"({rate:.1f} articles/min, {eta})"
    )
