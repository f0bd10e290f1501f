"""What a number counts: the model's answer for a figure, checked against the number itself.

The figure's value, range, qualifier and unit come from code; the model only says what
the number counts. An answer that is a candidate's id, names another number, or is only
a number says nothing about this figure: the unit stands in. Each rule returns a
`Verdict` on the draft figure.
"""

from __future__ import annotations

import re

from summarizer.context import KEEP, Context, FigureDraft, Verdict, ungrounded_numbers
from summarizer.numbers import NumberMention, find_numbers
from summarizer.words import FUNCTION_WORDS, letter_words

# A candidate's id given as its answer: on a long list of numbers the model can fall into
# answering "N1", "N2", … for every number, even with the schema grammar on, or write its
# key again ("N15 80%").
AN_ID = re.compile(r"[NQS]\s?\d+(?![\w-])")


def names_another_number(ctx: Context, mention: NumberMention, counts: str) -> bool:
    """Whether "counts" names a number the article does not have, or only numbers other
    than the figure's own ("two victims" beside 62; not "two tanks, one vehicle" beside two)."""
    values = {float(n.value) for n in find_numbers(counts)}
    if not values:  # ungrounded_numbers reads the same text and would find none either
        return False
    own = {float(mention.value), float(mention.value_max or mention.value)}
    return not values & own or bool(ungrounded_numbers(ctx, counts))


# Words that qualify a number ("more than fifty"), not name what it counts.
_QUALIFIER_WORDS = {
    "more", "than", "less", "fewer", "about", "around", "nearly", "almost", "over", "under",
    "up", "some", "least", "most", "approximately", "roughly", "just",
}  # fmt: skip


def only_a_number(counts: str) -> bool:
    """Whether "counts" says nothing but a number: on a long article the model may spell
    the numbers out ("sixty-two", "more than fifty") instead of saying what they count."""
    rest = counts
    for number in sorted(find_numbers(counts), key=lambda n: -n.start):
        rest = rest[: number.start] + " " + rest[number.end :]
    return all(w in FUNCTION_WORDS or w in _QUALIFIER_WORDS for w in letter_words(rest.casefold()))


# The rules, in the order the figures pass applies them.


def counts_not_an_id(ctx: Context, figure: FigureDraft) -> Verdict:
    """An id given as the answer ("N15") is no answer: the unit stands in. The pass names
    all such figures in one warning (see `ids_as_answers`)."""
    if AN_ID.match(figure.counts.strip()):
        return Verdict({"counts": ""})
    return KEEP


def counts_this_number(ctx: Context, figure: FigureDraft) -> Verdict:
    """An answer that names another number than the figure's own is left out, not asked
    again: every re-ask costs a whole generation, and the model tends to repeat itself."""
    if figure.counts and names_another_number(ctx, figure.mention, figure.counts):
        warning = (
            f"{figure.nid}: what {figure.mention.text!r} counts ({figure.counts!r}) names "
            "another number; left out"
        )
        return Verdict({"counts": ""}, (warning,))
    return KEEP


def counts_more_than_a_number(ctx: Context, figure: FigureDraft) -> Verdict:
    """An answer that is only the number in words ("sixty-two") is no answer, not a
    wrong one: the unit says more."""
    if figure.counts and only_a_number(figure.counts):
        return Verdict({"counts": ""})
    return KEEP


def ids_as_answers(ctx: Context, answers: dict[str, str]) -> Verdict:
    """On a long list of numbers the model can fall into answering each with its id."""
    ids = [nid for nid, counts in answers.items() if AN_ID.match(counts.strip())]
    if not ids:
        return KEEP
    warning = (
        f"{', '.join(ids)}: the model gave the id as what the number counts; "
        "the words after the number stand in"
    )
    return Verdict(warnings=(warning,))
