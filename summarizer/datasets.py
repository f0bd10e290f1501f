"""Evaluation datasets: find gold-annotated cases on disk and hand them over uniformly.

Four formats are recognised by their content, not by folder names, so a dataset can be
pointed at wherever it lives (see ../shared/datasets/README.md for the formats):

    X.txt + X.gold.json {"quotes", "attributions", ...}   PolNeAR quotes        -> "quotes"
    X.txt + X.gold.json {"gold": {"who", "what", ...}}     Giveme5W1H main event -> "events"
    X.json [{"text", "quantities"}, ...]                   NewsQuant sentences   -> "figures"
    X.txt + X.gold.json {"schema_version", ...}            a hand-made gold brief -> "brief"

Texts are decoded as UTF-8 without newline translation, so the gold offsets stay valid.
Dataset texts are never copied anywhere: a `Case` only holds them in memory.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from summarizer.errors import InputError

Kind = Literal["quotes", "events", "figures", "brief"]
KINDS: tuple[str, ...] = ("brief", "events", "figures", "quotes")
SPLITS: tuple[str, ...] = ("all", "tune", "check")
GOLD_SUFFIX = ".gold.json"


def split_of(case_id: str) -> str:
    """ "check" for about one case in four, "tune" for the rest.

    Decided by a hash of the id, not by position, so the held-out cases stay the same
    whatever else is in the folder; prompts and rules are changed while looking at "tune"
    cases only, and "check" tells whether a change generalises.
    """
    digest = hashlib.sha256(case_id.encode("utf-8")).digest()
    return "check" if digest[0] % 4 == 0 else "tune"


@dataclass(frozen=True)
class Case:
    """One thing to summarize and its gold answer, whatever dataset it came from."""

    kind: Kind
    id: str
    text: str  # the article text (or the NewsQuant sentence)
    published: str | None  # "YYYY-MM-DD" or None
    gold: dict  # the raw gold object for that case


def load_cases(
    root: Path, kinds: set[str] | None = None, limit: int | None = None, split: str = "all"
) -> list[Case]:
    """Find datasets under root (recursively) and return cases sorted by (kind, id).

    `kinds` keeps only those kinds; `split` keeps the "tune" or the held-out "check" cases
    (see split_of); `limit` caps each kind (after sorting, so the same subset comes back
    every time). Raises InputError when nothing usable is found, because
    an evaluation over zero cases would report meaningless scores instead of failing.
    """
    root = Path(root)
    if kinds is not None and not kinds <= set(KINDS):
        unknown = ", ".join(sorted(kinds - set(KINDS)))
        raise InputError(f"unknown dataset kind {unknown}; expected some of {', '.join(KINDS)}")
    if not root.is_dir():
        raise InputError(f"{root}: not a directory of evaluation datasets")
    cases: list[Case] = []
    for path in sorted(root.rglob("*.json")):
        if not path.is_file():
            continue
        if path.name.endswith(GOLD_SUFFIX):
            case = _gold_case(path)
            cases += [case] if case else []
        else:
            cases += _figure_cases(path)
    if split not in SPLITS:
        raise InputError(f"unknown split {split}; expected one of {', '.join(SPLITS)}")
    if kinds is not None:
        cases = [case for case in cases if case.kind in kinds]
    if split != "all":
        cases = [case for case in cases if split_of(case.id) == split]
    if not cases:
        wanted = "/".join(sorted(kinds)) + " " if kinds else ""
        raise InputError(
            f"{root}: no {wanted}evaluation datasets found "
            "(expected X.txt + X.gold.json pairs or NewsQuant .json files)"
        )
    cases.sort(key=_sort_key)
    if limit is None:
        return cases
    kept: list[Case] = []
    for kind in KINDS:
        kept += [case for case in cases if case.kind == kind][: max(limit, 0)]
    return kept


def _sort_key(case: Case) -> tuple[str, str, int]:
    """(kind, id), but "file#10" after "file#9": NewsQuant ids carry a sentence index."""
    stem, sep, index = case.id.rpartition("#")
    if sep and index.isdigit():
        return case.kind, stem, int(index)
    return case.kind, case.id, -1


def _gold_case(path: Path) -> Case | None:
    """The case for an X.gold.json next to X.txt, or None if the JSON is no known format."""
    gold = _read_json(path, strict=True)
    if not isinstance(gold, dict):
        return None
    kind: Kind
    if "schema_version" in gold:
        kind = "brief"
        article = gold.get("article") or {}
        published = article.get("published") if isinstance(article, dict) else None
    elif "quotes" in gold and "attributions" in gold:
        kind, published = "quotes", gold.get("published")
    elif isinstance(gold.get("gold"), dict):
        kind, published = "events", gold.get("published")
    else:
        return None
    stem = path.name[: -len(GOLD_SUFFIX)]
    text_path = path.with_name(stem + ".txt")
    if not text_path.is_file():
        raise InputError(f"{path}: gold without its article text {text_path.name}")
    return Case(kind, stem, _read_text(text_path), _date_or_none(published), gold)


def _date_or_none(value: object) -> str | None:
    """The gold's publication date when it is one ("YYYY-MM-DD"); one Giveme5W1H case
    has the string "None", which would otherwise fail the whole case."""
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d\d-\d\d", value):
        return value
    return None


def _figure_cases(path: Path) -> list[Case]:
    """One case per NewsQuant sentence; any other JSON file is not ours and is skipped."""
    items = _read_json(path, strict=False)
    if not isinstance(items, list) or not items:
        return []
    if not all(isinstance(item, dict) and {"text", "quantities"} <= item.keys() for item in items):
        return []
    return [
        Case("figures", f"{path.stem}#{index}", str(item["text"]), None, item)
        for index, item in enumerate(items)
    ]


def _read_json(path: Path, *, strict: bool) -> object:
    """Parse a JSON file; a broken .gold.json is an error, a broken stray .json is ignored."""
    try:
        return json.loads(_read_text(path))
    except InputError:
        if strict:
            raise
        return None
    except ValueError as error:
        if strict:
            raise InputError(f"{path}: not valid JSON ({error})") from None
        return None


def _read_text(path: Path) -> str:
    """UTF-8 exactly as stored (no newline translation), so gold offsets keep pointing right."""
    try:
        return path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as error:
        raise InputError(f"{path}: not valid UTF-8 ({error.reason})") from None
    except OSError as error:
        raise InputError(f"{path}: cannot be read ({error.strerror})") from None
