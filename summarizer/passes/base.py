"""What every pass shares: the validation context, keyed answer models, grounding helpers.

Candidates (quoted spans, number mentions, sentences) are found in code first and handed
to the model by id; the model only says what it is good at. Each answer model validates
itself against the article through the validation context: in strict mode a problem
raises, and instructor sends the named reason back to the model; in lenient mode (after
the last attempt) the offending item is dropped and a warning recorded, so nothing
ungrounded ever reaches the brief.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field, replace
from typing import Any, ClassVar

from pydantic import BaseModel, Field, ValidationInfo, create_model, model_validator
from pydantic_core import from_json

from summarizer.article import Article
from summarizer.grounding import Sentence, find_text, split_sentences
from summarizer.injection import instruction_sentences
from summarizer.language import DECIMAL_COMMA, guess_language
from summarizer.numbers import NumberMention, find_numbers
from summarizer.quotes import QuoteMention, find_quotes, is_speech


@dataclass(frozen=True)
class Question:
    """One pass's request: the template to render, its variables, the answer model."""

    template: str
    model: type[BaseModel]
    variables: dict[str, Any]
    max_tokens: int
    # Written field by field where the server can (stepwise.py): only where measured to
    # answer as well as one request does.
    stepwise: bool = False
    # The window as this request shows it; its answers are validated against it.
    ctx: Context | None = None


@dataclass
class Context:
    """Everything the validators need; passed to instructor as the validation context."""

    article: Article
    sentences: list[Sentence]
    quotes: dict[str, QuoteMention]
    numbers: dict[str, NumberMention]
    lenient: bool = False
    warnings: list[str] = field(default_factory=list)
    # The part of the article being asked about (all of it, unless it is long): candidates
    # start in [start, end); the prompt shows the article from `shown_from` (one paragraph
    # earlier, for context) to `end`. Offsets and ids stay those of the whole article.
    shown_from: int = 0
    start: int = 0
    end: int | None = None
    # The language generated text is written in: the caller's choice, else the article's
    # as guessed (a small model told "the article's language" writes English); None when
    # the guess is unclear, and the prompt then says "the language the article is written in".
    lang: str | None = None
    written_in: str | None = None  # the article's language as guessed, None when unclear

    @classmethod
    def build(cls, article: Article, lang: str | None = None) -> Context:
        text = article.text
        sentences = split_sentences(text)
        marked = find_quotes(text)
        # a sentence that gives the model orders holds no one's quotes or figures, and
        # never grounds a number the model writes (see summarizer.injection); a repeated
        # sentence's quotes and figures are those of its first telling
        orders = instruction_sentences(text, sentences, marked)
        unused = [*orders, *repeated_sentences(sentences)]

        def usable(offset: int) -> bool:
            return not any(s.start <= offset < s.end for s in unused)

        spoken = [q for q in marked if is_speech(text, q) and usable(q.start)]
        quotes = {f"Q{i}": q for i, q in enumerate(spoken, 1)}
        written_in = guess_language(text)
        decimal_comma = written_in in DECIMAL_COMMA
        found = [n for n in find_numbers(text, decimal_comma=decimal_comma) if usable(n.start)]
        numbers = {f"N{i}": n for i, n in enumerate(found, 1)}
        if article.dateline is not None:  # "KYIV, Jan 5 (Reuters) -" is not part of a sentence
            sentences = [_after(s, article.dateline.end, text) for s in sentences]
            sentences = [s for s in sentences if s is not None]
        lang = lang or written_in
        warnings = [
            f"not used: {s.text[:60]!r}, which gives the model instructions" for s in orders
        ]
        return cls(
            article, sentences, quotes, numbers, lang=lang, written_in=written_in, warnings=warnings
        )

    def window(self, shown_from: int, start: int, end: int) -> Context:
        """The same article, asking only about candidates that start in [start, end)."""
        return replace(
            self,
            quotes={k: q for k, q in self.quotes.items() if start <= q.start < end},
            numbers={k: n for k, n in self.numbers.items() if start <= n.start < end},
            shown_from=shown_from,
            start=start,
            end=end,
        )

    def in_window(self, offset: int, *, shown: bool = False) -> bool:
        end = len(self.article.text) if self.end is None else self.end
        return (self.shown_from if shown else self.start) <= offset < end

    def sentence_numbers(self, *, shown: bool = False) -> list[int]:
        """1-based numbers of the sentences in the window (or shown in the prompt)."""
        return [i for i, s in enumerate(self.sentences, 1) if self.in_window(s.start, shown=shown)]

    def sentence_of(self, offset: int) -> int:
        """1-based number of the sentence holding `offset` (the last one before it)."""
        number = 1
        for i, sentence in enumerate(self.sentences, 1):
            if sentence.start <= offset:
                number = i
        return number

    @property
    def article_values(self) -> set[float]:
        values: set[float] = set()
        for mention in self.numbers.values():
            values.add(float(mention.value))
            if mention.value_max is not None:
                values.add(float(mention.value_max))
        return values


REPEAT_MIN_WORDS = 6  # "Yes," he said. may well be said twice; a whole sentence is not


def repeated_sentences(sentences: list[Sentence]) -> list[Sentence]:
    """Sentences the article already had word for word: a page that prints its standfirst
    twice (7 of the 60 quote and event dev articles) would otherwise give each of its
    figures and quotes twice, and ask the model about each of them twice."""
    seen: set[str] = set()
    repeated = []
    for sentence in sentences:
        words = sentence.text.casefold().split()
        key = " ".join(words)
        if len(words) >= REPEAT_MIN_WORDS and key in seen:
            repeated.append(sentence)
        seen.add(key)
    return repeated


def _after(sentence: Sentence, offset: int, text: str) -> Sentence | None:
    """The part of a sentence after `offset` (the dateline's end), or None if nothing is left."""
    if sentence.start >= offset:
        return sentence
    start = offset
    while start < sentence.end and text[start].isspace():
        start += 1
    if start >= sentence.end:
        return None
    return Sentence(start, sentence.end, text[start : sentence.end], sentence.paragraph)


def validation_context(info: ValidationInfo) -> Context:
    ctx = (info.context or {}).get("summarizer")
    if not isinstance(ctx, Context):
        raise ValueError("internal error: validation context missing")
    return ctx


def enforce(ctx: Context, problems: list[str]) -> None:
    """Strict: raise every problem so instructor sends them back. Lenient: record them."""
    if not problems:
        return
    if not ctx.lenient:
        raise ValueError("; ".join(problems))
    ctx.warnings.extend(f"left out after the last attempt: {p}" for p in problems)


def ungrounded_numbers(ctx: Context, generated: str) -> list[str]:
    """Numbers in generated text that the article does not have. The text is read both
    ways ("3,2" is 3.2 in a Spanish summary, "1,200" is 1200 in an English one): a number
    is grounded when either reading of it is one of the article's values."""
    known = ctx.article_values
    readings = [find_numbers(generated, decimal_comma=comma) for comma in (False, True)]
    grounded = [(m.start, m.end) for found in readings for m in found if float(m.value) in known]
    return [
        m.text
        for m in readings[0]
        if float(m.value) not in known
        and not any(start <= m.start and m.end <= end for start, end in grounded)
    ]


class KeyedAnswers(BaseModel):
    """One required field per candidate, in order, keyed "Q3 getting what it deserves".

    The JSON-schema grammar makes the model answer every candidate exactly once, and
    writing the key (the id plus the candidate's first words) re-anchors a small model on
    the right candidate, so answers do not drift to a neighbour.
    """

    # What a candidate the model left out counts as, once no attempts are left.
    NO_ANSWER: ClassVar[Any] = {}

    @model_validator(mode="before")
    @classmethod
    def missing_is_no_answer(cls, data: Any, info: ValidationInfo) -> Any:
        """Lenient only: in json mode (no grammar) a small model may skip a candidate."""
        ctx = (info.context or {}).get("summarizer")
        if isinstance(data, dict) and isinstance(ctx, Context) and ctx.lenient:
            for name, field_info in cls.model_fields.items():
                key = field_info.alias or name
                if key not in data and name[0] in "QNS" and name[1:].isdigit():
                    data[key] = copy.deepcopy(cls.NO_ANSWER)
        return data

    def answers(self) -> dict[str, Any]:
        """Answers by candidate id (Q1, N1, S1, …)."""
        return {
            name: getattr(self, name)
            for name in type(self).model_fields
            if name[0] in "QNS" and name[1:].isdigit()
        }


class Collected:
    """One pass's answers gathered from several requests (groups of candidates, or the
    rounds after an answer was cut off), read by `build` as one answer."""

    def __init__(self) -> None:
        self.items: dict[str, Any] = {}
        self.title = ""
        self.summary = ""
        self.asked = False  # whether any answer came back

    def add(self, answer: BaseModel) -> None:
        self.asked = True
        if isinstance(answer, KeyedAnswers):
            self.items.update(answer.answers())
        self.title = getattr(answer, "title", None) or self.title
        self.summary = getattr(answer, "summary", None) or self.summary

    def answers(self) -> dict[str, Any]:
        return self.items


def finished_part(question: Question, partial: str) -> tuple[list[str], dict[str, Any]]:
    """What an answer cut off at its token budget finished: the candidate ids it answered
    in full, and the JSON of those answers, keyed as the answer model expects.

    An item is finished when every field of it was written (its closing brace may be
    missing); the item the model was writing when it was stopped is not. The title and
    summary count as one candidate, "headline".
    """
    try:
        data = from_json(partial, allow_partial=True)
    except ValueError:
        return [], {}
    if not isinstance(data, dict):
        return [], {}
    finished: dict[str, Any] = {}
    for name, field_info in question.model.model_fields.items():
        key = field_info.alias or name
        if key in data and _whole(field_info.annotation, data[key]):
            finished[key] = data[key]
    ids = [key.split(" ", 1)[0] for key in finished if key not in ("title", "summary")]
    if "title" in finished and "summary" in finished:
        ids.insert(0, "headline")
    else:  # half a headline is no headline
        finished.pop("title", None)
        finished.pop("summary", None)
    return ids, finished


def _whole(annotation: Any, value: Any) -> bool:
    """An object with every field written; a string is whole once parsed (a partial
    parse leaves out a string that was not closed)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return isinstance(value, dict) and all(
            (f.alias or n) in value for n, f in annotation.model_fields.items()
        )
    return True


NULL_WORDS = {"", "null", "none", "n/a", "unknown", "not stated", "not mentioned"}


def null_if_empty(value: Any) -> Any:
    """A model without a grammar writes "null" or "unknown" for no answer: make it None."""
    if isinstance(value, str) and value.strip().lower() in NULL_WORDS:
        return None
    return value


def keyed_model(base: type[KeyedAnswers], items: dict[str, Any], keys: dict[str, str]) -> Any:
    fields: dict[str, Any] = {
        cid: (items[cid], Field(alias=f"{cid} {label}")) for cid, label in keys.items()
    }
    return create_model(base.__name__, __base__=base, **fields)


def first_words(text: str, n: int) -> str:
    words = re.findall(r"[\w'’%.,$£€-]+", text)
    return " ".join(words[:n])


def as_written(text: str, phrase: str | None) -> str | None:
    """The article's own spelling of a phrase the model gave (it may differ in case, or in
    the full stop after a title: the model writes "Mr. Comey" where a British paper writes
    "Mr Comey", and two re-asks did not change its answer on a dev article)."""
    if not phrase:
        return None
    phrase = phrase.strip()
    spellings = [
        phrase,
        re.sub(r"^(the|a|an) ", "", phrase, flags=re.I),
        _TITLE_STOP.sub(r"\1", phrase),  # "Mr. Comey" -> "Mr Comey"
        _TITLE.sub(r"\1.", phrase),  # "Dr Smith" -> "Dr. Smith"
    ]
    for spelling in dict.fromkeys(spellings):  # most are the phrase itself: search it once
        hit = find_text(text, spelling)
        if hit:
            return text[hit[0] : hit[1]]
    return None


# Titles written before a person's name. "Col" and "St" also begin places ("Col du
# Tourmalet", "St Petersburg"), which may differ by a full stop too.
PERSON_TITLES = r"(?:Mr|Mrs|Ms|Dr|Prof|Gen|Gov|Sen|Rep|Lt|Sgt|Capt)"
_TITLES = rf"(?:{PERSON_TITLES}|Col|St)"
_TITLE_STOP = re.compile(rf"\b({_TITLES})\.")
_TITLE = re.compile(rf"\b({_TITLES})(?![.\w])")
