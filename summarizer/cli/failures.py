"""How a command fails: one line on stderr and the exit code summarizer/errors.py gives.

The line reads "summarize: error: SOURCE: message"; --debug (or SUMMARIZER_DEBUG=1) adds
the traceback. A signal ends a command through summarizer/signals.py instead, after the
command has written what it finished.
"""

from __future__ import annotations

import os
import sys
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from typing import NoReturn

import click

from summarizer import signals
from summarizer.errors import EXIT_FAILED, EXIT_USAGE, SummarizerError, one_line


def report(source: str, exc: Exception, debug: bool) -> int:
    """Print `exc` as one line about `source` and return the exit code it calls for.

    Any other exception is a bug, and still one line (exit 1): `summarize run` goes on
    with the next article. An error that a signal caused (library code swallowed the
    KeyboardInterrupt) raises it again instead, so the command ends, unreported.
    """
    signals.check()
    if debug or os.environ.get("SUMMARIZER_DEBUG"):
        traceback.print_exception(exc, file=sys.stderr)
    if isinstance(exc, SummarizerError):
        message, code = one_line(exc), exc.exit_code
    else:
        internal = f"internal error: {type(exc).__name__}: {exc} (--debug shows the traceback)"
        message, code = one_line(internal), EXIT_FAILED
    prefix = "" if message.startswith(source) else f"{source}: "
    click.echo(f"summarize: error: {prefix}{message}", err=True)
    return code


def usage_error(message: str) -> NoReturn:
    """End the command with one line about options that do not go together (exit 2)."""
    click.echo(f"summarize: error: {message}", err=True)
    sys.exit(EXIT_USAGE)


@contextmanager
def ending_on_error(source: str, debug: bool, interrupted: str = signals.MESSAGE) -> Iterator[None]:
    """Around a whole command: a SummarizerError ends it with its line and exit code, a
    signal with the line `interrupted`. Anything else is a bug and keeps its traceback."""
    try:
        try:
            yield
        except SummarizerError as exc:
            sys.exit(report(source, exc, debug))
    except KeyboardInterrupt as exc:
        signals.leave(exc, interrupted)
