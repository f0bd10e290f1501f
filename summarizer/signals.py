"""Ctrl-C and SIGTERM: how `summarize` ends on a signal, at any moment, within seconds.

SIGINT raises KeyboardInterrupt and SIGTERM raises `Terminated` (a KeyboardInterrupt, so
one `except KeyboardInterrupt` handles both) in the main thread. The command then writes
what it finished, prints one line and calls `leave`, which ends the process with
os._exit: 130 for SIGINT, 143 for SIGTERM.

Why os._exit and not a normal exit: dropping llama.cpp's server (xllamacpp.Server has no
stop method; its destructor terminates the task loop and joins its threads) holds the GIL
until the decode step in flight ends (tens of seconds on a CPU), and never returns when an
HTTP request is still open (the request waits for a result the stopped loop never sends)
or when it comes right after the server started (the loop misses the terminate). So after
a signal the embedded server is not dropped (`EmbeddedServer.stop` checks `received`) and
its threads end with the process. Every file the CLI writes is written whole (a temporary
renamed over it, or one fsynced line appended), so nothing is half-written either way.
A second signal, while the command is writing what it finished, ends the process at once.

Library code can swallow the exception: raised inside a class's creation it becomes a
RuntimeError (Python 3.11), which instructor takes for a failed attempt and retries. So
the commands `check` after an error, and a timer ends the process GRACE seconds after
the signal whatever the main thread is doing.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import NoReturn

SIGNALS = (signal.SIGINT, signal.SIGTERM)
EXIT_CODES = {signal.SIGINT: 130, signal.SIGTERM: 143}  # 128 + the signal's number

GRACE = 5.0  # seconds from the signal to os._exit, if the command has not left by then
MESSAGE = "summarize: interrupted"

_received: int | None = None  # the first signal's number, once one arrived
_timer: threading.Timer | None = None
_leaving = threading.Event()


class Terminated(KeyboardInterrupt):
    """SIGTERM arrived: handled like Ctrl-C, but the process exits 143."""


def exit_code(exc: BaseException) -> int:
    return EXIT_CODES[signal.SIGTERM] if isinstance(exc, Terminated) else EXIT_CODES[signal.SIGINT]


def received() -> bool:
    """Whether the process is ending on a signal (so a server must not be waited for)."""
    return _received is not None


def check() -> None:
    """Raise the signal's exception again if one arrived (and library code swallowed it)."""
    if _received is not None:
        raise Terminated() if _received == signal.SIGTERM else KeyboardInterrupt()


def _handler(signum: int, frame: object) -> None:
    global _received, _timer
    if _received is not None:  # the second one: the user wants out now
        _leave_now(EXIT_CODES[signum])
    _received = signum
    _timer = threading.Timer(GRACE, _leave_now, (EXIT_CODES[signum],))
    _timer.daemon = True
    _timer.start()
    check()


def _leave_now(code: int) -> None:
    if not _leaving.is_set():  # else `leave` printed its line
        print(MESSAGE, file=sys.stderr, flush=True)
    os._exit(code)


@contextmanager
def handled() -> Iterator[None]:
    """Within: SIGINT and SIGTERM raise in the main thread; previous handlers after.

    Outside the main thread (where Python cannot set handlers) it changes nothing.
    """
    global _received, _timer
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {sig: signal.signal(sig, _handler) for sig in SIGNALS}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        if _timer is not None:
            _timer.cancel()
        _received = _timer = None


def leave(exc: BaseException, message: str = MESSAGE) -> NoReturn:
    """Print the one-line message, flush what was written, and end the process now."""
    _leaving.set()
    try:
        print(message, file=sys.stderr)
        sys.stdout.flush()
        sys.stderr.flush()
    finally:
        os._exit(exit_code(exc))


@contextmanager
def held() -> Iterator[None]:
    """Hold SIGINT and SIGTERM while native code starts threads (llama.cpp's server).

    Threads inherit the signal mask of the thread that starts them, so the server's
    threads never take these signals; a signal that arrives meanwhile is raised when the
    block ends, by which time the caller has kept what it started (see EmbeddedServer).
    Python's handlers are set again in case the native code replaced them at the C level
    (llama.cpp's own server does; xllamacpp 2026.10 does not).
    """
    before = signal.pthread_sigmask(signal.SIG_BLOCK, SIGNALS)
    try:
        yield
    finally:
        if threading.current_thread() is threading.main_thread():
            for sig in SIGNALS:
                handler = signal.getsignal(sig)
                if handler is not None:
                    signal.signal(sig, handler)
        signal.pthread_sigmask(signal.SIG_SETMASK, before)  # a pending signal raises here
