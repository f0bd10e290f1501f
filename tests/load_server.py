"""A load-test endpoint on 127.0.0.1: it answers every chat request with the emptiest
answer the request's JSON schema allows (no speakers, no events), after a delay, and
counts how many requests were in flight at once.

Not a model and not a cassette: it stands in for a remote endpoint where a test measures
how many requests a client keeps in flight, which the answers' content does not change.
"""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


def emptiest(node: dict, defs: dict) -> Any:
    """The least a JSON schema node allows: null where it may be null, else an empty value."""
    while "$ref" in node:
        node = defs[node["$ref"].rsplit("/", 1)[-1]]
    kinds = node.get("anyOf") or [node]
    if any(kind.get("type") == "null" for kind in kinds):
        return None
    kind = kinds[0]
    if kind.get("type") == "object":
        return {key: emptiest(child, defs) for key, child in kind.get("properties", {}).items()}
    return {"array": [], "string": "", "integer": 0, "number": 0}.get(kind.get("type"))


class _Server(ThreadingHTTPServer):
    request_queue_size = 64  # fifty clients connect at once
    daemon_threads = True


class LoadServer:
    def __init__(self, delay: float) -> None:
        self.delay = delay
        self.requests = 0
        self.in_flight = 0
        self.most_in_flight = 0
        lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 — the stdlib's name
                body = json.loads(self.rfile.read(int(self.headers["content-length"])))
                with lock:
                    server.requests += 1
                    server.in_flight += 1
                    server.most_in_flight = max(server.most_in_flight, server.in_flight)
                time.sleep(server.delay)
                with lock:
                    server.in_flight -= 1
                schema = body["response_format"]["json_schema"]["schema"]
                content = json.dumps(emptiest(schema, schema.get("$defs", {})))
                data = json.dumps(
                    {
                        "id": "load",
                        "object": "chat.completion",
                        "created": 0,
                        "model": body["model"],
                        "choices": [
                            {
                                "index": 0,
                                "finish_reason": "stop",
                                "message": {"role": "assistant", "content": content},
                            }
                        ],
                        "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
                    }
                ).encode()
                self.send_response(200)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = _Server(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/v1"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> LoadServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
