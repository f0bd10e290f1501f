"""Test harness: cassettes replayed offline, fault injection, hermetic user dirs.

Cassettes live in cassettes/<test module>/<test name>.yaml and hold real HTTP exchanges
with the embedded llama.cpp server. Replay is the default (`--record-mode=none`, network
blocked); re-record with:

    pytest --record-mode=rewrite tests/test_api.py   # starts the embedded model server

Requests match on method, path and JSON body, so a prompt change fails loudly until the
cassettes are re-recorded. Every test fails if its cassette was not fully played.

Fault injection: `inject_fault(vcr, match, status, body)` puts a hand-written response in
front of the real ones, matched by a substring of the request body. Injected entries carry
the header `x-fault-injection` and are never saved into a cassette.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import openai
import pytest
from vcr.request import Request

from summarizer import embedded

ROOT = Path(__file__).resolve().parent.parent
CASSETTES = ROOT / "cassettes"
SEED = ROOT / "examples" / "kursk.txt"
LISBON = ROOT / "tests" / "data" / "lisbon.txt"  # written for these tests
# The model name sent to the recorded endpoint (an OpenAI-compatible llama.cpp server).
RECORDED_MODEL = "qwen2.5-coder-1.5b-instruct"
REPLAY_URL = "http://127.0.0.1:9/v1"  # never reached: cassettes answer, network is blocked
FAULT_HEADER = "x-fault-injection"
SECRET_HEADERS = [
    "authorization", "api-key", "x-api-key", "openai-organization", "openai-project",
    "cookie", "set-cookie",
]  # fmt: skip


def json_body(r1: Request, r2: Request) -> None:
    """Match JSON bodies structurally; an injected fault matches by substring."""
    for a, b in ((r1, r2), (r2, r1)):
        marker = a.headers.get(FAULT_HEADER) if a.headers else None
        if marker is not None:
            assert marker in (b.body or b"").decode("utf-8", "replace"), "fault does not match"
            return
    assert _parse(r1.body) == _parse(r2.body), "JSON bodies differ"


def _parse(body: bytes | str | None) -> object:
    if not body:
        return None
    try:
        return json.loads(body)
    except ValueError:
        return body


def pytest_recording_configure(config: pytest.Config, vcr: object) -> None:
    vcr.register_matcher("json_body", json_body)  # type: ignore[attr-defined]


def _not_injected(request: Request, response: dict, cassette: object) -> tuple | None:
    return None if FAULT_HEADER in (request.headers or {}) else (request, response)


@pytest.fixture(scope="module")
def vcr_config() -> dict:
    return {
        "match_on": ["method", "path", "json_body"],
        "filter_headers": SECRET_HEADERS,
        "decode_compressed_response": True,
        "before_save_interaction": _not_injected,
    }


@pytest.fixture(scope="module")
def vcr_cassette_dir(request: pytest.FixtureRequest) -> str:
    return str(CASSETTES / Path(str(request.node.fspath)).stem)


@pytest.fixture(autouse=True)
def cassette_fully_played(request: pytest.FixtureRequest, record_mode: str):
    """A test whose cassette still holds unplayed responses made fewer calls than recorded."""
    yield
    if not request.node.get_closest_marker("vcr") or record_mode != "none":
        return
    if request.node.get_closest_marker("cassette_in_part"):
        return  # it plays some answers of another test's cassette, and counts them itself
    cassette = request.getfixturevalue("vcr")
    assert cassette.all_played, (
        f"cassette not fully played: {sum(cassette.play_counts.values())} of {len(cassette)}"
    )


@pytest.fixture(autouse=True)
def hermetic(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    """No test sees the developer's keys, endpoints or model cache."""
    for name in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "SUMMARIZER_MODEL", "SUMMARIZER_DEBUG"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("SUMMARIZER_CACHE_DIR", str(tmp_path / "cache"))
    yield
    embedded.stop_shared()  # the next test starts its own, as a new process would


@pytest.fixture(scope="session")
def endpoint(request: pytest.FixtureRequest) -> str:
    """Base URL of the model endpoint: a real embedded server only when recording."""
    if request.config.getoption("--record-mode") in (None, "none"):
        yield REPLAY_URL
        return
    from summarizer import embedded

    _, path = embedded.resolve_model_file(None)
    server = embedded.EmbeddedServer(path).start()
    yield server.base_url
    server.stop()


@pytest.fixture
def client(endpoint: str) -> openai.OpenAI:
    """An OpenAI client for the recorded endpoint (transport retries without long sleeps)."""
    return openai.OpenAI(base_url=endpoint, api_key="sk-test-placeholder", max_retries=2)


@pytest.fixture
def cli_env(monkeypatch: pytest.MonkeyPatch, endpoint: str) -> None:
    """Point the CLI at the recorded endpoint, as a user of any OpenAI-compatible server would."""
    monkeypatch.setenv("OPENAI_BASE_URL", endpoint)
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-placeholder")
    monkeypatch.setenv("SUMMARIZER_MODEL", RECORDED_MODEL)


def inject_fault(
    cassette: object, match: str, status: int, body: object, headers: dict | None = None
) -> None:
    """Answer the next request whose body contains `match` with a hand-written response."""
    text = body if isinstance(body, str) else json.dumps(body)
    request = Request("POST", "http://fault/v1/chat/completions", b"", {FAULT_HEADER: match})
    content_type = "application/json" if not isinstance(body, str) else "text/plain"
    response = {
        "status": {"code": status, "message": "injected"},
        "headers": {"content-type": [content_type], FAULT_HEADER: ["hand-written"]}
        | {k: [v] for k, v in (headers or {}).items()},
        "body": {"string": text.encode()},
    }
    cassette.data.insert(0, (request, response))  # type: ignore[attr-defined]
    cassette.rewound = True  # type: ignore[attr-defined]  # play injected entries when recording too


def chat_completion(content: str | None, finish_reason: str = "stop") -> dict:
    """The body of a chat completion, for injected faults."""
    return {
        "id": "chatcmpl-fault",
        "object": "chat.completion",
        "created": 0,
        "model": RECORDED_MODEL,
        "choices": [
            {
                "index": 0,
                "finish_reason": finish_reason,
                "message": {"role": "assistant", "content": content},
            }
        ],
        "usage": {"prompt_tokens": 10, "completion_tokens": 5, "total_tokens": 15},
    }
