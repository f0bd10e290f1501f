"""Scoring a brief against gold annotations, as plain functions that tests can pin down.

Matching is lenient on wording (token F1, the SQuAD convention) because gold phrases and
model output rarely agree to the character, and strict on numbers, which must agree exactly.
Every scorer accepts both the public dataset's gold and a hand-made gold brief (the output
contract's shape), so the seed article is scored with the same code as the dev sets.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from summarizer.schema import Brief, Event

QUESTIONS = ("who", "what", "when", "where")
QUOTE_MATCH = 0.6
PRONOUNS = frozenset("i me we us you he him she her it they them who one someone".split())
ARTICLES = frozenset({"the", "a", "an"})


def tokens(text: str) -> list[str]:
    """Lowercase word tokens (letters/digits); punctuation and quote marks never count."""
    return re.findall(r"[^\W_]+", text.lower())


def _f1(predicted: list[str], gold: list[str]) -> float:
    if not predicted or not gold:
        return float(predicted == gold)  # both empty is a perfect match
    common = sum((Counter(predicted) & Counter(gold)).values())
    return 2 * common / (len(predicted) + len(gold))  # = 2PR / (P + R)


def token_f1(predicted: str, gold: str) -> float:
    """Bag-of-tokens F1 between two strings (1.0 when both have no tokens)."""
    return _f1(tokens(predicted), tokens(gold))


def match_one_to_one(
    predicted: list[str], gold: list[str], threshold: float
) -> list[tuple[int, int, float]]:
    """Greedy pairing by descending token F1, each side used once, F1 >= threshold.

    Returns (predicted index, gold index, F1) in the order chosen (best first); ties go
    to the earlier predicted, then the earlier gold item, so results are deterministic.
    """
    candidates = [
        (-score, i, j)
        for i, p in enumerate(predicted)
        for j, g in enumerate(gold)
        if (score := token_f1(p, g)) >= threshold
    ]
    return [(i, j, -negated) for negated, i, j in _greedy(candidates)]


def _greedy(candidates: list[tuple]) -> list[tuple]:
    """Keep (key, i, j) candidates in sorted order while neither i nor j is taken yet."""
    used_p: set[int] = set()
    used_g: set[int] = set()
    kept = []
    for candidate in sorted(candidates):
        _, i, j = candidate
        if i not in used_p and j not in used_g:
            used_p.add(i)
            used_g.add(j)
            kept.append(candidate)
    return kept


@dataclass
class PRF:
    """Counts, so scores over many articles add up (micro-average) before dividing."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def __add__(self, other: PRF) -> PRF:
        return PRF(self.tp + other.tp, self.fp + other.fp, self.fn + other.fn)

    def __radd__(self, other: object) -> PRF:
        return self if other == 0 else NotImplemented  # so that plain sum(prfs) works


def _prf(matched: int, predicted: int, gold: int) -> PRF:
    return PRF(tp=matched, fp=predicted - matched, fn=gold - matched)


def is_proper_name(speaker: str | None) -> bool:
    """Whether a gold speaker names someone ("Clinton", "The New York Post"), so a model
    can be held to it; pronouns and descriptions ("he", "The campaign") cannot be."""
    words = (speaker or "").lstrip("\"'“‘ ").split()
    if not words or not words[0][:1].isupper():
        return False
    first = tokens(words[0])
    if not first or first[0] in PRONOUNS:
        return False
    if first[0] in ARTICLES:
        return len(words) > 1 and words[1][:1].isupper()
    return True


def _name_head(speaker: str) -> list[str]:
    """Tokens of the name part: "Victor Cha, who served..." -> victor cha; drops "(D-N.Y.)"."""
    head = re.sub(r"\([^)]*\)", " ", speaker).split(",")[0]
    return tokens(head) or tokens(speaker)


def speaker_correct(predicted: str | None, gold: str) -> bool:
    """Lenient: overlapping enough, or the gold surname ("Trump") among the predicted words.

    The surname is the last token of the gold's name head (before an appositive comma),
    because PolNeAR sources often run on: "James Acton, a physicist who ... for Peace".
    """
    if not predicted:
        return False
    head = _name_head(gold)
    return token_f1(predicted, gold) >= 0.5 or (bool(head) and head[-1] in tokens(predicted))


def score_quotes(brief: Brief, gold: dict) -> dict:
    """Quote P/R/F1 (text token F1 >= 0.6, one-to-one) and speaker accuracy on matches.

    Works for PolNeAR gold and gold briefs alike: both have "quotes" with "text"/"speaker".
    """
    gold_quotes = gold.get("quotes") or []
    predicted = [quote.text for quote in brief.quotes]
    pairs = match_one_to_one(predicted, [q["text"] for q in gold_quotes], QUOTE_MATCH)
    total = correct = 0
    for i, j, _ in pairs:
        gold_speaker = gold_quotes[j].get("speaker")
        if is_proper_name(gold_speaker):
            total += 1
            correct += speaker_correct(brief.quotes[i].speaker, gold_speaker)
    return {
        "prf": _prf(len(pairs), len(predicted), len(gold_quotes)),
        "speaker_total": total,
        "speaker_correct": correct,
    }


def _gold_phrases(gold: dict) -> dict[str, list[str]]:
    """who/what/when/where phrases of the main event, from Giveme5W1H or a gold brief."""
    if isinstance(gold.get("gold"), dict):
        return {q: [_unescaped(p) for p in gold["gold"].get(q) or [] if p] for q in QUESTIONS}
    events = gold.get("events") or []
    if not events:
        return {q: [] for q in QUESTIONS}
    main = events[0]
    when = (main.get("when") or {}).get("text")
    return {
        "who": [w for w in main.get("who") or [] if w],
        "what": [main["what"]] if main.get("what") else [],
        "when": [when] if when else [],
        "where": [main["where"]] if main.get("where") else [],
    }


_ESCAPE = re.compile(r"\\u([0-9a-fA-F]{4})")


def _unescaped(phrase: str) -> str:
    """Some Giveme5W1H phrases keep JSON's escapes as text ("slams \\u2018rigged\\u2019
    FBI"): read as the characters they stand for, so that "rigged" is a word to match."""
    return _ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), phrase)


def _event_field(event: Event, question: str) -> str:
    if question == "who":
        return " ".join(event.who)
    if question == "when":
        return event.when.text or ""
    return (event.what if question == "what" else event.where) or ""


def score_events(brief: Brief, gold: dict) -> dict[str, float | None]:
    """Per-question token F1 of the one predicted event that best matches the main event.

    One event answers all four questions, so a brief cannot collect "who" from one event
    and "where" from another; None marks a question the gold has no answer for.
    """
    phrases = _gold_phrases(gold)
    asked = [q for q in QUESTIONS if phrases[q]]
    best: dict[str, float] = dict.fromkeys(asked, 0.0)
    best_mean = -1.0
    for event in brief.events if asked else []:
        scores = {q: max(token_f1(_event_field(event, q), p) for p in phrases[q]) for q in asked}
        mean = sum(scores.values()) / len(asked)
        if mean > best_mean:  # strictly better: ties keep the earlier (more salient) event
            best, best_mean = scores, mean
    return {q: best.get(q) for q in QUESTIONS}


_NUMBER = r"-?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?"
_VALUES = re.compile(rf"\s*({_NUMBER})(?:\s*-\s*({_NUMBER}))?\s*")


def parse_gold_values(value: object) -> list[float]:
    """NewsQuant "value": "34.4" -> [34.4]; "1.99E-29" -> [1.99e-29]; a range "15.0-22.0"
    -> [15.0, 22.0]; anything else -> [] (counted as no gold number rather than a crash)."""
    match = _VALUES.fullmatch(str(value).replace(",", ""))
    return [float(part) for part in match.groups() if part] if match else []


def _same_value(a: float, b: float) -> bool:
    return a == b or abs(a - b) <= 1e-6 * max(abs(a), abs(b))


def _gold_figures(gold: dict) -> list[tuple[float, str, str | None, str]]:
    """(value, unit, normalized unit, what it counts) for every gold number, ranges counting
    twice. What it counts is NewsQuant's "referred_concepts" ("BioView shares") or a gold
    brief's "counts"."""
    if "quantities" in gold:
        return [
            (v, q.get("unit") or "", q.get("normalized_unit"), q.get("referred_concepts") or "")
            for q in gold["quantities"]
            for v in parse_gold_values(q.get("value"))
        ]
    return [
        (float(v), figure.get("unit") or "", None, figure.get("counts") or "")
        for figure in gold.get("figures") or []
        for v in (figure.get("value"), figure.get("value_max"))
        if v is not None
    ]


def score_figures(brief: Brief, gold: dict) -> dict:
    """Value P/R/F1, and value+unit P/R/F1, one-to-one over numbers (NewsQuant or gold brief);
    and, over the matched numbers, token F1 of what each figure counts against the gold's.

    Pairs whose units agree are matched first, so a repeated number ("5 %", "5 years")
    pairs with the right gold item and value+unit never exceeds value.
    """
    gold_items = _gold_figures(gold)
    predicted = [(float(f.value), f.unit, f.counts) for f in brief.figures]
    predicted += [
        (float(f.value_max), f.unit, f.counts) for f in brief.figures if f.value_max is not None
    ]
    candidates = []
    for i, (value, unit, _) in enumerate(predicted):
        for j, (gold_value, gold_unit, normalized, _) in enumerate(gold_items):
            if _same_value(value, gold_value):
                unit_ok = unit_matches(unit, gold_unit, normalized)
                candidates.append((not unit_ok, i, j))
    pairs = _greedy(candidates)
    matched, with_unit = len(pairs), sum(not unit_wrong for unit_wrong, _, _ in pairs)
    return {
        "value": _prf(matched, len(predicted), len(gold_items)),
        "value_unit": _prf(with_unit, len(predicted), len(gold_items)),
        "counts": [token_f1(predicted[i][2], gold_items[j][3]) for _, i, j in pairs],
    }


_SYMBOLS = {"%": " percent ", "US$": " usd ", "$": " usd ", "€": " eur ", "£": " gbp "}
_SYMBOLS |= {"°C": " degc ", "°F": " degf "}
_SYNONYMS = [  # (phrase of normalized tokens, canonical token), longest phrases first
    ("singaporean dollar", "sgd"), ("singapore dollar", "sgd"), ("s usd", "sgd"),
    ("square kilometre", "sqkm"), ("sq km", "sqkm"), ("km2", "sqkm"),
    ("mile per hour", "mph"), ("pound sterling", "gbp"), ("us dollar", "usd"),
    ("per cent", "percent"), ("percentage", "percent"), ("pct", "percent"),
    ("kilometre", "km"), ("dollar", "usd"), ("euro", "eur"), ("sterling", "gbp"),
    ("pound", "gbp"), ("ringgit", "myr"), ("rm", "myr"),
    ("degree celsius", "degc"), ("degree c", "degc"), ("deg c", "degc"), ("celsius", "degc"),
    ("degree fahrenheit", "degf"), ("degree f", "degf"), ("deg f", "degf"),
    ("fahrenheit", "degf"), ("mile per gallon", "mpg"),
]  # fmt: skip


def _singular(token: str) -> str:
    if token.endswith("ies") and len(token) > 4:
        return token[:-3] + "y"
    if re.search(r"(ch|sh|x|z|ss)es$", token):
        return token[:-2]
    if token.endswith("s") and not token.endswith(("ss", "us", "is")) and len(token) > 2:
        return token[:-1]
    return token


def unit_tokens(unit: str | None) -> list[str]:
    """Canonical tokens of a unit: symbols spelt out, singular, metre spelling, synonyms."""
    text = unit or ""
    for symbol, word in _SYMBOLS.items():
        text = text.replace(symbol, word)
    words = [_singular(t) for t in tokens(text)]
    words = [re.sub(r"(met|lit)er$", r"\1re", t) for t in words]
    joined = " " + " ".join(words) + " "
    for phrase, canonical in _SYNONYMS:
        joined = joined.replace(f" {phrase} ", f" {canonical} ")
    return joined.split()


def unit_matches(predicted: str, gold: str, normalized: str | None = None) -> bool:
    """Whether a predicted unit names the gold one: "tank"/"tanks", "%"/"percent", "km"/
    "kilometres", or enough shared words ("$ a year" / "dollars per year"). A gold "-"
    (NewsQuant's "no unit") matches an empty prediction."""
    mine = unit_tokens(predicted)
    for other in (gold, normalized):
        if other is not None and _f1(mine, unit_tokens(other)) >= 0.5:
            return True
    return False


def ungrounded(brief: Brief, text: str) -> int:
    """Spans that do not match the article, plus quotes not verbatim in it: should be 0."""
    bad = sum(text[span.start : span.end] != span.text for span in brief.spans())
    return bad + sum(quote.text not in text for quote in brief.quotes)
