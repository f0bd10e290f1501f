"""Which language an article is written in, guessed from its commonest short words.

Two things depend on it: the time words the date finder looks for ("domingo", "hier",
"im März"), and the language the model is told to write the title, summary and events
in. A small model told "the language the article is written in" answers in English; told
"Spanish", it writes Spanish. Function words are enough to tell these languages apart in
a news article, and a guess that is not clear is None (the caller then falls back).
"""

from __future__ import annotations

import re
from collections import Counter

# Frequent function words that the other four languages here rarely use.
_MARKERS: dict[str, frozenset[str]] = {
    "English": frozenset("the and of to is was that with for on are were has have said".split()),
    "Spanish": frozenset("el los las del y que por para una con según fue está dijo".split()),
    "Portuguese": frozenset("o os as do da dos das e que não uma com para foi disse pelo".split()),
    "French": frozenset("le les des et du une est dans pour qui au sur pas été selon".split()),
    "German": frozenset("der die das und den dem ist nicht mit von sich auf für ein eine".split()),
}
CODES = {"English": "en", "Spanish": "es", "Portuguese": "pt", "French": "fr", "German": "de"}
# Languages whose articles write "3,2" for 3.2 and "1.500" for 1500.
DECIMAL_COMMA = frozenset({"Spanish", "Portuguese", "French", "German"})
_MIN_HITS = 5  # fewer marker words than this (a headline, a figure) is no evidence


def guess_language(text: str) -> str | None:
    """The English name of the article's language, or None when the words do not say.

    The winner needs at least five marker words and half again as many as the runner-up,
    so a Spanish quote inside an English article does not flip the guess.
    """
    words = Counter(re.findall(r"[^\W\d_]+", text.lower()))
    hits = {name: sum(words[w] for w in markers) for name, markers in _MARKERS.items()}
    ranked = sorted(hits.items(), key=lambda item: item[1], reverse=True)
    (best, most), (_, second) = ranked[0], ranked[1]
    if most < _MIN_HITS or most < 1.5 * second:
        return None
    return best
