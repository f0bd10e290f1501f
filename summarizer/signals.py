"""Ctrl-C and SIGTERM: how `summarize` ends on a signal, at any moment, within seconds.

SIGINT raises KeyboardInterrupt and SIGTERM raises `Terminated` (a KeyboardInterrupt, so
one `except KeyboardInterrupt` handles both) in the main thread. The command then writes
what it finished, prints one line and calls `leave`, which ends the process with
os._exit: 130 for SIGINT, 143 for SIGTERM. A second signal ends it at once.

Why os._exit and not a normal exit: dropping llama.cpp's server (xllamacpp.Server has no
stop method; its destructor terminates the task loop and joins its threads) holds the GIL
until the decode step in flight ends (tens of seconds on a CPU), and never returns when an
HTTP request is still open (the request waits for a result the stopped loop never sends)
or when it comes right after the server started (the loop misses the terminate). So after
a signal the embedded server is not dropped (`EmbeddedServer.stop` checks `received`) and
its threads end with the process. Every file the CLI writes is written whole (a temporary
renamed over it, or one fsynced line appended), so nothing is half-written either way.

Python runs a handler only when the main thread runs Python code, and two things can keep
it from raising in time: a signal that lands just before the main thread blocks (in a lock
or a socket wait) does not wake it, and library code can swallow the exception (raised
inside a class's creation it becomes a RuntimeError, which instructor takes for a failed
attempt and retries). So a watcher thread, woken through signal.set_wakeup_fd, pokes the
main thread with POKE until the handler has run, and ends the process GRACE seconds
after the signal whatever the main thread is doing; the commands also `check` after an
error.
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
EXIT_CODES: dict[int, int] = {signal.SIGINT: 130, signal.SIGTERM: 143}  # 128 + the signal's number
POKE = signal.SIGUSR1  # wakes the main thread from a blocking call; its handler does nothing
GRACE = 5.0  # seconds from the signal to os._exit, if the command has not left by then
MESSAGE = "summarize: interrupted"

_received: int | None = None  # the first signal's number, once its handler ran
_leaving = threading.Event()
_deferring = threading.Event()  # within `deferred`: a signal is raised when it ends


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
    global _received
    if _received is not None:  # the second one: the user wants out now
        _leave_now(EXIT_CODES[signum])
    _received = signum
    if not _deferring.is_set():
        check()


def _woken(signum: int, frame: object) -> None:
    """POKE's handler: nothing. Its arrival ended the main thread's blocking call, so Python
    now runs the handler of the signal that did not wake it."""


def _leave_now(code: int) -> None:
    if not _leaving.is_set():  # else `leave` printed its line
        _say(MESSAGE)
    os._exit(code)


def _say(message: str) -> None:
    """The line on stderr; on a terminal it replaces a progress bar drawn in place."""
    clear = "\r\033[K" if sys.stderr.isatty() else ""
    print(clear + message, file=sys.stderr, flush=True)


def _watch(wakeups: int, done: threading.Event) -> None:
    """Wait for SIGINT or SIGTERM; then poke the main thread until its handler has run,
    and end the process GRACE seconds later unless the command has left (or `done`)."""
    not_in_this_thread()
    main = threading.main_thread().ident
    # The pipe stays open while it pokes: each poke writes a byte to it too, and a closed
    # pipe would have Python print a BrokenPipeError for every one.
    with os.fdopen(wakeups, "rb", buffering=0) as pipe:
        code = None
        while code is None:
            data = pipe.read(64)  # one byte per signal handled in Python
            if not data:  # handled() ended
                return
            code = next((EXIT_CODES[s] for s in data if s in EXIT_CODES), None)
        while _deferring.is_set():  # GRACE counts from the end of the deferred setup
            if done.wait(0.1):
                return
        for _ in range(round(GRACE / 0.1)):
            if done.wait(0.1):
                return
            if _received is None and main is not None:
                signal.pthread_kill(main, POKE)
    if not done.is_set():
        _leave_now(code)


@contextmanager
def handled() -> Iterator[None]:
    """Within: SIGINT and SIGTERM raise in the main thread; previous handlers after.

    Outside the main thread (where Python cannot set handlers) it changes nothing.
    """
    global _received
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {sig: signal.getsignal(sig) for sig in (*SIGNALS, POKE)}
    for sig in SIGNALS:
        signal.signal(sig, _handler)
    signal.signal(POKE, _woken)
    wakeups, wakeup = os.pipe()
    os.set_blocking(wakeup, False)
    previous_wakeup = signal.set_wakeup_fd(wakeup, warn_on_full_buffer=False)
    done = threading.Event()
    threading.Thread(target=_watch, args=(wakeups, done), name="signals", daemon=True).start()
    try:
        yield
    finally:
        done.set()
        signal.set_wakeup_fd(previous_wakeup)
        os.close(wakeup)  # the watcher reads the end and stops
        for sig, handler in previous.items():
            if handler is not None:  # None: a handler set outside Python, left as it is
                signal.signal(sig, handler)
        _received = None


def leave(exc: BaseException, message: str = MESSAGE) -> NoReturn:
    """Print the one-line message, flush what was written, and end the process now."""
    _leaving.set()
    try:
        sys.stdout.flush()
        _say(message)
    finally:
        os._exit(exit_code(exc))


def not_in_this_thread() -> None:
    """Keep SIGINT and SIGTERM from this thread (and the threads it starts)."""
    signal.pthread_sigmask(signal.SIG_BLOCK, SIGNALS)


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


@contextmanager
def kept() -> Iterator[None]:
    """Keep this process's SIGINT and SIGTERM handlers across a library's setup (ray.init
    sets its own SIGTERM handler): they are set back as they were when the block ends.
    Outside the main thread (where Python cannot set handlers) it changes nothing."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    before = {sig: signal.getsignal(sig) for sig in SIGNALS}
    try:
        yield
    finally:
        for sig, handler in before.items():
            if handler is not None:  # None: a handler set outside Python, left as it is
                signal.signal(sig, handler)


@contextmanager
def deferred() -> Iterator[None]:
    """Within: a signal is only noted, and raised when the block ends, for setup that a
    signal must not cut in half (`ray.init` starting Ray's processes: cut, it left two
    of them running for good). GRACE counts from the block's end; a second signal still
    ends the process at once."""
    _deferring.set()
    try:
        yield
    finally:
        _deferring.clear()
    check()
