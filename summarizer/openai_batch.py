"""`summarize batch --engine openai-batch`: the briefs' requests sent through OpenAI's Batch
API (half the price of the same requests sent one by one, answered within 24 hours).

The requests are those of the synchronous path, the same JSON: each article's brief is
planned by the same `Summarizer` plan (`Summarizer._brief`, run by `summarize`) and each
request goes through the same `llm.call` (instructor, its re-asks, the lenient last
parse), but the HTTP layer under the client is `_Answering`, which answers from the
batches' results instead of the network. A request it has no answer for is written down
as a batch line and the plan is told `Pending`: that pass stops as a failed pass would,
and the plan goes on to ask its other passes and windows, so one round asks every first
request of every article. Once a round's batches are over, every unfinished article is planned again from
the start; its answered requests are answered at once, the grounding checks and merging
run as they do for any answer, and what is still missing (a re-ask of an answer that
failed the checks, the rest of an answer cut off at its budget, a line the provider
failed) goes into the next round. An article whose plan asks nothing new is finished: its
record is appended to --out through `batch.Output`, as the local engine's are.

So the re-asks are the messages instructor itself writes, bounded by --max-retries as in
the synchronous path; the grounding is the same code; identical requests (two copies of
one article) are one line. Requests are asked in json_schema mode (`response_format`,
the OpenAI sync path's mode: the provider enforces the schema), never stepwise: stepwise
writes an answer in many dependent requests on one llama.cpp server (a prefilled
assistant message and a `grammar` field), which a batch of independent requests cannot do.

A line the provider failed is sent again or becomes its answer (`batch_api.Results`); the
batch files, the provider's jobs and the state file that lets a rerun resume polling are
`summarizer.batch_api`'s. Planning and checking stay local: on this project's machine an
article of 3,000 characters takes 0.04 s to plan and 0.1 s to check (BENCHMARKS.md), so a
round of 100,000 articles is hours of one core while its batches take up to a day.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx2
import openai

from summarizer.batch import PARTIAL, WHOLE, Item, Output, Tally, _one, outcome
from summarizer.batch_api import (
    DEFAULT_LIMITS,
    DEFAULT_POLL_S,
    Jobs,
    Limits,
    Line,
    NextRound,
    Results,
    State,
    custom_id_of,
    paths,
    request_key,
)
from summarizer.errors import BatchJobError, Pending, SummarizerError
from summarizer.pipeline import Ask, Summarizer
from summarizer.report.folder import ReportFolder

# The status `_Answering` gives a request that has no answer yet ("425 Too Early"). The
# client under the replay has no transport retries (`max_retries=0`) and a fixed mode, so
# llm turns it into a plain BackendError that fails the pass; `_Replaying.call` raises
# Pending in its place.
WAITING = 425


class _Answering(httpx2.BaseTransport):
    """The HTTP layer under the replay's client: a chat completion request is answered
    from `Results`, or, when it has no answer yet, written down in `waiting` and answered
    WAITING."""

    def __init__(self, results: Results) -> None:
        self.results = results
        self.sent = 0  # requests seen, to number a call's attempts
        self.waiting: tuple[str, dict] | None = None

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        self.sent += 1
        body = json.loads(request.read())
        key = request_key(body)
        found = self.results.answer(key)
        if found is None:
            self.waiting = (key, body)
            message = {"error": {"message": "waiting for the batch"}}
            return httpx2.Response(WAITING, json=message)
        status, content = found
        return httpx2.Response(
            status, content=content, headers={"content-type": "application/json"}
        )


class _Replaying(Summarizer):
    """A Summarizer whose requests are answered from the batches' results (`_Answering`
    under its client): the user's endpoint in its messages, json_schema mode, no
    transport retries (a batch line's are done by sending it again in the next round).
    `missing` collects the lines the article at hand still waits for."""

    def __init__(self, client: openai.OpenAI, model: str, attempts: int, results: Results):
        self.transport = _Answering(results)
        answering = openai.OpenAI(
            base_url=client.base_url,
            api_key="batch-results",
            max_retries=0,
            http_client=httpx2.Client(transport=self.transport),
        )
        super().__init__(client=answering, model=model, attempts=attempts, mode="json_schema")
        self.backend.name = "openai-batch"
        self._answering = answering  # a caller's client to Summarizer, so closed here
        self.item_id = ""
        self.missing: list[Line] = []

    def close(self) -> None:
        super().close()
        self._answering.close()

    def record(self, item: Item) -> tuple[dict, str | None, list[Line]]:
        """The item's record as the local engine makes it (`batch._one`), its text, and
        the requests it is missing: while any are, the record is not final."""
        self.item_id, self.missing = item.id, []
        record, text = _one(self, item)
        return record, text, self.missing

    def call(self, ask: Ask) -> Any:
        """One request of the plan: its answer, or Pending (with the line written down)."""
        self.transport.waiting = None
        before = self.transport.sent
        try:
            return super().call(ask)
        except SummarizerError:
            waiting = self.transport.waiting
            if waiting is None:
                raise
            key, body = waiting
            attempt = self.transport.sent - before
            ctx = ask.question.ctx
            window = ctx.start if ctx is not None else 0
            custom_id = custom_id_of(self.item_id, window, ask.question.template, attempt)
            self.missing.append(Line(custom_id, key, body))
            raise Pending(f"{custom_id}: waiting for the batch") from None


@dataclass
class Spent:
    """The requests the run's records were built from, and their tokens (from the
    answers' own usage)."""

    requests: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0


def run(
    items: list[Item],
    output: Output,
    *,
    client: openai.OpenAI,
    model: str,
    attempts: int,
    limits: Limits = DEFAULT_LIMITS,
    poll_s: float = DEFAULT_POLL_S,
    at_once: int | None = None,
    on_record: Callable[[Item, dict, Tally], None] | None = None,
    on_status: Callable[[str], None] | None = None,
    report: ReportFolder | None = None,
) -> tuple[Tally, Spent]:
    """Brief every item not yet done through batches of `client`'s Batch API, round after
    round, until no article is missing an answer; rerun to resume.

    `at_once` bounds the batches in flight (an organisation's batch queue has a token
    limit); by default every batch file of a round is submitted at once. A
    KeyboardInterrupt leaves at once: the state file has every id a rerun needs.
    """
    say = on_status or (lambda message: None)
    state_path, folder = paths(output.path)
    folder.mkdir(parents=True, exist_ok=True)
    state = State.load(state_path)
    jobs = Jobs(client, state, folder, poll_s, say, at_once)
    results = Results()
    for part in state.parts:
        if part.downloaded:  # by an earlier run: what failed there is sent again
            results.read(folder, part, errors=False)
    read = {part.name for part in state.parts if part.downloaded}
    tally = Tally(skipped=sum(item.id in output.done for item in items))
    spent = Spent()
    finished = set(output.done)  # and, once written, those with an error or a partial brief
    replay = _Replaying(client, model, attempts, results)
    with replay:
        for round_number in itertools.count(1):
            troubled = jobs.wait()
            for part in state.parts:
                if part.downloaded and part.name not in read:
                    results.read(folder, part)
                    read.add(part.name)
            next_round = NextRound(state, folder, limits)
            for item in (item for item in items if item.id not in finished):
                record, text, missing = replay.record(item)
                for line in missing:
                    next_round.add(line)
                if not missing:
                    finished.add(item.id)
                    output.append(record)
                    if report is not None:
                        report.add(record, text)
                    _count(record, tally, spent)
                    if on_record:
                        on_record(item, record, tally)
            parts = next_round.close()
            asked = len(next_round.seen)
            if parts:
                say(f"round {round_number}: {asked} requests in {len(parts)} batch file(s)")
            if troubled:
                said = "; ".join(f"{part.batch_id} {part.status}" for part in troubled)
                raise BatchJobError(f"{said}; {asked} requests unanswered: rerun to send them")
            if not parts:
                return tally, spent
    raise AssertionError("unreachable")  # itertools.count does not end


def _count(record: dict, tally: Tally, spent: Spent) -> None:
    """A new record in the tally, and its answers and tokens in what was spent."""
    if "brief" in record:
        meta = record["brief"]["meta"]
        spent.requests += meta["attempts"]
        spent.prompt_tokens += meta["usage"]["prompt_tokens"]
        spent.completion_tokens += meta["usage"]["completion_tokens"]
    kind = outcome(record)
    if kind == WHOLE:
        tally.done += 1
    elif kind == PARTIAL:
        tally.partial += 1
    else:
        tally.failed += 1
