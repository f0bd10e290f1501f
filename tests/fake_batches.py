"""A fake of OpenAI's Files and Batches endpoints on 127.0.0.1, for testing
`--engine openai-batch` offline.

Its requests and responses follow the OpenAI API reference field by field (the `openai`
package's types: `FileObject`, `Batch`, `BatchRequestCounts`, `BatchError`; the batch
input and output line formats):

    POST /v1/files                multipart: purpose=batch, file → a file object
    GET  /v1/files/{id}/content   the file's bytes
    POST /v1/batches              {input_file_id, endpoint, completion_window, metadata?}
    GET  /v1/batches/{id}         the batch, one step further on each poll (below)
    GET  /v1/batches?limit=N      the newest batches first: {object: list, data, …}

A batch is `validating` when created; each poll moves it on: `in_progress` (for
`polls_in_progress` polls; `hold` keeps it there until released), then all its lines are
answered at once and it is `completed`. Each line's chat answer is a real model exchange
from the cassettes, matched on the body as tests/replay_server.py does; an unmatched body
is counted in `unmatched` and answered as a 500 error line. The only other lines are the
faults a test asks for: `fail(match, status)` makes the next line whose body contains
`match` an error line with that HTTP status, `answer_with(match, body)` answers it with
a hand-written chat completion, and `expire_after(n)` makes the next batch
expire after n lines, its other lines written as `batch_expired` errors, as the API does.
Duplicate custom_ids make the batch `failed` at validation, as the API does, and so does
`reject_next(code, message)` (an organisation over its enqueued-token limit).
"""

from __future__ import annotations

import email.parser
import email.policy
import itertools
import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

import yaml
from replay_server import _Server

NOT_RUN = "This request could not be executed before the completion window expired."


@dataclass
class _Batch:
    data: dict[str, Any]
    lines: list[dict]
    polls: int = 0
    expire_after: int | None = None
    rejection: dict | None = None


@dataclass
class _Fault:
    match: str
    status: int
    body: dict = field(default_factory=dict)


class FakeBatches:
    def __init__(self, *cassettes: Path, polls_in_progress: int = 1) -> None:
        self.answers: list[tuple[dict, str]] = []
        for cassette in cassettes:
            interactions = yaml.safe_load(cassette.read_text(encoding="utf-8"))["interactions"]
            self.answers += [
                (json.loads(i["request"]["body"]), i["response"]["body"]["string"])
                for i in interactions
            ]
        self.polls_in_progress = polls_in_progress
        self.files: dict[str, dict] = {}  # id → {"object": FileObject, "content": bytes}
        self.batches: dict[str, _Batch] = {}
        self.faults: list[_Fault] = []
        self.next_expiry: int | None = None
        self.next_rejection: dict | None = None
        self.released = threading.Event()
        self.released.set()
        self.most_in_flight = 0  # batches not yet over, at the most, when one was created
        self.lines_answered = 0
        self.unmatched = 0
        self.requests: list[str] = []  # "METHOD /path" of every request
        self.request_faults: list[str] = []  # "METHOD /path" to answer 503 once each
        self.lost_answers: list[str] = []  # "METHOD /path" to do, then answer 504, once each
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 — the stdlib's name
                if self._authorized() and not self._refused():
                    self._answer(fake.get(self.path))

            def do_POST(self) -> None:  # noqa: N802
                body = self.rfile.read(int(self.headers["content-length"]))
                if self._authorized() and not self._refused():
                    answer = fake.post(self.path, self.headers["content-type"], body)
                    self._answer(_error(504, "Gateway timeout") if self._lost() else answer)

            def _refused(self) -> bool:
                """An HTTP fault a test asked for on this route (`fail_request`)."""
                route = f"{self.command} {urlparse(self.path).path}"
                if route in fake.request_faults:
                    fake.request_faults.remove(route)
                    self._answer(_error(503, "The server is overloaded"))
                    return True
                return False

            def _lost(self) -> bool:
                """Done, but its answer lost on the way (`lose_answer`)."""
                route = f"{self.command} {urlparse(self.path).path}"
                if route in fake.lost_answers:
                    fake.lost_answers.remove(route)
                    return True
                return False

            def _authorized(self) -> bool:
                given = (self.headers.get("authorization") or "").removeprefix("Bearer ")
                if not given.startswith("sk-"):  # OpenAI's 401 quotes the key it was given
                    self._answer(_error(401, f"Incorrect API key provided: {given}."))
                    return False
                return True

            def _answer(self, answer: tuple[int, bytes, str]) -> None:
                status, data, kind = answer
                fake.requests.append(f"{self.command} {urlparse(self.path).path}")
                self.send_response(status)
                self.send_header("content-type", kind)
                self.send_header("content-length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = _Server(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/v1"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> FakeBatches:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    # What a test asks of it

    def fail(self, match: str, status: int, message: str = "injected fault") -> None:
        """The next line whose body contains `match` comes back as an error line."""
        self.faults.append(_Fault(match, status, {"error": {"message": message}}))

    def fail_request(self, route: str) -> None:
        """The next request to `route` ("POST /v1/files") is answered 503."""
        self.request_faults.append(route)

    def lose_answer(self, route: str) -> None:
        """The next request to `route` is done, but answered 504 (a timeout on the way)."""
        self.lost_answers.append(route)

    def answer_with(self, match: str, body: dict) -> None:
        """The next line whose body contains `match` is answered 200 with `body` (a
        deliberate fault, such as an answer cut off at its budget)."""
        self.faults.append(_Fault(match, 200, body))

    def expire_after(self, lines: int) -> None:
        """The next batch answers `lines` lines, then expires."""
        self.next_expiry = lines

    def reject_next(self, code: str, message: str) -> None:
        """The next batch fails validation with this error, as one over the
        organisation's enqueued-token limit does."""
        self.next_rejection = {"code": code, "line": None, "message": message, "param": None}

    def hold(self) -> None:
        """Batches stay in_progress until `release`."""
        self.released.clear()

    def release(self) -> None:
        self.released.set()

    def created(self) -> list[str]:
        return list(self.batches)

    # The endpoints

    def post(self, path: str, content_type: str, body: bytes) -> tuple[int, bytes, str]:
        route = urlparse(path).path
        with self._lock:
            if route == "/v1/files":
                return self._upload(content_type, body)
            if route == "/v1/batches":
                return self._create(json.loads(body))
        return _error(404, f"no route POST {route}")

    def get(self, path: str) -> tuple[int, bytes, str]:
        url = urlparse(path)
        parts = url.path.strip("/").split("/")
        with self._lock:
            if parts[:2] == ["v1", "files"] and len(parts) == 4 and parts[3] == "content":
                found = self.files.get(parts[2])
                if found is None:
                    return _error(404, f"No such File object: {parts[2]}")
                return 200, found["content"], "application/octet-stream"
            if parts[:2] == ["v1", "batches"] and len(parts) == 3:
                batch = self.batches.get(parts[2])
                if batch is None:
                    return _error(404, f"No such Batch object: {parts[2]}")
                self._step(batch)
                return _json(batch.data)
            if url.path.rstrip("/") == "/v1/batches":
                limit = int(parse_qs(url.query).get("limit", ["20"])[0])
                newest = [b.data for b in reversed(self.batches.values())][:limit]
                return _json(
                    {
                        "object": "list",
                        "data": newest,
                        "first_id": newest[0]["id"] if newest else None,
                        "last_id": newest[-1]["id"] if newest else None,
                        "has_more": len(self.batches) > limit,
                    }
                )
        return _error(404, f"no route GET {url.path}")

    def _upload(self, content_type: str, body: bytes) -> tuple[int, bytes, str]:
        message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
            f"content-type: {content_type}\r\n\r\n".encode() + body
        )
        fields = {
            part.get_param("name", header="content-disposition"): part
            for part in message.iter_parts()
        }
        if "file" not in fields or "purpose" not in fields:
            return _error(400, "'file' and 'purpose' are required")
        purpose = fields["purpose"].get_content().strip()
        if purpose != "batch":
            return _error(400, f"this fake takes purpose 'batch', not {purpose!r}")
        content = fields["file"].get_payload(decode=True)
        filename = str(fields["file"].get_filename())
        if not filename.endswith(".jsonl"):
            return _error(400, "the Batch API takes .jsonl files only")
        return _json(self._store(content, str(filename), "batch"))

    def _store(self, content: bytes, filename: str, purpose: str) -> dict:
        file_id = f"file-{next(self._ids):04d}"
        now = int(time.time())
        obj = {
            "id": file_id,
            "object": "file",
            "bytes": len(content),
            "created_at": now,
            "filename": filename,
            "purpose": purpose,
            "status": "processed",
            "expires_at": now + 30 * 86400,
            "status_details": None,
        }
        self.files[file_id] = {"object": obj, "content": content}
        return obj

    def _create(self, request: dict) -> tuple[int, bytes, str]:
        found = self.files.get(request.get("input_file_id", ""))
        if found is None:
            return _error(400, f"No such File object: {request.get('input_file_id')}")
        if found["object"]["purpose"] != "batch":
            return _error(400, "the input file's purpose must be 'batch'")
        if request.get("endpoint") != "/v1/chat/completions":
            return _error(
                400, f"this fake serves /v1/chat/completions, not {request.get('endpoint')}"
            )
        if request.get("completion_window") != "24h":
            return _error(400, "completion_window must be '24h'")
        lines = [
            json.loads(text)
            for text in found["content"].decode("utf-8").splitlines()
            if text.strip()
        ]
        batch_id = f"batch_{next(self._ids):04d}"
        now = int(time.time())
        data: dict[str, Any] = {
            "id": batch_id,
            "object": "batch",
            "endpoint": request["endpoint"],
            "errors": None,
            "input_file_id": request["input_file_id"],
            "completion_window": "24h",
            "status": "validating",
            "output_file_id": None,
            "error_file_id": None,
            "created_at": now,
            "in_progress_at": None,
            "expires_at": now + 86400,
            "finalizing_at": None,
            "completed_at": None,
            "failed_at": None,
            "expired_at": None,
            "cancelling_at": None,
            "cancelled_at": None,
            "request_counts": {"total": 0, "completed": 0, "failed": 0},
            "metadata": request.get("metadata"),
            "model": lines[0]["body"].get("model") if lines else None,
            "usage": _usage([]),
        }
        batch = _Batch(data, lines, expire_after=self.next_expiry, rejection=self.next_rejection)
        self.next_expiry = self.next_rejection = None
        self.batches[batch_id] = batch
        over = ("completed", "expired", "cancelled", "failed")
        in_flight = sum(b.data["status"] not in over for b in self.batches.values())
        self.most_in_flight = max(self.most_in_flight, in_flight)
        return _json(data)

    def _step(self, batch: _Batch) -> None:
        """One poll's worth of progress."""
        data, now = batch.data, int(time.time())
        if data["status"] == "validating":
            problem = batch.rejection or _invalid(batch.lines)
            if problem:
                data.update(
                    status="failed", failed_at=now, errors={"object": "list", "data": [problem]}
                )
                return
            data.update(status="in_progress", in_progress_at=now)
            data["request_counts"]["total"] = len(batch.lines)
            return
        if data["status"] != "in_progress" or not self.released.is_set():
            return
        batch.polls += 1
        if batch.polls < self.polls_in_progress:
            return
        self._finish(batch, now)

    def _finish(self, batch: _Batch, now: int) -> None:
        data = batch.data
        done, failed = [], []
        for number, line in enumerate(batch.lines):
            request_id = f"req_{next(self._ids):04d}"
            out: dict[str, Any] = {
                "id": f"batch_req_{next(self._ids):04d}",
                "custom_id": line["custom_id"],
            }
            if batch.expire_after is not None and number >= batch.expire_after:
                failed.append(
                    out | {"response": None, "error": {"code": "batch_expired", "message": NOT_RUN}}
                )
                continue
            status, body = self._line_answer(line["body"])
            out |= {
                "response": {"status_code": status, "request_id": request_id, "body": body},
                "error": None,
            }
            (done if status == 200 else failed).append(out)
        if done:
            data["output_file_id"] = self._store(
                _jsonl(done), f"{data['id']}_output.jsonl", "batch_output"
            )["id"]
        if failed:
            data["error_file_id"] = self._store(
                _jsonl(failed), f"{data['id']}_error.jsonl", "batch_output"
            )["id"]
        data["request_counts"].update(completed=len(done), failed=len(failed))
        data["usage"] = _usage([line["response"]["body"].get("usage") or {} for line in done])
        data["finalizing_at"] = now
        if batch.expire_after is not None:
            data.update(status="expired", expired_at=now)
        else:
            data.update(status="completed", completed_at=now)

    def _line_answer(self, body: dict) -> tuple[int, dict]:
        text = json.dumps(body)
        for fault in self.faults:
            if fault.match in text:
                self.faults.remove(fault)
                return fault.status, fault.body
        found = next((answer for request, answer in self.answers if request == body), None)
        if found is None:
            self.unmatched += 1
            return 500, {"error": {"message": "no recorded answer for this request"}}
        self.lines_answered += 1
        return 200, json.loads(found)


MAX_LINES = 50_000
MAX_BYTES = 200 * 1024 * 1024


def _invalid(lines: list[dict]) -> dict | None:
    """The first line the API would refuse at validation, as a BatchError."""
    if len(lines) > MAX_LINES or len(_jsonl(lines)) > MAX_BYTES:
        return {
            "code": "too_large",
            "line": None,
            "message": "over 50,000 requests or 200 MB",
            "param": None,
        }
    seen: set[str] = set()
    for number, line in enumerate(lines, 1):
        if set(line) != {"custom_id", "method", "url", "body"} or line["method"] != "POST":
            return {"code": "invalid_request", "line": number, "message": "bad line", "param": None}
        if line["url"] != "/v1/chat/completions":
            return {
                "code": "invalid_url",
                "line": number,
                "message": "url differs from the batch's endpoint",
                "param": "url",
            }
        if line["custom_id"] in seen:
            return {
                "code": "duplicate_custom_id",
                "line": number,
                "message": f"duplicate custom_id {line['custom_id']!r}",
                "param": "custom_id",
            }
        seen.add(line["custom_id"])
    return None


def _usage(answers: list[dict]) -> dict:
    """A batch's `usage`, summed over its answers' own."""
    prompt = sum(a.get("prompt_tokens", 0) for a in answers)
    cached = sum((a.get("prompt_tokens_details") or {}).get("cached_tokens", 0) for a in answers)
    answer = sum(a.get("completion_tokens", 0) for a in answers)
    return {
        "input_tokens": prompt,
        "input_tokens_details": {"cached_tokens": cached},
        "output_tokens": answer,
        "output_tokens_details": {"reasoning_tokens": 0},
        "total_tokens": prompt + answer,
    }


def _jsonl(lines: list[dict]) -> bytes:
    return "".join(json.dumps(line) + "\n" for line in lines).encode("utf-8")


def _json(data: dict) -> tuple[int, bytes, str]:
    return 200, json.dumps(data).encode("utf-8"), "application/json"


def _error(status: int, message: str) -> tuple[int, bytes, str]:
    body = {
        "error": {"message": message, "type": "invalid_request_error", "param": None, "code": None}
    }
    return status, json.dumps(body).encode("utf-8"), "application/json"
