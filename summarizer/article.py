"""Reading an article: bytes in, one normalised text plus what we know about it.

All offsets in a brief refer to `Article.text`, which is the input decoded and with
Windows/old-Mac line endings turned into "\\n" (what Python's text mode would give).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from summarizer import headlines
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


MAX_DOWNLOAD_BYTES = 20_000_000
_MAGIC = {b"%PDF-": "a PDF file", b"\x89PNG": "a PNG image", b"\xff\xd8\xff": "a JPEG image", b"PK\x03\x04": "a ZIP file (or a Word document)"}  # fmt: skip


@dataclass(frozen=True)
class Source:
    """What was read: the article text, warnings, and whether it was extracted from HTML
    (then offsets refer to this extracted text, which the brief carries in article.text)."""

    text: str
    warnings: tuple[str, ...] = ()
    extracted: bool = False
    published: str | None = None  # from the page's metadata, for HTML


def decode(data: bytes, name: str = "input") -> tuple[str, list[str]]:
    """Decode bytes as UTF-8; fall back to Windows-1252 with a warning; refuse binary files."""
    for magic, what in _MAGIC.items():
        if data.startswith(magic):
            raise InputError(
                f"{name}: looks like {what}, not article text; convert it to text first"
            )
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


def read_source(source: str) -> Source:
    """Read a path, '-' for stdin, or an http(s) URL; extract the article from HTML.

    Raises InputError with a one-line reason (exit code 2)."""
    import sys

    if source == "-":
        data, name = sys.stdin.buffer.read(), "stdin"
    elif source.startswith(("http://", "https://")):
        data, name = _download(source), source
    else:
        data, name = _read_file(Path(source)), source
    text, warnings = decode(data, name)
    if looks_like_html(text, name):
        article, published = extract_html(text, name)
        note = f"{name}: article text extracted from HTML; offsets refer to article.text"
        return Source(article, (*warnings, note), extracted=True, published=published)
    return Source(text, tuple(warnings))


def _read_file(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a directory, not an article file") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror})") from None


def _download(url: str, timeout: float = 30.0) -> bytes:
    import urllib.error
    import urllib.request

    request = urllib.request.Request(url, headers={"User-Agent": "summarizer/0.1"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            data = response.read(MAX_DOWNLOAD_BYTES + 1)
    except urllib.error.HTTPError as exc:
        raise InputError(f"{url}: HTTP {exc.code} {exc.reason}") from None
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise InputError(f"{url}: cannot download ({reason})") from None
    if len(data) > MAX_DOWNLOAD_BYTES:
        raise InputError(f"{url}: larger than {MAX_DOWNLOAD_BYTES // 1_000_000} MB")
    return data


def looks_like_html(text: str, name: str = "") -> bool:
    head = text[:2000].lstrip().lower()
    return name.lower().endswith((".html", ".htm")) or head.startswith(("<!doctype html", "<html"))


MIN_ARTICLE_WORDS = 10


def extract_html(html: str, name: str = "input") -> tuple[str, str | None]:
    """The article's main text, without navigation, ads and comments (trafilatura), with
    paragraphs separated by blank lines, and its publication date from the page metadata."""
    import trafilatura

    text = trafilatura.extract(html, include_comments=False, include_tables=False) or ""
    if len(text.split()) < MIN_ARTICLE_WORDS:
        raise InputError(f"{name}: no article text found in the HTML")
    metadata = trafilatura.extract_metadata(html)
    published = getattr(metadata, "date", None) if metadata else None
    text = "\n\n".join(line.strip() for line in text.splitlines() if line.strip())
    return text, published


def parse_published(value: str | dt.date | None) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise InputError(f"published date {value!r} is not YYYY-MM-DD") from None


def normalise(text: str) -> str:
    """Windows and old-Mac line endings turned into "\\n", as every offset counts them; the
    HTML report normalises the text it is handed (`Source.text`, as read) the same way."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def load_article(
    text: str, published: str | dt.date | None = None, warnings: list[str] | None = None
) -> Article:
    """Normalise line endings, find the dateline and the publication date."""
    text = normalise(text)
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
        title=headlines.title(text),
        warnings=tuple(warnings or ()),
    )
