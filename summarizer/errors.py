"""Every error the user can see, in one place.

    SummarizerError            base; the CLI prints str(error) on one line and exits 1
    ├── InputError             the article could not be read or is empty (exit 2)
    ├── ModelFileError         the embedded model file is missing or corrupt
    ├── BackendError           the endpoint failed: HTTP status, refusal, timeout, bad body
    │   └── BatchJobError      a provider's batch job failed, was cancelled or is unreadable
    └── ExtractionError        the model's answers could not be turned into a brief
        └── OutputTruncated    an answer hit its token budget (the pass asks for the rest)
    (Pending, a request waiting for a later batch, never reaches the user: see below.)

Messages say what went wrong and how to fix it, without a traceback.

The CLI's exit codes: 0 a brief of every article; 3 a partial brief (a pass could not be
answered: `meta.incomplete` names it); 1 a runtime failure; 2 bad usage or an unreadable
article; 130 interrupted (143 on SIGTERM). With several articles the worst outcome
decides, worst first: 2, 1, 3, 0.
"""

from __future__ import annotations

import re

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_PARTIAL = 3
_BEST_FIRST = (EXIT_OK, EXIT_PARTIAL, EXIT_FAILED, EXIT_USAGE)


def one_line(exc: BaseException | str) -> str:
    """An error's message on one line, as the CLI, batch records and warnings show it."""
    return " ".join(str(exc).split())


_KEY = re.compile(r"\b(sk|key|api[_-]?key)[-_][A-Za-z0-9_*-]{6,}", re.IGNORECASE)


def mask_keys(text: str) -> str:
    """`text` with anything that looks like an API key masked (a 401 from OpenAI quotes
    part of the key it was given)."""
    return _KEY.sub(r"\1-[redacted]", text)


def worst(*codes: int) -> int:
    """The exit code of several outcomes: the worst of them (2, then 1, then 3, then 0)."""
    return max(codes, key=_BEST_FIRST.index)


class SummarizerError(Exception):
    """Base class; `exit_code` is what the CLI exits with."""

    exit_code = 1


class InputError(SummarizerError):
    """Unreadable, empty or undecodable input: a usage problem, so exit 2."""

    exit_code = 2


class ModelFileError(SummarizerError):
    """The embedded model cannot be found, assembled or verified."""


class BackendError(SummarizerError):
    """The model endpoint failed; carries the endpoint and HTTP status when known."""

    def __init__(
        self,
        message: str,
        *,
        endpoint: str | None = None,
        status: int | None = None,
        every_request: bool = False,
    ):
        super().__init__(message)
        self.endpoint = endpoint
        self.status = status
        # The endpoint refuses requests as such (a bad key, an unknown model, nothing
        # listening, not a chat API): every other request would fail the same way.
        self.every_request = every_request


class BatchJobError(BackendError):
    """A provider's batch job (`--engine openai-batch`) failed validation, was cancelled, or
    its files could not be read; what it finished is kept, so a rerun goes on from there."""


class Pending(SummarizerError):
    """A request of a brief's plan has no answer yet: it goes into the next provider batch.

    `summarizer.openai_batch` throws it into the plan in place of the answer, so the pass
    stops there as a failed pass would and the plan goes on to ask its other passes; that
    brief is thrown away and the plan is run again once the batch has answered. It is
    never written into a result or shown to the user.
    """


class ExtractionError(SummarizerError):
    """The model answered, but not with something usable (e.g. output cut off)."""


class OutputTruncated(ExtractionError):
    """The answer hit its token limit (finish_reason=length); `partial` is what was written.

    The pass keeps the items the cut-off answer completed and asks again for the rest.
    """

    def __init__(self, message: str, *, partial: str = "") -> None:
        super().__init__(message)
        self.partial = partial
