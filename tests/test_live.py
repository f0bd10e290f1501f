"""The real embedded model on this CPU: slow (about a minute), but nothing is replayed.

Run alone with `pytest -m live`; skip with `pytest -m "not live"`.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import summarizer

TEXT = (Path(__file__).parent / "data" / "lisbon.txt").read_text(encoding="utf-8")


@pytest.mark.live
@pytest.mark.block_network(allowed_hosts=["127.0.0.1"])
def test_embedded_model_brief_is_grounded(monkeypatch):
    pytest.importorskip("xllamacpp", reason="needs the 'local' extra")
    monkeypatch.delenv("SUMMARIZER_CACHE_DIR")  # the user's cache: assemble the model once
    with summarizer.Summarizer() as engine:
        brief = engine.summarize(TEXT)
    brief.check_grounding(TEXT)
    assert brief.meta.backend == "embedded"
    assert brief.meta.model == "qwen2.5-coder-1.5b"
    assert [q.text[:12] for q in brief.quotes] == ["We want ever", "a good start"]
    assert brief.quotes[0].speaker == "Mayor Ana Ribeiro"  # the quotes answer, stepwise
    assert {f.value for f in brief.figures} <= {12000, 4.5e6, 5, 300}
    assert 12000 in {f.value for f in brief.figures}
    assert brief.events and brief.events[0].evidence[0].start > 0
    assert brief.meta.usage.completion_tokens > 0
