"""The Python API end to end, replaying real exchanges with the embedded model server."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import re
from collections.abc import Iterator

import pytest
from conftest import CASSETTES, RECORDED_MODEL, SEED, chat_completion, inject_fault

import summarizer
from summarizer import BackendError, InputError
from summarizer.article import load_article
from summarizer.passes import Context, figures, quotes

LISBON = (SEED.parent.parent / "tests" / "data" / "lisbon.txt").read_text(encoding="utf-8")


def answer_keys(kind: str, text: str = LISBON) -> list[str]:
    """The JSON keys the model fills for LISBON ("Q1 We want every child in"), for injection."""
    ctx = Context.build(load_article(text))
    question = quotes.question(ctx) if kind == "quotes" else figures.question(ctx)
    model = question.model
    return [field.alias for field in model.model_fields.values()]


def run(client, text: str, **kwargs) -> summarizer.Brief:
    return summarizer.summarize(text, client=client, model=RECORDED_MODEL, **kwargs)


def run_quotes(client, text: str) -> summarizer.Brief:
    """The quotes pass alone."""
    with summarizer.Summarizer(model=RECORDED_MODEL, client=client) as engine:
        return engine.summarize(text, passes=("quotes",))


def quote_answered(client, vcr, text: str, speaker: str, passes=("quotes",)) -> summarizer.Brief:
    """The brief of `text` (one quote) when the model names `speaker` for its quote."""
    (q1,) = answer_keys("quotes", text)
    answer = {q1: {"speaker": speaker, "speaker_role": None, "channel": None}}
    inject_fault(vcr, "say who is quoted", 200, chat_completion(json.dumps(answer)))
    with summarizer.Summarizer(model=RECORDED_MODEL, client=client) as engine:
        return engine.summarize(text, passes=passes)


def assert_grounded(brief: summarizer.Brief, text: str) -> None:
    brief.check_grounding(text)
    for quote in brief.quotes:
        assert quote.text in text
    for figure in brief.figures:
        assert figure.text == text[figure.evidence.start : figure.evidence.end]


@pytest.mark.vcr
def test_seed_end_to_end(client):
    text = SEED.read_text(encoding="utf-8")
    brief = run(client, text)
    assert_grounded(brief, text)

    speakers = {q.text[:25]: q.speaker for q in brief.quotes}
    assert speakers == {
        "At around 9am Moscow time": "Russia's defence ministry",
        "was good news from Kursk ": "Andriy Yermak",
        "getting what it deserves": "Andriy Yermak",
        "The Russians in Kursk are": "Andriy Kovalenko",
        "major provocation": "President Vladimir Putin",
    }
    assert [q.kind for q in brief.quotes] == ["direct", "partial", "partial", "direct", "partial"]

    figures = {(f.value, f.unit, f.qualifier) for f in brief.figures}
    expected = {
        (2, "tanks", "exact"),
        (1, "counter-obstacle vehicle", "exact"),
        (12, "armoured fighting vehicles", "exact"),
        (61, "drones", "exact"),
        (18, "miles", "up_to"),
        (30, "km", "exact"),
        (200000, "people", "approximately"),
        (1200, "sq km", "more_than"),
        (93, "villages", "exact"),
    }
    assert len(figures & expected) >= 8

    lead = brief.events[0]
    assert lead.evidence[0].start == 23  # the lead sentence, after the dateline
    assert lead.when.date == "2025-01-05"
    assert any(e.when.date == "2024-08" for e in brief.events)
    assert brief.article.published == "2025-01-05"
    assert brief.article.dateline == "Kyiv"
    assert brief.meta.usage.prompt_tokens > brief.meta.usage.cached_tokens > 0
    assert brief.meta.warnings == [] or all("omitted" in w for w in brief.meta.warnings)


SEED_ANSWERS = str(CASSETTES / "test_api" / "test_seed_end_to_end.yaml")


@contextlib.contextmanager
def debug_lines() -> Iterator[list[str]]:
    """The messages the summarizer logs at debug level while the block runs."""
    lines: list[str] = []
    handler = logging.Handler(logging.DEBUG)
    handler.emit = lambda record: lines.append(record.getMessage())  # type: ignore[method-assign]
    logger = logging.getLogger("summarizer")
    level = logger.level
    logger.setLevel(logging.DEBUG)
    logger.addHandler(handler)
    try:
        yield lines
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)


REQUEST_LINE = re.compile(
    r"^request (\w+) answer (\d+): (\d+) prompt tokens \((\d+) cached\), (\d+) answer tokens, "
    r"[\d.]+s \(llama\.cpp: read [\d.]+s, wrote [\d.]+s\)$"
)


@pytest.mark.vcr(SEED_ANSWERS)
@pytest.mark.cassette_in_part
def test_each_request_is_accounted_by_pass_with_the_servers_own_timings(client, vcr):
    with debug_lines() as lines:
        brief = run(client, SEED.read_text(encoding="utf-8"))
    exchanges = [m.groups() for m in map(REQUEST_LINE.match, lines) if m]
    assert len(exchanges) == len(vcr.data)  # every request, each with llama.cpp's timings
    assert [(task, answer) for task, answer, *_ in exchanges] == [
        ("quotes", "1"), ("figures", "1"), ("events", "1")
    ]  # fmt: skip
    assert sum(int(e[2]) for e in exchanges) == brief.meta.usage.prompt_tokens
    assert sum(int(e[4]) for e in exchanges) == brief.meta.usage.completion_tokens


@pytest.mark.vcr
def test_short_article_dates_and_figures(client):
    brief = run(client, LISBON)
    assert_grounded(brief, LISBON)
    assert brief.article.published == "2026-03-14"
    values = {f.value: f for f in brief.figures}
    assert values[12000].unit == "trees"
    assert values[4.5e6].unit == "EUR" and values[4.5e6].qualifier == "approximately"
    assert values[300].qualifier == "more_than"
    assert brief.quotes[0].speaker == "Mayor Ana Ribeiro"
    # the model wrote "Opposition councillor Rui Costa": the title is the role
    assert (brief.quotes[1].speaker, brief.quotes[1].speaker_role) == (
        "Rui Costa",
        "Opposition councillor",
    )
    assert brief.quotes[1].channel is None  # a channel the paragraph does not state is omitted
    assert brief.quotes[1].kind == "partial"
    assert brief.events[0].when.date == "2026-03-13"  # "on Friday", published on a Saturday


# A quote whose speech verb has a pronoun for its subject: the model names the speaker.
SHE_SAID = (
    "Ana Ribeiro, the mayor, opened the new quay on Friday.\n\n"
    '"We will rebuild the whole harbour before the winter," she told reporters.\n'
)


@pytest.mark.vcr
def test_ungrounded_speaker_is_sent_back_and_fixed(client, vcr):
    brief = quote_answered(client, vcr, SHE_SAID, "the mayor of Lisbon")
    assert brief.quotes[0].speaker == "Ana Ribeiro"
    assert brief.meta.attempts == 2  # sent back once
    assert brief.meta.warnings == []


@pytest.mark.vcr
def test_a_wrong_speaker_beside_a_speech_verb_takes_its_subject_without_asking_again(client, vcr):
    q1, q2 = answer_keys("quotes")
    wrong = {
        q1: {"speaker": "the mayor of Lisbon", "speaker_role": None, "channel": None},
        q2: {"speaker": "Rui Costa", "speaker_role": None, "channel": None},
    }
    inject_fault(vcr, "say who is quoted", 200, chat_completion(json.dumps(wrong)))
    brief = run_quotes(client, LISBON)
    assert [q.speaker for q in brief.quotes] == ["Mayor Ana Ribeiro", "Rui Costa"]
    assert brief.meta.attempts == 1  # '"…," Mayor Ana Ribeiro told reporters' says who


@pytest.mark.vcr
def test_a_title_before_the_speakers_name_or_a_caption_is_not_sent_back(client, vcr):
    brief = quote_answered(client, vcr, SHE_SAID, "Lisbon: The Lisbon city council")
    assert [q.speaker for q in brief.quotes] == [None]
    assert brief.meta.attempts == 1
    assert any(w.startswith("Q1: omitted speaker") for w in brief.meta.warnings)


@pytest.mark.vcr
def test_a_lists_bullet_is_no_speaker(client, vcr):
    # written for this test: a page that renders its list's bullets as the letter "l"
    text = (
        "Mayor Ana Ribeiro listed the plans for the quay:\n\n"
        'l The old crane will be "gone by the summer" and sold for scrap.\n'
    )
    brief = quote_answered(client, vcr, text, "l")
    assert [q.speaker for q in brief.quotes] == [None]
    assert "Q1: omitted speaker 'l': not a name" in brief.meta.warnings


@pytest.mark.vcr
def test_a_speaker_after_a_title_is_taken_as_the_article_writes_it(client, vcr):
    q1, q2 = answer_keys("quotes")
    answer = {
        q1: {"speaker": "Mayor Ana Ribeiro", "speaker_role": None, "channel": None},
        q2: {"speaker": "Mr Rui Costa", "speaker_role": None, "channel": None},
    }
    inject_fault(vcr, "say who is quoted", 200, chat_completion(json.dumps(answer)))
    brief = run_quotes(client, LISBON)
    assert [q.speaker for q in brief.quotes] == ["Mayor Ana Ribeiro", "Rui Costa"]
    assert brief.meta.attempts == 1


@pytest.mark.vcr
def test_a_possessive_speaker_is_taken_as_the_article_writes_it(client, vcr):
    text = (
        "Porto, 2026-03-14: A storm hit Porto on Friday and damaged 40 roofs.\n\n"
        '"He was the kindest man we knew," the family of Jorge Silva said in a statement.\n'
    )
    brief = quote_answered(
        client, vcr, text, "Jorge Silva's family", ("quotes", "figures", "events")
    )
    assert brief.quotes[0].speaker == "the family of Jorge Silva"
    assert brief.meta.attempts == 3  # quotes once, figures, events


@pytest.mark.vcr
def test_a_figures_unit_is_the_articles_and_the_model_says_what_it_counts(client, vcr):
    """The unit is read from the article (the words right after the number, or the
    currency it is written with), so it is part of the figure's evidence; the model's
    answer only says what the number counts, and an empty one falls back to the unit."""
    keys = answer_keys("figures")
    answer = dict.fromkeys(keys, "")
    answer[keys[1]] = "cost of the project"
    inject_fault(vcr, "say what each number counts", 200, chat_completion(json.dumps(answer)))
    brief = run(client, LISBON)
    assert_grounded(brief, LISBON)
    figures = {f.value: (f.unit, f.counts, f.text) for f in brief.figures}
    assert figures == {
        12000: ("trees", "trees", "12,000 trees"),
        4.5e6: ("EUR", "cost of the project", "about €4.5 million"),
        5: ("minutes", "minutes", "five minutes"),
        300: ("streets", "streets", "more than 300 streets"),
    }


@pytest.mark.vcr
def test_rate_limit_is_retried_then_succeeds(client, vcr):
    error = {"error": {"message": "Rate limit reached", "type": "rate_limit_exceeded", "code": 429}}
    inject_fault(vcr, "", 429, error, headers={"retry-after": "0"})
    brief = run(client, LISBON)
    assert_grounded(brief, LISBON)
    assert len(brief.quotes) == 2


@pytest.mark.vcr
def test_bad_request_is_not_retried(client, vcr):
    error = {
        "error": {
            "message": "Unrecognized request argument",
            "type": "invalid_request_error",
            "code": None,
        }
    }
    for _ in range(3):  # each pass's request, once
        inject_fault(vcr, "", 400, error)
    with pytest.raises(BackendError) as caught:
        run(client, LISBON)
    assert caught.value.status == 400
    assert "HTTP 400: Unrecognized request argument" in str(caught.value)


# A fault-injection fixture: the recorded model's quotes answer for LISBON, cut off while
# it was writing the second speaker (as an answer that hit its token budget is).
RECORDED_QUOTES = (
    '{\n  "Q1 We want every child in this" : {\n    "speaker" : "Mayor Ana Ribeiro",\n'
    '    "speaker_role" : "Mayor",\n    "channel" : "press conference"\n  },\n'
    '  "Q2 a good start" : {\n    "speaker" : "Opposition councillor Rui Costa",\n'
)
CUT_OFF = RECORDED_QUOTES[: RECORDED_QUOTES.index("Opposition") + 4]


@pytest.mark.vcr
def test_a_cut_off_answer_keeps_what_it_finished_and_asks_only_for_the_rest(client, vcr):
    inject_fault(vcr, "say who is quoted", 200, chat_completion(CUT_OFF, finish_reason="length"))
    brief = run(client, LISBON)
    assert_grounded(brief, LISBON)
    assert brief.meta.incomplete == []
    assert brief.quotes[0].speaker == "Mayor Ana Ribeiro"  # from the cut-off answer
    assert brief.quotes[1].speaker is not None  # asked again, alone
    sent = [json.loads(r.body) for r in vcr.requests if r.body]
    asked = [list(b["response_format"]["json_schema"]["schema"]["properties"]) for b in sent]
    assert asked[0] == ["Q2 a good start"]  # the cut-off answer was the injected one
    assert sent[0]["max_tokens"] == 100 + 50  # one quote's budget


@pytest.mark.parametrize("text", ["", "  \n\t\n"], ids=["empty", "whitespace"])
def test_empty_article_is_refused_before_any_call(client, text):
    with pytest.raises(InputError, match="empty"):
        run(client, text)


def test_public_names_are_pinned():
    assert sorted(summarizer.__all__) == [
        "BackendError", "Brief", "Event", "ExtractionError", "Figure", "InputError",
        "ModelFileError", "Quote", "Span", "Summarizer", "SummarizerError", "asummarize",
        "summarize",
    ]  # fmt: skip


@pytest.mark.vcr
def test_server_without_json_schema_falls_back_to_another_mode(client, vcr):
    """The modes are negotiated: tools next (this server answers them in plain text), then
    json, in which every pass is asked. Without a schema grammar this small model answers
    worse, but what it answers is checked as ever."""
    error = {"error": {"message": "response_format json_schema is not supported", "code": None}}
    inject_fault(vcr, "", 400, error)
    brief = run(client, LISBON)
    assert_grounded(brief, LISBON)
    sent = [json.loads(request.body) for request in vcr.requests if request.body]
    assert any("tools" in body for body in sent)  # tried tools next
    modes = {body["messages"][1]["content"][:20]: body.get("response_format") for body in sent}
    assert all(mode == {"type": "json_object"} for mode in modes.values())  # then plain json


@pytest.mark.vcr
def test_one_summarizer_serves_many_articles(client):
    with summarizer.Summarizer(client=client, model=RECORDED_MODEL) as engine:
        first = engine.summarize(LISBON)
        second = engine.summarize(LISBON)
    assert first.model_dump(exclude={"meta"}) == second.model_dump(exclude={"meta"})


@pytest.mark.vcr
def test_asummarize(client):
    brief = asyncio.run(summarizer.asummarize(LISBON, client=client, model=RECORDED_MODEL))
    assert_grounded(brief, LISBON)
