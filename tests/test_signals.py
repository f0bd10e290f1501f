"""Ctrl-C and SIGTERM end `summarize` at any moment, within seconds (issue #25).

Real processes and real signals: one line on stderr, exit 130 (SIGINT) or 143 (SIGTERM),
and every output file absent or whole. Against the replay server here; against the
embedded model (assembly, load, a request in flight) in the tests marked live.
"""

from __future__ import annotations

import json
import os
import pty
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import CASSETTES, LISBON, RECORDED_MODEL, ROOT
from replay_server import ReplayServer

from summarizer import signals

RECORDED = CASSETTES / "test_api" / "test_short_article_dates_and_figures.yaml"
SIGNALS = [
    pytest.param(signal.SIGINT, 130, id="SIGINT"),
    pytest.param(signal.SIGTERM, 143, id="SIGTERM"),
]
SMALL_MODEL = "qwen2.5-coder-0.5b"  # the point is the signal: the faster model


def summarize(args: list[str], env: dict[str, str] | None = None, **kwargs: object):
    command = [sys.executable, "-m", "summarizer.cli", *args]
    return subprocess.Popen(command, cwd=ROOT, env=env or dict(os.environ), **kwargs)  # type: ignore[call-overload]


def replay_env(server: ReplayServer) -> dict[str, str]:
    return os.environ | {
        "OPENAI_BASE_URL": server.url,
        "OPENAI_API_KEY": "sk-test-placeholder",
        "SUMMARIZER_MODEL": RECORDED_MODEL,
    }


def wait_for(condition: Callable[[], bool], what: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.02)


def signal_and_wait(process: subprocess.Popen, sig: int, timeout: float = 30) -> float:
    """Send `sig`; the seconds until the process ended."""
    sent = time.monotonic()
    process.send_signal(sig)
    try:
        process.wait(timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        pytest.fail(f"still running {timeout:.0f}s after {signal.Signals(sig).name}")
    return time.monotonic() - sent


def records(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def leftovers(folder: Path) -> list[str]:
    """Temporary files a write cut short would leave (the cache dir aside)."""
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


def test_sigterm_is_a_keyboard_interrupt_that_exits_143_and_the_handlers_come_back():
    before = signal.getsignal(signal.SIGTERM)
    with pytest.raises(signals.Terminated), signals.handled():
        os.kill(os.getpid(), signal.SIGTERM)
        time.sleep(5)  # the handler raises in this thread at once
    assert issubclass(signals.Terminated, KeyboardInterrupt)
    assert signals.exit_code(signals.Terminated()) == 143
    assert signals.exit_code(KeyboardInterrupt()) == 130
    assert signal.getsignal(signal.SIGTERM) is before
    assert not signals.received()


@pytest.mark.block_network(allowed_hosts=["127.0.0.1"])
@pytest.mark.parametrize(("sig", "code"), SIGNALS)
def test_a_signal_while_a_request_is_in_flight_ends_run_at_once(tmp_path, sig, code):
    out = tmp_path / "brief.json"
    with ReplayServer(RECORDED, delay=60) as server:  # the answer would take a minute
        process = summarize(
            ["run", str(LISBON), "--out", str(out), "--no-cache"],
            replay_env(server),
            stderr=subprocess.PIPE,
            text=True,
        )
        wait_for(lambda: server.requests >= 1, "the first request")
        seconds = signal_and_wait(process, sig)
    assert process.returncode == code
    assert process.communicate()[1].splitlines() == ["summarize: interrupted"]
    assert seconds < 5
    assert not out.exists()
    assert leftovers(tmp_path) == []


@pytest.mark.block_network(allowed_hosts=["127.0.0.1"])
@pytest.mark.parametrize(("sig", "code"), SIGNALS)
@pytest.mark.parametrize("answers", [1, 3], ids=["between-passes", "between-articles"])
def test_a_signal_between_requests_keeps_only_whole_briefs(tmp_path, sig, code, answers):
    """Signalled as the n-th answer arrives: the client takes it in and asks the next.
    Two articles, three passes each; --out holds nothing or whole briefs."""
    out = tmp_path / "briefs.jsonl"
    started: list[subprocess.Popen] = []

    def signal_after(sent: int) -> None:
        if sent == answers:
            started[0].send_signal(sig)

    with ReplayServer(RECORDED, on_answer=signal_after) as server:
        args = ["run", str(LISBON), str(LISBON), "--format", "jsonl", "--out", str(out)]
        process = summarize([*args, "--no-cache"], replay_env(server), stderr=subprocess.PIPE)
        started.append(process)
        process.wait(30)
        assert server.answers_sent == answers
    assert process.returncode == code
    assert process.communicate()[1].decode().splitlines() == ["summarize: interrupted"]
    if out.exists():  # the first article, if it was finished
        briefs = records(out)
        assert len(briefs) == 1 and briefs[0]["meta"]["attempts"] == 3
    assert leftovers(tmp_path) == []


@pytest.mark.block_network(allowed_hosts=["127.0.0.1"])
@pytest.mark.parametrize(("sig", "code"), SIGNALS)
def test_a_signal_inside_a_batch_does_not_wait_for_the_articles_in_flight(tmp_path, sig, code):
    folder = tmp_path / "articles"
    folder.mkdir()
    for i in range(6):
        shutil.copy(LISBON, folder / f"article-{i}.txt")
    out = tmp_path / "results.jsonl"
    args = ["batch", str(folder), "--out", str(out), "--jobs", "2", "--no-cache"]
    with ReplayServer(RECORDED, delay=0.2) as server:
        process = summarize(args, replay_env(server), stderr=subprocess.PIPE, text=True)
        wait_for(lambda: out.exists() and out.read_text().count("\n") >= 1, "a first record")
        server.delay = 60  # the articles in flight would take minutes
        wait_for(lambda: server.requests > server.answers_sent, "a request in flight")
        seconds = signal_and_wait(process, sig)
    assert process.returncode == code
    lines = process.communicate()[1].splitlines()
    assert lines[-1] == f"summarize batch: interrupted; rerun to resume ({out} is intact)"
    assert sum("interrupted" in line for line in lines) == 1
    assert seconds < 5
    done = records(out)  # every line whole
    assert 1 <= len(done) < 6 and all("brief" in r for r in done)
    assert leftovers(tmp_path) == []


@pytest.mark.block_network(allowed_hosts=["127.0.0.1"])
@pytest.mark.parametrize(("sig", "code"), SIGNALS)
def test_a_signal_during_eval_still_reports_the_cases_that_finished(tmp_path, sig, code):
    """A long eval stopped by Ctrl-C prints and writes (--out) the scores of the cases it
    finished, then ends like any interrupted command."""
    folder = tmp_path / "events"
    folder.mkdir()
    gold = {"published": "2026-03-14", "gold": {"who": ["Lisbon"], "what": ["planted"]}}
    for name in ("a", "b"):
        shutil.copy(LISBON, folder / f"{name}.txt")
        (folder / f"{name}.gold.json").write_text(json.dumps(gold), encoding="utf-8")
    out = tmp_path / "report.json"
    args = ["eval", str(folder), "--kind", "events", "--out", str(out)]
    with ReplayServer(RECORDED) as server:
        process = summarize(
            args, replay_env(server), stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        wait_for(lambda: server.answers_sent >= 1, "the first case's answer")
        server.delay = 60  # the second case's answer would take a minute
        wait_for(lambda: server.requests >= 2, "the second case's request")
        seconds = signal_and_wait(process, sig)
    stdout, stderr = (stream.decode() for stream in process.communicate())
    assert process.returncode == code
    assert stderr.splitlines()[-1] == "summarize eval: interrupted"
    assert seconds < 5
    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["interrupted"] == "after 1 of 2 cases"
    assert report["cases"] == 1 and report["failures"] == 0
    assert report["event who F1"] is not None
    assert "| interrupted | after 1 of 2 cases |" in stdout
    assert server.unmatched == 0  # the case was scored on its recorded answer


class Terminal:
    """A `summarize` process whose stderr is a terminal, so it shows its progress lines."""

    def __init__(self, args: list[str], stdin: Path | None = None) -> None:
        master, slave = pty.openpty()
        with open(stdin or os.devnull, "rb") as source:
            self.process = summarize(args, stdin=source, stdout=subprocess.DEVNULL, stderr=slave)
        os.close(slave)
        self.text = ""
        threading.Thread(target=self._read, args=(master,), daemon=True).start()

    def _read(self, master: int) -> None:
        while True:
            try:
                data = os.read(master, 4096)
            except OSError:  # the process ended
                break
            if not data:
                break
            self.text += data.decode("utf-8", "replace")
        os.close(master)

    def wait_for(self, text: str, timeout: float = 120) -> None:
        wait_for(lambda: text in self.text or self.process.poll() is not None, repr(text), timeout)
        assert text in self.text, self.text

    def last_line(self) -> str:
        time.sleep(0.2)  # the reader takes the last bytes
        lines = [re.sub(r"\x1b\[K", "", line) for line in re.split(r"[\r\n]+", self.text)]
        return [line for line in lines if line.strip()][-1]


def needs_the_embedded_model() -> None:
    pytest.importorskip("xllamacpp", reason="needs the 'local' extra")


@pytest.mark.live
@pytest.mark.parametrize(("sig", "code"), SIGNALS)
def test_a_signal_during_model_assembly_leaves_no_model_file(tmp_path, sig, code):
    """SUMMARIZER_CACHE_DIR is an empty folder here (conftest), so the model is assembled."""
    needs_the_embedded_model()
    models = tmp_path / "cache" / "models"
    terminal = Terminal(["run", "-", "--model", SMALL_MODEL, "--no-cache"], stdin=LISBON)
    terminal.wait_for("assembling the embedded model")
    wait_for(lambda: any(p.stat().st_size > 50e6 for p in models.iterdir()), "50 MB assembled")
    seconds = signal_and_wait(terminal.process, sig)
    assert terminal.process.returncode == code
    assert terminal.last_line() == "summarize: interrupted"
    assert seconds < 5
    assert list(models.iterdir()) == []  # neither a model file nor the temporary one


@pytest.mark.live
@pytest.mark.parametrize(("sig", "code"), SIGNALS)
def test_a_signal_during_model_load_ends_it_once_loaded(monkeypatch, sig, code):
    """The load holds the GIL: the signal is held too, and raised as it returns."""
    needs_the_embedded_model()
    monkeypatch.delenv("SUMMARIZER_CACHE_DIR")  # the user's cache: the model is assembled
    terminal = Terminal(["run", "-", "--model", SMALL_MODEL, "--no-cache"], stdin=LISBON)
    terminal.wait_for(f"starting embedded model {SMALL_MODEL}")
    seconds = signal_and_wait(terminal.process, sig)
    assert terminal.process.returncode == code
    assert terminal.last_line() == "summarize: interrupted"
    assert "asking about" not in terminal.text
    assert seconds < 20  # the rest of the load: about 2 s, more on a busy machine


@pytest.mark.live
@pytest.mark.parametrize(("sig", "code"), SIGNALS)
def test_a_signal_while_the_embedded_model_answers_ends_it_at_once(monkeypatch, sig, code):
    needs_the_embedded_model()
    monkeypatch.delenv("SUMMARIZER_CACHE_DIR")
    terminal = Terminal(["run", "-", "--model", SMALL_MODEL, "--no-cache"], stdin=LISBON)
    terminal.wait_for("asking about quotes")
    time.sleep(1)  # the request is in flight, the model reading the article
    seconds = signal_and_wait(terminal.process, sig)
    assert terminal.process.returncode == code
    assert terminal.last_line() == "summarize: interrupted"
    assert "asking about figures" not in terminal.text
    assert seconds < 5
