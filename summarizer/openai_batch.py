"""`summarize batch --engine openai-batch`: the briefs' requests sent through OpenAI's Batch
API (half the price of the same requests sent one by one, answered within 24 hours).

The requests are those of the synchronous path, byte for byte: each article's brief is
planned by the same `Summarizer` plan (`Summarizer._brief`, run by `summarize`) and each
request goes through the same `llm.call` (instructor, its re-asks, the lenient last
parse), but the HTTP layer under the client is `_Answering`, which answers from the batches' results
instead of the network. A request it has no answer for is written down as a batch line
and the plan is told `Pending`: that pass stops as a failed pass would, and the plan goes
on to ask its other passes and windows, so one round asks every first request of every
article. Once a round's batches are over, every unfinished article is planned again from
the start; its answered requests are answered at once, the grounding checks and merging
run as they do for any answer, and what is still missing (a re-ask of an answer that
failed the checks, the rest of an answer cut off at its budget, a line the provider
failed) goes into the next round. An article whose plan asks nothing new is finished: its
record is appended to --out through `batch.Output`, as the local engine's are.

So the re-asks are the messages instructor itself writes, bounded by --max-retries as in
the synchronous path; the grounding is the same code; identical requests (two copies of
one article) are one line. Requests are asked in json_schema mode (`response_format`,
the OpenAI sync path's mode: the provider enforces the schema), never stepwise: stepwise
writes an answer in many dependent requests on one llama.cpp server (a prefilled
assistant message and a `grammar` field), which a batch of independent requests cannot do.

A line the provider failed with a transient status (408, 409, 429, 5xx), or left undone
when its batch expired or was cancelled, is sent again in the next round, twice at most
(`retry.DEFAULT_TRANSPORT_RETRIES`, as a remote request is); after that, or at once for
any other status, the line's error is its answer and the pass fails with it, as it would
synchronously.

Everything a rerun needs is on disk beside --out: `OUT.batch-state.json` (written
atomically) lists each batch file and its upload, batch and result ids, and the folder
`OUT.batch-files/` holds each file as sent, the custom_id → request key of its lines, and
the results downloaded. A rerun after Ctrl-C or a crash polls the batches in flight
instead of submitting them again, and uses the results already downloaded. Batch files
hold at most `Limits.requests` lines and `Limits.bytes` bytes (the API's 50,000 and
200 MB).
"""

from __future__ import annotations

import hashlib
import itertools
import json
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import httpx2
import openai

from summarizer import retry
from summarizer.batch import PARTIAL, WHOLE, Item, Output, Tally, _one, outcome
from summarizer.errors import BatchJobError, Pending, SummarizerError
from summarizer.files import write_atomically
from summarizer.pipeline import Ask, Summarizer
from summarizer.report.folder import ReportFolder

ENDPOINT = "/v1/chat/completions"
COMPLETION_WINDOW = "24h"  # the only window the API offers
DEFAULT_POLL_S = 60.0
# The status `_Answering` gives a request that has no answer yet ("425 Too Early"). The
# client under the replay has no transport retries (`max_retries=0`) and a fixed mode, so
# llm turns it into a plain BackendError that fails the pass; `_Replaying.call` raises
# Pending in its place.
WAITING = 425
FINISHED = ("completed", "expired", "cancelled", "failed")  # a batch that will not change
# OpenAI documents no limit on a custom_id's length; Anthropic's batches take 64
# characters, so ours keep within that.
MAX_CUSTOM_ID = 64
# A line's error without an HTTP response (expired, cancelled): answered as this status.
NO_RESPONSE = 504


@dataclass(frozen=True)
class Limits:
    """The most one batch input file may hold: the API's limits, smaller in tests."""

    requests: int = 50_000
    bytes: int = 200 * 1024 * 1024


@dataclass(frozen=True)
class Line:
    """One request for a batch: its custom_id (article id, window, pass, attempt), its key
    (which request it is, for matching its answer to any article that asks it) and body."""

    custom_id: str
    key: str
    body: dict

    def encoded(self) -> bytes:
        line = {"custom_id": self.custom_id, "method": "POST", "url": ENDPOINT, "body": self.body}
        return json.dumps(line, ensure_ascii=False).encode("utf-8") + b"\n"


def custom_id_of(item_id: str, window: int, task: str, attempt: int) -> str:
    """`ARTICLE:WINDOW START:PASS:ATTEMPT`, within MAX_CUSTOM_ID characters: a longer
    article id keeps its start and gains a hash of the whole."""
    rest = f":{window}:{task}:{attempt}"
    if len(item_id) + len(rest) > MAX_CUSTOM_ID:
        digest = hashlib.sha256(item_id.encode("utf-8")).hexdigest()[:10]
        item_id = f"{item_id[: MAX_CUSTOM_ID - len(rest) - 11]}~{digest}"
    return item_id + rest


def request_key(body: dict) -> str:
    """A request's identity: the SHA-256 of its body with sorted keys."""
    canonical = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def split(lines: list[Line], limits: Limits) -> list[list[Line]]:
    """The lines cut into batch files within `limits`, in order. A line larger than the
    byte limit alone is a file of its own (the API would refuse it)."""
    parts: list[list[Line]] = []
    size = 0
    for line in lines:
        length = len(line.encoded())
        if not parts or len(parts[-1]) >= limits.requests or size + length > limits.bytes:
            parts.append([])
            size = 0
        parts[-1].append(line)
        size += length
    return [part for part in parts if part]


@dataclass
class Part:
    """One batch file and where it is: written, uploaded, submitted, its results read."""

    name: str
    lines: int
    input_file_id: str | None = None
    batch_id: str | None = None
    status: str | None = None
    downloaded: bool = False


@dataclass
class State:
    """The state file beside --out: every batch file of the run, in order."""

    path: Path
    parts: list[Part] = field(default_factory=list)

    @classmethod
    def load(cls, path: Path) -> State:
        if not path.exists():
            return cls(path)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            return cls(path, [Part(**part) for part in data["parts"]])
        except (ValueError, KeyError, TypeError) as exc:
            raise BatchJobError(f"{path}: not a batch state file ({exc})") from None

    def save(self) -> None:
        data = {"endpoint": ENDPOINT, "parts": [asdict(part) for part in self.parts]}
        write_atomically(self.path, json.dumps(data, indent=1).encode("utf-8"))

    def in_flight(self) -> list[Part]:
        return [part for part in self.parts if not part.downloaded]


class Results:
    """Every answer the run's batches gave, by request key: a line's response, or its
    error once it may not be sent again.

    A 200 answer stays in its downloaded file and is read from there when asked for (a
    file and an offset a line: a run of 100,000 articles holds hundreds of megabytes of
    answers). Errors are few and kept in memory. Only the answers of batches this run
    downloaded can be errors: a rerun sends again what failed before, as the local engine
    asks again for what failed.
    """

    def __init__(self, resends: int = retry.DEFAULT_TRANSPORT_RETRIES) -> None:
        self.resends = resends
        self.answers: dict[str, tuple[Path, int]] = {}
        self.errors: dict[str, tuple[int, bytes]] = {}  # key → a refusal (400, 404, …)
        self.failures: Counter[str] = Counter()  # key → transient errors so far
        self.last_error: dict[str, tuple[int, bytes]] = {}

    def answer(self, key: str) -> tuple[int, bytes] | None:
        """The status and body that answer a request, or None: send it (again)."""
        if key in self.answers:
            path, offset = self.answers[key]
            with open(path, "rb") as handle:
                handle.seek(offset)
                response = json.loads(handle.readline())["response"]
            return 200, json.dumps(response["body"]).encode("utf-8")
        if key in self.errors:
            return self.errors[key]
        if self.failures[key] > self.resends:
            return self.last_error[key]
        return None

    def read(self, folder: Path, part: Part, *, errors: bool = True) -> None:
        """Take in one finished batch file's output and error lines (only its answers
        without `errors`)."""
        keys = json.loads((folder / f"{part.name}.keys.json").read_text(encoding="utf-8"))
        for suffix in ("output", "errors"):
            path = folder / f"{part.name}.{suffix}.jsonl"
            if not path.exists():
                continue
            with open(path, "rb") as handle:
                offset = 0
                for raw in handle:
                    if raw.strip():
                        self._line(keys, json.loads(raw), path, offset, errors)
                    offset += len(raw)

    def _line(
        self, keys: dict[str, str], line: dict, path: Path, offset: int, errors: bool
    ) -> None:
        key = keys.get(str(line.get("custom_id")))
        if key is None:
            return  # not a line of ours
        response = line.get("response")
        if isinstance(response, dict) and isinstance(response.get("status_code"), int):
            status = response["status_code"]
            body = json.dumps(response.get("body")).encode("utf-8")
        else:  # not run: the batch expired or was cancelled first
            error = line.get("error") or {}
            status = NO_RESPONSE
            message = f"batch line not run: {error.get('code')}: {error.get('message')}"
            body = json.dumps({"error": {"message": message}}).encode("utf-8")
        if status == 200:
            self.answers[key] = (path, offset)
        elif not errors:
            return
        elif status == NO_RESPONSE or retry.transient_status(status):
            self.failures[key] += 1
            self.last_error[key] = (status, body)
        else:
            self.errors[key] = (status, body)


class _Answering(httpx2.BaseTransport):
    """The HTTP layer under the replay's client: a chat completion request is answered
    from `Results`, or, when it has no answer yet, written down in `waiting` and answered
    WAITING."""

    def __init__(self, results: Results) -> None:
        self.results = results
        self.sent = 0  # requests seen, to number a call's attempts
        self.waiting: tuple[str, dict] | None = None

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        self.sent += 1
        body = json.loads(request.read())
        key = request_key(body)
        found = self.results.answer(key)
        if found is None:
            self.waiting = (key, body)
            message = {"error": {"message": "waiting for the batch"}}
            return httpx2.Response(WAITING, json=message)
        status, content = found
        return httpx2.Response(
            status, content=content, headers={"content-type": "application/json"}
        )


class _Replaying(Summarizer):
    """A Summarizer whose requests are answered from the batches' results (`_Answering`
    under its client): the user's endpoint in its messages, json_schema mode, no
    transport retries (a batch line's are done by sending it again in the next round).
    `missing` collects the lines the article at hand still waits for."""

    def __init__(self, client: openai.OpenAI, model: str, attempts: int, results: Results):
        self.transport = _Answering(results)
        answering = openai.OpenAI(
            base_url=client.base_url,
            api_key="batch-results",
            max_retries=0,
            http_client=httpx2.Client(transport=self.transport),
        )
        super().__init__(client=answering, model=model, attempts=attempts, mode="json_schema")
        self.backend.name = "openai-batch"
        self.item_id = ""
        self.missing: list[Line] = []

    def record(self, item: Item) -> tuple[dict, str | None, list[Line]]:
        """The item's record as the local engine makes it (`batch._one`), its text, and
        the requests it is missing: while any are, the record is not final."""
        self.item_id, self.missing = item.id, []
        record, text = _one(self, item)
        return record, text, self.missing

    def call(self, ask: Ask) -> Any:
        """One request of the plan: its answer, or Pending (with the line written down)."""
        self.transport.waiting = None
        before = self.transport.sent
        try:
            return super().call(ask)
        except SummarizerError:
            waiting = self.transport.waiting
            if waiting is None:
                raise
            key, body = waiting
            attempt = self.transport.sent - before
            ctx = ask.question.ctx
            window = ctx.start if ctx is not None else 0
            custom_id = custom_id_of(self.item_id, window, ask.question.template, attempt)
            self.missing.append(Line(custom_id, key, body))
            raise Pending(f"{custom_id}: waiting for the batch") from None


class Jobs:
    """The provider's side: batch files uploaded, batches created, polled and downloaded,
    each step saved in the state file as it happens."""

    def __init__(
        self,
        client: openai.OpenAI,
        state: State,
        folder: Path,
        poll_s: float,
        on_status: Callable[[str], None],
        at_once: int | None = None,
    ) -> None:
        self.client = client
        self.state = state
        self.folder = folder
        self.poll_s = poll_s
        self.on_status = on_status
        self.at_once = at_once  # batches in flight at a time; None: all
        self.policy = retry.Policy.remote()

    def _api(self, call: Callable[[], Any]) -> Any:
        """One API request, sent again on a transient fault as any remote request is."""
        try:
            for attempt in self.policy.transport():
                with attempt:
                    return call()
        except openai.APIStatusError as exc:
            raise BatchJobError(
                f"{self.client.base_url}: HTTP {exc.status_code}: {exc.message}",
                endpoint=str(self.client.base_url),
                status=exc.status_code,
            ) from exc
        except openai.APIError as exc:
            raise BatchJobError(f"{self.client.base_url}: {exc}") from exc

    def add(self, parts: list[list[Line]]) -> None:
        """Write the next round's batch files and list them in the state, unsent."""
        first = len(self.state.parts) + 1
        for number, lines in enumerate(parts, first):
            name = f"part-{number:04d}"
            write_atomically(
                self.folder / f"{name}.keys.json",
                json.dumps({line.custom_id: line.key for line in lines}).encode("utf-8"),
            )
            write_atomically(
                self.folder / f"{name}.input.jsonl", b"".join(line.encoded() for line in lines)
            )
            self.state.parts.append(Part(name, len(lines)))
        self.state.save()

    def submit(self, part: Part) -> None:
        """Upload the part and create its batch, unless a run before did."""
        uploaded_before = part.input_file_id is not None
        if part.input_file_id is None:
            path = self.folder / f"{part.name}.input.jsonl"
            with open(path, "rb") as handle:
                uploaded = self._api(
                    lambda: self.client.files.create(file=(path.name, handle), purpose="batch")
                )
            part.input_file_id = uploaded.id
            self.state.save()
        if part.batch_id is None:
            found = self._created_before(part.input_file_id) if uploaded_before else None
            part.batch_id = found or self._create(part)
            self.state.save()
            self.on_status(f"{part.name}: submitted as {part.batch_id} ({part.lines} requests)")

    def _create(self, part: Part) -> str:
        batch = self._api(
            lambda: self.client.batches.create(
                input_file_id=str(part.input_file_id),
                endpoint="/v1/chat/completions",  # ENDPOINT; the SDK types it as a literal
                completion_window="24h",
                metadata={"summarizer_part": part.name},
            )
        )
        return str(batch.id)

    def _created_before(self, input_file_id: str) -> str | None:
        """The batch a run killed between creating it and saving its id made of this
        file, among the newest batches; None when there is none."""
        page = self._api(lambda: self.client.batches.list(limit=100))
        for batch in page.data:
            if batch.input_file_id == input_file_id:
                return str(batch.id)
        return None

    def wait(self) -> list[Part]:
        """Submit the batch files not yet sent (`at_once` batches in flight at most) and
        poll them until each is over and its results are on disk; returns the parts that
        were cancelled or failed."""
        parts = self.state.in_flight()
        said: dict[str, str] = {}
        troubled: list[Part] = []
        while waiting := [part for part in parts if not part.downloaded]:
            sent = [part for part in waiting if part.batch_id is not None]
            for part in waiting:
                if part.batch_id is None and (self.at_once is None or len(sent) < self.at_once):
                    self.submit(part)
                    sent.append(part)
            for part in sent:
                batch = self._retrieve(part)
                line = _status_line(part, batch)
                if said.get(part.name) != line:
                    self.on_status(line)
                    said[part.name] = line
                if batch.status in FINISHED:
                    self._download(part, batch)
                    if batch.status in ("cancelled", "failed"):
                        troubled.append(part)
            if any(not part.downloaded for part in parts):
                time.sleep(self.poll_s)
        return troubled

    def _retrieve(self, part: Part) -> Any:
        return self._api(lambda: self.client.batches.retrieve(str(part.batch_id)))

    def _content(self, file_id: str) -> bytes:
        return bytes(self._api(lambda: self.client.files.content(file_id)).content)

    def _download(self, part: Part, batch: Any) -> None:
        for suffix, file_id in (("output", batch.output_file_id), ("errors", batch.error_file_id)):
            if file_id:
                write_atomically(
                    self.folder / f"{part.name}.{suffix}.jsonl", self._content(file_id)
                )
        part.status = batch.status
        if batch.status == "failed":
            part.status += f": {_batch_errors(batch)}"
        part.downloaded = True
        self.state.save()


def _status_line(part: Part, batch: Any) -> str:
    counts = batch.request_counts
    done = f", {counts.completed}/{counts.total} done, {counts.failed} failed" if counts else ""
    return f"{part.name}: {batch.id}: {batch.status}{done}"


def _batch_errors(batch: Any) -> str:
    errors = getattr(batch.errors, "data", None) or []
    said = [f"line {e.line}: {e.message}" if e.line else str(e.message) for e in errors[:3]]
    return "; ".join(said) or "no reason given"


def paths(out: Path) -> tuple[Path, Path]:
    """The state file and the folder of batch files that go with --out."""
    return out.with_name(out.name + ".batch-state.json"), out.with_name(out.name + ".batch-files")


@dataclass
class Spent:
    """The requests the run's records were built from, and their tokens (from the
    answers' own usage)."""

    requests: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0


def run(
    items: list[Item],
    output: Output,
    *,
    client: openai.OpenAI,
    model: str,
    attempts: int,
    limits: Limits = Limits(),
    poll_s: float = DEFAULT_POLL_S,
    at_once: int | None = None,
    on_record: Callable[[Item, dict, Tally], None] | None = None,
    on_status: Callable[[str], None] | None = None,
    report: ReportFolder | None = None,
) -> tuple[Tally, Spent]:
    """Brief every item not yet done through batches of `client`'s Batch API, round after
    round, until no article is missing an answer; rerun to resume.

    `at_once` bounds the batches in flight (an organisation's batch queue has a token
    limit); by default every batch file of a round is submitted at once. A
    KeyboardInterrupt leaves at once: the state file has every id a rerun needs.
    """
    say = on_status or (lambda message: None)
    state_path, folder = paths(output.path)
    folder.mkdir(parents=True, exist_ok=True)
    state = State.load(state_path)
    jobs = Jobs(client, state, folder, poll_s, say, at_once)
    results = Results()
    for part in state.parts:
        if part.downloaded:  # by an earlier run: what failed there is sent again
            results.read(folder, part, errors=False)
    read = {part.name for part in state.parts if part.downloaded}
    tally = Tally(skipped=sum(item.id in output.done for item in items))
    spent = Spent()
    finished = set(output.done)  # and, once written, those with an error or a partial brief
    replay = _Replaying(client, model, attempts, results)
    with replay:
        for round_number in itertools.count(1):
            troubled = jobs.wait()
            for part in state.parts:
                if part.downloaded and part.name not in read:
                    results.read(folder, part)
                    read.add(part.name)
            lines: dict[str, Line] = {}
            for item in (item for item in items if item.id not in finished):
                record, text, missing = replay.record(item)
                for line in missing:
                    lines.setdefault(line.key, line)
                if not missing:
                    finished.add(item.id)
                    output.append(record)
                    if report is not None:
                        report.add(record, text)
                    _count(record, tally, spent)
                    if on_record:
                        on_record(item, record, tally)
            if troubled:
                said = "; ".join(f"{part.batch_id} {part.status}" for part in troubled)
                raise BatchJobError(
                    f"{said}; {len(lines)} requests unanswered: rerun to send them again"
                )
            if not lines:
                return tally, spent
            parts = split(_unique_ids(list(lines.values())), limits)
            say(f"round {round_number}: {len(lines)} requests in {len(parts)} batch file(s)")
            jobs.add(parts)
    raise AssertionError("unreachable")  # itertools.count does not end


def _count(record: dict, tally: Tally, spent: Spent) -> None:
    """A new record in the tally, and its answers and tokens in what was spent."""
    if "brief" in record:
        meta = record["brief"]["meta"]
        spent.requests += meta["attempts"]
        spent.prompt_tokens += meta["usage"]["prompt_tokens"]
        spent.completion_tokens += meta["usage"]["completion_tokens"]
    kind = outcome(record)
    if kind == WHOLE:
        tally.done += 1
    elif kind == PARTIAL:
        tally.partial += 1
    else:
        tally.failed += 1


def _unique_ids(lines: list[Line]) -> list[Line]:
    """custom_ids are unique within a batch file; a second line with the same one (not
    expected: a pass waits on one request at a time) gets its key's start appended."""
    seen: set[str] = set()
    unique = []
    for line in lines:
        if line.custom_id in seen:
            line = Line(f"{line.custom_id}:{line.key[:12]}", line.key, line.body)
        seen.add(line.custom_id)
        unique.append(line)
    return unique
