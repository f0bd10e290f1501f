"""A load-test endpoint on 127.0.0.1: it answers every chat request with the emptiest
answer the request's JSON schema allows (no speakers, no events), after a delay, and
counts how many requests were in flight at once.

Not a model and not a cassette: it stands in for a remote endpoint where a test measures
how many requests a client keeps in flight, which the answers' content does not change.
"""

from __future__ import annotations

import json
from typing import Any

from replay_server import LocalServer


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


class LoadServer(LocalServer):
    def __init__(self, delay: float) -> None:
        super().__init__(delay)

    def answer(self, body: dict) -> tuple[int, bytes]:
        schema = body["response_format"]["json_schema"]["schema"]
        content = json.dumps(emptiest(schema, schema.get("$defs", {})))
        completion = {
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
        return 200, json.dumps(completion).encode()
