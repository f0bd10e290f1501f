"""`summarize batch`: one record per article, resumable, safe to kill, cached reruns."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import CASSETTES, LISBON, RECORDED_MODEL, inject_fault
from replay_server import ReplayServer

from summarizer.batch import Output, read_items, results
from summarizer.cli import main
from summarizer.errors import InputError

RECORDED = CASSETTES / "test_api" / "test_short_article_dates_and_figures.yaml"
# The three passes of the Lisbon article, as the recorded model answered them.
LISBON_ANSWERS = str(CASSETTES / "test_api" / "test_rate_limit_is_retried_then_succeeds.yaml")


def records(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def folder_of_copies(tmp_path: Path, n: int) -> Path:
    folder = tmp_path / "articles"
    folder.mkdir()
    for i in range(n):
        shutil.copy(LISBON, folder / f"article-{i:02d}.txt")
    return folder


def test_read_items_from_a_folder_and_from_jsonl(tmp_path):
    folder = folder_of_copies(tmp_path, 2)
    (folder / ".hidden").write_text("x")
    assert [item.id for item in read_items(folder)] == ["article-00.txt", "article-01.txt"]
    jsonl = tmp_path / "items.jsonl"
    jsonl.write_text(
        '{"id": 1, "text": "Rain.", "published": "2025-01-05"}\n\n{"id": "b", "path": "x.txt"}\n'
    )
    items = read_items(jsonl)
    assert [(i.id, i.text, i.published) for i in items] == [
        ("1", "Rain.", "2025-01-05"),
        ("b", None, None),
    ]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"id": "a"}\n{"id": "a"}\n', "id 'a' appears twice"),
        ("not json\n", ":1: not a batch item"),
    ],
    ids=["duplicate-id", "not-json"],
)
def test_bad_jsonl_is_an_input_error(tmp_path, content, message):
    jsonl = tmp_path / "items.jsonl"
    jsonl.write_text(content)
    with pytest.raises(InputError, match=message):
        read_items(jsonl)


def test_a_torn_last_line_is_cut_off_and_only_briefs_count_as_done(tmp_path):
    out = tmp_path / "results.jsonl"
    out.write_text('{"id": "a", "brief": {}}\n{"id": "b", "error": "HTTP 500"}\n{"id": "c", "bri')
    output = Output(out)
    assert output.done == {"a"}
    assert out.read_text().endswith('"HTTP 500"}\n')
    output.append({"id": "c", "brief": {}})
    assert [r["id"] for r in records(out)] == ["a", "b", "c"]


@pytest.mark.vcr
def test_batch_of_a_folder_resumes_and_reuses_cached_answers(cli_env, tmp_path):
    """Two copies of one article: the second is answered from the response cache."""
    folder = folder_of_copies(tmp_path, 2)
    (folder / "broken.txt").write_bytes(b"")
    out = tmp_path / "results.jsonl"
    first = CliRunner().invoke(main, ["batch", str(folder), "--out", str(out)])
    assert first.exit_code == 1  # the empty article failed
    got = {r["id"]: r for r in records(out)}
    assert set(got) == {"article-00.txt", "article-01.txt", "broken.txt"}
    assert got["broken.txt"] == {
        "id": "broken.txt", "error": "the article is empty", "exit_code": 2
    }  # fmt: skip
    briefs = [got[f"article-0{i}.txt"]["brief"] for i in (0, 1)]
    assert briefs[0]["quotes"] == briefs[1]["quotes"]
    assert briefs[0]["meta"]["usage"]["prompt_tokens"] > 0
    assert briefs[1]["meta"]["usage"]["prompt_tokens"] == 0  # cached: no tokens spent
    assert "3 articles, 0 already done" in first.stderr
    assert re.search(
        r"\[#{16}\.{8}\] 2/3 \(\d+\.\d articles/min, ETA \d+ min\) article-01", first.stderr
    )
    assert "summarize batch: broken.txt: error: the article is empty\n" in first.stderr

    (folder / "broken.txt").write_text(LISBON.read_text(encoding="utf-8"))
    second = CliRunner().invoke(main, ["batch", str(folder), "--out", str(out)])
    assert second.exit_code == 0
    assert "3 articles, 2 already done" in second.stderr
    assert [r["id"] for r in records(out)][-1] == "broken.txt"
    assert "brief" in records(out)[-1]


@pytest.mark.block_network(allowed_hosts=["127.0.0.1"])
def test_killing_a_batch_loses_nothing_finished(tmp_path):
    folder = folder_of_copies(tmp_path, 6)
    out = tmp_path / "results.jsonl"
    command = [sys.executable, "-m", "summarizer.cli", "batch", str(folder), "--out", str(out), "--no-cache"]  # fmt: skip
    with ReplayServer(RECORDED, delay=0.3) as server:
        env = os.environ | {
            "OPENAI_BASE_URL": server.url,
            "OPENAI_API_KEY": "sk-test-placeholder",
            "SUMMARIZER_MODEL": RECORDED_MODEL,
        }
        process = subprocess.Popen(command, env=env, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and (not out.exists() or len(records(out)) < 2):
            time.sleep(0.05)
        process.kill()
        process.wait()
        before = records(out)  # every line whole and valid JSON
        assert 2 <= len(before) < 6
        assert all("brief" in r for r in before)

        requests_before = server.requests
        finished = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
        assert finished.returncode == 0, finished.stderr
        assert f"6 articles, {len(before)} already done" in finished.stderr
        after = records(out)
        assert sorted(r["id"] for r in after) == sorted(p.name for p in folder.iterdir())
        assert all("brief" in r for r in after)
        assert server.requests - requests_before == 3 * (6 - len(before))  # nothing redone
        assert server.unmatched == 0


def test_the_record_that_counts_is_the_last_whole_brief_else_partial_else_error(tmp_path):
    whole, partial = {"meta": {"incomplete": []}}, {"meta": {"incomplete": ["events"]}}
    out = tmp_path / "results.jsonl"
    lines = [
        {"id": "a", "error": "timed out"},
        {"id": "a", "brief": partial},
        {"id": "a", "error": "HTTP 500"},  # a later error does not undo a partial brief
        {"id": "b", "brief": whole},
        {"id": "b", "brief": partial},  # nor does a later partial brief undo a whole one
        {"id": "c", "error": "HTTP 500"},
        {"id": "c", "error": "HTTP 503"},
    ]
    out.write_text("".join(json.dumps(line) + "\n" for line in lines))
    chosen = results(out)
    assert chosen == {"a": lines[1], "b": lines[3], "c": lines[6]}
    assert Output(out).done == {"b"}  # a rerun asks for a and c again


@pytest.mark.vcr(LISBON_ANSWERS)
@pytest.mark.cassette_in_part
def test_a_partial_brief_is_written_marked_and_completed_by_a_rerun(cli_env, vcr, tmp_path):
    folder = folder_of_copies(tmp_path, 1)
    out = tmp_path / "results.jsonl"
    inject_fault(vcr, "brief the article", 500, {"error": {"message": "slot unavailable"}})
    inject_fault(vcr, "brief the article", 500, {"error": {"message": "slot unavailable"}})
    inject_fault(vcr, "brief the article", 500, {"error": {"message": "slot unavailable"}})
    first = CliRunner().invoke(main, ["batch", str(folder), "--out", str(out)])
    assert first.exit_code == 3, first.stderr  # partial, none failed
    assert "article-00.txt: partial brief: no events" in first.stderr
    assert "0 done, 1 partial, 0 failed, 0 skipped" in first.stderr
    (partial,) = records(out)
    assert partial["brief"]["meta"]["incomplete"] == ["events"]
    assert "events pass failed: " in " ".join(partial["brief"]["meta"]["warnings"])
    assert "HTTP 500: slot unavailable" in " ".join(partial["brief"]["meta"]["warnings"])
    assert [q["speaker"] for q in partial["brief"]["quotes"]] == ["Mayor Ana Ribeiro", "Rui Costa"]
    assert partial["brief"]["events"] == [] and partial["brief"]["title"] == ""

    second = CliRunner().invoke(main, ["batch", str(folder), "--out", str(out)])
    assert second.exit_code == 0, second.stderr
    assert "1 articles, 0 already done" in second.stderr
    whole = results(out)["article-00.txt"]
    assert whole["brief"]["meta"]["incomplete"] == []
    assert whole["brief"]["events"] and whole["brief"]["title"]
    assert whole["brief"]["quotes"] == partial["brief"]["quotes"]
    assert vcr.play_count == 3 + 3  # the faults, then each pass once: the rerun's quotes
    # and figures came from the response cache
    assert whole["brief"]["meta"]["usage"]["prompt_tokens"] > 0
