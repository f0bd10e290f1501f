"""A cache of model responses, keyed on the full request, so a rerun costs no tokens.

It sits in the HTTP layer (an httpx transport around the real one): the key is the
SHA-256 of method, path and body, so any change of article, prompt, schema, model or
settings is a miss. Only successful chat completions are stored; a hit is served with its
usage set to zero, since nothing was spent. Files are written atomically.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import httpx2

from summarizer.embedded import cache_dir
from summarizer.files import write_atomically

HIT_HEADER = "x-summarizer-cache"


def responses_dir() -> Path:
    return cache_dir() / "responses"


class CachingTransport(httpx2.BaseTransport):
    """Answer a repeated chat completion request from disk; pass everything else through."""

    def __init__(self, inner: httpx2.BaseTransport, folder: Path | None = None) -> None:
        self.inner = inner
        self.folder = folder or responses_dir()

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        if request.method != "POST" or not request.url.path.endswith("/chat/completions"):
            return self.inner.handle_request(request)
        body = request.read()
        key = hashlib.sha256(b"POST " + request.url.path.encode() + b"\n" + body).hexdigest()
        path = self.folder / key[:2] / f"{key}.json"
        if path.is_file():
            return _hit(path)
        response = self.inner.handle_request(request)
        if response.status_code == 200:
            response.read()
            if response.headers.get("content-type", "").startswith("application/json"):
                _store(path, response.content)
        return response

    def close(self) -> None:
        self.inner.close()


def _hit(path: Path) -> httpx2.Response:
    data = json.loads(path.read_text(encoding="utf-8"))
    if isinstance(data.get("usage"), dict):
        data["usage"] = {"prompt_tokens": 0, "completion_tokens": 0, "total_tokens": 0}
    return httpx2.Response(
        200,
        content=json.dumps(data).encode(),
        headers={"content-type": "application/json", HIT_HEADER: "hit"},
    )


def _store(path: Path, content: bytes) -> None:
    try:
        json.loads(content)
    except ValueError:
        return  # not worth keeping
    write_atomically(path, content)
