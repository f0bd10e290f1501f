"""When a request is sent again, and when it is not: every retry rule, in one module.

Three layers, each a tenacity `Retrying` made here:

  - `Policy.transport()` wraps one HTTP request. A remote endpoint's transient faults
    (429, 408, 409, 5xx, a timeout, a dropped connection) are sent again with exponential
    backoff and jitter, or after the server's own Retry-After; 400/401/403/404 never are.
    The embedded server is sent nothing twice: it runs greedy decoding on this machine,
    so a request that timed out would take as long again, and a connection refused means
    the server is gone. (llama.cpp stops generating when the client hangs up, so a
    timed-out request does not keep the server busy; tests/test_live.py checks it.)
  - `Policy.reasks(attempts)` is instructor's `max_retries`: an answer that fails the
    schema or the grounding checks is sent back with the reason, up to `attempts` calls.
  - `Policy.cutoffs()` bounds the pass-level rounds after an answer cut off at its token
    budget: the items it completed are kept and only the rest are asked again
    (pipeline.py), so every round makes progress and a runaway answer ends.

The openai SDK's own retries are switched off (`max_retries=0` on every client), so the
number of HTTP requests a pass can make is the product of these three, and no more.
"""

from __future__ import annotations

import email.utils
import json
import time
from dataclasses import dataclass
from typing import Any

import openai
from instructor.core.exceptions import AsyncValidationError, ResponseParsingError
from pydantic import ValidationError
from tenacity import (
    AsyncRetrying,
    RetryCallState,
    Retrying,
    retry_if_exception,
    retry_if_exception_type,
    stop_after_attempt,
    wait_exponential_jitter,
)

from summarizer.errors import OutputTruncated

DEFAULT_TRANSPORT_RETRIES = 2
MAX_RETRY_AFTER_S = 60.0  # the longest Retry-After honoured; a longer one waits this long
CUTOFF_ROUNDS = 4  # the first answer, then at most three rounds for what it left out
_BACKOFF = wait_exponential_jitter(initial=0.5, max=8.0, jitter=0.5)
# What instructor re-asks on (its own list): the answer did not parse or failed validation.
_REASK_ON = (ValidationError, json.JSONDecodeError, AsyncValidationError, ResponseParsingError)


@dataclass(frozen=True)
class Policy:
    """The retry rules of one kind of backend: "remote" or "embedded"."""

    kind: str
    transport_retries: int = DEFAULT_TRANSPORT_RETRIES

    @classmethod
    def embedded(cls) -> Policy:
        return cls("embedded", transport_retries=0)

    @classmethod
    def remote(cls, transport_retries: int = DEFAULT_TRANSPORT_RETRIES) -> Policy:
        return cls("remote", transport_retries)

    # Each method returns a fresh Retrying (tenacity keeps per-run state in it) that
    # re-raises the last error; the `a…` twins are the same rules for `asummarize`.

    def transport(self) -> Retrying:
        """Around one HTTP request (each stepwise step is one)."""
        return Retrying(reraise=True, **self._transport_rules())

    def atransport(self) -> AsyncRetrying:
        return AsyncRetrying(reraise=True, **self._transport_rules())

    def reasks(self, attempts: int) -> Retrying:
        """instructor's `max_retries`: `attempts` calls in all for one answer."""
        return Retrying(reraise=True, **_reask_rules(attempts))

    def areasks(self, attempts: int) -> AsyncRetrying:
        return AsyncRetrying(reraise=True, **_reask_rules(attempts))

    def cutoffs(self) -> Retrying:
        """Rounds of one pass while answers are cut off (each asks only what is left)."""
        return Retrying(
            reraise=True,
            stop=stop_after_attempt(CUTOFF_ROUNDS),
            retry=retry_if_exception_type(OutputTruncated),
        )

    def _transport_rules(self) -> dict[str, Any]:
        return {
            "stop": stop_after_attempt(self.transport_retries + 1),
            "retry": retry_if_exception(transient),
            "wait": _retry_after_or_backoff,
        }


def _reask_rules(attempts: int) -> dict[str, Any]:
    return {"stop": stop_after_attempt(attempts), "retry": retry_if_exception_type(_REASK_ON)}


def transient(exc: BaseException) -> bool:
    """A fault that the same request may not meet again: worth one more try."""
    if isinstance(exc, openai.APIConnectionError):  # includes timeouts
        return True
    if isinstance(exc, openai.APIStatusError):
        return transient_status(exc.status_code)
    return False


def transient_status(status: int) -> bool:
    """An HTTP status the same request may not meet again (a batch line's too)."""
    return status in (408, 409, 429) or status >= 500


def retry_after(exc: BaseException | None) -> float | None:
    """Seconds the server asked us to wait (Retry-After, retry-after-ms), if it said."""
    response = getattr(exc, "response", None)
    if response is None:
        return None
    headers = response.headers
    try:
        if "retry-after-ms" in headers:
            return float(headers["retry-after-ms"]) / 1000
        raw = headers.get("retry-after")
        if raw is None:
            return None
        try:
            return float(raw)
        except ValueError:
            when = email.utils.parsedate_to_datetime(raw)
            return max(0.0, when.timestamp() - time.time())
    except (TypeError, ValueError):
        return None


def _retry_after_or_backoff(state: RetryCallState) -> float:
    exc = state.outcome.exception() if state.outcome else None
    asked = retry_after(exc)
    if asked is not None and asked >= 0:
        return min(asked, MAX_RETRY_AFTER_S)
    return _BACKOFF(state)
