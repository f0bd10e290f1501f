"""`summarize eval` aggregation: scores add up over cases, failures count, the run goes on."""

from __future__ import annotations

from summarizer.datasets import Case
from summarizer.errors import BackendError
from summarizer.evalrun import run, table
from summarizer.schema import ArticleInfo, Brief, Figure, Meta, Quote, Span, Usage

TEXT = 'Ana said "we will plant 12 trees" on Friday.'


def brief(quotes=(), figures=(), seconds=2.0) -> Brief:
    return Brief(
        article=ArticleInfo(chars=len(TEXT), sha256=""),
        title="t",
        summary="s",
        quotes=list(quotes),
        figures=list(figures),
        meta=Meta(
            model="m", backend="b", prompt_version="p", attempts=2, latency_s=seconds,
            usage=Usage(prompt_tokens=100, completion_tokens=10),
        ),
    )  # fmt: skip


QUOTE = Quote(text="we will plant 12 trees", kind="partial", speaker="Ana",
              evidence=Span(start=10, end=32, text="we will plant 12 trees"))  # fmt: skip
TREES = Figure(value=12, unit="trees", counts="trees", text="12 trees",
               evidence=Span(start=24, end=32, text="12 trees"))  # fmt: skip


class Engine:
    """Answers each case with a prepared brief, or raises what it is given, and records calls."""

    def __init__(self, answers):
        self.answers = list(answers)
        self.calls = []

    def summarize(self, text, *, published=None, passes=()):
        self.calls.append(passes)
        answer = self.answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer


def case(kind: str, gold: dict) -> Case:
    return Case(kind=kind, id=kind, text=TEXT, published="2026-03-14", gold=gold)


def test_scores_add_up_and_a_failure_does_not_stop_the_run():
    quotes_gold = {
        "quotes": [{"text": "we will plant 12 trees", "speaker": "Ana"}],
        "attributions": [],
    }
    figures_gold = {
        "text": TEXT,
        "quantities": [{"value": "12", "unit": "trees", "normalized_unit": "tree"}],
    }
    engine = Engine(
        [brief(quotes=[QUOTE]), BackendError("HTTP 500"), brief(figures=[TREES], seconds=4.0)]
    )
    saved = []
    totals = run(
        [case("quotes", quotes_gold), case("quotes", quotes_gold), case("figures", figures_gold)],
        engine,
        save=lambda c, b: saved.append((c.kind, b.quotes, b.figures)),
    )
    report = totals.report()
    assert engine.calls == [("quotes",), ("quotes",), ("figures",)]
    assert saved == [("quotes", [QUOTE], []), ("figures", [], [TREES])]  # the failed case: none
    assert report["cases"] == 3 and report["failures"] == 1
    assert report["quote F1"] == 1.0 and report["speaker accuracy"] == 1.0
    assert report["figure value F1"] == 1.0 and report["figure value+unit F1"] == 1.0
    assert report["ungrounded items"] == 0
    assert report["prompt tokens"] == 200
    assert report["median s per figures case"] == 4.0
    assert totals.failures == ["quotes quotes: HTTP 500"]


def test_table_is_markdown():
    assert table({"quote F1": 0.5, "speaker accuracy": None}).splitlines() == [
        "| measure | value |", "|---|---|", "| quote F1 | 0.5 |", "| speaker accuracy | — |",
    ]  # fmt: skip
