"""OpenAI's Batch API as `--engine openai-batch` uses it: the batch files, the state file
that lets a rerun resume, the provider's jobs, and the results they brought back.

A batch file holds at most `Limits.requests` lines and `Limits.bytes` bytes (the API's
50,000 and 200 MB). Each line's custom_id names the article, window, pass and attempt;
its key (the SHA-256 of its body) is what an answer is matched on, so one answer serves
every article that asks the same request. Everything is on disk beside --out:
`OUT.batch-state.json` (written atomically) lists each batch file and its upload, batch
and status, and the folder `OUT.batch-files/` holds each file as sent, the custom_id →
key of its lines, and the output and error files downloaded. `Jobs` saves each step
(written, uploaded, created, downloaded) as it happens, so a run killed at any point is
resumed by the next: it polls the batches in flight instead of creating them again, and
finds a batch created just before a crash (or whose answer was lost) by its input file.

A line the provider failed with a transient status (408, 409, 429, 5xx), or left undone
when its batch expired or was cancelled, is sent again, twice at most
(`retry.DEFAULT_TRANSPORT_RETRIES`, as a remote request is); after that, or at once for
any other status, the line's error is its answer (`Results.answer`).
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import openai

from summarizer import retry
from summarizer.errors import BatchJobError, mask_keys
from summarizer.files import write_atomically

ENDPOINT = "/v1/chat/completions"
DEFAULT_POLL_S = 60.0
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


DEFAULT_LIMITS = Limits()


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


class NextRound:
    """The next round's batch files, written line by line as the plans ask (a round of
    100,000 articles is gigabytes of requests: they are not held in memory), one line per
    request key, a new file whenever the next line would pass a limit. `close` lists them
    in the state, unsent; files of a round killed before that are written again."""

    def __init__(self, state: State, folder: Path, limits: Limits) -> None:
        self.state = state
        self.folder = folder
        self.limits = limits
        self.parts: list[Part] = []
        self.keys: list[dict[str, str]] = []  # each file's custom_id → key
        self.seen: set[str] = set()  # keys written
        self._handle: Any = None
        self._bytes = 0

    def add(self, line: Line) -> None:
        if line.key in self.seen:
            return  # another article asks the same: one line answers both
        self.seen.add(line.key)
        data = line.encoded()
        part = self.parts[-1] if self.parts else None
        if (
            part is None
            or part.lines >= self.limits.requests
            or (self._bytes + len(data) > self.limits.bytes and part.lines > 0)
        ):
            part = self._next_file()
        custom_id = line.custom_id
        if custom_id in self.keys[-1]:  # not expected: a pass waits on one request at a time
            custom_id = f"{custom_id}:{line.key[:12]}"
            data = Line(custom_id, line.key, line.body).encoded()
        self._handle.write(data)
        self.keys[-1][custom_id] = line.key
        part.lines += 1
        self._bytes += len(data)

    def _next_file(self) -> Part:
        if self._handle is not None:
            self._handle.close()
        part = Part(f"part-{len(self.state.parts) + len(self.parts) + 1:04d}", 0)
        self.parts.append(part)
        self.keys.append({})
        self._handle = open(self.folder / f"{part.name}.input.jsonl", "wb")
        self._bytes = 0
        return part

    def close(self) -> list[Part]:
        """Finish the files and list them in the state; returns them."""
        if self._handle is not None:
            self._handle.flush()
            os.fsync(self._handle.fileno())
            self._handle.close()
            self._handle = None
        for part, keys in zip(self.parts, self.keys, strict=True):
            write_atomically(self.folder / f"{part.name}.keys.json", json.dumps(keys).encode())
        self.state.parts += self.parts
        self.state.save()
        return self.parts


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
            error = exc.body.get("error", exc.body) if isinstance(exc.body, dict) else None
            said = error.get("message") if isinstance(error, dict) else None
            raise BatchJobError(
                f"{self.client.base_url}: HTTP {exc.status_code}: "
                f"{mask_keys(' '.join(str(said or exc.message).split()))}",
                endpoint=str(self.client.base_url),
                status=exc.status_code,
            ) from exc
        except openai.APIError as exc:
            raise BatchJobError(f"{self.client.base_url}: {exc}") from exc

    def submit(self, part: Part) -> None:
        """Upload the part and create its batch, unless a run before did."""
        uploaded_before = part.input_file_id is not None
        if part.input_file_id is None:
            path = self.folder / f"{part.name}.input.jsonl"  # read anew by each try
            uploaded = self._api(lambda: self.client.files.create(file=path, purpose="batch"))
            part.input_file_id = uploaded.id
            self.state.save()
        if part.batch_id is None:
            found = self._created_before(part.input_file_id) if uploaded_before else None
            part.batch_id = found or self._create(part)
            self.state.save()
            self.on_status(f"{part.name}: submitted as {part.batch_id} ({part.lines} requests)")

    def _create(self, part: Part) -> str:
        """Create the part's batch. A create is not idempotent: a try after a transient
        fault first looks for the batch the failed try may have made."""
        tries = 0

        def create() -> str:
            nonlocal tries
            tries += 1
            found = self._created_before(str(part.input_file_id)) if tries > 1 else None
            return (
                found
                or self.client.batches.create(
                    input_file_id=str(part.input_file_id),
                    endpoint="/v1/chat/completions",  # ENDPOINT; the SDK types it as a literal
                    completion_window="24h",
                    metadata={"summarizer_part": part.name},
                ).id
            )

        return str(self._api(create))

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
    """ "part-0001: batch_abc: in_progress, 1200/3000 done, 3 failed", and once it is over
    the tokens the provider counted (its `usage`, when it reports one)."""
    counts = batch.request_counts
    done = f", {counts.completed}/{counts.total} done, {counts.failed} failed" if counts else ""
    usage = batch.usage if batch.status in FINISHED else None
    if usage is not None:
        done += f"; {usage.input_tokens} input and {usage.output_tokens} output tokens"
    return f"{part.name}: {batch.id}: {batch.status}{done}"


def _batch_errors(batch: Any) -> str:
    errors = getattr(batch.errors, "data", None) or []
    said = [f"line {e.line}: {e.message}" if e.line else str(e.message) for e in errors[:3]]
    return "; ".join(said) or "no reason given"


def paths(out: Path) -> tuple[Path, Path]:
    """The state file and the folder of batch files that go with --out."""
    return out.with_name(out.name + ".batch-state.json"), out.with_name(out.name + ".batch-files")
