"""One code path to every model: an `openai` client with a base URL, through instructor.

The backend (which endpoint, which client) is chosen in `summarizer.backends`.

When a request is sent again is decided in `summarizer.retry`, per kind of backend; the
openai SDK's own retries are off. In auto mode, a server that rejects json_schema (then
tools) is asked in the next mode. Answers that no retry can fix (a refusal, a content
filter, a body that is not a chat completion) end the call at once. Every function that
talks to the endpoint has an async twin (`acall`, `aask`) for `asummarize`; they share
everything but the I/O.
"""

from __future__ import annotations

import json
import logging
import time
from dataclasses import dataclass, field
from typing import Any, TypeVar

import instructor
import openai
from instructor.core.exceptions import IncompleteOutputException, InstructorRetryException
from pydantic import BaseModel, ValidationError

from summarizer import stepwise
from summarizer.backends import Backend
from summarizer.cache import is_hit
from summarizer.errors import (
    BackendError,
    ExtractionError,
    OutputTruncated,
    SummarizerError,
    mask_keys,
)
from summarizer.schema import Usage

T = TypeVar("T", bound=BaseModel)
log = logging.getLogger("summarizer")
# instructor logs a failed last attempt as an ERROR, which Python prints on stderr when the
# program configured no logging. Here that is no error: `ask` parses the last answer
# leniently and the dropped item is named in meta.warnings. `--debug` still shows it.
logging.getLogger("instructor").addHandler(logging.NullHandler())


@dataclass(frozen=True)
class Exchange:
    """One HTTP request to the model and its response, as the endpoint reported them: the
    unit in which reading and writing cost time (a stepwise answer is several)."""

    task: str  # the pass that asked ("quotes", "figures", "events")
    answer: int  # which answer of the pass's call: 1, then 2 for the first re-ask, …
    prompt_tokens: int
    cached_tokens: int  # of the prompt tokens, those the server's prompt cache held
    completion_tokens: int
    seconds: float  # as the client waited for it
    read_s: float | None = None  # llama.cpp's own time to read the prompt, when it says
    write_s: float | None = None  # and to write the answer
    hit: bool = False  # answered from the response cache: nothing was spent

    def line(self) -> str:
        """The exchange as one debug line (benchmarks/tokens.py reads it back)."""
        timings = ""
        if self.read_s is not None and self.write_s is not None:
            timings = f" (llama.cpp: read {self.read_s:.2f}s, wrote {self.write_s:.2f}s)"
        return (
            f"request {self.task or '-'} answer {self.answer}: {self.prompt_tokens} prompt "
            f"tokens ({self.cached_tokens} cached), {self.completion_tokens} answer tokens, "
            f"{self.seconds:.2f}s{timings}{' cache hit' if self.hit else ''}"
        )


def exchange(task: str, answer: int, response: Any, seconds: float) -> Exchange:
    """What one response says it cost, llama.cpp's `timings` included when present."""
    usage = getattr(response, "usage", None)
    details = getattr(usage, "prompt_tokens_details", None)
    timings = getattr(response, "timings", None)
    read_s = write_s = None
    if isinstance(timings, dict):
        read_s = (timings.get("prompt_ms") or 0) / 1000
        write_s = (timings.get("predicted_ms") or 0) / 1000
    return Exchange(
        task,
        answer,
        prompt_tokens=(getattr(usage, "prompt_tokens", 0) or 0) if usage else 0,
        cached_tokens=(getattr(details, "cached_tokens", 0) or 0) if details else 0,
        completion_tokens=(getattr(usage, "completion_tokens", 0) or 0) if usage else 0,
        seconds=seconds,
        read_s=read_s,
        write_s=write_s,
        hit=is_hit(response),
    )


@dataclass
class Accounting:
    """Usage and attempts summed over every answer of one article, and each HTTP exchange
    behind them (a stepwise answer's steps do not pass through instructor's hooks: they
    are counted where they are sent)."""

    usage: Usage = field(default_factory=Usage)
    attempts: int = 0
    exchanges: list[Exchange] = field(default_factory=list)

    def sent(self, task: str, first_attempt: int, response: Any, seconds: float) -> None:
        """Record one HTTP exchange of a call that began after `first_attempt` answers."""
        record = exchange(task, self.attempts - first_attempt + 1, response, seconds)
        self.exchanges.append(record)
        log.debug(record.line())

    def add(self, response: Any) -> None:
        self.attempts += 1
        usage = getattr(response, "usage", None)
        if usage is None or is_hit(response):  # a cached answer's usage was spent before
            return
        self.usage.prompt_tokens += usage.prompt_tokens or 0
        self.usage.completion_tokens += usage.completion_tokens or 0
        details = getattr(usage, "prompt_tokens_details", None)
        self.usage.cached_tokens += (getattr(details, "cached_tokens", 0) or 0) if details else 0


# When a server answers 400 to a mode and its message names the feature, try the next mode.
_FALLBACK = {
    instructor.Mode.JSON_SCHEMA: (instructor.Mode.TOOLS, ("response_format", "json_schema")),
    instructor.Mode.TOOLS: (instructor.Mode.JSON, ("tool", "function")),
}


def call(
    backend: Backend,
    response_model: type[T],
    messages: list[dict[str, str]],
    **kwargs: Any,
) -> T:
    """`ask` with the structured-output mode negotiated (json_schema, else tools, else
    json). An answer cut off at its token budget raises OutputTruncated with what was
    written: the pass keeps the finished items and asks for the rest (pipeline.py)."""
    while True:
        try:
            return ask(backend, response_model, messages, **kwargs)
        except (BackendError, ExtractionError) as exc:
            if not _fall_back(backend, exc):
                raise


async def acall(
    backend: Backend,
    response_model: type[T],
    messages: list[dict[str, str]],
    **kwargs: Any,
) -> T:
    """`call`, asynchronously."""
    while True:
        try:
            return await aask(backend, response_model, messages, **kwargs)
        except (BackendError, ExtractionError) as exc:
            if not _fall_back(backend, exc):
                raise


def _fall_back(backend: Backend, exc: SummarizerError) -> bool:
    """Switch the backend to the next structured-output mode when the server rejected
    this one; False when there is none to try."""
    fallback = _FALLBACK.get(backend.mode)
    if isinstance(exc, OutputTruncated) or not (
        backend.auto_mode and fallback and _mode_rejected(exc, fallback[1])
    ):
        return False
    log.debug("server rejected %s; falling back to %s", backend.mode.value, fallback[0].value)
    backend.mode = fallback[0]
    return True


def _mode_rejected(exc: SummarizerError, words: tuple[str, ...]) -> bool:
    """A 400 naming the feature, or tool mode answered without any tool call (llama.cpp
    without a tool-call chat template simply answers in text)."""
    message = str(exc).lower()
    if isinstance(exc, BackendError):
        return exc.status == 400 and any(word in message for word in words)
    return "no tool calls" in message


def ask(
    backend: Backend,
    response_model: type[T],
    messages: list[dict[str, str]],
    *,
    context: Any,
    accounting: Accounting,
    attempts: int,
    max_tokens: int,
    stepwise_pass: bool = False,
    task: str = "",
) -> T:
    """Ask once, re-ask on validation errors; after the last attempt parse leniently.

    With `stepwise_pass`, the answer is written field by field when the backend can
    (`Backend.stepwise`) and the schema allows it.

    Lenient parsing re-validates the last answer with `context.lenient = True`, so the
    validators drop the ungrounded items (recording warnings) instead of failing the brief.
    """
    create = backend.client.chat.completions.create
    first_attempt = accounting.attempts

    def send(**request: Any) -> Any:
        for attempt in backend.policy.transport():
            with attempt:
                started = time.monotonic()
                response = create(**request)
                accounting.sent(task, first_attempt, response, time.monotonic() - started)
                return check_completion(backend, response)

    def checked_create(**request: Any) -> Any:
        if _stepwise(backend, stepwise_pass, request):
            return check_completion(backend, stepwise.complete(send, request))
        return send(**request)

    client = instructor.Instructor(
        client=backend.client,
        create=instructor.patch(create=checked_create, mode=backend.mode),
        mode=backend.mode,
    )
    _listen(client, accounting)
    try:
        return client.chat.completions.create(
            **_request(backend, response_model, messages, context, max_tokens),
            max_retries=backend.policy.reasks(attempts),
        )
    except Exception as exc:
        return _failed(exc, backend, response_model, context, attempts, max_tokens)


async def aask(
    backend: Backend,
    response_model: type[T],
    messages: list[dict[str, str]],
    *,
    context: Any,
    accounting: Accounting,
    attempts: int,
    max_tokens: int,
    stepwise_pass: bool = False,
    task: str = "",
) -> T:
    """`ask`, asynchronously (instructor's async client over `openai.AsyncOpenAI`)."""
    aclient = backend.async_client()
    create = aclient.chat.completions.create
    first_attempt = accounting.attempts

    async def send(**request: Any) -> Any:
        async for attempt in backend.policy.atransport():
            with attempt:
                started = time.monotonic()
                response = await create(**request)
                accounting.sent(task, first_attempt, response, time.monotonic() - started)
                return check_completion(backend, response)

    async def checked_create(**request: Any) -> Any:
        if _stepwise(backend, stepwise_pass, request):
            return check_completion(backend, await stepwise.acomplete(send, request))
        return await send(**request)

    client = instructor.AsyncInstructor(
        client=aclient,
        create=instructor.patch(create=checked_create, mode=backend.mode),
        mode=backend.mode,
    )
    _listen(client, accounting)
    try:
        return await client.chat.completions.create(
            **_request(backend, response_model, messages, context, max_tokens),
            max_retries=backend.policy.areasks(attempts),
        )
    except Exception as exc:
        return _failed(exc, backend, response_model, context, attempts, max_tokens)


def _stepwise(backend: Backend, stepwise_pass: bool, request: dict[str, Any]) -> bool:
    schema = _json_schema(request) if backend.stepwise and stepwise_pass else None
    return schema is not None and stepwise.supported(schema)


def _listen(client: Any, accounting: Accounting) -> None:
    client.on("completion:response", accounting.add)
    client.on("parse:error", lambda error, **_: log.debug("re-asking: %s", _first_error(error)))


def _request(
    backend: Backend, response_model: type[T], messages: list, context: Any, max_tokens: int
) -> dict[str, Any]:
    return {
        "model": backend.model,
        "messages": messages,
        "response_model": response_model,
        "context": {"summarizer": context},
        "temperature": 0,
        "max_tokens": max_tokens,
    }


def _failed(
    exc: Exception,
    backend: Backend,
    response_model: type[T],
    context: Any,
    attempts: int,
    max_tokens: int,
) -> T:
    """What a failed instructor call becomes: the last answer parsed leniently when the
    re-asks ran out, else one of our errors, raised."""
    if isinstance(exc, IncompleteOutputException):
        raise _truncated(backend, max_tokens, exc.last_completion) from exc
    if isinstance(exc, openai.APIError):
        raise _backend_error(backend, exc) from exc
    if not isinstance(exc, InstructorRetryException):
        raise exc
    cause = _root_cause(exc)
    if isinstance(cause, SummarizerError):
        raise cause from exc
    if isinstance(cause, IncompleteOutputException):
        raise _truncated(backend, max_tokens, cause.last_completion) from exc
    if isinstance(cause, openai.APIError):
        raise _backend_error(backend, cause) from exc
    if backend.mode is instructor.Mode.TOOLS and "no tool calls" in str(exc).lower():
        raise ExtractionError(f"{backend.endpoint}: the model made no tool calls") from exc
    last = exc.last_completion
    if last is None:
        raise ExtractionError(f"{backend.endpoint}: no usable answer: {exc}") from exc
    context.lenient = True
    try:
        return response_model.model_validate_json(
            _raw_answer(last), context={"summarizer": context}
        )
    except (ValidationError, ValueError) as final:
        raise ExtractionError(
            f"{backend.endpoint}: the model's answer did not fit the schema after "
            f"{attempts} attempts: {_first_error(final)}"
        ) from final
    finally:
        context.lenient = False


def _json_schema(request: dict[str, Any]) -> dict | None:
    response_format = request.get("response_format") or {}
    if response_format.get("type") != "json_schema":
        return None
    return (response_format.get("json_schema") or {}).get("schema")


def check_completion(backend: Backend, response: Any) -> Any:
    """Refuse, before instructor parses it, an answer that no re-ask can fix.

    Re-asking is for answers that are wrong; a refusal, a content filter, or a body that is
    not a chat completion at all (plain text, an SSE stream, JSON without `choices`) fails
    the same way every time, so it ends the call with one clear line instead.
    """
    endpoint = backend.endpoint
    choices = getattr(response, "choices", None)
    if not isinstance(choices, list) or not choices:
        if isinstance(response, str) and response.lstrip().startswith("data:"):
            what = "an event stream (SSE) answered a request that did not ask to stream"
        elif isinstance(response, str):
            what = f"not a chat completion: {' '.join(response.split())[:120]!r}"
        else:
            what = "a JSON body without 'choices', not a chat completion"
        raise BackendError(
            f"{endpoint}: HTTP 200, but {what}", endpoint=endpoint, status=200, every_request=True
        )
    choice = choices[0]
    message = getattr(choice, "message", None)
    if choice.finish_reason == "content_filter" or message is None:
        raise ExtractionError(
            f"{endpoint}: the endpoint's content filter withheld the answer "
            f"(finish_reason={choice.finish_reason})"
        )
    refusal = getattr(message, "refusal", None)
    if refusal:
        raise ExtractionError(f"{endpoint}: the model refused: {' '.join(str(refusal).split())}")
    return response


def _root_cause(exc: BaseException) -> BaseException:
    """The first API or truncation error behind instructor's wrapper, else the wrapper."""
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, (openai.APIError, IncompleteOutputException, SummarizerError)):
            return seen
        seen = seen.__cause__ or seen.__context__
    return exc


def _backend_error(backend: Backend, exc: openai.APIError) -> BackendError:
    endpoint = backend.endpoint
    if isinstance(exc, openai.APIStatusError):
        return BackendError(
            f"{endpoint}: HTTP {exc.status_code}: {_server_message(exc)}",
            endpoint=endpoint,
            status=exc.status_code,
            every_request=exc.status_code in (401, 403, 404),
        )
    if isinstance(exc, openai.APITimeoutError):
        return BackendError(
            f"{endpoint}: timed out after {backend.client.timeout}s "
            f"({backend.policy.transport_retries} retries)",
            endpoint=endpoint,
        )
    if isinstance(exc, openai.APIConnectionError):
        return BackendError(
            f"{endpoint}: cannot connect ({exc.__cause__ or exc})",
            endpoint=endpoint,
            every_request=True,
        )
    return BackendError(f"{endpoint}: {exc}", endpoint=endpoint)


def _truncated(backend: Backend, max_tokens: int, completion: Any) -> OutputTruncated:
    return OutputTruncated(
        f"{backend.endpoint}: the model's answer was cut off at the {max_tokens}-token limit "
        "(finish_reason=length); try a shorter article or a stronger model",
        partial=_raw_answer(completion) if completion is not None else "",
    )


def _raw_answer(completion: Any) -> str:
    message = completion.choices[0].message
    if message.tool_calls:
        return message.tool_calls[0].function.arguments
    return message.content or ""


def _server_message(exc: openai.APIStatusError) -> str:
    """The server's own words, on one line, with anything that looks like a key masked
    (a 401 from OpenAI quotes part of the key it was given)."""
    body = exc.body
    message = None
    if isinstance(body, dict):
        error = body.get("error", body)
        if isinstance(error, dict) and error.get("message"):
            message = str(error["message"])
    if message is None:
        text = exc.response.text.strip() if exc.response is not None else ""
        try:
            message = str(json.loads(text)["error"]["message"])
        except (ValueError, KeyError, TypeError):
            message = " ".join(text.split())[:200] or exc.message
    return mask_keys(" ".join(message.split()))


def _first_error(exc: Exception) -> str:
    if isinstance(exc, ValidationError) and exc.errors():
        return str(exc.errors()[0]["msg"])
    return str(exc).splitlines()[0]
