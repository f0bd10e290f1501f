"""Reading an article: bytes in, one normalised text plus what we know about it.

All offsets in a brief refer to `Article.text`, which is the input decoded and with
Windows/old-Mac line endings turned into "\\n" (what Python's text mode would give).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from summarizer.dates import Dateline, parse_dateline
from summarizer.errors import InputError


@dataclass(frozen=True)
class Article:
    text: str
    published: dt.date | None
    dateline: Dateline | None
    title: str | None
    warnings: tuple[str, ...] = field(default=())

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()


def decode(data: bytes, name: str = "input") -> tuple[str, list[str]]:
    """Decode bytes as UTF-8; fall back to Windows-1252 with a warning; refuse binary files."""
    if b"\x00" in data[:4096]:
        raise InputError(f"{name}: looks like a binary file, not article text")
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError as exc:
        warning = (
            f"{name}: not valid UTF-8 (byte {exc.start}); decoded as Windows-1252, "
            "check accented characters"
        )
        return data.decode("cp1252", errors="replace"), [warning]


def read_source(source: str) -> tuple[str, list[str]]:
    """Read a path, or '-' for stdin, into text; raise InputError with a one-line reason."""
    import sys

    if source == "-":
        return decode(sys.stdin.buffer.read(), "stdin")
    path = Path(source)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{source}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"{source}: is a directory, not an article file") from None
    except OSError as exc:
        raise InputError(f"{source}: cannot read ({exc.strerror})") from None
    return decode(data, source)


def parse_published(value: str | dt.date | None) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise InputError(f"published date {value!r} is not YYYY-MM-DD") from None


def _title(text: str) -> str | None:
    """A short first paragraph without final punctuation reads as a headline."""
    first, sep, rest = text.strip().partition("\n\n")
    first = first.strip()
    if sep and rest.strip() and 0 < len(first) <= 200 and "\n" not in first:
        if first[-1] not in '.:;!?"”' and not first.endswith(":"):
            return first
    return None


def load_article(
    text: str, published: str | dt.date | None = None, warnings: list[str] | None = None
) -> Article:
    """Normalise line endings, find the dateline and the publication date."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise InputError("the article is empty")
    published_date = parse_published(published)
    dateline = parse_dateline(text, published_date)
    if published_date is None and dateline is not None:
        published_date = dateline.date
    return Article(
        text=text,
        published=published_date,
        dateline=dateline,
        title=_title(text),
        warnings=tuple(warnings or ()),
    )
