"""The real embedded model on this CPU: slow (about a minute), but nothing is replayed.

Run alone with `pytest -m live`; skip with `pytest -m "not live"`.
"""

from __future__ import annotations

import time
from pathlib import Path

import httpx2
import openai
import pytest

import summarizer
from summarizer import embedded

TEXT = (Path(__file__).parent / "data" / "lisbon.txt").read_text(encoding="utf-8")


@pytest.mark.live
@pytest.mark.block_network(allowed_hosts=["127.0.0.1"])
def test_embedded_model_brief_is_grounded(monkeypatch):
    pytest.importorskip("xllamacpp", reason="needs the 'local' extra")
    monkeypatch.delenv("SUMMARIZER_CACHE_DIR")  # the user's cache: assemble the model once
    with summarizer.Summarizer() as engine:
        brief = engine.summarize(TEXT)
    brief.check_grounding(TEXT)
    assert brief.meta.backend == "embedded"
    assert brief.meta.model == "qwen2.5-coder-1.5b"
    assert [q.text[:12] for q in brief.quotes] == ["We want ever", "a good start"]
    assert brief.quotes[0].speaker == "Mayor Ana Ribeiro"  # the quotes answer, stepwise
    assert {f.value for f in brief.figures} <= {12000, 4.5e6, 5, 300}
    assert 12000 in {f.value for f in brief.figures}
    assert brief.events and brief.events[0].evidence[0].start > 0
    assert brief.meta.usage.completion_tokens > 0


@pytest.mark.live
@pytest.mark.block_network(allowed_hosts=["127.0.0.1"])
def test_a_request_the_client_gave_up_on_frees_the_embedded_server(monkeypatch):
    """A timed-out request is not sent again, and it does not keep the server busy:
    llama.cpp stops generating when the client hangs up."""
    pytest.importorskip("xllamacpp", reason="needs the 'local' extra")
    monkeypatch.delenv("SUMMARIZER_CACHE_DIR")
    _, path = embedded.resolve_model_file("qwen2.5-coder-0.5b")  # the small one: quicker
    server = embedded.shared_server(path)
    client = openai.OpenAI(base_url=server.base_url, api_key="embedded", max_retries=0)
    hello = [{"role": "user", "content": "Say hello."}]
    warm = client.chat.completions.create(model="m", messages=hello, max_tokens=8, temperature=0)
    per_token = 1 / warm.model_extra["timings"]["predicted_per_second"]
    story = [{"role": "user", "content": "Write a very long story about a lighthouse keeper."}]
    with pytest.raises(openai.APITimeoutError):
        client.with_options(timeout=3).chat.completions.create(
            model="m", messages=story, max_tokens=2000, temperature=0
        )
    started = time.monotonic()
    client.chat.completions.create(model="m", messages=hello, max_tokens=8, temperature=0)
    assert time.monotonic() - started < 0.25 * 2000 * per_token  # not queued behind the story
    slots = httpx2.get(server.base_url.removesuffix("/v1") + "/slots").json()
    assert not any(slot["is_processing"] for slot in slots)
