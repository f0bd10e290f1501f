"""Plans: work written once as a generator that yields each request and is sent its answer
(or thrown its error), then run synchronously or asynchronously.

A brief (`pipeline.Summarizer._brief`) and a stepwise answer (`stepwise._steps`) are both
plans, so `summarize` and `asummarize`, `complete` and `acomplete` run the same steps and
differ only in how a request is sent.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Generator
from typing import Any, TypeVar

Request = TypeVar("Request")
Result = TypeVar("Result")


def run(plan: Generator[Request, Any, Result], call: Callable[[Request], Any]) -> Result:
    """Send each request's answer back into the plan, or throw its error there; the plan
    decides what a failed request means (one that does not catch it fails the run)."""
    answer: Any = None
    error: Exception | None = None
    while True:
        try:
            request = plan.throw(error) if error is not None else plan.send(answer)
        except StopIteration as done:
            return done.value
        try:
            answer, error = call(request), None
        except Exception as exc:
            answer, error = None, exc


async def arun(
    plan: Generator[Request, Any, Result], call: Callable[[Request], Awaitable[Any]]
) -> Result:
    """`run` with an async `call`."""
    answer: Any = None
    error: Exception | None = None
    while True:
        try:
            request = plan.throw(error) if error is not None else plan.send(answer)
        except StopIteration as done:
            return done.value
        try:
            answer, error = await call(request), None
        except Exception as exc:
            answer, error = None, exc
