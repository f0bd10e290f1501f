"""A cache of model responses, keyed on the endpoint and the full request, so a rerun
sends no request and costs no tokens.

It sits in the HTTP layer (an httpx transport around the real one): the key is the
SHA-256 of the endpoint's identity, method, path and body, so any change of endpoint,
article, prompt, schema, model or settings is a miss. A remote endpoint's identity is its
base URL; the embedded model's is its file's SHA-256 and the llama.cpp build (its port
changes every run). Only usable answers are stored: a chat completion that finished on its
own (`stop`, or `tool_calls` with the calls) with content or tool calls and no refusal; a
content filter, a cut-off or a refusal is asked again next time. A hit is the recorded
body, usage included (a stepwise step's budget depends on it), marked by a header and a
body field (`is_hit`): accounting counts it as no tokens, since nothing was spent. Files
are written atomically.

The folder is kept under a size bound ($SUMMARIZER_CACHE_MAX_MB, default 1024): a batch of
many thousand articles must not fill the disk. The least recently used responses go first
(a hit touches its file).
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

import httpx2

from summarizer.embedded import cache_dir
from summarizer.files import write_atomically

HIT_HEADER = "x-summarizer-cache"
HIT_FIELD = "summarizer_cache"  # the same mark in the body, where the parsed answer keeps it
DEFAULT_MAX_MB = 1024
PRUNE_EVERY = 50  # stores between two looks at the folder's size


def max_bytes() -> int:
    """The size bound: $SUMMARIZER_CACHE_MAX_MB megabytes, else 1024."""
    raw = os.environ.get("SUMMARIZER_CACHE_MAX_MB", "")
    megabytes = float(raw) if raw.replace(".", "", 1).isdigit() else DEFAULT_MAX_MB
    return int(megabytes * 1024 * 1024)


def prune(folder: Path, limit: int) -> int:
    """Delete the least recently used responses until the folder holds at most `limit`
    bytes; returns how many were deleted. Files another process deletes meanwhile are
    skipped."""
    entries = []
    for path in folder.glob("*/*.json"):
        try:
            stat = path.stat()
        except OSError:
            continue
        entries.append((stat.st_mtime, stat.st_size, path))
    total = sum(size for _, size, _ in entries)
    deleted = 0
    for _, size, path in sorted(entries, key=lambda entry: entry[0]):
        if total <= limit:
            break
        path.unlink(missing_ok=True)
        total -= size
        deleted += 1
    return deleted


def responses_dir() -> Path:
    return cache_dir() / "responses"


class ResponseStore:
    """The cache folder of one endpoint: where a request's answer is kept, and keeping it."""

    def __init__(self, identity: str, folder: Path | None = None, limit: int | None = None):
        self.identity = identity  # which endpoint answers: part of every key
        self.folder = folder or responses_dir()
        self.limit = max_bytes() if limit is None else limit
        self._stores = 0

    def path(self, request: httpx2.Request) -> Path | None:
        """Where a chat completion request's answer is kept; None for other requests."""
        if request.method != "POST" or not request.url.path.endswith("/chat/completions"):
            return None
        head = f"{self.identity}\nPOST {request.url.path}\n".encode()
        key = hashlib.sha256(head + request.read()).hexdigest()
        return self.folder / key[:2] / f"{key}.json"

    def keep(self, path: Path, response: httpx2.Response) -> None:
        """Store a read 200 response when it is a usable answer."""
        if response.headers.get("content-type", "").startswith("application/json"):
            if usable(response.content):
                self._stores += 1
                if self._stores % PRUNE_EVERY == 1:  # before the first, then every 50th
                    prune(self.folder, self.limit)
                write_atomically(path, response.content)


class CachingTransport(httpx2.BaseTransport):
    """Answer a repeated chat completion request from disk; pass everything else through."""

    def __init__(
        self,
        inner: httpx2.BaseTransport,
        identity: str,
        folder: Path | None = None,
        limit: int | None = None,
    ) -> None:
        self.inner = inner
        self.store = ResponseStore(identity, folder, limit)

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        path = self.store.path(request)
        if path is None:
            return self.inner.handle_request(request)
        if path.is_file():
            return _hit(path)
        response = self.inner.handle_request(request)
        if response.status_code == 200:
            response.read()
            self.store.keep(path, response)
        return response

    def close(self) -> None:
        self.inner.close()


class AsyncCachingTransport(httpx2.AsyncBaseTransport):
    """`CachingTransport` for an async client (`asummarize`): the same keys and files."""

    def __init__(self, inner: httpx2.AsyncBaseTransport, identity: str) -> None:
        self.inner = inner
        self.store = ResponseStore(identity)

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        path = self.store.path(request)
        if path is None:
            return await self.inner.handle_async_request(request)
        if path.is_file():
            return _hit(path)
        response = await self.inner.handle_async_request(request)
        if response.status_code == 200:
            await response.aread()
            self.store.keep(path, response)
        return response

    async def aclose(self) -> None:
        await self.inner.aclose()


def is_hit(completion: Any) -> bool:
    """Whether a parsed chat completion came from the cache: its usage is the recorded
    one, which nothing spent now."""
    return (getattr(completion, "model_extra", None) or {}).get(HIT_FIELD) == "hit"


def _hit(path: Path) -> httpx2.Response:
    data = json.loads(path.read_text(encoding="utf-8"))
    os.utime(path)  # recently used: pruned last
    data[HIT_FIELD] = "hit"
    return httpx2.Response(
        200,
        content=json.dumps(data).encode(),
        headers={"content-type": "application/json", HIT_HEADER: "hit"},
    )


def usable(content: bytes) -> bool:
    """Whether a body is an answer worth replaying: a chat completion whose every choice
    finished on its own ("stop", or "tool_calls" with the calls), with content or tool
    calls, and no refusal. A content filter, a cut-off (`length`) or a refusal is the
    endpoint's answer to this request now, not the answer: it is asked again next time.
    An answer that fails the grounding checks is usable (its re-ask replays too)."""
    try:
        data = json.loads(content)
    except ValueError:
        return False
    choices = data.get("choices") if isinstance(data, dict) else None
    if not isinstance(choices, list) or not choices:
        return False
    for choice in choices:
        message = choice.get("message") if isinstance(choice, dict) else None
        if not isinstance(message, dict) or message.get("refusal"):
            return False
        finish = choice.get("finish_reason")
        if not (
            (finish == "stop" and (message.get("content") or message.get("tool_calls")))
            or (finish == "tool_calls" and message.get("tool_calls"))
        ):
            return False
    return True
