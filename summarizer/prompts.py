"""Prompt templates: jinja2 files in `prompts/`, versioned by the hash of their contents.

The templates ship inside the wheel as `summarizer/prompts/`; in a source checkout they
are read from the top-level `prompts/` folder. `prompt_version()` goes into every brief's
meta, so a brief always says which wording of the prompts produced it.
"""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path
from typing import Any

import jinja2

from summarizer.errors import SummarizerError


def prompts_dir() -> Path:
    here = Path(__file__).resolve().parent
    for candidate in (here / "prompts", here.parent / "prompts"):
        if candidate.is_dir():
            return candidate
    raise SummarizerError("prompt templates not found; reinstall summarizer")


@functools.cache
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(prompts_dir()),
        undefined=jinja2.StrictUndefined,  # a missing variable is an error, not ""
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        autoescape=False,
    )


def render(name: str, **variables: Any) -> str:
    """Render prompts/<name>.j2; a missing variable raises instead of rendering blank."""
    try:
        return _environment().get_template(f"{name}.j2").render(**variables).strip()
    except jinja2.UndefinedError as exc:
        raise SummarizerError(f"prompt {name}: {exc}") from exc


@functools.cache
def prompt_version() -> str:
    """First 12 hex digits of the SHA-256 over every template's name and contents."""
    digest = hashlib.sha256()
    for path in sorted(prompts_dir().glob("*.j2")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:12]
