"""The three questions asked of the model, one module each: quotes, figures, events.

Each module offers `question(ctx) -> Question | None` (None: nothing to ask) and
`build(ctx, answers) -> (items, warnings)`, so the pipeline reads the same way for all three.
"""

from summarizer.context import Context
from summarizer.passes import events, figures, quotes
from summarizer.passes.base import Question

__all__ = ["Context", "Question", "events", "figures", "quotes"]
