"""Which model answers: the backend chosen for a Summarizer, and the clients it talks through.

Backend selection (`backend_for`; first match wins):
  1. a `client=` passed in by the caller;
  2. an embedded model name or a `.gguf` path as the model → the embedded llama.cpp server;
  3. OPENAI_BASE_URL or OPENAI_API_KEY set → that endpoint (model default gpt-4o-mini);
  4. otherwise the embedded default model.

Every backend is an `openai` client with a base URL, so one code path (`summarizer.llm`)
serves them all; the embedded model is a llama.cpp server on 127.0.0.1.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field

import httpx2
import instructor
import openai

from summarizer import embedded, retry
from summarizer.cache import AsyncCachingTransport, CachingTransport

DEFAULT_REMOTE_MODEL = "gpt-4o-mini"
DEFAULT_TIMEOUT = 300.0
MODES = {
    "auto": instructor.Mode.JSON_SCHEMA,  # falling back to tools, then json, on a 400
    "json_schema": instructor.Mode.JSON_SCHEMA,
    "tools": instructor.Mode.TOOLS,
    "json": instructor.Mode.JSON,
    "stepwise": instructor.Mode.JSON_SCHEMA,  # written field by field; llama.cpp servers only
}


@dataclass
class Backend:
    """A ready client plus what the brief's meta reports about it."""

    client: openai.OpenAI
    model: str
    name: str  # "embedded" or "openai-compatible"
    mode: instructor.Mode = instructor.Mode.JSON_SCHEMA
    auto_mode: bool = True  # may fall back when the server rejects the structured-output mode
    stepwise: bool = False  # a llama.cpp server: passes may be written stepwise (stepwise.py)
    policy: retry.Policy = field(default_factory=retry.Policy.remote)
    # The async twin of `client`, for `asummarize`: made on first use, with the same
    # endpoint, key and timeout, and the response cache when `client` has it.
    aclient: openai.AsyncOpenAI | None = None

    @property
    def endpoint(self) -> str:
        return str(self.client.base_url).rstrip("/")

    def async_client(self) -> openai.AsyncOpenAI:
        if self.aclient is None:
            self.aclient = async_twin(self.client)
        return self.aclient


def remote_client(
    *,
    base_url: str | None = None,
    api_key: str | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    cache: bool = False,
    cache_identity: str | None = None,
) -> openai.OpenAI:
    """An OpenAI-compatible client; the key may be absent for local servers (Ollama, vLLM).

    With `cache`, repeated requests to the same endpoint are answered from the response
    cache (no tokens). `cache_identity` names the endpoint in the cache's keys; by default
    it is the base URL. The SDK's own retries are off: `summarizer.retry` decides what is
    sent again.
    """
    http_client = transport = None
    if cache:
        transport = CachingTransport(httpx2.HTTPTransport(), cache_identity or "")
        http_client = httpx2.Client(transport=transport, timeout=timeout)
    client = openai.OpenAI(
        base_url=base_url or os.environ.get("OPENAI_BASE_URL") or None,
        api_key=api_key or os.environ.get("OPENAI_API_KEY") or "not-needed",
        timeout=timeout,
        max_retries=0,
        http_client=http_client,
    )
    if transport is not None and cache_identity is None:  # the base URL the client resolved
        transport.store.identity = str(client.base_url).rstrip("/")
    return client


def async_twin(client: openai.OpenAI) -> openai.AsyncOpenAI:
    """An async client for the same endpoint, key and timeout as `client`, answered from
    the same response cache when `client` is."""
    http_client = None
    cached = getattr(getattr(client, "_client", None), "_transport", None)
    if isinstance(cached, CachingTransport):
        transport = AsyncCachingTransport(httpx2.AsyncHTTPTransport(), cached.store.identity)
        http_client = httpx2.AsyncClient(transport=transport, timeout=client.timeout)
    return openai.AsyncOpenAI(
        base_url=client.base_url,
        api_key=client.api_key,
        timeout=client.timeout,
        max_retries=0,
        http_client=http_client,
    )


def with_cache(client: openai.OpenAI) -> openai.OpenAI:
    """A caller's client answered from the response cache first, with its own transport
    (proxies, certificates, headers) behind it for what the cache does not hold. The
    caller's client stays the caller's to close."""
    inner = client._client._transport
    if isinstance(inner, CachingTransport):
        return client
    transport = CachingTransport(inner, str(client.base_url).rstrip("/"))
    return client.with_options(
        http_client=httpx2.Client(transport=transport, timeout=client.timeout)
    )


def with_async_cache(client: openai.AsyncOpenAI) -> openai.AsyncOpenAI:
    """`with_cache` for a caller's async client (`asummarize`)."""
    inner = client._client._transport
    if isinstance(inner, AsyncCachingTransport):
        return client
    transport = AsyncCachingTransport(inner, str(client.base_url).rstrip("/"))
    http = httpx2.AsyncClient(transport=transport, timeout=client.timeout)
    return client.with_options(http_client=http)


def wants_remote() -> bool:
    return bool(os.environ.get("OPENAI_BASE_URL") or os.environ.get("OPENAI_API_KEY"))


@dataclass
class Chosen:
    """The backend `backend_for` chose, and which of its parts the caller closes."""

    backend: Backend
    # The process's embedded server when it answers: shared, so stopped at exit, not here.
    server: embedded.EmbeddedServer | None = None
    owns_client: bool = True  # made here, so closed by the caller; a caller's client is theirs
    callers_aclient: bool = False  # `backend.aclient` is the caller's: left open


def backend_for(
    *,
    model: str | None = None,
    client: openai.OpenAI | openai.AsyncOpenAI | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    mode: str = "auto",
    cache: bool = False,
    slots: int = 1,
    threads: int | None = None,
    progress: Callable[[str], None] | None = None,
    download_progress: embedded.Progress | None = None,
) -> Chosen:
    """The backend for these settings, chosen in the order the module docstring gives.

    `mode` is a key of MODES. The embedded model is a llama.cpp server, so "auto" writes
    its passes stepwise; elsewhere only "stepwise" does. A caller's client keeps its retry
    count, which `summarizer.retry` applies (the SDK's own retries are off).
    """
    if mode not in MODES:  # fails as MODES[mode] would, before a model is assembled or started
        raise KeyError(mode)
    if client is None and (embedded.is_embedded_name(model) or not wants_remote()):
        return _embedded(model, timeout, mode, cache, slots, threads, progress, download_progress)
    return _openai_compatible(model, client, timeout, mode, cache)


def _embedded(
    model: str | None,
    timeout: float,
    mode: str,
    cache: bool,
    slots: int,
    threads: int | None,
    progress: Callable[[str], None] | None,
    download_progress: embedded.Progress | None,
) -> Chosen:
    name, path = embedded.resolve_model_file(model, download_progress)
    if progress is not None:
        progress(f"starting embedded model {name}")
    server = embedded.shared_server(path, slots, threads)
    client = remote_client(
        base_url=server.base_url,
        api_key="embedded",
        timeout=timeout,
        cache=cache,
        # The model file, not the server's port, names the endpoint in the cache's keys.
        cache_identity=embedded.model_identity(path) if cache else None,
    )
    backend = Backend(
        client,
        name,
        "embedded",
        MODES[mode],
        auto_mode=mode == "auto",
        stepwise=mode in ("auto", "stepwise"),
        policy=retry.Policy.embedded(),
    )
    return Chosen(backend, server)


def _openai_compatible(
    model: str | None,
    client: openai.OpenAI | openai.AsyncOpenAI | None,
    timeout: float,
    mode: str,
    cache: bool,
) -> Chosen:
    aclient = None
    if client is None:  # from OPENAI_BASE_URL / OPENAI_API_KEY
        made = remote_client(timeout=timeout, cache=cache)
        retries = retry.DEFAULT_TRANSPORT_RETRIES
    elif isinstance(client, openai.AsyncOpenAI):  # the caller's, for asummarize
        aclient, retries = client.with_options(max_retries=0), client.max_retries
        made = openai.OpenAI(
            base_url=client.base_url, api_key=client.api_key, timeout=client.timeout
        )
        if cache:
            made, aclient = with_cache(made), with_async_cache(aclient)
    else:  # the caller's: its retries are done by summarizer.retry instead of the SDK
        made, retries = client.with_options(max_retries=0), client.max_retries
        made = with_cache(made) if cache else made
    backend = Backend(
        made,
        model or DEFAULT_REMOTE_MODEL,
        "openai-compatible",
        MODES[mode],
        auto_mode=mode == "auto",
        stepwise=mode == "stepwise",  # asked for: the endpoint is a llama.cpp server
        policy=retry.Policy.remote(retries),
        aclient=aclient,
    )
    return Chosen(
        backend,
        owns_client=not isinstance(client, openai.OpenAI),
        callers_aclient=isinstance(client, openai.AsyncOpenAI),
    )
