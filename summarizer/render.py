"""Turning a Brief into what the user reads: JSON (the contract), JSON lines, or Markdown.

The HTML page, with the article beside the brief, is summarizer/report/."""

from __future__ import annotations

import json
import re

from summarizer.schema import Brief, Figure

# A note on one of the model's answers, by candidate id: "S3: omitted where 'Kyiv': ..."
_ANSWER_NOTE = re.compile(r"[QNS]\d+: ")


def is_answer_note(warning: str) -> bool:
    """A warning about one of the model's answers (mended or left out by the checks), as
    opposed to one about the input or a pass."""
    return bool(_ANSWER_NOTE.match(warning))


def to_json(brief: Brief, *, indent: int | None = 2) -> str:
    return json.dumps(brief.model_dump(mode="json"), ensure_ascii=False, indent=indent)


def _number(value: float | int) -> str:
    return f"{value:,}" if isinstance(value, int) or value != int(value) else f"{int(value):,}"


def figure_value(figure: Figure) -> str:
    """A figure's value as a reader says it: "approximately 200,000", "up to 2–3"."""
    value = _number(figure.value)
    if figure.value_max is not None:
        value += f"–{_number(figure.value_max)}"
    if figure.qualifier != "exact":
        value = f"{figure.qualifier.replace('_', ' ')} {value}"
    return value


def to_markdown(brief: Brief) -> str:
    """A readable brief; every item keeps its character offsets so a reader can check it."""
    lines = [f"# {brief.title}", "", brief.summary, ""]
    info = brief.article
    facts = [f"published {info.published}" if info.published else None, info.dateline]
    shown = [f for f in facts if f]
    if shown:
        lines += [f"*{' · '.join(shown)}*", ""]
    if brief.events:
        lines += ["## Events", ""]
        for event in brief.events:
            when = event.when.date or event.when.text
            detail = "; ".join(d for d in (event.where, when) if d)
            spans = ", ".join(f"{s.start}–{s.end}" for s in event.evidence)
            # "what" may lack its subject, so the people come first
            who = f"**{', '.join(event.who)}**: " if event.who else ""
            lines.append(
                f"- {who}{event.what}" + (f" ({detail})" if detail else "") + f" [chars {spans}]"
            )
        lines.append("")
    if brief.figures:
        lines += [
            "## Figures",
            "",
            "| value | unit | counts | as written | chars |",
            "|---|---|---|---|---|",
        ]
        for f in brief.figures:
            span = f"{f.evidence.start}–{f.evidence.end}"
            lines.append(f"| {figure_value(f)} | {f.unit} | {f.counts} | {f.text} | {span} |")
        lines.append("")
    if brief.quotes:
        lines += ["## Quotes", ""]
        for q in brief.quotes:
            who = q.speaker or "unattributed"
            if q.speaker_role:
                who += f", {q.speaker_role}"
            if q.channel:
                who += f" ({q.channel})"
            lines.append(
                f"- “{q.text}” — {who} [{q.kind}, chars {q.evidence.start}–{q.evidence.end}]"
            )
        lines.append("")
    meta = brief.meta
    lines.append(
        f"<sub>{meta.model} via {meta.backend} · prompts {meta.prompt_version} · "
        f"{meta.attempts} calls · {meta.usage.prompt_tokens} prompt + "
        f"{meta.usage.completion_tokens} completion tokens · {meta.latency_s:.1f}s</sub>"
    )
    notes = [w for w in meta.warnings if is_answer_note(w)]
    lines += [f"\n> warning: {w}" for w in meta.warnings if not is_answer_note(w)]
    if notes:  # the brief is already mended; one line says so, the JSON lists them
        lines.append(
            f"\n> {len(notes)} of the model's answers were mended or left out by the "
            "grounding checks (`--format json` lists them in meta.warnings)."
        )
    return "\n".join(lines) + "\n"
