"""What each event, speaker and unit rule does to the scores, on each dataset: switch it off,
replay the model's answers from the response cache, score again (issue #27, step 2).

    python benchmarks/audit.py ../shared/datasets/dev ../shared/fresh --out audit.json

Each dataset is first run with every rule, then once per rule with that rule switched
off, only the cases the rule can touch (event rules: the Giveme5W1H cases; speaker rules:
PolNeAR; unit rules: NewsQuant). The answers come from the response cache only (fill it
with `summarize eval DIR --cache` on each dataset first): the model's answer to a first
request does not depend on the rules. A request the cache does not hold fails its case at
once instead of asking the model: a case that failed when the cache was filled (a
timeout), and a re-ask that changes when a rule that sends problems back (a speaker not in
the article, a number the article does not have) is off. The table counts them as
"misses"; they score as failed cases.

For every rule the table gives, per dataset, the change in its measures when the rule is
switched off (negative: the rule helps) and how many cases' briefs changed at all.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import re
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx2

from summarizer import Summarizer, units
from summarizer.cache import CachingTransport
from summarizer.datasets import Case, load_cases, split_of
from summarizer.errors import SummarizerError
from summarizer.evalrun import PASSES, Totals
from summarizer.passes import events as event_pass
from summarizer.passes import quotes as quote_pass

MEASURES = {
    "events": ("event who F1", "event what F1", "event when F1", "event where F1"),
    "quotes": ("quote F1", "speaker accuracy"),
    "figures": ("figure value F1", "figure value+unit F1"),
}


def _without(
    module: Any, name: str, rule: Callable
) -> Callable[[], contextlib.AbstractContextManager]:
    """Switch a rule off by taking it out of its pass's tuple."""
    return _replaced(module, name, tuple(r for r in getattr(module, name) if r is not rule))


def _replaced(
    module: Any, name: str, stand_in: Any
) -> Callable[[], contextlib.AbstractContextManager]:
    """Switch a rule off by putting a stand-in in its place (a rule that is not in a tuple)."""

    @contextlib.contextmanager
    def off() -> Iterator[None]:
        kept = getattr(module, name)
        setattr(module, name, stand_in)
        try:
            yield
        finally:
            setattr(module, name, kept)

    return off


_WEEKDAYS = {
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
    "today", "yesterday", "tomorrow", "tonight", "overnight",
}  # fmt: skip

# (rule, kind of case it touches, how to switch it off)
RULES: list[tuple[str, str, Callable[[], contextlib.AbstractContextManager]]] = [
    *(
        (f"{rule.__module__.rsplit('.', 1)[-1]}.{rule.__name__}", "events",
         _without(event_pass, "EVENT_RULES", rule))
        for rule in event_pass.EVENT_RULES
    ),
    *(
        (f"speakers.{rule.__name__}", "quotes", _without(quote_pass, "QUOTE_RULES", rule))
        for rule in quote_pass.QUOTE_RULES
    ),
    ("units: a verb form ends the unit", "figures",
     _replaced(units, "_verb_form", lambda text, previous, word, end: False)),
    ("units: a plural ends the unit", "figures", _replaced(units, "_plural", lambda word: False)),
    ("units: a weekday or today is no unit", "figures",
     _replaced(units, "_NOT_A_NOUN", units._NOT_A_NOUN - _WEEKDAYS)),
    ("units: a per phrase makes a rate", "figures",
     _replaced(units, "_PER", re.compile(r"(?!)"))),
]  # fmt: skip


class _NotCached(httpx2.BaseTransport):
    """The model's side of a replay-only run: a request the cache does not hold fails."""

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        return httpx2.Response(400, json={"error": {"message": "not in the response cache"}})


def replay_only(engine: Summarizer) -> None:
    transport = engine.backend.client._client._transport
    assert isinstance(transport, CachingTransport), "the response cache is off"
    transport.inner = _NotCached()


def run(cases: list[Case], engine: Summarizer) -> tuple[dict[str, Totals], dict[str, str], int]:
    """Scores by split ("all", "tune", "check"), each case's brief as JSON, and how many
    requests the cache did not answer."""
    totals = {split: Totals() for split in ("all", "tune", "check")}
    briefs: dict[str, str] = {}
    misses = 0
    for case in cases:
        for split in ("all", split_of(case.id)):
            totals[split].cases += 1
        try:
            brief = engine.summarize(case.text, published=case.published, passes=PASSES[case.kind])
        except SummarizerError as exc:
            misses += "not in the response cache" in str(exc)
            for split in ("all", split_of(case.id)):
                totals[split].failures.append(f"{case.id}: {exc}")
            briefs[case.id] = f"failed: {exc}"
            continue
        misses += any("not in the response cache" in w for w in brief.meta.warnings)
        for split in ("all", split_of(case.id)):
            totals[split].add(case, brief)
        meta = brief.meta.model_dump(exclude={"latency_s", "usage"})
        briefs[case.id] = json.dumps([brief.model_dump(exclude={"meta"}, mode="json"), meta],
                                     default=str, sort_keys=True)  # fmt: skip
    return totals, briefs, misses


def scores(totals: dict[str, Totals], kind: str) -> dict[str, dict[str, float | None]]:
    out = {}
    for split, total in totals.items():
        report = total.report()
        out[split] = {m: report.get(m) for m in MEASURES[kind]} | {"failures": len(total.failures)}
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("datasets", nargs="+", type=Path)
    parser.add_argument("--only", help="Only the rules whose name contains this.")
    parser.add_argument("--kind", action="append", choices=list(MEASURES), help="Only these.")
    parser.add_argument("--out", type=Path, help="Write every number as JSON.")
    args = parser.parse_args()
    report: dict[str, Any] = {}
    with Summarizer(cache=True) as engine:
        replay_only(engine)
        for root in args.datasets:
            kinds = args.kind or list(MEASURES)
            cases = load_cases(root, kinds=set(kinds))
            by_kind = {kind: [c for c in cases if c.kind == kind] for kind in kinds}
            base = {}
            for kind, kind_cases in by_kind.items():
                totals, briefs, misses = run(kind_cases, engine)
                base[kind] = (scores(totals, kind), briefs)
                report.setdefault(str(root), {})[f"all rules ({kind})"] = {
                    "scores": base[kind][0], "misses": misses, "changed": 0,
                }  # fmt: skip
                print(f"{root} all rules ({kind}): {base[kind][0]['all']} misses {misses}",
                      file=sys.stderr, flush=True)  # fmt: skip
            for name, kind, off in RULES:
                if (args.only and args.only not in name) or kind not in by_kind:
                    continue
                with off():
                    totals, briefs, misses = run(by_kind[kind], engine)
                changed = sum(briefs[i] != base[kind][1].get(i) for i in briefs)
                got = scores(totals, kind)
                delta = {
                    split: {m: _minus(got[split][m], base[kind][0][split][m]) for m in got[split]}
                    for split in got
                }
                report[str(root)][name] = {
                    "scores": got, "delta": delta, "misses": misses, "changed": changed,
                }  # fmt: skip
                print(f"{root} without {name}: changed {changed}, {delta['all']}, misses {misses}",
                      file=sys.stderr, flush=True)  # fmt: skip
    if args.out:
        args.out.write_text(json.dumps(report, indent=1))
    print(table(report))


def _minus(a: float | None, b: float | None) -> float | None:
    return None if a is None or b is None else round(a - b, 3)


def table(report: dict[str, Any]) -> str:
    """One row per rule: per dataset, the measures' change when it is off, and the cases
    changed."""
    roots = list(report)
    head = "| rule | " + " | ".join(f"{Path(r).name}: Δ when off (briefs changed)" for r in roots)
    lines = [head + " |", "|---" * (len(roots) + 1) + "|"]
    names = [n for n in report[roots[0]] if not n.startswith("all rules")]
    kinds = {name: kind for name, kind, _ in RULES}
    for name in names:
        cells = []
        for root in roots:
            row = report[root].get(name)
            if row is None:
                cells.append("—")
                continue
            delta = {m: v for m, v in row["delta"]["all"].items() if m != "failures"}
            text = ", ".join(f"{m.replace(' F1', '').replace('event ', '')} {v:+.3f}"
                             for m, v in delta.items() if v is not None)  # fmt: skip
            more = row["misses"] - report[root][f"all rules ({kinds[name]})"]["misses"]
            missed = f", {more} more not cached" if more else ""
            cells.append(f"{text} ({row['changed']}{missed})")
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
