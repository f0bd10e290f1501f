"""An answer written field by field: the schema's keys typed in, only the values generated.

A pass's answer is a JSON object whose keys, punctuation and indentation the schema fixes:
the quotes pass answers `"Q1 It's difficult to explain": {"speaker": …, "speaker_role": …,
"channel": …}` for every quote. Generated in one request, every one of those fixed tokens
costs a full decoding step, and the fixed text is most of a quotes or figures answer's
tokens (BENCHMARKS.md has the counts).

A llama.cpp server continues an assistant message it is given (prefill) and takes a GBNF
grammar per request. So here the client writes the fixed text itself and asks the model
for one value at a time; the server's prompt cache keeps everything before, so each
request reads only the few new tokens, in one batch. The answer has the same JSON shape
and is parsed and validated exactly as a one-request answer.

Two details keep the model on its own path:
  - the prefill stops inside each key, before its closing quote, and the value's grammar
    starts there: the model writes the `":` and the spacing after it as the tokens it
    would. Typed in up to the colon, in canonical tokens the model did not pick, the keys
    lead runs of quotes to one wrong speaker;
  - each value's grammar ends with the separator that follows it (`,` and a newline, or a
    newline), so the model can write `",\\n` as the one token it would. Without it the
    closing quote's usual token is forbidden, and the model runs on inside the string.

Only llama.cpp servers do both: the embedded server, or one asked for with
`mode="stepwise"`. A schema with a value this module has no grammar for is answered in
one request. Only the quotes pass is written this way (`Question.stepwise`): it writes half
the tokens for the same speakers, while the events pass written this way loses who, when
and where, and the figures pass what the numbers count (BENCHMARKS.md).
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Generator
from typing import Any

from summarizer import plans
from summarizer.cache import HIT_FIELD, is_hit

INDENT = "  "
# llama.cpp's own JSON string character (common/json-schema-to-grammar.cpp).
_CHAR = r'char ::= [^"\\\x7F\x00-\x1F] | [\\] (["\\/bfnrt] | "u" [0-9a-fA-F]{4})'


def _resolve(node: dict, defs: dict) -> dict:
    while "$ref" in node:
        node = defs[node["$ref"].rsplit("/", 1)[-1]]
    return node


def _is_object(node: dict) -> bool:
    return node.get("type") == "object" and bool(node.get("properties"))


def _string_rule(node: dict) -> str:
    most = node.get("maxLength")
    repeat = f"{{{node.get('minLength', 0)},{most}}}" if most else "*"
    return f'"\\"" char{repeat} "\\""'


def value_rule(node: dict) -> str | None:
    """The GBNF of one value the model writes, or None for a kind not written here."""
    rules: list[str] = []
    for kind in node.get("anyOf") or [node]:
        if kind.get("type") == "string" and "enum" in kind:
            rules.extend(_literal(json.dumps(word, ensure_ascii=False)) for word in kind["enum"])
        elif kind.get("type") == "string" and not ({"pattern", "format"} & set(kind)):
            rules.append(_string_rule(kind))
        elif kind.get("type") == "null":
            rules.append('"null"')
        elif kind.get("type") == "array" and kind.get("items") == {"type": "string"}:
            if {"minItems", "maxItems"} & set(kind):
                return None
            item = _string_rule({})
            rules.append(f'"[" ({item} (", " {item})*)? "]"')
        else:
            return None
    return " | ".join(rules)


def _literal(text: str) -> str:
    """A GBNF literal: JSON's escapes (quote, backslash, newline, \\uXXXX) are GBNF's too."""
    return json.dumps(text, ensure_ascii=False)


def grammar(node: dict, after: str) -> str:
    """A value's grammar: its key's closing quote and colon, with the spacing the model
    picks, then the value and the separator that follows it."""
    return f'root ::= "\\"" " "? ":" " "? ({value_rule(node)}) {_literal(after)}\n{_CHAR}\n'


def supported(schema: dict) -> bool:
    """Whether every value under the root object is a kind `value_rule` writes."""
    defs = schema.get("$defs", {})

    def ok(node: dict) -> bool:
        node = _resolve(node, defs)
        if _is_object(node):
            return set(node.get("required", [])) == set(node["properties"]) and all(
                ok(child) for child in node["properties"].values()
            )
        return node.get("type") == "null" or value_rule(node) is not None

    return _is_object(_resolve(schema, defs)) and ok(schema)


def complete(create: Callable[..., Any], request: dict[str, Any]) -> Any:
    """Answer a chat request that carries a json_schema response format, field by field.

    `create` is the OpenAI client's `chat.completions.create`. Returns the last step's
    chat completion with the whole answer as its content and the usage of all steps:
    prompt tokens are the first step's plus the new ones each later step read, completion
    tokens those the model wrote. A step cut off at the token budget (shared by all steps)
    ends the answer with finish_reason "length", as one request would.
    """
    return plans.run(_steps(request), lambda step: create(**step))


async def acomplete(create: Callable[..., Awaitable[Any]], request: dict[str, Any]) -> Any:
    """`complete` with an async `create`."""
    return await plans.arun(_steps(request), lambda step: create(**step))


def _steps(request: dict[str, Any]) -> Generator[dict[str, Any], Any, Any]:
    """The requests of one stepwise answer, each sent with the answer to the one before;
    returns the assembled chat completion."""
    schema = request["response_format"]["json_schema"]["schema"]
    defs = schema.get("$defs", {})
    base = {key: value for key, value in request.items() if key != "response_format"}
    budget = request.get("max_tokens") or 4096
    text = ""
    steps: list[Any] = []

    def ask(node: dict, after: str) -> Generator[dict[str, Any], Any, bool]:
        nonlocal text
        # a cached step keeps its recorded usage: a rerun asks for the same max_tokens
        written = sum(_tokens(step, "completion_tokens") for step in steps)
        if written >= budget:
            return False
        messages = [*request["messages"], {"role": "assistant", "content": text}]
        extra = {**base.get("extra_body", {}), "grammar": grammar(node, after)}
        step = yield base | {
            "messages": messages,
            "max_tokens": budget - written,
            "extra_body": extra,
        }
        steps.append(step)
        content = step.choices[0].message.content or ""
        # llama.cpp returns the prefill with the continuation; other servers may not.
        text = content if content.startswith(text) else text + content
        return step.choices[0].finish_reason != "length"

    def write(node: dict, depth: int, after: str) -> Generator[dict[str, Any], Any, bool]:
        nonlocal text
        node = _resolve(node, defs)
        if not _is_object(node):
            if node.get("type") == "null":
                text += " null" + after
                return True
            return (yield from ask(node, after))
        text += (" " if depth else "") + "{\n"
        keys = list(node["properties"])
        for i, key in enumerate(keys):
            child = _resolve(node["properties"][key], defs)
            if _is_object(child) or child.get("type") == "null":
                text += INDENT * (depth + 1) + json.dumps(key, ensure_ascii=False) + ":"
            else:  # the model writes the key's closing quote, the colon and the spacing
                text += INDENT * (depth + 1) + json.dumps(key, ensure_ascii=False)[:-1]
            if not (yield from write(child, depth + 1, ",\n" if i < len(keys) - 1 else "\n")):
                return False
        text += INDENT * depth + "}" + after
        return True

    finished = yield from write(schema, 0, "")
    if not steps:  # nothing for the model to write: the whole answer is fixed
        return (yield request)
    return _assembled(steps, text, finished)


def _assembled(steps: list[Any], text: str, finished: bool) -> Any:
    """The whole answer as one chat completion. Its usage is that of the steps the server
    answered now; steps answered from the response cache spent nothing. When all were,
    it is a cache hit itself, with the recorded usage, as a one-request answer would be."""
    last = steps[-1]
    spent = [step for step in steps if not is_hit(step)]
    counted = spent or steps
    first = counted[0]
    prompt = _tokens(first, "prompt_tokens")
    for step in counted[1:]:
        prompt += _tokens(step, "prompt_tokens") - _cached(step)
    written = sum(_tokens(step, "completion_tokens") for step in counted)
    usage = None
    if last.usage is not None:
        usage = last.usage.model_copy(
            update={
                "prompt_tokens": prompt,
                "completion_tokens": written,
                "total_tokens": prompt + written,
                "prompt_tokens_details": getattr(first.usage, "prompt_tokens_details", None),
            }
        )
    choice = last.choices[0].model_copy(
        update={
            "finish_reason": "stop" if finished else "length",
            "message": last.choices[0].message.model_copy(update={"content": text}),
        }
    )
    update = {"choices": [choice], "usage": usage}
    if spent and is_hit(last):  # some steps were asked now: the whole is no cache hit
        update[HIT_FIELD] = None
    return last.model_copy(update=update)


def _tokens(step: Any, name: str) -> int:
    return (getattr(step.usage, name, 0) or 0) if step.usage is not None else 0


def _cached(step: Any) -> int:
    details = getattr(step.usage, "prompt_tokens_details", None)
    return (getattr(details, "cached_tokens", 0) or 0) if details else 0
