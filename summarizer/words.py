"""Words: the one tokeniser, the word lists and the pattern for a name that the rules share.

The scorer (`summarizer.evaluate`) keeps its own lists on purpose: the metric must not
move when the pipeline's rules change.
"""

from __future__ import annotations

import re

FUNCTION_WORDS = {"of", "a", "an", "the", "in", "to", "from", "for", "on", "at", "by", "with", "and", "or"}  # fmt: skip
# Words that stand for a person without naming one: a speaker or an actor needs a name.
PRONOUNS = {"he", "she", "they", "it", "we", "i", "him", "her", "them", "you"}
# Words that carry no action of their own: two "what"s are compared without them.
_NOT_CONTENT = FUNCTION_WORDS | {"is", "are", "was", "were", "be", "has", "have", "had", "as"}

# A capitalised word ("Croydon", "Mazar-i-Sharif", "O’Brien"); with the full stops of
# initials and titles ("J.K.", "Lt."), as a person's name or a dateline's place has them.
CAPITALISED_WORD = r"[A-Z][\w'’-]*"
CAPITALISED_WORD_WITH_STOPS = r"[A-Z][\w.'’-]*"


def name_run(
    word: str = CAPITALISED_WORD, between: str = r"[ \t]+", most: int | None = None
) -> str:
    """The pattern of a name: a run of capitalised words (`word`), `between` each two, at
    most `most` words long."""
    times = "*" if most is None else f"{{0,{most - 1}}}"
    return rf"{word}(?:{between}{word}){times}"


# A run of capitalised words on one line ("Third Avenue", "White House"): how the rules
# see a name in a sentence.
NAME_RUN = name_run()


def words(text: str) -> list[str]:
    """The text's words, case-folded, digits included ("7-11" is "7", "11")."""
    return re.findall(r"[^\W_]+", text.casefold())


def letter_words(text: str) -> list[str]:
    """The text's words of letters only, as written: numbers and their digits left out."""
    return re.findall(r"[^\W\d_]+", text)


def content_words(text: str) -> list[str]:
    """The words that say something: without function words and forms of "be"/"have"."""
    return [w for w in words(text) if w not in _NOT_CONTENT]


def first_words(text: str, n: int) -> str:
    """The first n words of a text, with the marks that belong to a figure ("$5.2m", "40%")."""
    found = re.findall(r"[\w'’%.,$£€-]+", text)
    return " ".join(found[:n])


# Verbs of news whose forms differ in their first letters: "met" is "meet".
_IRREGULAR = {
    "met": "meet", "said": "say", "says": "say", "told": "tell", "won": "win", "lost": "lose",
    "took": "take", "taken": "take", "gave": "give", "given": "give", "made": "make",
    "went": "go", "gone": "go", "came": "come", "found": "find", "held": "hold", "left": "leave",
    "ran": "run", "began": "begin", "begun": "begin", "knew": "know", "known": "know",
    "saw": "see", "seen": "see", "kept": "keep", "brought": "bring", "bought": "buy",
    "spoke": "speak", "spoken": "speak", "wrote": "write", "written": "write", "fell": "fall",
    "fallen": "fall", "rose": "rise", "risen": "rise", "shot": "shoot", "fled": "flee",
    "led": "lead", "sent": "send", "sold": "sell", "struck": "strike", "spent": "spend",
    "thought": "think", "became": "become", "built": "build", "drove": "drive",
    "driven": "drive", "stood": "stand", "caught": "catch", "fought": "fight",
    "sought": "seek", "threw": "throw", "thrown": "throw", "grew": "grow", "grown": "grow",
    "died": "die", "dies": "die", "dying": "die", "paid": "pay", "laid": "lay",
}  # fmt: skip


def stem(word: str) -> str:
    """A word's first four letters, enough to match its other forms ("attacked",
    "attacks"); an irregular verb's base."""
    return _IRREGULAR.get(word, word)[:4]


def taken_from(phrase: str, sentence: str) -> bool:
    """Whether most of a phrase's words are the sentence's, in any form ("meet" for "met",
    "attacks" for "attacked")."""
    found = [stem(w) for w in content_words(phrase)]
    own = {stem(w) for w in content_words(sentence)}
    return sum(w in own for w in found) * 2 >= len(found)


def capitalised(word: str) -> bool:
    """A word a name can begin or end with: "Croydon", "Mazar-i-Sharif"; not "U."."""
    return word[:1].isupper() and len(re.sub(r"\W", "", word)) >= 2
