"""`summarize batch`: many articles, one JSON line each, resumable and safe to kill.

Each finished article appends one record to the output file, in one write, flushed and
fsynced before the next: `{"id": …, "brief": {…}}` or `{"id": …, "error": "…"}`. A
brief whose `meta.incomplete` names a pass is partial. A killed run can leave at most a
torn last line, which the next run cuts off before it appends. Rerunning skips every id
that already has a whole brief, so an interrupted or failed batch, or one with partial
briefs, is finished by running the same command again (with the response cache, the
passes already answered cost nothing).

So an id can have several records. The one that counts (`results`) is its last whole
brief; without one, its last partial brief; without either, its last error.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path

from summarizer.article import Source, read_source
from summarizer.errors import InputError, SummarizerError, one_line
from summarizer.pipeline import Summarizer
from summarizer.report.folder import ReportFolder


@dataclass(frozen=True)
class Item:
    """One article to summarize, as the input names it."""

    id: str
    text: str | None = None
    path: Path | None = None
    url: str | None = None
    published: str | None = None


def read_items(source: Path) -> list[Item]:
    """A folder of article files (id = file name), or a JSONL file of items."""
    if source.is_dir():
        files = sorted(p for p in source.iterdir() if p.is_file() and not p.name.startswith("."))
        return [Item(id=p.name, path=p) for p in files]
    items = []
    seen: set[str] = set()
    for number, line in enumerate(_lines(source), 1):
        try:
            data = json.loads(line)
            item = Item(
                id=str(data["id"]),
                text=data.get("text"),
                path=Path(data["path"]) if data.get("path") else None,
                url=data.get("url"),
                published=data.get("published"),
            )
        except (ValueError, KeyError, TypeError) as exc:
            raise InputError(f"{source}:{number}: not a batch item ({exc})") from None
        if item.id in seen:
            raise InputError(f"{source}:{number}: id {item.id!r} appears twice")
        seen.add(item.id)
        items.append(item)
    return items


def _lines(source: Path) -> Iterator[str]:
    try:
        with open(source, encoding="utf-8") as handle:
            yield from (line for line in handle if line.strip())
    except OSError as exc:
        raise InputError(f"{source}: cannot read ({exc.strerror})") from None


def item_source(item: Item) -> Source:
    if item.text is not None:
        return Source(item.text)
    source = str(item.path) if item.path is not None else item.url
    if source is None:
        raise InputError("the item has no text, path or url")
    return read_source(source)


class Output:
    """The results file: which ids are done, and atomic appends of new records."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.done: set[str] = set()
        self._lock = threading.Lock()
        self._repair_and_scan()

    def _repair_and_scan(self) -> None:
        if not self.path.exists():
            return
        data = self.path.read_bytes()
        complete = data[: data.rfind(b"\n") + 1]
        if len(complete) != len(data):  # a run was killed mid-write: drop the torn line
            with open(self.path, "r+b") as handle:
                handle.truncate(len(complete))
                os.fsync(handle.fileno())
        for line in complete.decode("utf-8").splitlines():
            record = json.loads(line)
            if outcome(record) == WHOLE:
                self.done.add(str(record["id"]))

    def append(self, record: dict) -> None:
        line = (json.dumps(record, ensure_ascii=False) + "\n").encode("utf-8")
        with self._lock:
            fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
            try:
                os.write(fd, line)
                os.fsync(fd)
            finally:
                os.close(fd)


ERROR, PARTIAL, WHOLE = 0, 1, 2  # a record's outcome, from worst to best


def outcome(record: dict) -> int:
    brief = record.get("brief")
    if not isinstance(brief, dict):
        return ERROR
    return PARTIAL if (brief.get("meta") or {}).get("incomplete") else WHOLE


def results(path: Path) -> dict[str, dict]:
    """The record that counts for each id of a results file: the last whole brief, else
    the last partial brief, else the last error. A torn last line is skipped."""
    chosen: dict[str, dict] = {}
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            try:
                record = json.loads(line)
            except ValueError:
                continue  # a run killed mid-write; the next run cuts it off
            key = str(record["id"])
            if key not in chosen or outcome(record) >= outcome(chosen[key]):
                chosen[key] = record
    return chosen


@dataclass
class Tally:
    done: int = 0
    partial: int = 0
    failed: int = 0
    skipped: int = 0


@dataclass
class Writer:
    """Where each finished record goes, in order: the results file (fsynced), its report
    page and index row (from the text the article was read as), the tally, then the
    progress callback. `run` and summarizer.cluster's driver both write through one."""

    output: Output
    tally: Tally
    report: ReportFolder | None = None
    on_record: Callable[[Item, dict, Tally], None] | None = None

    def add(self, item: Item, record: dict, text: str | None) -> int:
        """Write one record; return its outcome (ERROR, PARTIAL or WHOLE)."""
        self.output.append(record)
        if self.report is not None:
            self.report.add(record, text)
        kind = outcome(record)
        if kind == WHOLE:
            self.tally.done += 1
        elif kind == PARTIAL:
            self.tally.partial += 1
        else:
            self.tally.failed += 1
        if self.on_record:
            self.on_record(item, record, self.tally)
        return kind


def run(
    items: list[Item],
    output: Output,
    engine: Summarizer,
    *,
    jobs: int = 1,
    on_record: Callable[[Item, dict, Tally], None] | None = None,
    report: ReportFolder | None = None,
) -> Tally:
    """Summarize every item not yet done, at most `jobs` at a time, appending as each ends.

    With a `report`, each record's page and index row are written right after the record,
    from the text the article was read as (`--report DIR`).

    A KeyboardInterrupt (or signals.Terminated) cancels what has not started and
    propagates at once, without waiting for the articles in flight: what finished is on
    disk already, so only those are lost.
    """
    skipped = sum(item.id in output.done for item in items)
    writer = Writer(output, Tally(skipped=skipped), report, on_record)
    todo = [item for item in items if item.id not in output.done]
    pool = ThreadPoolExecutor(max_workers=jobs)  # not `with`: it would wait for them
    interrupted = False
    pending: dict[Future, Item] = {}
    queue = iter(todo)
    try:
        while True:
            while len(pending) < jobs and (item := next(queue, None)) is not None:
                pending[pool.submit(_one, engine, item)] = item
            if not pending:
                break
            finished, _ = wait(pending, return_when=FIRST_COMPLETED)
            for future in finished:
                record, text = future.result()
                writer.add(pending.pop(future), record, text)
    except KeyboardInterrupt:
        interrupted = True
        raise
    finally:  # after a signal the CLI exits without waiting for the articles in flight
        pool.shutdown(wait=not interrupted, cancel_futures=True)
    return writer.tally


def _one(engine: Summarizer, item: Item) -> tuple[dict, str | None]:
    """One article's record, and the text it was read as (for its report page)."""
    read = read_item(item)
    if isinstance(read, dict):
        return read, None
    return brief_record(engine, item, read), read.text


def read_item(item: Item) -> Source | dict:
    """The item's article as read, or the error record of an item that cannot be read."""
    try:
        return item_source(item)
    except Exception as exc:  # a bug must not cost the rest of the batch
        return error_record(item, exc)


def brief_record(engine: Summarizer, item: Item, read: Source) -> dict:
    """One article's record: its brief, or the one-line error it ended with."""
    try:
        published = item.published or read.published
        brief = engine.summarize(read.text, published=published, warnings=list(read.warnings))
        if read.extracted:
            brief.article.text = read.text
    except Exception as exc:  # a bug must not cost the rest of the batch
        return error_record(item, exc)
    return {"id": item.id, "brief": brief.model_dump(mode="json")}


def error_record(item: Item, exc: Exception) -> dict:
    """`{"id", "error", "exit_code"}`: a SummarizerError's line and code, or a bug's."""
    if isinstance(exc, SummarizerError):
        return {"id": item.id, "error": one_line(exc), "exit_code": exc.exit_code}
    error = f"internal error: {type(exc).__name__}: {exc}"
    return {"id": item.id, "error": error, "exit_code": 1}


def report_earlier(items: list[Item], path: Path, report: ReportFolder) -> None:
    """The report's rows for the articles an earlier run of the batch finished (the
    record that counts for each, as `results` chooses), then its index.

    A brief whose page is missing (that run had no --report) gets one, its article read
    again; a page the earlier run wrote is kept.
    """
    earlier = results(path) if path.exists() else {}
    for item in items:
        record = earlier.get(item.id)
        if record is None:
            continue
        if "brief" in record and not report.has_page(item.id):
            report.add(record, _text(item), write_index=False)
        else:
            report.keep(record, write_index=False)
    report.write_index()


def _text(item: Item) -> str | None:
    try:
        return item_source(item).text
    except SummarizerError:
        return None
