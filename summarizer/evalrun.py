"""`summarize eval`: run the pipeline over gold datasets and aggregate the scores.

Scoring lives in `summarizer.evaluate` (plain functions); this module only runs cases,
adds the scores up, and renders the table that goes into BENCHMARKS.md.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from summarizer.datasets import Case
from summarizer.errors import SummarizerError
from summarizer.evaluate import PRF, score_events, score_figures, score_quotes, ungrounded
from summarizer.pipeline import Summarizer
from summarizer.schema import Brief

QUESTIONS = ("who", "what", "when", "where")
# Which passes each kind of case runs: only those its gold scores (a NewsQuant sentence:
# figures; PolNeAR: quotes; Giveme5W1H: events), so the whole dev set runs in under an
# hour on two cores; the seed brief gets all three, its seconds are a whole article's.
PASSES = {
    "quotes": ("quotes",),
    "events": ("events",),
    "figures": ("figures",),
    "brief": ("quotes", "figures", "events"),
}


@dataclass
class Totals:
    """Scores summed over cases, per measure."""

    quotes: PRF = field(default_factory=PRF)
    speaker_total: int = 0
    speaker_correct: int = 0
    events: dict[str, list[float]] = field(default_factory=lambda: {q: [] for q in QUESTIONS})
    figure_value: PRF = field(default_factory=PRF)
    figure_value_unit: PRF = field(default_factory=PRF)
    figure_counts: list[float] = field(default_factory=list)  # one token F1 per matched number
    cases: int = 0
    failures: list[str] = field(default_factory=list)
    ungrounded: int = 0
    attempts: list[int] = field(default_factory=list)
    prompt_tokens: int = 0
    completion_tokens: int = 0
    seconds: dict[str, list[float]] = field(default_factory=dict)

    def add(self, case: Case, brief: Any) -> None:
        if case.kind in ("quotes", "brief"):
            scored = score_quotes(brief, case.gold)
            self.quotes = self.quotes + scored["prf"]
            self.speaker_total += scored["speaker_total"]
            self.speaker_correct += scored["speaker_correct"]
        if case.kind in ("events", "brief"):
            for question, value in score_events(brief, case.gold).items():
                if value is not None:
                    self.events[question].append(value)
        if case.kind in ("figures", "brief"):
            scored = score_figures(brief, case.gold)
            self.figure_value = self.figure_value + scored["value"]
            self.figure_value_unit = self.figure_value_unit + scored["value_unit"]
            self.figure_counts += scored["counts"]
        self.ungrounded += ungrounded(brief, case.text)
        self.attempts.append(brief.meta.attempts)
        self.prompt_tokens += brief.meta.usage.prompt_tokens
        self.completion_tokens += brief.meta.usage.completion_tokens
        self.seconds.setdefault(case.kind, []).append(brief.meta.latency_s)

    def report(self) -> dict[str, Any]:
        """The numbers, flat, for --out and for the table."""
        out: dict[str, Any] = {"cases": self.cases, "failures": len(self.failures)}
        if self.quotes.tp + self.quotes.fp + self.quotes.fn:
            out |= _prf("quote", self.quotes)
            out["speaker accuracy"] = _ratio(self.speaker_correct, self.speaker_total)
        for question, values in self.events.items():
            if values:
                out[f"event {question} F1"] = round(statistics.mean(values), 3)
        if self.figure_value.tp + self.figure_value.fp + self.figure_value.fn:
            out |= _prf("figure value", self.figure_value)
            out["figure value+unit F1"] = round(self.figure_value_unit.f1, 3)
        if self.figure_counts:
            out["figure counts F1 (matched)"] = round(statistics.mean(self.figure_counts), 3)
        out["ungrounded items"] = self.ungrounded
        if self.attempts:
            out["calls per case (median)"] = statistics.median(self.attempts)
        out["prompt tokens"] = self.prompt_tokens
        out["completion tokens"] = self.completion_tokens
        for kind, values in self.seconds.items():
            out[f"median s per {kind} case"] = round(statistics.median(values), 1)
        return out


def _prf(name: str, prf: PRF) -> dict[str, float]:
    return {
        f"{name} P": round(prf.precision, 3),
        f"{name} R": round(prf.recall, 3),
        f"{name} F1": round(prf.f1, 3),
    }


def _ratio(part: int, whole: int) -> float | None:
    return round(part / whole, 3) if whole else None


def run(
    cases: list[Case],
    engine: Summarizer,
    progress: Callable[[int, Case], None] | None = None,
    save: Callable[[Case, Brief], None] | None = None,
    totals: Totals | None = None,
) -> Totals:
    """Summarize every case and add up its scores; a failed case counts, and the run goes on.

    `save` gets each brief as it is made, so a long run can be inspected case by case.
    Scores go into `totals` (a new one by default) as each case ends, so a caller that
    passes its own still has the finished cases when a Ctrl-C stops the run.
    """
    totals = Totals() if totals is None else totals
    for number, case in enumerate(cases, 1):
        if progress:
            progress(number, case)
        started = time.monotonic()
        try:
            brief = engine.summarize(case.text, published=case.published, passes=PASSES[case.kind])
        except SummarizerError as exc:
            totals.failures.append(f"{case.kind} {case.id}: {exc}")
            totals.seconds.setdefault(case.kind, []).append(time.monotonic() - started)
        else:
            totals.add(case, brief)
            if save:
                save(case, brief)
        totals.cases += 1  # counted once it ended: a Ctrl-C leaves the case out
    return totals


def table(report: dict[str, Any]) -> str:
    """A two-column Markdown table, the form BENCHMARKS.md keeps."""
    lines = ["| measure | value |", "|---|---|"]
    lines += [f"| {key} | {'—' if value is None else value} |" for key, value in report.items()]
    return "\n".join(lines)
