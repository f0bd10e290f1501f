"""What every pass shares: the question, keyed answer models, and the review of an answer.

Candidates (quoted spans, number mentions, sentences) are found in code first and handed
to the model by id; the model only says what it is good at. Each answer model validates
itself against the article (`summarizer.context.Context`, instructor's validation
context) by applying its pass's rules in order (`Review`): in strict mode a problem
raises, and instructor sends the named reason back to the model; in lenient mode (after
the last attempt) the offending item is dropped and a warning recorded on the answer, so
nothing ungrounded ever reaches the brief, and only the kept answer's warnings do.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, ClassVar

from pydantic import BaseModel, Field, PrivateAttr, ValidationInfo, create_model, model_validator
from pydantic_core import from_json

from summarizer.context import Context, Verdict


@dataclass(frozen=True)
class Question:
    """One pass's request: the template to render, its variables, the answer model."""

    template: str
    model: type[BaseModel]
    variables: dict[str, Any]
    max_tokens: int
    # Written field by field where the server can (stepwise.py): only where measured to
    # answer as well as one request does.
    stepwise: bool = False
    # The window as this request shows it; its answers are validated against it.
    ctx: Context | None = None


def validation_context(info: ValidationInfo) -> Context:
    ctx = (info.context or {}).get("summarizer")
    if not isinstance(ctx, Context):
        raise ValueError("internal error: validation context missing")
    return ctx


Rule = Callable[[Context, Any], Verdict]


class Review:
    """The verdicts of a pass's rules on one answer, gathered: what the reader is told
    (warnings) and what the model is asked to fix (problems)."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.warnings: list[str] = []
        self.problems: list[str] = []

    def apply(self, draft: Any, rules: Iterable[Rule]) -> None:
        """Apply the rules to a draft in order; each sees the changes of those before it."""
        for rule in rules:
            self.take(draft, rule(self.ctx, draft))

    def take(self, target: Any, verdict: Verdict) -> None:
        for name, value in verdict.changes.items():
            setattr(target, name, value)
        self.warnings += verdict.warnings
        self.problems += verdict.problems

    def close(self, answer: KeyedAnswers) -> None:
        """Strict: raise every problem, so instructor sends them back to the model.
        Lenient (after the last attempt): the rules left the items out; say so. The
        warnings belong to this answer, so an answer asked again takes its warnings away."""
        if self.problems and not self.ctx.lenient:
            raise ValueError("; ".join(self.problems))
        answer._warnings = [
            *self.warnings,
            *(f"left out after the last attempt: {p}" for p in self.problems),
        ]


class KeyedAnswers(BaseModel):
    """One required field per candidate, in order, keyed "Q3 getting what it deserves".

    The JSON-schema grammar makes the model answer every candidate exactly once, and
    writing the key (the id plus the candidate's first words) re-anchors a small model on
    the right candidate, so answers do not drift to a neighbour.
    """

    # What a candidate the model left out counts as, once no attempts are left.
    NO_ANSWER: ClassVar[Any] = {}
    # What the rules mended or left out in this answer, for meta.warnings (see Review).
    _warnings: list[str] = PrivateAttr(default_factory=list)

    @model_validator(mode="before")
    @classmethod
    def missing_is_no_answer(cls, data: Any, info: ValidationInfo) -> Any:
        """Lenient only: in json mode (no grammar) a small model may skip a candidate."""
        ctx = (info.context or {}).get("summarizer")
        if isinstance(data, dict) and isinstance(ctx, Context) and ctx.lenient:
            for name, field_info in cls.model_fields.items():
                key = field_info.alias or name
                if key not in data and name[0] in "QNS" and name[1:].isdigit():
                    data[key] = copy.deepcopy(cls.NO_ANSWER)
        return data

    def warnings(self) -> list[str]:
        return list(self._warnings)

    def answers(self) -> dict[str, Any]:
        """Answers by candidate id (Q1, N1, S1, …)."""
        return {
            name: getattr(self, name)
            for name in type(self).model_fields
            if name[0] in "QNS" and name[1:].isdigit()
        }


class Collected:
    """One pass's answers gathered from several requests (groups of candidates, or the
    rounds after an answer was cut off), read by `build` as one answer."""

    def __init__(self) -> None:
        self.items: dict[str, Any] = {}
        self.title = ""
        self.summary = ""
        self.asked = False  # whether any answer came back
        self.warnings: list[str] = []  # of the answers kept, in the order they came

    def add(self, answer: BaseModel) -> None:
        self.asked = True
        if isinstance(answer, KeyedAnswers):
            self.items.update(answer.answers())
            self.warnings += answer.warnings()
        self.title = getattr(answer, "title", None) or self.title
        self.summary = getattr(answer, "summary", None) or self.summary

    def answers(self) -> dict[str, Any]:
        return self.items


def finished_part(question: Question, partial: str) -> tuple[list[str], dict[str, Any]]:
    """What an answer cut off at its token budget finished: the candidate ids it answered
    in full, and the JSON of those answers, keyed as the answer model expects.

    An item is finished when every field of it was written (its closing brace may be
    missing); the item the model was writing when it was stopped is not. The title and
    summary count as one candidate, "headline".
    """
    try:
        data = from_json(partial, allow_partial=True)
    except ValueError:
        return [], {}
    if not isinstance(data, dict):
        return [], {}
    finished: dict[str, Any] = {}
    for name, field_info in question.model.model_fields.items():
        key = field_info.alias or name
        if key in data and _whole(field_info.annotation, data[key]):
            finished[key] = data[key]
    ids = [key.split(" ", 1)[0] for key in finished if key not in ("title", "summary")]
    if "title" in finished and "summary" in finished:
        ids.insert(0, "headline")
    else:  # half a headline is no headline
        finished.pop("title", None)
        finished.pop("summary", None)
    return ids, finished


def _whole(annotation: Any, value: Any) -> bool:
    """An object with every field written; a string is whole once parsed (a partial
    parse leaves out a string that was not closed)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return isinstance(value, dict) and all(
            (f.alias or n) in value for n, f in annotation.model_fields.items()
        )
    return True


NULL_WORDS = {"", "null", "none", "n/a", "unknown", "not stated", "not mentioned"}


def null_if_empty(value: Any) -> Any:
    """A model without a grammar writes "null" or "unknown" for no answer: make it None."""
    if isinstance(value, str) and value.strip().lower() in NULL_WORDS:
        return None
    return value


def keyed_model(base: type[KeyedAnswers], items: dict[str, Any], keys: dict[str, str]) -> Any:
    fields: dict[str, Any] = {
        cid: (items[cid], Field(alias=f"{cid} {label}")) for cid, label in keys.items()
    }
    return create_model(base.__name__, __base__=base, **fields)
