"""Many articles at once: one embedded server per process, taken in turn article by
article; `asummarize` async end to end, with a bounded number of articles in flight."""

from __future__ import annotations

import asyncio
import time

import openai
import pytest
from conftest import CASSETTES, LISBON, RECORDED_MODEL
from load_server import LoadServer
from replay_server import ReplayServer
from synthetic import paragraph

import summarizer
from summarizer import embedded
from summarizer.pipeline import DEFAULT_MAX_IN_FLIGHT

TEXT = LISBON.read_text(encoding="utf-8")
# The Lisbon article briefed by the embedded model (its quotes stepwise): 8 requests.
STEPWISE = CASSETTES / "test_stepwise" / "test_stepwise_brief_matches_the_one_request_brief_and_writes_less.yaml"  # fmt: skip


EMBEDDED_SERVER = embedded.EmbeddedServer


class RecordedServer:
    """Stands in for the embedded llama.cpp server: the recorded exchanges of one, with a
    delay per answer, so that overlapping requests would show."""

    started: list[RecordedServer] = []

    def __init__(self, model_file, **settings) -> None:
        self.replay = ReplayServer(STEPWISE, delay=0.05)
        self.real = EMBEDDED_SERVER(model_file, **settings)  # its turns, not its model

    def start(self) -> RecordedServer:
        self.replay.__enter__()
        self.started.append(self)
        self.base_url = self.replay.url
        return self

    def stop(self) -> None:
        self.replay.__exit__()

    def turn(self):
        return self.real.turn()

    def aturn(self):
        return self.real.aturn()


@pytest.fixture
def recorded_model(monkeypatch, tmp_path) -> str:
    """The path of an embedded model whose server is `RecordedServer`."""
    gguf = tmp_path / f"{RECORDED_MODEL}.gguf"  # the model name sent is the file's stem
    gguf.write_bytes(b"GGUF" + b"a" * 1000)
    monkeypatch.setattr(embedded, "EmbeddedServer", RecordedServer)
    monkeypatch.setattr(RecordedServer, "started", [])
    return str(gguf)


@pytest.mark.block_network(allowed_hosts=["127.0.0.1"])
def test_every_call_for_one_model_shares_one_server(recorded_model):
    first = summarizer.summarize(TEXT, model=recorded_model)
    with summarizer.Summarizer(model=recorded_model) as engine:
        second = engine.summarize(TEXT)

    async def three() -> list[summarizer.Brief]:
        return await asyncio.gather(
            *(summarizer.asummarize(TEXT, model=recorded_model) for _ in range(3))
        )

    briefs = [first, second, *asyncio.run(three())]
    assert len(RecordedServer.started) == 1
    server = RecordedServer.started[0].replay
    assert server.requests == 5 * 8 and server.unmatched == 0
    assert server.most_in_flight == 1  # article by article: each keeps the slot's cache
    dumps = [brief.model_dump(exclude={"meta"}) for brief in briefs]
    assert all(dump == dumps[0] for dump in dumps)
    assert dumps[0]["quotes"][0]["speaker"] == "Mayor Ana Ribeiro"


@pytest.mark.block_network(allowed_hosts=["127.0.0.1"])
def test_fifty_articles_at_once_keep_sixteen_requests_in_flight():
    texts = [f"date 2026-03-14 Lisbon: {paragraph(i)}" for i in range(50)]
    delay = 0.5
    with LoadServer(delay=delay) as server:
        client = openai.AsyncOpenAI(base_url=server.url, api_key="k")

        async def all_of_them() -> list[summarizer.Brief]:
            return await asyncio.gather(
                *(summarizer.asummarize(text, client=client, model="m") for text in texts)
            )

        started = time.monotonic()
        briefs = asyncio.run(all_of_them())
        elapsed = time.monotonic() - started
    assert server.requests == 50 * 3  # quotes, figures and events of each
    assert server.most_in_flight == DEFAULT_MAX_IN_FLIGHT == 16
    assert elapsed < 50 * 3 * delay / 3  # sequentially: 75 s; sixteen at a time: about 6
    for text, brief in zip(texts, briefs, strict=True):
        assert brief.quotes[0].text in text and brief.meta.incomplete == []
