"""An OpenAI-compatible server on 127.0.0.1 that answers from a recorded cassette.

For tests that must run the CLI in a subprocess (where vcrpy cannot reach), such as
killing a batch mid-run: every answer is a real recorded exchange, matched on the JSON
body, and may be served any number of times, after an optional delay. `on_answer(n)` is
called once the n-th answer is sent (to signal the client between two of its requests).
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TypeVar

import yaml

Server = TypeVar("Server", bound="LocalServer")


class _Server(ThreadingHTTPServer):
    request_queue_size = 64  # fifty clients may connect at once
    daemon_threads = True


class LocalServer:
    """An HTTP endpoint on 127.0.0.1 for tests: it counts the requests and how many are in
    flight at once, waits `delay` before each answer (and gives none once the test is over),
    and answers each JSON body with `answer(body)`. `on_answer(n)` is called once the n-th
    answer is sent."""

    def __init__(self, delay: float = 0.0, on_answer: Callable[[int], None] | None = None) -> None:
        self.delay = delay
        self.on_answer = on_answer
        self.requests = 0
        self.answers_sent = 0
        self.closing = threading.Event()
        self.in_flight = self.most_in_flight = 0
        lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 — the stdlib's name
                body = json.loads(self.rfile.read(int(self.headers["content-length"])))
                with lock:
                    server.requests += 1
                    server.in_flight += 1
                    server.most_in_flight = max(server.most_in_flight, server.in_flight)
                closing = server.closing.wait(server.delay)  # the test is over: no answer
                with lock:
                    server.in_flight -= 1
                if closing:
                    return
                status, data = server.answer(body)
                self.send_response(status)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
                self.wfile.flush()
                server.answers_sent += 1
                if server.on_answer:
                    server.on_answer(server.answers_sent)

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = _Server(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/v1"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def answer(self, body: dict) -> tuple[int, bytes]:
        """The status and JSON body that answer a request's JSON body."""
        raise NotImplementedError

    def __enter__(self: Server) -> Server:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.closing.set()
        self.httpd.shutdown()
        self.httpd.server_close()


class ReplayServer(LocalServer):
    """Answers from one cassette, or several (their articles in one batch)."""

    def __init__(
        self,
        cassette: Path | list[Path],
        delay: float = 0.0,
        on_answer: Callable[[int], None] | None = None,
    ) -> None:
        super().__init__(delay, on_answer)
        self.answers = [
            (json.loads(i["request"]["body"]), i["response"]["body"]["string"])
            for path in (cassette if isinstance(cassette, list) else [cassette])
            for i in yaml.safe_load(path.read_text(encoding="utf-8"))["interactions"]
        ]
        self.unmatched = 0

    def answer(self, body: dict) -> tuple[int, bytes]:
        found = next((a for request, a in self.answers if request == body), None)
        if found is None:
            self.unmatched += 1
            return 500, b'{"error": {"message": "no recorded answer for this request"}}'
        return 200, found.encode() if isinstance(found, str) else found
