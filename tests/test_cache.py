"""The response cache: it replays only usable answers, from the endpoint that gave them,
and stays under its size bound, dropping the least recently used first."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import os

import httpx2
import openai
import pytest
from click.testing import CliRunner
from conftest import CASSETTES, LISBON, RECORDED_MODEL, chat_completion, inject_fault
from replay_server import ReplayServer

import summarizer
from summarizer import embedded
from summarizer.cache import HIT_FIELD, HIT_HEADER, CachingTransport, max_bytes, prune
from summarizer.cli import main

URL = "http://127.0.0.1:9/v1/chat/completions"


LISBON_TEXT = LISBON.read_text(encoding="utf-8")


def completion(text: str) -> dict:
    """A hand-written answer for the size-bound tests, which never parse it."""
    return chat_completion(text)


def invoke(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def stored(tmp_path) -> list:
    return sorted((tmp_path / "cache" / "responses").glob("*/*.json"))


# Fault-injection fixtures: hand-written answers that no rerun may be given back.
def refusal() -> dict:
    body = chat_completion(None)
    body["choices"][0]["message"]["refusal"] = "I can't help with that."
    return body


# The quotes pass answered with each (answers per run; the run's exit code): a refusal
# leaves the brief without that pass (3); a cut-off with no quote finished leaves each
# quote out in turn (Lisbon has two), and the brief is whole.
UNUSABLE = {
    "content_filter": (chat_completion(None, finish_reason="content_filter"), 1, 3),
    "refusal": (refusal(), 1, 3),
    "length": (chat_completion('{"Q1 We want every', finish_reason="length"), 2, 0),
}
# The figures and events passes of the Lisbon article, as the recorded model answered them.
LISBON_ANSWERS = str(CASSETTES / "test_api" / "test_rate_limit_is_retried_then_succeeds.yaml")


@pytest.mark.vcr(LISBON_ANSWERS)
@pytest.mark.cassette_in_part
@pytest.mark.parametrize("kind", UNUSABLE)
def test_a_refusal_a_content_filter_or_a_cut_off_is_not_stored(cli_env, vcr, tmp_path, kind):
    body, per_run, exit_code = UNUSABLE[kind]
    for _ in range(2 * per_run):
        inject_fault(vcr, "say who is quoted", 200, body)
    first = invoke(str(LISBON))
    assert first.exit_code == exit_code, first.stderr
    assert len(stored(tmp_path)) == 2  # the figures and the events answers
    again = invoke(str(LISBON))  # asks the quotes again: the fault is served a second time
    assert again.exit_code == exit_code
    assert again.stderr == first.stderr
    assert vcr.play_count == 2 * per_run + 2  # figures and events once: the rerun's are hits
    same_but_latency_and_usage(first.stdout, again.stdout)  # the same brief


def transport(tmp_path, limit: int) -> CachingTransport:
    def answer(request: httpx2.Request) -> httpx2.Response:
        return httpx2.Response(200, json=completion(request.content.decode() * 20))

    return CachingTransport(httpx2.MockTransport(answer), "test", tmp_path, limit=limit)


def ask(cache: CachingTransport, body: str) -> httpx2.Response:
    return cache.handle_request(httpx2.Request("POST", URL, content=body.encode()))


def test_a_repeated_request_is_a_hit_with_the_recorded_usage(tmp_path):
    cache = transport(tmp_path, limit=10**6)
    first = ask(cache, "a")
    assert first.headers.get(HIT_HEADER) is None
    again = ask(cache, "a")
    assert again.headers[HIT_HEADER] == "hit"
    body = json.loads(again.content)
    assert body.pop(HIT_FIELD) == "hit"  # accounting counts it as no tokens
    assert body == json.loads(first.content)


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


@pytest.mark.vcr
def test_an_answer_sent_back_for_its_grounding_is_stored_and_its_re_ask_replays(
    cli_env, vcr, tmp_path
):
    from test_events import events_answer

    wrong = {  # a fault-injection fixture: an event with a number the article does not have
        "S1": {"who": ["Lisbon city council"], "what": "approved a plan to plant 9 trees",
               "where": "Lisbon", "when": None},
    }  # fmt: skip
    inject_fault(vcr, "brief the article", 200, chat_completion(events_answer(LISBON_TEXT, wrong)))
    first = invoke(str(LISBON))
    assert first.exit_code == 0, first.stderr
    asked = vcr.play_count
    again = invoke(str(LISBON))
    assert again.exit_code == 0, again.stderr
    # quotes, figures, the wrong events answer and the recorded model's two re-asks (its
    # first re-ask wrote a number the article does not have too)
    assert vcr.play_count == asked == 5
    briefs = [json.loads(run.stdout) for run in (first, again)]
    for brief in briefs:
        del brief["meta"]["latency_s"]
    assert briefs[0]["meta"]["attempts"] == 5
    assert briefs[1]["meta"]["usage"]["completion_tokens"] == 0
    briefs[1]["meta"]["usage"] = briefs[0]["meta"]["usage"]
    assert briefs[0] == briefs[1]


ONE_REQUEST = CASSETTES / "test_cli" / "test_json_is_the_schema_v1_contract.yaml"


def use(monkeypatch, server: ReplayServer) -> None:
    monkeypatch.setenv("OPENAI_BASE_URL", server.url)
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-placeholder")
    monkeypatch.setenv("SUMMARIZER_MODEL", RECORDED_MODEL)


@pytest.mark.block_network(allowed_hosts=["127.0.0.1"])
def test_two_endpoints_asked_the_same_do_not_share_an_answer(monkeypatch):
    with ReplayServer(ONE_REQUEST) as one, ReplayServer(ONE_REQUEST) as other:
        use(monkeypatch, one)
        assert invoke(str(LISBON)).exit_code == 0
        assert one.requests == 3  # quotes, figures, events
        use(monkeypatch, other)  # the same requests to another base URL: asked there
        assert invoke(str(LISBON)).exit_code == 0
        assert other.requests == 3
        use(monkeypatch, one)
        assert invoke(str(LISBON)).exit_code == 0
        assert one.requests == 3  # its own answers, from the cache
        assert one.unmatched == other.unmatched == 0


@pytest.mark.block_network(allowed_hosts=["127.0.0.1"])
@pytest.mark.parametrize("kind", ["sync", "async"])
def test_a_callers_client_with_cache_asks_each_request_once(kind):
    with ReplayServer(ONE_REQUEST) as server:
        briefs = []
        for _ in range(2):
            if kind == "sync":
                client = openai.OpenAI(base_url=server.url, api_key="sk-test-placeholder")
                with summarizer.Summarizer(model=RECORDED_MODEL, client=client, cache=True) as s:
                    briefs.append(s.summarize(LISBON_TEXT))
            else:
                aclient = openai.AsyncOpenAI(base_url=server.url, api_key="sk-test-placeholder")
                with summarizer.Summarizer(model=RECORDED_MODEL, client=aclient, cache=True) as s:
                    briefs.append(asyncio.run(s.asummarize(LISBON_TEXT)))
            client_closed = client.is_closed() if kind == "sync" else aclient.is_closed()
            assert not client_closed  # the caller's client is the caller's to close
        assert server.requests == 3  # quotes, figures, events: the rerun asked nothing
        assert server.unmatched == 0
    first, again = briefs
    assert first.meta.usage.completion_tokens > 0
    assert again.meta.usage.completion_tokens == 0
    assert again.quotes == first.quotes and again.events == first.events


def test_a_model_files_hash_is_computed_once_per_version_of_the_file(tmp_path):
    gguf = tmp_path / "mine.gguf"
    gguf.write_bytes(b"GGUF" + b"a" * 1000)
    digest = hashlib.sha256(gguf.read_bytes()).hexdigest()
    identity = embedded.model_identity(gguf)
    assert identity == f"gguf sha256 {digest}; {embedded.runtime()}"
    mtime = gguf.stat().st_mtime_ns
    gguf.write_bytes(b"GGUF" + b"b" * 1000)  # the same size and mtime: not read again
    os.utime(gguf, ns=(mtime, mtime))
    assert embedded.model_identity(gguf) == identity
    os.utime(gguf, ns=(mtime + 10**9, mtime + 10**9))  # touched: hashed again
    changed = hashlib.sha256(gguf.read_bytes()).hexdigest()
    assert embedded.model_identity(gguf) == f"gguf sha256 {changed}; {embedded.runtime()}"


def test_a_known_models_hash_is_its_specs():
    spec = embedded.MODELS[embedded.DEFAULT_MODEL]
    path = embedded.model_path(spec)  # not assembled here: its file is never read
    assert embedded.model_identity(path) == f"gguf sha256 {spec.sha256}; {embedded.runtime()}"


STEPWISE = (
    CASSETTES
    / "test_stepwise"
    / "test_stepwise_brief_matches_the_one_request_brief_and_writes_less.yaml"
)


def same_but_latency_and_usage(first: str, again: str) -> dict:
    """The rerun's brief: the first run's but for the time taken and the tokens spent."""
    briefs = [json.loads(out) for out in (first, again)]
    for brief in briefs:
        del brief["meta"]["latency_s"]
    spent = briefs[1]["meta"].pop("usage")
    assert briefs[0]["meta"].pop("usage")["completion_tokens"] > 0
    assert briefs[0] == briefs[1]
    return spent


@pytest.mark.block_network(allowed_hosts=["127.0.0.1"])
def test_an_article_briefed_stepwise_twice_is_asked_once(monkeypatch):
    with ReplayServer(STEPWISE) as server:
        use(monkeypatch, server)
        first = invoke(str(LISBON), "--mode", "stepwise")
        assert first.exit_code == 0, first.stderr
        assert server.requests == 8  # six values of the quotes answer, figures, events
        again = invoke(str(LISBON), "--mode", "stepwise")
        assert again.exit_code == 0, again.stderr
        assert server.requests == 8
        assert server.unmatched == 0
    spent = same_but_latency_and_usage(first.stdout, again.stdout)
    assert spent == {"prompt_tokens": 0, "completion_tokens": 0, "cached_tokens": 0}


class RecordedLlamaCpp:
    """Stands in for the embedded llama.cpp server: the recorded exchanges of one, served
    on a new port every run, as the embedded server is."""

    started: list[ReplayServer] = []

    def __init__(self, model_file, **settings) -> None:
        self.replay = ReplayServer(STEPWISE)

    def start(self) -> RecordedLlamaCpp:
        self.replay.__enter__()
        self.started.append(self.replay)
        self.base_url = self.replay.url
        return self

    def stop(self) -> None:
        self.replay.__exit__()

    def turn(self) -> contextlib.AbstractContextManager[None]:
        return contextlib.nullcontext()


@pytest.mark.block_network(allowed_hosts=["127.0.0.1"])
def test_the_embedded_model_answers_a_rerun_from_the_cache_on_a_new_port(monkeypatch, tmp_path):
    gguf = tmp_path / f"{RECORDED_MODEL}.gguf"  # the model name sent is the file's stem
    gguf.write_bytes(b"GGUF" + b"a" * 1000)
    monkeypatch.setattr(embedded, "EmbeddedServer", RecordedLlamaCpp)
    monkeypatch.setattr(RecordedLlamaCpp, "started", [])
    first = invoke(str(LISBON), "--model", str(gguf))  # the default mode: stepwise
    embedded.stop_shared()  # as the process that ran it would at exit
    again = invoke(str(LISBON), "--model", str(gguf))
    assert first.exit_code == again.exit_code == 0, again.stderr
    one, other = RecordedLlamaCpp.started
    assert one.url != other.url
    assert (one.requests, other.requests) == (8, 0)
    assert one.unmatched == 0
    assert same_but_latency_and_usage(first.stdout, again.stdout)["completion_tokens"] == 0
