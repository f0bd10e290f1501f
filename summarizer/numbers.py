"""Deterministic finder of number mentions ("figures") in news text.

Rule-based on purpose: the same text always gives the same figures, with exact
offsets, so a summary can quote them and a checker can verify them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from summarizer import clutter
from summarizer.dates import MONTH

Qualifier = Literal[
    "exact", "approximately", "at_least", "more_than", "at_most", "less_than", "up_to"
]


@dataclass(frozen=True)
class NumberMention:
    """One figure: its span in the text, its value and what qualifies it."""

    start: int
    end: int
    text: str
    value: float | int
    value_max: float | int | None
    qualifier: Qualifier
    unit_hint: str | None


_SMALL = {
    w: i
    for i, w in enumerate(
        "one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
        "fifteen sixteen seventeen eighteen nineteen".split(),
        1,
    )
}
_TENS = {
    w: 10 * i
    for i, w in enumerate("twenty thirty forty fifty sixty seventy eighty ninety".split(), 2)
}
_MULTS = {"hundred": 100, "dozen": 12, "thousand": 10**3, "million": 10**6, "billion": 10**9}
_MULTS["trillion"] = 10**12
_WORD_ALT = "|".join(sorted([*_SMALL, *_TENS, *_MULTS], key=len, reverse=True))
# "1,200" and "1,200.5"; "5.000" and "1.234.567" (dots grouping thousands, as Spanish,
# German or Portuguese write them: a dot before exactly "000", or more than one dot group);
# else "3.5".
_DIGITS = (
    r"\d{1,3}(?:,\d{3})+(?:\.\d+)?(?![\d,]\d)"
    r"|\d{1,3}(?:\.\d{3}){2,}(?![\d.]\d)|\d{1,3}\.000(?![\d.]\d)"
    r"|\d+(?:\.\d+)?"
)
# With a decimal comma (Spanish, Portuguese, French, German): "1.234.567,8", "3,2", "1.500".
_DIGITS_COMMA = r"\d{1,3}(?:\.\d{3})+(?:,\d+)?(?![\d.]\d)|\d+(?:,\d+)?(?![\d,]\d)"
_A_MULT = rf"an?\s+(?=(?:{'|'.join(_MULTS)})\b)"  # "a dozen", "a million"
_WORDS = rf"\b(?P<w>(?:{_A_MULT})?(?:{_WORD_ALT}))\b"
_ATOM = re.compile(rf"(?P<d>{_DIGITS})|{_WORDS}", re.I)
_ATOM_COMMA = re.compile(rf"(?P<d>{_DIGITS_COMMA})|{_WORDS}", re.I)
_NEXT_WORD = re.compile(rf"(\s+and\s+|\s+|-)({_WORD_ALT})\b", re.I)

_CURRENCY = {"$": "USD", "US$": "USD", "C$": "CAD", "A$": "AUD", "AU$": "AUD", "NZ$": "NZD"}
_CURRENCY |= {"HK$": "HKD", "£": "GBP", "€": "EUR", "¥": "JPY", "₹": "INR"}
_CURRENCY |= {"S$": "SGD", "R$": "BRL", "RM": "MYR"}
_CODES = "USD EUR GBP CHF JPY CNY INR AUD CAD SGD HKD".split()
_CURRENCY |= {code: code for code in _CODES}
# A sign or code before the number, glued or spaced: "$5", "US$ 5", "EUR50m", "RM3.06mil".
_CUR_SIGN = rf"(?<![A-Za-z])(?:(?:US|C|AU?|NZ|HK|S|R)\s?\$|(?:{'|'.join(_CODES)}|RM)\s?|[$£€¥₹])\s?"
_CUR_BEFORE = re.compile(rf"{_CUR_SIGN}$")
_CUR_AT = re.compile(_CUR_SIGN)  # a range's second number: "S$5 to S$10"
_CUR_AFTER = re.compile(r"\s?([$£€¥])(?!\s?\d)")
_SCALES = {"k": 10**3, "m": 10**6, "mn": 10**6, "mln": 10**6, "b": 10**9, "bn": 10**9, "tn": 10**12}
_SCALES |= _MULTS
_SCALES["mil"] = 10**6  # "$1mil", as Malaysian and Singaporean papers write it (in Spanish
# "mil" is a thousand: not read glued to a number written with a decimal comma)
_GLUED_SCALE = re.compile(r"(bn|mn|mln|mil|tn|k|K|m|M|B)(?![A-Za-z0-9])")
_SPACED_SCALE = re.compile(
    r"\s+(?:(million|billion|trillion|thousand|hundred|dozen|bn|mn|mln|tn)\b|(B)(?=\s+[a-z]))", re.I
)
# Scale words after a number written with a decimal comma ("2,5 millones", "3 Milliarden").
_FOREIGN_SCALES = {"mil millones": 10**9, "millones": 10**6, "millón": 10**6, "milhões": 10**6}
_FOREIGN_SCALES |= {"milhão": 10**6, "bilhões": 10**9, "bilhão": 10**9, "millions": 10**6}
_FOREIGN_SCALES |= {"million": 10**6, "milliards": 10**9, "milliard": 10**9, "mil": 10**3}
_FOREIGN_SCALES |= {"millionen": 10**6, "milliarden": 10**9, "mio.": 10**6, "mrd.": 10**9}
_SPACED_SCALE_FOREIGN = re.compile(
    r"\s+("
    + "|".join(re.escape(w) for w in sorted(_FOREIGN_SCALES, key=len, reverse=True))
    + r")(?![\w])",
    re.I,
)
_UNITS = (
    "km2 km² m2 m² km/h kmh kph km cm mm nm kg mg g lbs lb oz ft mi mph mpg ml l L ha "
    "kWh kW MWh MW GWh GW TWh W kV GHz MHz kHz Hz Ghz Mhz GB MB TB KB Gbps Mbps bps bp hp "
    "bhp sqm sqft cc x G t °C °F ° C F degF degC μm µm pc p"
).split()
_UNIT_ALT = "|".join(re.escape(u) for u in sorted(_UNITS, key=len, reverse=True))
_GLUED_UNIT = re.compile(rf"({_UNIT_ALT})(?![\w²])")
_GLUED_DEGREES = re.compile(r"deg\s([CF])(?![\w²])")
_PERCENT = re.compile(r"\s?%|\s+(?:percent|per\s?cent|pct)\b", re.I)
_AM_PM = r"\s?(?:[ap]\.m\.|[ap]m|[AP]\.?M\.?)(?![A-Za-z])"
_REJECT_GLUED = re.compile(  # 3rd, 9am, 9 a.m., 9 o'clock, 10:30, 5/1, 1.2.3, 49ers
    rf"(?:st|nd|rd|th)(?![A-Za-z])|{_AM_PM}"
    r"|\s+o['’]clock|[:/]\d|\.\d|[A-Za-z]"
)
_YEAR_TAIL = re.compile(r"[-–/]\d{2}\b|-\d{1,2}-\d{1,2}\b")
_TOKEN_REST = re.compile(r"[\w.:/-]*")
_SCI = re.compile(r"×10\^?([−-]?\d+)|x10\^([−-]?\d+)")
# A year before 1900 or after 2100 stands after a time's preposition and ends its phrase.
_YEAR_BEFORE = re.compile(r"\b(?:by|in|until|before|after|since|through)\s+$", re.I)
_YEAR_END = re.compile(r"\s*(?:[.,;:!?)\n]|$|\s+(?:and|or|but|when|if|the)\b)")
_MONTH_BEFORE = re.compile(rf"{MONTH}\.?\s+$")
_MONTH_AFTER = re.compile(rf"\s+(?:of\s+)?{MONTH}")
_ADDRESS_AFTER = re.compile(
    r"\s+(?:[A-Z][\w'-]*\s+){0,3}(?:Street|St|Road|Rd|Avenue|Ave|Lane|Boulevard|Blvd|Drive|Way)\b"
)
_HYPHEN_OK = {"sub", "over", "under", "mid", "pre", "post", "top", "near", "about", "minus"}
# A minus sign: "-5", "−5" after a space or bracket (not "5-10", "5 -10" nor "F-16"), or
# "minus".
_SIGN = re.compile(r"(?:(?<![^\s(\[])(?<![\d%]\s)[-−]|\bminus[\s-]+)$", re.I)
_CODE_DASH = re.compile(r"\b[A-Z][A-Za-z]*[A-Z]\s[-−]$")
_NAME_OK = set(  # capitalised words that may stand before a count without naming it
    "in on at by for from to of with and or than just only all up down over under about some "
    "nearly almost around kills killed top after monday tuesday wednesday thursday friday "
    "saturday sunday".split()
)
_CHANGE = re.compile(  # a verb before "X to Y" that makes it a move, not a range
    r"^(?:by|rose|rise|rises|rising|risen|fell|fall|falls|falling|fallen|up|down|increas\w*"
    r"|decreas\w*|climb\w*|jump\w*|drop\w*|grew|grow\w*|gain\w*|lost|los[ei]\w*|cut|cuts"
    r"|rais\w*|lift\w*|boost\w*|reduc\w*|slash\w*|surg\w*|soar\w*|plung\w*|tumbl\w*|slid\w*"
    r"|slip\w*|edg\w*|shr[ui]nk\w*|chang\w*|went|go|goes|going)$",
    re.I,
)
_QUALIFIERS: dict[str, Qualifier] = {
    "almost|nearly|about|around|roughly|some|approximately|approx\\.|an estimated|estimated"
    "|circa|close to|~": "approximately",
    "more than|over|above|upwards of|in excess of|greater than|higher than|exceeding"
    "|just over|well over": "more_than",
    "at least|no less than|no fewer than|not less than|a minimum of": "at_least",
    "up to|as many as|as much as|as high as": "up_to",
    "at most|no more than|not more than|a maximum of": "at_most",
    "less than|fewer than|under|below|lower than|just under|sub-": "less_than",
}
_QUAL_BEFORE = re.compile(r"(?<![\w-])(" + "|".join(_QUALIFIERS) + r")\s*$", re.I)
_QUAL_OF = {w: q for alts, q in _QUALIFIERS.items() for w in alts.replace("\\", "").split("|")}
_ONE_PRONOUN = re.compile(  # "one of the", "one another", "one's", "one who", "one has to"
    r"['’]s\b|\s+(?:of|another|who|whom|whose|must|should|can|could|would|might|ought)\b"
    r"|\s+(?:heck|hell)\s+of\b"  # "one heck of a job": no count
    r"|\s+(?:has|had|needs?)\s+to\b"
    r"|-(?:off|time|on)\b",
    re.I,
)


@dataclass
class _Num:
    start: int  # includes a currency prefix
    end: int
    value: Decimal
    unit: str | None = None
    scale: int = 1  # what a scale word multiplied by: "2 thousand" -> 1000
    plain_int: bool = False  # digits only, no separators or decimals


def _to_number(d: Decimal) -> float | int:
    """Int when integral, so "200,000" compares equal to 200000 and prints cleanly."""
    return int(d) if d == d.to_integral_value() else float(d)


def _words(text: str, m: re.Match[str]) -> _Num | None:
    """A run of number words ("twenty-eight thousand six hundred", "a dozen")."""
    first = re.sub(r"^an?\s+", "", m.group("w"), flags=re.I).lower()
    if first in _MULTS and first == m.group("w").lower():
        return None  # a bare "thousand" or "dozen" is not a figure; "a dozen" is
    words, end = [first], m.end()
    while nxt := _NEXT_WORD.match(text, end):
        sep, word, prev = nxt.group(1).lower(), nxt.group(2).lower(), words[-1]
        tens_unit = prev in _TENS and _SMALL.get(word, 99) < 10 and "and" not in sep
        scaling = word in _MULTS and sep.isspace() and (prev not in _MULTS or _MULTS[word] > 100)
        after_scale = prev in _MULTS and word not in _MULTS and sep != "-"
        if not (tens_unit or scaling or after_scale):
            break
        words.append(word)
        end = nxt.end()
    total = current = 0
    for w in words:
        if w in _MULTS and _MULTS[w] <= 100:
            current = (current or 1) * _MULTS[w]
        elif w in _MULTS:
            total, current = total + (current or 1) * _MULTS[w], 0
        else:
            current += _SMALL.get(w) or _TENS[w]
    scale = _MULTS[words[-1]] if words[-1] in _MULTS and _MULTS[words[-1]] > 100 else 1
    return _Num(m.start(), end, Decimal(total + current), scale=scale)


def _currency_before(text: str, s: int) -> re.Match[str] | None:
    """A currency sign just before offset s ("$", "US$", "C $", "£")."""
    return _CUR_BEFORE.search(text[max(0, s - 4) : s])


def _digits(text: str, m: re.Match[str]) -> _Num | None:
    """Digits with a glued scale or unit ("$5m", "30km"); None for names, times, codes."""
    s, raw = m.start(), m.group("d")
    comma = m.re is _ATOM_COMMA
    grouped = raw.count(".") > 1 or raw.endswith(".000")  # thousands, not a decimal point
    if comma:  # "1.234,5": dots group thousands, the comma is the decimal point
        value = raw.replace(".", "").replace(",", ".")
    elif grouped:
        value = raw.replace(",", "").replace(".", "")
    else:
        value = raw.replace(",", "")
    num = _Num(s, m.end(), Decimal(value), plain_int=raw.isdigit())
    before = text[max(0, s - 30) : s]
    if before and (before[-1].isalpha() or before[-1] in "#_.") and not _currency_before(text, s):
        return None
    hyphen = re.search(r"(\w+)-$", before)
    if hyphen and not hyphen.group(1).isdigit() and hyphen.group(1).lower() not in _HYPHEN_OK:
        return None  # Covid-19, F-16; "minus-260" is read with its sign in _number
    if _CODE_DASH.search(before):
        return None  # "COVID -19": a name's number written with a stray space
    if num.plain_int and len(raw) == 4 and _YEAR_TAIL.match(text, num.end):
        return None  # 2019-20 season, 2025-01-05
    if sci := _SCI.match(text, num.end):
        num.value *= Decimal(10) ** int((sci.group(1) or sci.group(2)).replace("−", "-"))
        num.end, num.scale = sci.end(), 0  # 0: scaled by an exponent
    elif (glued := _GLUED_SCALE.match(text, num.end)) and not (comma and glued.group(1) == "mil"):
        if glued.group(1) != "m" or "." in raw or _currency_before(text, s):
            num.scale = _SCALES[glued.group(1).lower()]
            num.end = glued.end()
        else:
            num.end, num.unit = glued.end(), "m"  # "30m" without a currency: metres
    elif degrees := _GLUED_DEGREES.match(text, num.end):  # "1.19deg C": the ° sign lost
        num.end, num.unit = degrees.end(), f"deg{degrees.group(1)}"
    elif glued := _GLUED_UNIT.match(text, num.end):
        num.end, num.unit = glued.end(), "%" if glued.group(1) == "pc" else glued.group(1)
    elif _REJECT_GLUED.match(text, num.end):
        return None  # 3rd, 9am, 10:30, 5/1, v1.2.3, 49ers
    if num.scale == 1 and not num.unit and (spaced := _SPACED_SCALE.match(text, num.end)):
        num.scale = _SCALES[(spaced.group(1) or spaced.group(2)).lower()]
        num.end = spaced.end()
    elif comma and num.scale == 1 and not num.unit:
        if spaced := _SPACED_SCALE_FOREIGN.match(text, num.end):
            num.scale = _FOREIGN_SCALES[spaced.group(1).lower()]
            num.end = spaced.end()
    num.value *= num.scale or 1
    return num


def _number(text: str, m: re.Match[str]) -> _Num | None:
    """Parse one number with its currency, scale and %; None when it is not a figure."""
    s = m.start()
    if m.group("w"):
        if s and text[s - 1] == "-":
            return None
        num = _words(text, m)
        if m.group("w")[0].isupper() and not _clause_start(text, s):
            return None  # "the Kick Six", "Big Ten": a name
        window = text[max(0, s - 10) : s]
        if _LABEL_BEFORE.search(text, max(0, s - 12), s):
            return None  # "number one priority", "at turn three": a rank or a name, no count
        if num and m.group("w").lower() == "one":
            if _ONE_PRONOUN.match(text, m.end()) or re.search(
                r"\b(?:no|the|this|that|any|every|each)\s+$", window, re.I
            ):
                return None  # "one of the", "no one": a pronoun
    else:
        num = _digits(text, m)
    if num is None:
        return None
    if cur := _currency_before(text, s):
        num.start, num.unit = s - len(cur.group(0)), _CURRENCY[re.sub(r"\s", "", cur.group(0))]
    if sign := _SIGN.search(text, max(0, num.start - 8), num.start):  # "-5", "-$5", "minus 5"
        num.start, num.value = num.start - len(sign.group(0)), -num.value
    if not num.unit and (pct := _PERCENT.match(text, num.end)):
        num.end, num.unit = pct.end(), "%"
    if not num.unit and (cur := _CUR_AFTER.match(text, num.end)):
        num.end, num.unit = cur.end(), _CURRENCY[cur.group(1)]
    return num


_DASH_DIGIT = re.compile(r"[-–]\d")


def _range_end(
    text: str, first: _Num, lead: str | None, atoms: re.Pattern[str] = _ATOM
) -> _Num | None:
    """The high end of "15-22", "15 to 22" or "between 15 and 22" starting at first."""
    # "15 to 22", "15-22"; "four- to five-point", "10- to 15-minute": a suspended hyphen
    # "between 3 and 5", and as often written, "between seven to 10"
    conn = r"\s+(?:and|to)\s+|\s?[-–]\s?" if lead == "between" else r"-?\s+to\s+|\s?[-–]\s?"
    c = re.compile(conn, re.I).match(text, first.end)
    if not c:
        return None
    dash = c.group(0).strip() in ("-", "–")
    if not dash and lead is None:
        prev = re.findall(r"[\w’']+", text[max(0, first.start - 40) : first.start])[-1:]
        if any(_CHANGE.match(w) for w in prev):
            return None  # "rose 5% to 10%" is a change, not a range
    p = c.end()
    cur = _CUR_AT.match(text, p)
    atom = atoms.match(text, cur.end() if cur else p)
    if not atom or (dash and not atom.group("d")):
        return None
    second = _number(text, atom)
    if second is None or (first.unit and second.unit not in (first.unit, None)):
        return None
    if not dash and _DASH_DIGIT.match(text, second.end):
        # "from 24.2 to 33-35 billion euros": the end is a range of its own, whose scale
        # the start shares (24.2 billion); the start stands alone
        if first.scale == 1 and _range_end(text, second, None, atoms) and second.scale > 1:
            first.value, first.scale = first.value * second.scale, second.scale
        return None
    if first.unit and second.unit is None and first.unit not in _CURRENCY.values():
        return None  # "10% to 18.97 yuan"; but "$5-10 million" is a range
    low = first.value
    if first.scale == 1 and second.scale > 1 and low * second.scale <= second.value:
        low *= second.scale  # "1 to 2 thousand"
    elif first.plain_int and 1900 <= low <= 2100 and second.scale > 1:
        return None  # "in 2018 to 3.9 million headsets": a year, then a number
    if second.value <= low:
        return None  # "9-2" is a score, "8.15% to 3.65" a move
    if low != first.value:
        first.value, first.scale = low, second.scale
    return second


def _rejected(text: str, nums: list[_Num], qualified: bool) -> bool:
    """Context rules for bare integers: years, dates, names, IDs, addresses, list markers."""
    if any(n.unit or n.scale != 1 or not n.plain_int for n in nums):
        return False
    start, end, value = nums[0].start, nums[-1].end, int(nums[0].value)
    before = text[max(0, start - 40) : start]
    if value <= 31 and (_MONTH_BEFORE.search(before) or _MONTH_AFTER.match(text, end)):
        return True
    if qualified:
        return False
    if 1900 <= value <= 2100 or value >= 10000 or (text[start] == "0" and nums[0].end - start > 1):
        return True  # a year, an ID or a code
    if 1000 <= value <= 2999 and _YEAR_BEFORE.search(before) and _YEAR_END.match(text, end):
        return True  # a later year: "submerging coastal regions by 2120", not "by 2500 votes"
    marker = len(nums) == 1 and value >= 0 and before.endswith("(") and text.startswith(")", end)
    if marker or _ADDRESS_AFTER.match(text, end):
        return True  # "(4)" list marker or shirt number, "16-18 Industrial Avenue"
    tok = re.search(r"(?:^|(?<=\s))([A-Za-z][\w&/+.-]*) $", before)
    if (
        tok
        and any(ch.isupper() for ch in tok.group(1))
        and tok.group(1).lower().rstrip(".") not in _NAME_OK
    ):
        # "Game 6", "S&P 500"; but not "Israels 9" (a possessive without its apostrophe);
        # a capital opening a sentence says nothing, a name's marks inside the word do
        # ("S&P 500", "McLaren 720"; not the capitals "PA 22", "WEEK 13")
        word = tok.group(1)
        inside = "&" in word or (word != word.upper() and any(c.isupper() for c in word[1:]))
        return not word.endswith("s") and (
            inside or not _sentence_start(text, start - len(tok.group(0)))
        )
    return False


_SENTENCE_ENDS = (".", "!", "?", "\n")


def _sentence_start(text: str, i: int) -> bool:
    """True when position i opens a sentence (so a capital letter there says nothing)."""
    return _opened_by(text, i, _SENTENCE_ENDS)


def _opened_by(text: str, i: int, ends: tuple[str, ...]) -> bool:
    """Whether position i starts the text, or comes after one of `ends` (and any opening
    marks and spaces) in the 20 characters before it."""
    head = text[max(0, i - 20) : i].rstrip(" \"'“‘(")
    return (not head and i <= 20) or head.endswith(ends)


# Nouns that a number after them labels rather than counts ("turn one", "lap 48" is the
# digits' case, left as a figure): number words only.
_LABEL_BEFORE = re.compile(
    r"\b(?:number|turn|lap|page|chapter|round|row|gate|platform|stage|level|grade|section|"
    r"question|pick|seed|track|verse|game|week|match|heat)\s+$",
    re.I,
)


def _clause_start(text: str, i: int) -> bool:
    """A sentence's start, or what a colon or a dateline's dash opens ("SINGAPORE: Two
    sisters", "LONDON - Three men"), where a number word is capitalised; a name's number
    after a colon stays a name ("Backyard Worlds: Planet 9")."""
    return _opened_by(text, i, (*_SENTENCE_ENDS, ":", " -", "—", "–"))


def find_numbers(text: str, *, decimal_comma: bool = False) -> list[NumberMention]:
    """All number mentions in text, sorted by start, non-overlapping.

    `decimal_comma` reads numbers as Spanish, Portuguese, French or German write them:
    "3,2%" is 3.2 percent and "1.500" is 1500 (else "3,2" would be two numbers).
    """
    atoms = _ATOM_COMMA if decimal_comma else _ATOM
    out: list[NumberMention] = []
    pos = 0
    for atom in atoms.finditer(text):
        if atom.start() < pos:
            continue
        first = _number(text, atom)
        if first is None or first.start < pos:
            rest = _TOKEN_REST.match(text, atom.end())  # always found, maybe empty
            pos = max(pos, rest.end() if rest else atom.end())
            continue
        lead_m = re.search(
            r"\b(between|from)\s+$", text[max(pos, first.start - 10) : first.start], re.I
        )
        second = _range_end(text, first, lead_m.group(1).lower() if lead_m else None, atoms)
        nums = [first, second] if second else [first]
        start, end = first.start, nums[-1].end
        if second and lead_m:
            start -= len(lead_m.group(0))
        qual_m = _QUAL_BEFORE.search(text[max(pos, start - 30) : start])
        pos = end
        if _rejected(text, nums, bool(qual_m)):
            continue
        qualifier: Qualifier = "exact"
        if qual_m:
            start -= len(qual_m.group(0))
            qualifier = _QUAL_OF[qual_m.group(1).lower()]
        unit = first.unit or (second.unit if second else None)
        high = _to_number(second.value) if second else None
        out.append(
            NumberMention(
                start, end, text[start:end], _to_number(first.value), high, qualifier, unit
            )
        )
    return _without_clock_times(text, clutter.without_gallery_counters(text, out))


# "6.10am", "6.10 a.m.": a clock time written with a dot, as British papers write it.
_DOTTED_CLOCK = re.compile(rf"(?<![\d.])(\d{{1,2}}\.[0-5]\d){_AM_PM}")


def _without_clock_times(text: str, mentions: list[NumberMention]) -> list[NumberMention]:
    """Leave out a bare "6.10" that the article also writes as a clock time: "Emergency
    services were called at 6.10am", then in a quote, "Police were called to an overturned
    tram at 6.10 and officers are in attendance". Without the "am" it reads as the number
    6.1."""
    times = set(_DOTTED_CLOCK.findall(text))
    return [m for m in mentions if not (m.unit_hint is None and m.text in times)]
