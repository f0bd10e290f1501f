"""How far events "what" can go by choosing events better, on briefs an eval run wrote (#27).

    summarize eval ../shared --kind events --cache --briefs briefs/
    python benchmarks/what_bounds.py ../shared --briefs briefs/

The scorer takes the one event of a brief that best matches the gold's who, what, when and
where together, so a brief's best "what" counts only when its event also has the right
time and place. Each column scores "what" with the briefs changed so, each an upper bound:
- now: as written;
- headline perfect: the brief's first event (the headline's, or the lead's) given the
  gold's own time and place;
- every perfect: every event given them, so that who and what alone choose the event;
- best what: the best "what" of any event, whatever the other questions score.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from pathlib import Path

from summarizer.datasets import split_of
from summarizer.evaluate import _gold_phrases, score_events, token_f1
from summarizer.schema import Brief, When

Change = Callable[[Brief, dict[str, list[str]]], None]


def _perfect(events: slice) -> Change:
    def change(brief: Brief, phrases: dict[str, list[str]]) -> None:
        for event in brief.events[events]:
            if phrases["when"]:
                event.when = When(text=phrases["when"][0])
            if phrases["where"]:
                event.where = phrases["where"][0]

    return change


COLUMNS: dict[str, Change] = {
    "now": lambda brief, phrases: None,
    "headline perfect": _perfect(slice(0, 1)),
    "every perfect": _perfect(slice(None)),
}


Row = tuple[str, str, dict[str, float]]  # folder ("dev", "fresh"), split, "what" by column


def scores(root: Path, briefs: Path) -> list[Row]:
    """One row per events brief."""
    golds = {p.name.removesuffix(".gold.json"): p for p in root.glob("**/events/*.gold.json")}
    rows = []
    for brief_path in sorted(briefs.glob("**/events/*.json")):
        gold_path = golds[brief_path.stem]
        gold = json.loads(gold_path.read_text())
        phrases = _gold_phrases(gold)
        written = Brief.model_validate_json(brief_path.read_text())
        row: dict[str, float] = {}
        for name, change in COLUMNS.items():
            brief = written.model_copy(deep=True)  # each column changes its own copy
            change(brief, phrases)
            row[name] = score_events(brief, gold)["what"] or 0.0
        row["best what"] = max(
            (max(token_f1(e.what, p) for p in phrases["what"]) for e in written.events),
            default=0.0,
        )
        rows.append((gold_path.parent.parent.name, split_of(brief_path.stem), row))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("root", type=Path, help="the folder the eval run was given")
    parser.add_argument("--briefs", type=Path, required=True, help="the eval run's --briefs")
    args = parser.parse_args()
    rows = scores(args.root, args.briefs)
    folders = sorted({r[0] for r in rows})
    groups = [("all", None, None)] + [
        (f"{folder or ''} {split}".strip(), folder, split)
        for split in ("tune", "check")
        for folder in [None, *folders]
    ]
    columns = [*COLUMNS, "best what"]
    print("| events what | " + " | ".join(columns) + " |")
    print("|---" * (len(columns) + 1) + "|")
    for label, folder, split in groups:
        chosen = [r for r in rows if folder in (None, r[0]) and split in (None, r[1])]
        means = [sum(r[2][c] for r in chosen) / len(chosen) for c in columns]
        print(f"| {label} ({len(chosen)}) | " + " | ".join(f"{m:.3f}" for m in means) + " |")


if __name__ == "__main__":
    main()
