"""Datelines and date expressions, resolved against the publication date.

News is written relative to its own "today": "Sunday" means the latest Sunday on or
before publication, "in August" the latest August. Resolving against ``published``
turns those into ISO strings at the precision the text supports (YYYY, YYYY-MM or
YYYY-MM-DD) and never guesses a finer precision than the phrase gives.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

from summarizer.language import CODES, guess_language
from summarizer.words import CAPITALISED_WORD_WITH_STOPS, name_run

_MONTH_NAMES = [
    "january", "february", "march", "april", "may", "june",
    "july", "august", "september", "october", "november", "december",
]  # fmt: skip
_WEEKDAY_NAMES = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
MONTHS = {name: i + 1 for i, name in enumerate(_MONTH_NAMES)}
MONTHS.update({name[:3]: i + 1 for i, name in enumerate(_MONTH_NAMES)})
MONTHS["sept"] = 9

MONTH = (
    r"\b(?:January|February|March|April|May|June|July|August|September|October|November|December"
    r"|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?)(?![a-z])"
)
WEEKDAY = r"\b(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b"
_DAY = r"\d{1,2}(?:st|nd|rd|th)?\b"
_YEAR = r"(?:1[89]|20)\d\d\b"
_PART = r"(?:morning|afternoon|evening|night)"
_PREP = r"(?i:in|since|until|by|from|through|during|before|after)"

_ISO = r"\b(?P<y>\d{4})-(?P<m>\d\d)-(?P<d>\d\d)\b"
_MDY = rf"(?:{WEEKDAY},?\s+)?(?P<mon>{MONTH})\s+(?P<day>{_DAY})(?:,?\s+(?P<year>{_YEAR}))?"
_DMY = rf"\b(?P<day>{_DAY})\s+(?:of\s+)?(?P<mon>{MONTH})(?:,?\s+(?P<year>{_YEAR}))?"
_MONTH_YEAR = rf"(?P<mon>{MONTH}),?\s+(?:of\s+)?(?P<year>{_YEAR})"
_MONTH_REL = (
    rf"(?P<mon>{MONTH})\s+(?:of\s+)?(?:the\s+)?(?P<rel>previous|last|this|next|following)\s+year"
)
_REL_MONTH = (
    rf"(?i:\b(?P<rel>last|this|next|early|late|mid|early\s+in|late\s+in)\s*-?\s*)(?P<mon>{MONTH})"
)
_BARE_MONTH = rf"\b{_PREP}\s+(?P<span>(?P<mon>{MONTH}))"
_WEEKDAY_EXPR = (
    rf"(?i:(?:\b(?P<rel>last|next|this|late|early)\s+(?:on\s+)?)?(?:the\s+early\s+hours\s+of\s+)?)"
    rf"(?P<wd>{WEEKDAY})(?:\s+{_PART}\b)?"
)
_RELATIVE = (
    r"(?i:\b(?:the\s+day\s+before\s+yesterday|yesterday(?:\s+" + _PART + r")?|(?<!USA )today"
    r"|tonight|tomorrow(?:\s+" + _PART + r")?|overnight|last\s+night"
    r"|(?:this|earlier\s+this|later\s+this)\s+(?:morning|afternoon|evening|week|month|year)"
    r"|(?:last|next|the\s+previous|the\s+past)\s+(?:week|month|year)"
    r"|recently|recent\s+(?:days|weeks|months|years))\b)"
)
# A clock time dates nothing by itself (resolved to None), but it is the "when" a report
# gives: "at around 6am", "11.30am", "10:45 p.m.".
_CLOCK = (
    r"(?i:\b(?:at\s+)?(?:around\s+|about\s+|approximately\s+)?\d{1,2}(?:[.:]\d\d)?\s?"
    r"(?:am|pm|a\.m\.|p\.m\.)(?!\w))"
)
# A clock time with its day is one time: "at around 11am local time on Sunday", "on
# Thursday at 11:30pm", "Nov. 2 at 12:47 a.m."; dated by its day.
_ZONE = r"(?:\s+(?:local|[A-Z][a-z]+)\s+time)?"
_DAY_OF_CLOCK = re.sub(r"\?P<\w+>", "?:", rf"(?:{_WEEKDAY_EXPR}|{_MDY})")
_CLOCK_DAY = rf"{_CLOCK}{_ZONE},?\s+(?:on\s+)?{_DAY_OF_CLOCK}"
_DAY_CLOCK = rf"{_DAY_OF_CLOCK},?\s+{_CLOCK}{_ZONE}"
_BARE_YEAR = rf"(?<![\d$£€.,/-])(?P<year>{_YEAR})(?![-/]\d|[.,]\d|\s*%|\s*percent)"

# Order matters only for ties: at the same start the longest match wins.
_FIND_PATTERNS = [
    _ISO,
    _MONTH_REL,
    _MDY,
    _DMY,
    _MONTH_YEAR,
    _REL_MONTH,
    _BARE_MONTH,
    _WEEKDAY_EXPR,
    _RELATIVE,
    _CLOCK_DAY,
    _DAY_CLOCK,
    _CLOCK,
    _BARE_YEAR,
]
_FIND_RES = [re.compile(p) for p in _FIND_PATTERNS]


# Time words of the other languages the date finder knows, by ISO code: month names
# (January first), weekday names (Monday first), words for "last"/"next" before or after a
# weekday, and one-word days counted from publication. They are looked for only in an
# article guessed to be in that language, so "hier" (French: yesterday, German: here) and
# "Mars" never date an event in the wrong language.
_FOREIGN_WORDS: dict[str, dict] = {
    "es": {
        "months": "enero febrero marzo abril mayo junio julio agosto septiembre octubre "
        "noviembre diciembre",
        "weekdays": "lunes martes miércoles jueves viernes sábado domingo",
        "last": "pasado",
        "next": "próximo que viene",
        "days": {"anteayer": -2, "ayer": -1, "anoche": -1, "hoy": 0, "esta mañana": 0},
    },
    "pt": {
        "months": "janeiro fevereiro março abril maio junho julho agosto setembro outubro "
        "novembro dezembro",
        "weekdays": "segunda-feira terça-feira quarta-feira quinta-feira sexta-feira sábado "
        "domingo",
        "last": "passado passada último última",
        "next": "próximo próxima que vem",
        "days": {"anteontem": -2, "ontem": -1, "hoje": 0, "amanhã": 1},
    },
    "fr": {
        "months": "janvier février mars avril mai juin juillet août septembre octobre "
        "novembre décembre",
        "weekdays": "lundi mardi mercredi jeudi vendredi samedi dimanche",
        "last": "dernier",
        "next": "prochain",
        "days": {"avant-hier": -2, "hier": -1, "aujourd'hui": 0, "aujourd’hui": 0, "demain": 1},
    },
    "de": {
        "months": "Januar Februar März April Mai Juni Juli August September Oktober November "
        "Dezember",
        "weekdays": "Montag Dienstag Mittwoch Donnerstag Freitag Samstag Sonntag",
        "last": "vergangenen letzten",
        "next": "nächsten kommenden",
        "days": {"vorgestern": -2, "gestern": -1, "heute": 0, "morgen": 1},
    },
}


def _fold(word: str) -> str:
    """Lowercase without accents: "Março" and "marco" name the same month."""
    decomposed = unicodedata.normalize("NFKD", word.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@dataclass(frozen=True)
class _Language:
    months: dict[str, int]
    weekdays: dict[str, int]
    days: dict[str, int]
    nexts: frozenset[str]
    patterns: tuple[re.Pattern[str], ...]


def _alternatives(words: list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


def _language(code: str) -> _Language:
    words = _FOREIGN_WORDS[code]
    months = words["months"].split()
    weekdays = words["weekdays"].split()
    flags = 0 if code == "de" else re.IGNORECASE  # German "morgen" is tomorrow, "Morgen" morning
    month = rf"\b(?P<mon>{_alternatives(months)})\b"
    rel = _alternatives((words["last"] + " " + words["next"]).split())
    nexts = frozenset(_fold(w) for w in words["next"].split())
    patterns = [
        rf"\b(?P<day>\d{{1,2}})(?:\.|º|°|er)?\s+(?:de\s+)?{month}"
        rf"(?:,?\s+(?:de\s+|del\s+)?(?P<year>{_YEAR}))?",
        rf"{month}\s+(?:de\s+|del\s+)?(?P<year>{_YEAR})",
        rf"\b(?i:en|em|in|im|au|desde|hasta|até|depuis|seit|de|no|na|mois\s+de|mes\s+de)"
        rf"\s+(?P<span>{month})",
        rf"(?:\b(?P<rel>{rel})\s+)?\b(?P<wd>{_alternatives(weekdays)})\b"
        rf"(?:\s+(?P<rel2>{rel})\b)?",
        rf"(?<![\w-])(?:{_alternatives(list(words['days']))})(?![\w-])",
    ]
    return _Language(
        months={_fold(m): i + 1 for i, m in enumerate(months)},
        weekdays={_fold(w): i for i, w in enumerate(weekdays)},
        days={_fold(d): offset for d, offset in words["days"].items()},
        nexts=nexts,
        patterns=tuple(re.compile(p, flags) for p in patterns),
    )


_LANGUAGES = {code: _language(code) for code in _FOREIGN_WORDS}


def _resolve_foreign(expr: str, published: dt.date | None, lang: _Language) -> str | None:
    """Resolve one time phrase of another language, as _resolve_exact does for English."""
    dmy, month_year, _, weekday, day_word = lang.patterns  # a bare month: by name, below
    if m := dmy.fullmatch(expr):
        month = lang.months[_fold(m["mon"])]
        return _full(int(m["year"]) if m["year"] else None, month, int(m["day"]), published)
    if m := month_year.fullmatch(expr):
        return _ym(int(m["year"]), lang.months[_fold(m["mon"])])
    if published is None:
        return None
    if _fold(expr) in lang.months:
        return _latest_month(lang.months[_fold(expr)], published)
    if m := weekday.fullmatch(expr):
        back = (published.weekday() - lang.weekdays[_fold(m["wd"])]) % 7
        if _fold(m["rel"] or m["rel2"] or "") in lang.nexts:
            back = -((7 - back) % 7 or 7)
        elif (m["rel"] or m["rel2"]) and back == 0:
            back = 7
        return (published - dt.timedelta(days=back)).isoformat()
    if day_word.fullmatch(expr):
        return (published + dt.timedelta(days=lang.days[_fold(expr)])).isoformat()
    return None


@dataclass(frozen=True)
class Dateline:
    """The place/date prefix of an article; the date anchors every relative expression."""

    start: int
    end: int
    place: str | None
    date: dt.date | None


@dataclass(frozen=True)
class DateMention:
    """A date expression found in text and its ISO resolution (None when it cannot be pinned)."""

    start: int
    end: int
    text: str
    date: str | None


def last_day(resolved: str) -> dt.date:
    """The last day a resolved date can mean: "2015" -> 2015-12-31, "2016-07" -> 2016-07-31,
    "2016-11-02" -> itself (how recent a time word can be)."""
    parts = [int(part) for part in resolved.split("-")]
    if len(parts) == 3:
        return dt.date(*parts)
    year, month = parts[0], parts[1] if len(parts) == 2 else 12
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _month_number(name: str) -> int:
    key = name.lower().rstrip(".")
    return MONTHS.get(key) or MONTHS[key[:3]]


def _ym(year: int, month: int) -> str:
    return f"{year:04d}-{month:02d}"


def _full(year: int | None, month: int, day: int, published: dt.date | None) -> str | None:
    """A full date; a missing year is the one that puts the date nearest to publication."""
    if year is None:
        if published is None:
            return None
        options = []
        for y in (published.year - 1, published.year, published.year + 1):
            try:
                options.append(dt.date(y, month, day))
            except ValueError:
                continue
        if not options:
            return None
        return min(options, key=lambda d: abs((d - published).days)).isoformat()
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None


def _latest_month(month: int, published: dt.date, strictly_before: bool = False) -> str:
    """The most recent such month on or before publication (news is past tense)."""
    if month < published.month or (month == published.month and not strictly_before):
        return _ym(published.year, month)
    return _ym(published.year - 1, month)


def _relative(phrase: str, published: dt.date) -> str | None:
    """Resolve deictic words (yesterday, last month, ...) against the publication date."""
    p = re.sub(r"\s+", " ", phrase.lower())
    if p.startswith(("recent", "in recent")):
        return None
    if p == "the day before yesterday":
        return (published - dt.timedelta(days=2)).isoformat()
    if p.startswith("yesterday") or p == "last night":
        return (published - dt.timedelta(days=1)).isoformat()
    if p.startswith("tomorrow"):
        return (published + dt.timedelta(days=1)).isoformat()
    if p in ("today", "tonight", "overnight") or re.fullmatch(
        r"(?:earlier |later )?this (?:morning|afternoon|evening)", p
    ):
        return published.isoformat()
    unit = p.rsplit(" ", 1)[-1]
    step = 0 if "this" in p else (1 if p.startswith("next") else -1)
    if unit == "week":
        return _ym(*(published + dt.timedelta(days=7 * step)).timetuple()[:2])
    if unit == "month":
        first = published.replace(day=1)
        if step < 0:
            first = first - dt.timedelta(days=1)
        elif step > 0:
            first = (first + dt.timedelta(days=32)).replace(day=1)
        return _ym(first.year, first.month)
    if unit == "year":
        return f"{published.year + step:04d}"
    return None


def resolve_date(expression: str, published: dt.date | None) -> str | None:
    """Resolve one time expression to "YYYY", "YYYY-MM" or "YYYY-MM-DD", or None.

    A phrase with extra words ("11am local time on Sunday") falls back to the first
    resolvable date expression inside it, because callers pass free-form "when" text.
    """
    exact = _resolve_exact(expression, published)
    if exact is not None:
        return exact
    for start, end in _candidate_spans(expression):
        inner = expression[start:end]
        if inner.strip() != expression.strip() and (found := _resolve_exact(inner, published)):
            return found
    return None


def _resolve_exact(expression: str, published: dt.date | None) -> str | None:
    """Resolve an expression that is exactly one date phrase (optionally after a preposition)."""
    expr = re.sub(r"\s+", " ", expression.strip().rstrip(",;"))
    expr = re.sub(r"^(?i:in|on|at|since|by|during|from|until|of) ", "", expr)
    if m := re.fullmatch(rf"(?:{_CLOCK}{_ZONE},? (?:on )?)?(.+?)(?:,? {_CLOCK}{_ZONE})?", expr):
        expr = m.group(1)  # the day of "at 11am on Sunday", "Sunday at 11am"
    if m := re.fullmatch(_ISO, expr):
        return _full(int(m["y"]), int(m["m"]), int(m["d"]), None)
    if re.fullmatch(_RELATIVE, expr):
        return _relative(expr, published) if published else None
    if m := re.fullmatch(_MONTH_REL, expr, re.IGNORECASE):
        if published is None:
            return None
        step = {"previous": -1, "last": -1, "this": 0, "next": 1, "following": 1}[m["rel"].lower()]
        return _ym(published.year + step, _month_number(m["mon"]))
    for pattern in (_MDY, _DMY):
        if m := re.fullmatch(pattern, expr, re.IGNORECASE):
            day = int(re.findall(r"\d+", m["day"])[0])
            return _full(
                int(m["year"]) if m["year"] else None, _month_number(m["mon"]), day, published
            )
    if m := re.fullmatch(_MONTH_YEAR, expr, re.IGNORECASE):
        return _ym(int(m["year"]), _month_number(m["mon"]))
    if m := re.fullmatch(_REL_MONTH, expr, re.IGNORECASE):
        if published is None:
            return None
        rel = m["rel"].lower()
        if rel == "next":
            year = published.year + (_month_number(m["mon"]) <= published.month)
            return _ym(year, _month_number(m["mon"]))
        return _latest_month(_month_number(m["mon"]), published, strictly_before=rel == "last")
    if m := re.fullmatch(MONTH, expr, re.IGNORECASE):
        return _latest_month(_month_number(expr), published) if published else None
    if m := re.fullmatch(_WEEKDAY_EXPR, expr, re.IGNORECASE):
        if published is None:
            return None
        back = (published.weekday() - _WEEKDAY_NAMES.index(m["wd"].lower())) % 7
        rel = (m["rel"] or "").lower()
        if rel == "last" and back == 0:
            back = 7
        if rel == "next":
            back = -((7 - back) % 7 or 7)
        return (published - dt.timedelta(days=back)).isoformat()
    if m := re.fullmatch(_BARE_YEAR, expr):
        return m["year"]
    return None


def _candidate_spans(text: str, extra: tuple[re.Pattern[str], ...] = ()) -> list[tuple[int, int]]:
    """Spans of date phrases, sorted and non-overlapping; at the same start the longest wins."""
    candidates: list[tuple[int, int]] = []
    for regex in [*_FIND_RES, *extra]:
        for m in regex.finditer(text):
            span = m.span("span") if "span" in regex.groupindex else m.span()
            if span[0] < span[1]:
                candidates.append(span)
    candidates.sort(key=lambda s: (s[0], -s[1]))
    chosen: list[tuple[int, int]] = []
    for start, end in candidates:
        if not chosen or start >= chosen[-1][1]:
            chosen.append((start, end))
    return chosen


def is_clock_time(phrase: str) -> bool:
    """ "at around 6am", "10:45 p.m.": a time of day, which dates nothing by itself."""
    return re.fullmatch(_CLOCK, phrase.strip()) is not None


def find_dates(
    text: str, published: dt.date | None, language: str | None = None
) -> list[DateMention]:
    """All date expressions in the text, sorted, non-overlapping (longest wins at a tie).

    English time words are always looked for; those of Spanish, Portuguese, French or
    German too when the text is in that language (`language` as an English name, e.g.
    "Spanish"; guessed from the text when not given).
    """
    language = language or guess_language(text)
    foreign = _LANGUAGES.get(CODES.get(language or "", ""))
    found = []
    for start, end in _candidate_spans(text, foreign.patterns if foreign else ()):
        phrase = text[start:end]
        date = _resolve_exact(phrase, published)
        if date is None and foreign is not None:
            date = _resolve_foreign(re.sub(r"\s+", " ", phrase), published, foreign)
        found.append(DateMention(start, end, phrase, date))
    return found


_SEED_DATELINE = re.compile(r"\s*date\s+(?P<date>\d{4}-\d\d-\d\d)\s+(?P<place>[^:\n]{1,60}?)\s*:")
_PLACE = name_run(CAPITALISED_WORD_WITH_STOPS, " ", most=4)
_WIRE_DATELINE = re.compile(
    rf"\s*(?P<place>{_PLACE})"
    rf"(?:,\s*(?!{MONTH})(?P<region>{_PLACE}))?"
    rf"(?:,\s*(?P<date>(?:{_MDY.replace('?P<', '?P<w')})|(?:{_DMY.replace('?P<', '?P<v')})))?"
    r"\s*(?:\((?P<agency>[^)\n]{1,30})\)|/(?P<agency2>[^/\n]{1,30})/)?"
    r"\s*(?:--|—|–|-)(?=\s)"
)
_LOWER_WORDS = {"de", "del", "la", "le", "of", "upon", "on", "am", "es", "al"}


def _place_name(raw: str) -> str:
    """Title-case an all-caps place ("NEW YORK" -> "New York"), leave mixed case alone."""
    raw = raw.strip()
    if raw.upper() != raw:
        return raw
    words = raw.title().split(" ")
    return " ".join(
        w.lower() if i and w.lower() in _LOWER_WORDS else w for i, w in enumerate(words)
    )


def parse_dateline(text: str, published: dt.date | None = None) -> Dateline | None:
    """Dateline at the start of the article (first ~200 chars of its first line), or None."""
    lead = len(text) - len(text.lstrip())
    line_end = text.find("\n", lead)
    head = text[: min(lead + 200, line_end if line_end >= 0 else len(text))]
    if m := _SEED_DATELINE.match(head):
        resolved = resolve_date(m["date"], None)
        date = dt.date.fromisoformat(resolved) if resolved else None
        return Dateline(m.start(), m.end(), _place_name(m["place"]), date)
    m = _WIRE_DATELINE.match(head)
    if not m:
        return None
    place = m["place"]
    if not (m["agency"] or m["agency2"] or m["date"] or place.upper() == place):
        return None
    date = None
    if m["date"]:
        resolved = resolve_date(m["date"], published)
        date = dt.date.fromisoformat(resolved) if resolved else None
    return Dateline(m.start(), m.end(), _place_name(place), date)
