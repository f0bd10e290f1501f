"""Long articles are asked about in windows of whole paragraphs, each small enough for the
model's context and fast to process; ids and offsets stay those of the whole article."""

from __future__ import annotations

import re
from dataclasses import dataclass

DEFAULT_MAX_CHARS = 12_000  # about 3,000 tokens: a window's prompt is processed in ~50 s on 2 cores


@dataclass(frozen=True)
class Window:
    shown_from: int  # the prompt shows the article from here (one paragraph of context)
    start: int  # candidates (quotes, numbers, sentences) that start in [start, end) belong here
    end: int


def windows(text: str, max_chars: int = DEFAULT_MAX_CHARS) -> list[Window]:
    """Consecutive paragraph-aligned windows covering the text, each at most `max_chars`
    (a longer paragraph makes a window of its own). A short text is one window."""
    paragraphs = [m.start() for m in re.finditer(r"[^\n]+", text)] or [0]
    starts = [0]
    for start in paragraphs[1:]:
        if start - starts[-1] > max_chars or _next_end(text, start) - starts[-1] > max_chars:
            starts.append(start)
    out = []
    for i, start in enumerate(starts):
        end = starts[i + 1] if i + 1 < len(starts) else len(text)
        before = [p for p in paragraphs if p < start]
        out.append(Window(shown_from=before[-1] if before else start, start=start, end=end))
    return out


def _next_end(text: str, start: int) -> int:
    """End of the paragraph that starts at `start`."""
    end = text.find("\n", start)
    return len(text) if end == -1 else end
