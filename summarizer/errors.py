"""Every error the user can see, in one place.

    SummarizerError            base; the CLI prints str(error) on one line and exits 1
    ├── InputError             the article could not be read or is empty (exit 2)
    ├── ModelFileError         the embedded model file is missing or corrupt
    ├── BackendError           the endpoint failed: HTTP status, refusal, timeout, bad body
    └── ExtractionError        the model's answers could not be turned into a brief

Messages say what went wrong and how to fix it, without a traceback.
"""

from __future__ import annotations


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

    def __init__(self, message: str, *, endpoint: str | None = None, status: int | None = None):
        super().__init__(message)
        self.endpoint = endpoint
        self.status = status


class ExtractionError(SummarizerError):
    """The model answered, but not with something usable (e.g. output cut off)."""
