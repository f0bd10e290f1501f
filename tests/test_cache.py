"""The response cache stays under its size bound, dropping the least recently used first."""

from __future__ import annotations

import json
import os

import httpx2

from summarizer.cache import HIT_HEADER, CachingTransport, max_bytes, prune

URL = "http://127.0.0.1:9/v1/chat/completions"


def completion(text: str) -> dict:
    return {
        "choices": [{"message": {"role": "assistant", "content": text}}],
        "usage": {"prompt_tokens": 10, "completion_tokens": 5, "total_tokens": 15},
    }


def transport(tmp_path, limit: int) -> CachingTransport:
    def answer(request: httpx2.Request) -> httpx2.Response:
        return httpx2.Response(200, json=completion(request.content.decode() * 20))

    return CachingTransport(httpx2.MockTransport(answer), tmp_path, limit=limit)


def ask(cache: CachingTransport, body: str) -> httpx2.Response:
    return cache.handle_request(httpx2.Request("POST", URL, content=body.encode()))


def test_a_repeated_request_is_a_hit_with_no_usage(tmp_path):
    cache = transport(tmp_path, limit=10**6)
    assert ask(cache, "a").headers.get(HIT_HEADER) is None
    again = ask(cache, "a")
    assert again.headers[HIT_HEADER] == "hit"
    assert json.loads(again.content)["usage"]["prompt_tokens"] == 0


def test_prune_drops_the_least_recently_used_until_under_the_limit(tmp_path):
    for age, name in enumerate(["old", "mid", "new"]):
        path = tmp_path / "ab" / f"{name}.json"
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(b"x" * 100)
        os.utime(path, (1000 + age, 1000 + age))
    assert prune(tmp_path, limit=250) == 1
    assert sorted(p.stem for p in tmp_path.glob("*/*.json")) == ["mid", "new"]
    assert prune(tmp_path, limit=250) == 0


def test_the_folder_is_pruned_before_the_first_store_and_every_50th(tmp_path):
    (tmp_path / "ab").mkdir()
    (tmp_path / "ab" / "stale.json").write_bytes(b"x" * 100)  # from an earlier run
    cache = transport(tmp_path, limit=1)  # smaller than any response
    ask(cache, "first")  # the stale file goes; the new answer is always kept
    assert not (tmp_path / "ab" / "stale.json").exists()
    assert len(list(tmp_path.glob("*/*.json"))) == 1
    for number in range(2, 51):
        ask(cache, f"request {number}")
    assert len(list(tmp_path.glob("*/*.json"))) == 50  # no look at the size in between
    ask(cache, "request 51")  # the 51st store looks first: only it remains
    assert len(list(tmp_path.glob("*/*.json"))) == 1


def test_the_bound_comes_from_the_environment(monkeypatch):
    monkeypatch.setenv("SUMMARIZER_CACHE_MAX_MB", "2")
    assert max_bytes() == 2 * 1024 * 1024
    monkeypatch.setenv("SUMMARIZER_CACHE_MAX_MB", "lots")
    assert max_bytes() == 1024 * 1024 * 1024
