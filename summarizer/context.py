"""The validation context: one article as the rules see it.

Built once per article (and narrowed per window of a long one): its sentences, the
quotes and numbers found in code and given ids, the language, and the helpers every rule
asks of it (which sentence holds an offset, whether the first sentence is the headline,
where the lead starts). Rules read it and never change it; only the caller of the model
sets `lenient` for the last attempt.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Any

from summarizer.article import Article
from summarizer.dates import DateMention, find_dates
from summarizer.grounding import Sentence, split_sentences
from summarizer.injection import instruction_sentences
from summarizer.language import DECIMAL_COMMA, guess_language
from summarizer.numbers import NumberMention, find_numbers
from summarizer.quotes import QuoteMention, find_quotes, is_speech


@dataclass(frozen=True)
class Verdict:
    """What a rule decided about one answer: the fields it sets (none when it has nothing
    to say), the warning that tells the reader what was mended or left out, and the
    problem to send back to the model (in strict mode the answer is asked again; after the
    last attempt the change stands and the problem becomes a warning)."""

    changes: dict[str, Any] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()
    problems: tuple[str, ...] = ()


KEEP = Verdict()


@dataclass
class EventDraft:
    """One event of the model's answer while the events rules judge it: its fields, and
    where its evidence stands in the article."""

    sid: str
    sentence: Sentence
    near: tuple[int, int]  # the sentence and the one before it: where its words may stand
    headline: str | None  # the headline, when this is the headline's event (S1)
    translated: bool  # the brief is written in another language than the article
    actors: set[str]  # every actor of the whole answer, case-folded
    who: list[str]
    what: str | None
    where: str | None
    when: str | None
    written: str | None = None  # the place as the sentence writes it, before it is given in full
    page_text: bool = False  # the model's place was a page's player text


@dataclass
class QuoteDraft:
    """One quote's attribution while the speaker rules judge it."""

    qid: str
    frame: str  # the quote's passage, with the quotes in it cut out as [Qn]
    speaker: str | None
    speaker_role: str | None
    channel: str | None
    # the quote before it in the same answer, and its speaker after the rules
    previous: tuple[str, str | None] | None = None


@dataclass
class FigureDraft:
    """What the model says one number counts, while the figure rules judge it."""

    nid: str
    mention: NumberMention
    counts: str


@dataclass
class Context:
    """Everything the rules need; passed to instructor as the validation context."""

    article: Article
    sentences: list[Sentence]
    quotes: dict[str, QuoteMention]
    numbers: dict[str, NumberMention]
    # After the last attempt: the rules leave out what fails instead of asking again.
    lenient: bool = False
    # What the reader is told about the article itself (sentences not used, and why).
    notes: tuple[str, ...] = ()
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
            after = [_after(s, article.dateline.end, text) for s in sentences]
            sentences = [s for s in after if s is not None]
        lang = lang or written_in
        notes = tuple(
            f"not used: {s.text[:60]!r}, which gives the model instructions" for s in orders
        )
        return cls(
            article, sentences, quotes, numbers, lang=lang, written_in=written_in, notes=notes
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
    def headline(self) -> str | None:
        """The first sentence when it is the article's title, else None."""
        title = self.article.title
        if title and self.sentences and self.sentences[0].text.strip() == title:
            return self.sentences[0].text
        return None

    def lead_sentence(self) -> int:
        """The number of the lead's first sentence: the first after the headline, or after
        a standfirst below it (a line of its own without a full stop, like the headline)."""
        number = 2
        while number < len(self.sentences):
            sentence = self.sentences[number - 1]
            alone = self.sentences[number].paragraph != sentence.paragraph
            if not (alone and sentence.text.rstrip()[-1:] not in '.!?"”'):
                break
            number += 1
        return number

    def lead_sids(self) -> set[str]:
        """The ids of the sentences whose events lead the brief: the first, and under a
        headline the lead's first."""
        return {"S1", f"S{self.lead_sentence()}"} if self.headline else {"S1"}

    @cached_property
    def time_words(self) -> list[DateMention]:
        """The time words shown in the window's prompt, after the dateline (found once per
        window: the question, its schema, the rules and the build all read them)."""
        dateline_end = self.article.dateline.end if self.article.dateline else 0
        found = find_dates(self.article.text, self.article.published, self.written_in)
        return [d for d in found if d.start >= dateline_end and self.in_window(d.start, shown=True)]

    @cached_property
    def dates(self) -> dict[str, str | None]:
        """Each time word's text and the date it resolves to (None when it cannot be
        pinned): what an event's "when", one of these texts, means."""
        return {d.text: d.date for d in self.time_words}

    @property
    def article_values(self) -> set[float]:
        values: set[float] = set()
        for mention in self.numbers.values():
            values.add(float(mention.value))
            values.add(abs(float(mention.value)))  # "minus-260" says "260 degrees below"
            if mention.value_max is not None:
                values.add(float(mention.value_max))
        return values


REPEAT_MIN_WORDS = 6  # "Yes," he said. may well be said twice; a whole sentence is not


def repeated_sentences(sentences: list[Sentence]) -> list[Sentence]:
    """Sentences the article already had word for word: a page that prints its standfirst
    twice would otherwise give each of its figures and quotes twice, and ask the model
    about each of them twice. Also a teaser that the next sentence tells in full, cut off
    inside a word ('The Cubs shed themselves of the "' before 'The Cubs shed themselves
    of the "Curse of the Billy Goat" and …'): what it holds is the full telling's."""
    seen: set[str] = set()
    teasers = {s.start for s in cut_off_copies(sentences)}
    repeated = []
    for sentence in sentences:
        words = sentence.text.casefold().split()
        key = " ".join(words)
        if len(words) >= REPEAT_MIN_WORDS and (key in seen or sentence.start in teasers):
            repeated.append(sentence)
        seen.add(key)
    return repeated


def cut_off_copies(sentences: list[Sentence]) -> list[Sentence]:
    """The teasers the next sentence tells in full (see `repeated_sentences`)."""
    return [s for s, f in zip(sentences, sentences[1:], strict=False) if _cut_off_copy(s, f)]


def _cut_off_copy(sentence: Sentence, following: Sentence) -> bool:
    """Whether the next sentence starts with this one and goes on inside its last word."""
    text = sentence.text.rstrip()
    return (
        following.text.startswith(text)
        and len(following.text) > len(text)
        and not following.text[len(text)].isspace()
    )


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
