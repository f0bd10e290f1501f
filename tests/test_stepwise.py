"""Answers written field by field (stepwise mode): the same brief, fewer tokens written."""

from __future__ import annotations

import json

import pytest
from conftest import CASSETTES, RECORDED_MODEL, SEED
from openai.types.chat import ChatCompletion
from test_api import REQUEST_LINE, debug_lines

import summarizer
from summarizer import stepwise
from summarizer.article import load_article
from summarizer.cache import HIT_FIELD, is_hit
from summarizer.llm import Accounting
from summarizer.passes import Context, events, figures, quotes

LISBON = (SEED.parent.parent / "tests" / "data" / "lisbon.txt").read_text(encoding="utf-8")

STEPWISE_ANSWERS = str(
    CASSETTES
    / "test_stepwise"
    / "test_stepwise_brief_matches_the_one_request_brief_and_writes_less.yaml"
)


def schema_of(pass_module, text: str = LISBON) -> dict:
    question = pass_module.question(Context.build(load_article(text)))
    return question.model.model_json_schema(by_alias=True)


@pytest.mark.parametrize("pass_module", [quotes, figures, events])
def test_every_pass_answer_can_be_written_stepwise(pass_module):
    assert stepwise.supported(schema_of(pass_module))


def test_a_value_the_grammar_cannot_hold_keeps_the_one_request_answer():
    number = {"type": "object", "properties": {"n": {"type": "integer"}}, "required": ["n"]}
    optional = {"type": "object", "properties": {"n": {"type": "string"}}, "required": []}
    assert not stepwise.supported(number)
    assert not stepwise.supported(optional)
    assert not stepwise.supported({"type": "string"})


KEY_END = 'root ::= "\\"" " "? ":" " "? '  # the key's closing quote, the colon, any spacing


def test_a_values_grammar_starts_at_its_keys_end_and_ends_with_its_separator():
    rule = stepwise.grammar(
        {"anyOf": [{"type": "string", "maxLength": 48}, {"type": "null"}]}, ",\n"
    )
    assert rule.startswith(KEY_END + '("\\"" char{0,48} "\\"" | "null") ",\\n"\n')
    who = stepwise.grammar({"type": "array", "items": {"type": "string"}}, "\n")
    assert '"[" ("\\"" char* "\\"" (", " "\\"" char* "\\"")*)? "]"' in who
    when = stepwise.grammar({"anyOf": [{"type": "string", "enum": ["Friday", "‘May’"]}]}, "\n")
    assert when.startswith(KEY_END + '("\\"Friday\\"" | "\\"‘May’\\"") "\\n"\n')


SCHEMA = {
    "$defs": {
        "Answer": {
            "type": "object",
            "properties": {"speaker": {"anyOf": [{"type": "string"}, {"type": "null"}]}},
            "required": ["speaker"],
        },
        "Event": {
            "type": "object",
            "properties": {
                "who": {"type": "array", "items": {"type": "string"}},
                "when": {"type": "null"},
            },
            "required": ["who", "when"],
        },
    },
    "type": "object",
    "properties": {
        "Q1 “We want": {"$ref": "#/$defs/Answer"},
        "S1": {"$ref": "#/$defs/Event"},
    },
    "required": ["Q1 “We want", "S1"],
}
REQUEST = {
    "model": "m",
    "messages": [{"role": "user", "content": "who?"}],
    "response_format": {"type": "json_schema", "json_schema": {"name": "A", "schema": SCHEMA}},
    "temperature": 0,
    "max_tokens": 20,
}


def completion(content: str, finish: str, prompt: int, cached: int, written: int) -> ChatCompletion:
    return ChatCompletion.model_validate(
        {
            "id": "c",
            "object": "chat.completion",
            "created": 0,
            "model": "m",
            "choices": [
                {
                    "index": 0,
                    "finish_reason": finish,
                    "message": {"role": "assistant", "content": content},
                }
            ],
            "usage": {
                "prompt_tokens": prompt,
                "completion_tokens": written,
                "total_tokens": prompt + written,
                "prompt_tokens_details": {"cached_tokens": cached},
            },
        }
    )


class Server:
    """Continues the assistant message as llama.cpp does (prefill echoed), from a script."""

    def __init__(self, values: list[str], echo: bool = True, finish: str = "stop"):
        self.values, self.echo, self.finish = values, echo, finish
        self.requests: list[dict] = []

    def create(self, **request):
        self.requests.append(request)
        prefill = request["messages"][-1]["content"]
        value = self.values[len(self.requests) - 1]
        finish = self.finish if len(self.requests) == len(self.values) else "stop"
        content = prefill + value if self.echo else value
        return completion(content, finish, 100 + len(prefill), 90, 3)


@pytest.mark.parametrize("echo", [True, False])
def test_keys_are_typed_in_and_only_values_are_asked(echo):
    server = Server(['": "Mayor Ana Ribeiro"\n', '" : ["the council"],\n'], echo=echo)
    answer = stepwise.complete(server.create, REQUEST)

    text = answer.choices[0].message.content
    assert json.loads(text) == {
        "Q1 “We want": {"speaker": "Mayor Ana Ribeiro"},
        "S1": {"who": ["the council"], "when": None},  # a null-only value is not asked
    }
    assert text.startswith('{\n  "Q1 “We want": {\n    "speaker": "Mayor')  # as written
    prefills = [r["messages"][-1]["content"] for r in server.requests]
    # each key's closing quote and colon are the model's, as it spaces them
    assert prefills == ['{\n  "Q1 “We want": {\n    "speaker', text[: text.index('" : ["the')]]
    assert all(r["messages"][:-1] == REQUEST["messages"] for r in server.requests)
    assert all("response_format" not in r for r in server.requests)
    assert [r["max_tokens"] for r in server.requests] == [20, 17]  # one budget for all steps
    assert answer.choices[0].finish_reason == "stop"
    first_prompt = 100 + len(prefills[0])
    assert answer.usage.prompt_tokens == first_prompt + (100 + len(prefills[1]) - 90)
    assert answer.usage.completion_tokens == 6
    assert answer.usage.prompt_tokens_details.cached_tokens == 90


def test_a_step_cut_off_at_the_budget_ends_the_answer_as_cut_off():
    server = Server(['": "Mayor Ana'], finish="length")
    answer = stepwise.complete(server.create, REQUEST)
    assert len(server.requests) == 1
    assert answer.choices[0].finish_reason == "length"


@pytest.mark.parametrize("cached", [{1}, {1, 2}], ids=["first-step", "every-step"])
def test_steps_from_the_response_cache_keep_the_budget_and_cost_nothing(cached):
    server = Server(['": "Mayor Ana Ribeiro"\n', '" : ["the council"],\n'])

    def create(**request):
        step = server.create(**request)
        if len(server.requests) in cached:  # answered from the cache: the recorded usage
            step = step.model_copy(update={HIT_FIELD: "hit"})
        return step

    answer = stepwise.complete(create, REQUEST)
    assert [r["max_tokens"] for r in server.requests] == [20, 17]  # as when first asked
    accounting = Accounting()
    accounting.add(answer)
    assert is_hit(answer) == (cached == {1, 2})
    assert accounting.usage.completion_tokens == (0 if is_hit(answer) else 3)
    assert accounting.attempts == 1


@pytest.mark.vcr
def test_stepwise_brief_matches_the_one_request_brief_and_writes_less(client, vcr):
    briefs = {}
    for mode in ("json_schema", "stepwise"):
        with summarizer.Summarizer(client=client, model=RECORDED_MODEL, mode=mode) as engine:
            briefs[mode] = engine.summarize(LISBON)
    one, step = briefs["json_schema"], briefs["stepwise"]
    step.check_grounding(LISBON)
    assert [(q.text, q.speaker) for q in step.quotes] == [(q.text, q.speaker) for q in one.quotes]
    assert step.quotes[0].speaker == "Mayor Ana Ribeiro"
    assert [(f.value, f.unit) for f in step.figures] == [(f.value, f.unit) for f in one.figures]
    assert step.events[0].when.date == "2026-03-13"  # "on Friday", published on a Saturday
    assert step.meta.attempts == one.meta.attempts == 3
    assert step.meta.usage.completion_tokens < one.meta.usage.completion_tokens
    # Only the quotes answer is written stepwise; figures and events are asked in one request.
    bodies = [json.loads(request.body) for request in vcr.requests[3:]]
    assert sum("response_format" in body for body in bodies) == 2
    assert all("grammar" in body for body in bodies if "response_format" not in body)


@pytest.mark.vcr(STEPWISE_ANSWERS)
@pytest.mark.cassette_in_part
def test_each_step_of_a_stepwise_answer_is_accounted_as_a_request(client, vcr):
    with debug_lines() as lines:
        with summarizer.Summarizer(client=client, model=RECORDED_MODEL, mode="stepwise") as engine:
            brief = engine.summarize(LISBON)
    exchanges = [m.groups() for m in map(REQUEST_LINE.match, lines) if m]
    tasks = [task for task, *_ in exchanges]
    assert tasks.count("quotes") > 1 and tasks.count("figures") == tasks.count("events") == 1
    assert {answer for _, answer, *_ in exchanges} == {"1"}  # all steps of one answer
    assert len(exchanges) > brief.meta.attempts == 3
    assert sum(int(e[4]) for e in exchanges) == brief.meta.usage.completion_tokens
