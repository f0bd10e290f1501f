"""`summarize batch --engine openai-batch`: the briefs' requests through a Batch API (a
local fake of OpenAI's Files and Batches endpoints, answering from the cassettes)."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import openai
import pytest
from click.testing import CliRunner
from conftest import CASSETTES, LISBON, RECORDED_MODEL, ROOT, SEED, chat_completion
from fake_batches import FakeBatches
from openai.types import Batch, FileObject
from replay_server import ReplayServer
from test_api import CUT_OFF

from summarizer.batch_api import (
    Limits,
    Line,
    NextRound,
    Results,
    State,
    custom_id_of,
    paths,
    request_key,
)
from summarizer.cli import main
from summarizer.pipeline import Summarizer

pytestmark = pytest.mark.block_network(allowed_hosts=["127.0.0.1"])

DATA = ROOT / "tests" / "data"
LISBON_PASSES = (
    CASSETTES / "test_batch" / "test_batch_of_a_folder_resumes_and_reuses_cached_answers.yaml"
)
SEED_PASSES = CASSETTES / "test_api" / "test_seed_end_to_end.yaml"
SPANISH_PASSES = (
    CASSETTES / "test_hard_articles" / "test_a_spanish_article_is_briefed_and_grounded.yaml"
)
CUT_OFF_PASSES = (
    CASSETTES
    / "test_api"
    / "test_a_cut_off_answer_keeps_what_it_finished_and_asks_only_for_the_rest.yaml"
)
# The injected-instructions article: its events answer failed the checks twice, so the
# recorded exchanges hold two real re-asks.
INJECTION_PASSES = (
    CASSETTES
    / "test_hard_articles"
    / "test_instructions_inside_the_article_do_not_steer_the_brief.yaml"
)


LINES = [Line(f"a:0:quotes:{n}", f"k{n}", {"n": "x" * 100}) for n in range(7)]
SIZE = len(LINES[0].encoded())


def records(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def articles(tmp_path: Path, **files: Path) -> Path:
    folder = tmp_path / "articles"
    folder.mkdir()
    for name, source in files.items():
        shutil.copy(source, folder / name)
    return folder


def environment(monkeypatch: pytest.MonkeyPatch, fake: FakeBatches) -> None:
    monkeypatch.setenv("OPENAI_BASE_URL", fake.url)
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-placeholder")
    monkeypatch.setenv("SUMMARIZER_MODEL", RECORDED_MODEL)


def batch(folder: Path, out: Path, *extra: str):
    command = ["batch", str(folder), "--out", str(out), "--engine", "openai-batch", "--poll", "0"]
    return CliRunner().invoke(main, [*command, *extra])


def test_a_whole_run_briefs_each_article_once_from_one_batch(monkeypatch, tmp_path):
    folder = articles(
        tmp_path, **{"lisbon.txt": LISBON, "kursk.txt": SEED, "spanish.txt": DATA / "spanish.txt"}
    )
    out = tmp_path / "results.jsonl"
    with FakeBatches(LISBON_PASSES, SEED_PASSES, SPANISH_PASSES) as fake:
        environment(monkeypatch, fake)
        result = batch(folder, out, "--report", str(tmp_path / "report"))
    assert result.exit_code == 0, result.stderr
    assert fake.unmatched == 0
    assert len(fake.created()) == 1  # every pass of every article in one batch
    assert fake.lines_answered == 9
    got = records(out)
    assert sorted(r["id"] for r in got) == ["kursk.txt", "lisbon.txt", "spanish.txt"]
    for record in got:
        brief = record["brief"]
        assert brief["meta"]["incomplete"] == [] and brief["meta"]["backend"] == "openai-batch"
        text = (folder / record["id"]).read_text(encoding="utf-8")
        for quote in brief["quotes"]:
            span = quote["evidence"]
            assert text[span["start"] : span["end"]] == span["text"]
    assert len(list((tmp_path / "report").glob("*.html"))) == 4  # a page each, and the index
    assert "in_progress, 0/9 done, 0 failed" in result.stderr
    assert "completed, 9/9 done, 0 failed; 6704 input and 1737 output tokens" in result.stderr
    assert "answers: 6704 prompt and 1737 answer tokens" in result.stderr  # the records' usage


def test_copies_of_one_article_are_asked_once_and_each_gets_its_record(monkeypatch, tmp_path):
    folder = articles(tmp_path, **{"a.txt": LISBON, "b.txt": LISBON})
    out = tmp_path / "results.jsonl"
    with FakeBatches(LISBON_PASSES) as fake:
        environment(monkeypatch, fake)
        result = batch(folder, out)
    assert result.exit_code == 0, result.stderr
    (only,) = fake.created()
    assert len(fake.batches[only].lines) == 3
    got = records(out)
    assert [r["id"] for r in got] == ["a.txt", "b.txt"]
    assert got[0]["brief"]["quotes"] == got[1]["brief"]["quotes"]


def test_a_batch_the_provider_rejects_ends_the_run_and_a_rerun_submits_it_again(
    monkeypatch, tmp_path
):
    folder = articles(tmp_path, **{"lisbon.txt": LISBON})
    out = tmp_path / "results.jsonl"
    with FakeBatches(LISBON_PASSES) as fake:
        fake.reject_next("token_limit_exceeded", "Enqueued token limit reached for this model.")
        environment(monkeypatch, fake)
        first = batch(folder, out)
        assert first.exit_code == 1
        assert "failed" in first.stderr and "Enqueued token limit reached" in first.stderr
        assert "3 requests unanswered: rerun to send them" in first.stderr
        assert not out.exists()
        second = batch(folder, out)
        assert second.exit_code == 0, second.stderr
        assert [len(fake.batches[b].lines) for b in fake.created()] == [3, 3]
    assert records(out)[0]["brief"]["meta"]["incomplete"] == []


def test_an_expired_batch_keeps_its_finished_lines_and_sends_the_rest_again(monkeypatch, tmp_path):
    folder = articles(tmp_path, **{"lisbon.txt": LISBON, "kursk.txt": SEED})
    out = tmp_path / "results.jsonl"
    with FakeBatches(LISBON_PASSES, SEED_PASSES) as fake:
        fake.expire_after(4)
        environment(monkeypatch, fake)
        result = batch(folder, out)
    assert result.exit_code == 0, result.stderr
    assert "expired, 4/6 done, 2 failed" in result.stderr
    first, second = fake.created()
    assert [fake.batches[first].data["status"], fake.batches[second].data["status"]] == [
        "expired", "completed"
    ]  # fmt: skip
    assert len(fake.batches[second].lines) == 2  # only the lines the expiry left undone
    assert fake.lines_answered == 6 and fake.unmatched == 0
    assert sorted(r["id"] for r in records(out)) == ["kursk.txt", "lisbon.txt"]
    assert all(r["brief"]["meta"]["incomplete"] == [] for r in records(out))


def test_a_line_failed_with_a_transient_status_is_sent_again(monkeypatch, tmp_path):
    folder = articles(tmp_path, **{"lisbon.txt": LISBON})
    out = tmp_path / "results.jsonl"
    with FakeBatches(LISBON_PASSES) as fake:
        fake.fail("say who is quoted", 500, "The server had an error processing your request.")
        environment(monkeypatch, fake)
        result = batch(folder, out)
    assert result.exit_code == 0, result.stderr
    assert "completed, 2/3 done, 1 failed" in result.stderr
    first, second = fake.created()
    assert [line["custom_id"] for line in fake.batches[second].lines] == ["lisbon.txt:0:quotes:1"]
    (record,) = records(out)
    assert record["brief"]["meta"]["incomplete"] == []
    assert record["brief"]["quotes"][0]["speaker"] == "Mayor Ana Ribeiro"


def test_a_line_refused_by_the_endpoint_fails_its_pass_without_another_batch(monkeypatch, tmp_path):
    folder = articles(tmp_path, **{"lisbon.txt": LISBON})
    out = tmp_path / "results.jsonl"
    with FakeBatches(LISBON_PASSES) as fake:
        fake.fail("say who is quoted", 400, "Invalid schema for response_format")
        environment(monkeypatch, fake)
        result = batch(folder, out)
    assert result.exit_code == 3, result.stderr  # a partial brief
    assert len(fake.created()) == 1
    (record,) = records(out)
    assert record["brief"]["meta"]["incomplete"] == ["quotes"]
    warnings = " ".join(record["brief"]["meta"]["warnings"])
    assert "quotes pass failed: " in warnings and "HTTP 400: Invalid schema" in warnings
    assert record["brief"]["events"] and record["brief"]["figures"]


def test_the_rest_of_an_answer_cut_off_at_its_budget_is_asked_in_the_next_batch(
    monkeypatch, tmp_path
):
    folder = articles(tmp_path, **{"lisbon.txt": LISBON})
    out = tmp_path / "results.jsonl"
    with FakeBatches(CUT_OFF_PASSES) as fake:
        fake.answer_with("say who is quoted", chat_completion(CUT_OFF, finish_reason="length"))
        environment(monkeypatch, fake)
        result = batch(folder, out)
    assert result.exit_code == 0, result.stderr
    assert fake.unmatched == 0
    first, second = fake.created()
    (rest,) = fake.batches[second].lines
    assert list(rest["body"]["response_format"]["json_schema"]["schema"]["properties"]) == [
        "Q2 a good start"
    ]  # fmt: skip
    (record,) = records(out)
    assert record["brief"]["meta"]["incomplete"] == []
    assert record["brief"]["quotes"][0]["speaker"] == "Mayor Ana Ribeiro"  # the cut-off answer's
    assert record["brief"]["quotes"][1]["speaker"] is not None  # asked again, alone


def test_a_rerun_sends_again_a_line_an_earlier_run_had_refused(monkeypatch, tmp_path):
    """As the local engine asks a partial brief's failed pass again on a rerun."""
    folder = articles(tmp_path, **{"lisbon.txt": LISBON})
    out = tmp_path / "results.jsonl"
    with FakeBatches(LISBON_PASSES) as fake:
        fake.fail("say who is quoted", 400, "Invalid schema for response_format")
        environment(monkeypatch, fake)
        assert batch(folder, out).exit_code == 3
        second = batch(folder, out)
        assert second.exit_code == 0, second.stderr
        assert [len(fake.batches[b].lines) for b in fake.created()] == [3, 1]
    partial, whole = records(out)
    assert whole["brief"]["meta"]["incomplete"] == []
    assert whole["brief"]["quotes"][0]["speaker"] == "Mayor Ana Ribeiro"
    assert whole["brief"]["events"] == partial["brief"]["events"]


def test_an_answer_that_fails_the_checks_is_re_asked_in_a_follow_up_batch(monkeypatch, tmp_path):
    """The events answer about the injected article failed the checks twice: each re-ask
    is the next batch, with the messages instructor writes (the recorded ones), and the
    third answer is parsed leniently, as the synchronous path does."""
    folder = articles(tmp_path, **{"injection.txt": DATA / "injection.txt"})
    out = tmp_path / "results.jsonl"
    with FakeBatches(INJECTION_PASSES) as fake:
        environment(monkeypatch, fake)
        result = batch(folder, out)
    assert result.exit_code == 0, result.stderr
    assert fake.unmatched == 0
    sizes = [len(fake.batches[batch_id].lines) for batch_id in fake.created()]
    assert sizes == [3, 1, 1]
    reasks = [fake.batches[batch_id].lines[0] for batch_id in fake.created()[1:]]
    assert [line["custom_id"] for line in reasks] == [
        "injection.txt:0:events:2",
        "injection.txt:0:events:3",
    ]
    assert [len(line["body"]["messages"]) for line in reasks] == [4, 6]
    (record,) = records(out)
    brief = record["brief"]
    assert brief["meta"]["attempts"] == 5
    assert "HACKED" not in brief["title"]
    assert any("IGNORE ALL PREVIOUS INSTRUCTIONS" in w for w in brief["meta"]["warnings"])
    text = (DATA / "injection.txt").read_text(encoding="utf-8")
    assert all(q["evidence"]["text"] in text for q in brief["quotes"])


@pytest.mark.parametrize(
    ("name", "cassette"),
    [("injection.txt", INJECTION_PASSES), ("spanish.txt", SPANISH_PASSES)],
    ids=["re-asked", "spanish"],
)
def test_a_batch_brief_is_the_brief_the_synchronous_path_makes(
    monkeypatch, tmp_path, name, cassette
):
    """The same answers make the same brief: the batch engine has no grounding of its own."""
    folder = articles(tmp_path, **{name: DATA / name})
    out = tmp_path / "results.jsonl"
    with FakeBatches(cassette) as fake:
        environment(monkeypatch, fake)
        assert batch(folder, out).exit_code == 0
    with ReplayServer(cassette) as server:
        client = openai.OpenAI(base_url=server.url, api_key="sk-test-placeholder", max_retries=0)
        text = (DATA / name).read_text(encoding="utf-8")
        with Summarizer(client=client, model=RECORDED_MODEL, mode="json_schema") as engine:
            synchronous = engine.summarize(text).model_dump(mode="json")
    (record,) = records(out)
    batched = record["brief"]
    for brief in (batched, synchronous):
        del brief["meta"]["latency_s"], brief["meta"]["backend"]
    assert batched == synchronous


def subprocess_batch(
    folder: Path, out: Path, fake: FakeBatches, stderr=subprocess.DEVNULL
) -> subprocess.Popen:
    command = [
        sys.executable, "-m", "summarizer.cli", "batch", str(folder), "--out", str(out),
        "--engine", "openai-batch", "--poll", "0.05",
    ]  # fmt: skip
    env = os.environ | {
        "OPENAI_BASE_URL": fake.url,
        "OPENAI_API_KEY": "sk-test-placeholder",
        "SUMMARIZER_MODEL": RECORDED_MODEL,
    }
    return subprocess.Popen(command, env=env, stderr=stderr, text=True)


def wait_for_a_batch_id(state: Path, process: subprocess.Popen) -> dict:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and process.poll() is None:
        if state.exists() and json.loads(state.read_text())["parts"][0]["batch_id"]:
            return json.loads(state.read_text())
        time.sleep(0.05)
    raise AssertionError("no batch was submitted")


@pytest.mark.parametrize("saved", [True, False], ids=["id-saved", "killed-before-saving-the-id"])
def test_a_rerun_after_a_killed_run_polls_the_same_batch(monkeypatch, tmp_path, saved):
    """Killed while polling, the run is resumed by the same command: it polls the batch
    it submitted, and submits nothing again; killed between creating the batch and
    saving its id, the rerun finds the batch by its input file."""
    folder = articles(tmp_path, **{"lisbon.txt": LISBON, "kursk.txt": SEED})
    out = tmp_path / "results.jsonl"
    state_file, _ = paths(out)
    with FakeBatches(LISBON_PASSES, SEED_PASSES) as fake:
        fake.hold()
        process = subprocess_batch(folder, out, fake)
        state = wait_for_a_batch_id(state_file, process)
        process.kill()
        process.wait()
        assert not out.exists() and fake.created() == [state["parts"][0]["batch_id"]]
        if not saved:
            state["parts"][0]["batch_id"] = None
            state_file.write_text(json.dumps(state))
        fake.release()
        environment(monkeypatch, fake)
        result = batch(folder, out)
        assert result.exit_code == 0, result.stderr
        assert fake.created() == [state["parts"][0]["batch_id"] or "batch_0002"]
        assert fake.requests.count("POST /v1/files") == 1
    assert sorted(r["id"] for r in records(out)) == ["kursk.txt", "lisbon.txt"]


def test_ctrl_c_while_polling_says_the_batches_keep_running(tmp_path):
    folder = articles(tmp_path, **{"lisbon.txt": LISBON})
    out = tmp_path / "results.jsonl"
    with FakeBatches(LISBON_PASSES) as fake:
        fake.hold()
        process = subprocess_batch(folder, out, fake, stderr=subprocess.PIPE)
        wait_for_a_batch_id(paths(out)[0], process)
        process.send_signal(signal.SIGINT)
        _, stderr = process.communicate(timeout=30)
    assert process.returncode == 130
    assert "the batches in flight keep running, and rerunning the same command polls them" in stderr


def test_the_fake_answers_with_every_field_of_the_api_types(tmp_path):
    """The fake's objects carry every field of the openai package's types, set."""
    with FakeBatches(LISBON_PASSES) as fake:
        client = openai.OpenAI(base_url=fake.url, api_key="sk-test-placeholder", max_retries=0)
        path = tmp_path / "in.jsonl"
        path.write_text(
            json.dumps(
                {"custom_id": "a", "method": "POST", "url": "/v1/chat/completions", "body": {}}
            )
            + "\n"
        )
        uploaded = client.files.create(file=path, purpose="batch")
        created = client.batches.create(
            input_file_id=uploaded.id, endpoint="/v1/chat/completions", completion_window="24h"
        )
        client.batches.retrieve(created.id)
        done = client.batches.retrieve(created.id)
        listed = client.batches.list(limit=10)
        with pytest.raises(openai.AuthenticationError):
            openai.OpenAI(base_url=fake.url, api_key="wrong", max_retries=0).batches.list()
    assert uploaded.model_fields_set == set(FileObject.model_fields)
    assert done.model_fields_set == set(Batch.model_fields)
    assert done.status == "completed" and done.request_counts.failed == 1  # {} is no request
    assert [b.id for b in listed.data] == [created.id]


@pytest.mark.parametrize(
    ("limits", "sizes"),
    [
        (Limits(requests=3), [3, 3, 1]),
        (Limits(bytes=2 * SIZE), [2, 2, 2, 1]),
        (Limits(bytes=SIZE - 1), [1] * 7),  # a line over the limit alone, as the API would refuse
    ],
    ids=["requests", "bytes", "one-line-over"],
)
def test_batch_files_are_cut_at_the_request_and_byte_limits(tmp_path, limits, sizes):
    state = State(tmp_path / "state.json")
    files = NextRound(state, tmp_path, limits)
    for line in [*LINES, LINES[0]]:  # the same request twice is one line
        files.add(line)
    assert [part.lines for part in files.close()] == sizes
    assert [part.name for part in State.load(tmp_path / "state.json").parts][:2] == [
        "part-0001", "part-0002"
    ]  # fmt: skip
    written = [
        json.loads(line)["custom_id"]
        for part in state.parts
        for line in (tmp_path / f"{part.name}.input.jsonl").read_text().splitlines()
    ]
    assert written == [line.custom_id for line in LINES]


def test_a_run_is_split_into_as_many_batch_files_as_the_limit_needs(monkeypatch, tmp_path):
    folder = articles(tmp_path, **{"lisbon.txt": LISBON, "kursk.txt": SEED})
    out = tmp_path / "results.jsonl"
    with FakeBatches(LISBON_PASSES, SEED_PASSES) as fake:
        environment(monkeypatch, fake)
        result = batch(folder, out, "--batch-requests", "4")
    assert result.exit_code == 0, result.stderr
    assert [len(fake.batches[b].lines) for b in fake.created()] == [4, 2]
    assert fake.most_in_flight == 2
    assert len(records(out)) == 2


def test_batches_at_once_waits_for_one_to_end_before_submitting_the_next(monkeypatch, tmp_path):
    folder = articles(tmp_path, **{"lisbon.txt": LISBON, "kursk.txt": SEED})
    out = tmp_path / "results.jsonl"
    with FakeBatches(LISBON_PASSES, SEED_PASSES) as fake:
        environment(monkeypatch, fake)
        result = batch(folder, out, "--batch-requests", "2", "--batches-at-once", "1")
    assert result.exit_code == 0, result.stderr
    assert [len(fake.batches[b].lines) for b in fake.created()] == [2, 2, 2]
    assert fake.most_in_flight == 1
    assert len(records(out)) == 2


def test_a_custom_id_keeps_within_64_characters():
    assert custom_id_of("a.txt", 12000, "quotes", 2) == "a.txt:12000:quotes:2"
    long = custom_id_of("x" * 100 + ".txt", 12000, "figures", 1)
    assert len(long) == 64 and long.endswith(":12000:figures:1")
    assert long != custom_id_of("x" * 100 + ".html", 12000, "figures", 1)


def test_the_request_key_ignores_the_order_of_a_bodys_keys():
    assert request_key({"a": 1, "b": [1, 2]}) == request_key({"b": [1, 2], "a": 1})


def test_an_error_line_is_resent_twice_then_is_the_answer():
    answers = Results()
    keys = {"x": "key"}
    error = {"custom_id": "x", "response": {"status_code": 503, "request_id": "r", "body": {"error": {"message": "busy"}}}, "error": None}  # fmt: skip
    for _ in range(3):
        assert answers.answer("key") is None
        answers._line(keys, error, Path("unused"), 0, errors=True)
    assert answers.answer("key") == (503, b'{"error": {"message": "busy"}}')


def test_an_api_request_that_meets_a_transient_fault_is_sent_again_whole(monkeypatch, tmp_path):
    folder = articles(tmp_path, **{"lisbon.txt": LISBON})
    out = tmp_path / "results.jsonl"
    with FakeBatches(LISBON_PASSES) as fake:
        fake.fail_request("POST /v1/files")
        fake.fail_request("GET /v1/batches/batch_0002")
        environment(monkeypatch, fake)
        result = batch(folder, out)
    assert result.exit_code == 0, result.stderr
    assert fake.requests.count("POST /v1/files") == 2
    (uploaded,) = [f["content"] for f in fake.files.values() if f["object"]["purpose"] == "batch"]
    assert uploaded == (paths(out)[1] / "part-0001.input.jsonl").read_bytes()
    assert len(records(out)) == 1


def test_a_batch_created_whose_answer_was_lost_is_not_created_again(monkeypatch, tmp_path):
    folder = articles(tmp_path, **{"lisbon.txt": LISBON})
    out = tmp_path / "results.jsonl"
    with FakeBatches(LISBON_PASSES) as fake:
        fake.lose_answer("POST /v1/batches")
        environment(monkeypatch, fake)
        result = batch(folder, out)
    assert result.exit_code == 0, result.stderr
    assert fake.requests.count("POST /v1/batches") == 1 and len(fake.created()) == 1
    assert len(records(out)) == 1


def test_a_refused_key_ends_the_run_in_one_line_without_the_key(monkeypatch, tmp_path):
    folder = articles(tmp_path, **{"lisbon.txt": LISBON})
    with FakeBatches(LISBON_PASSES) as fake:
        environment(monkeypatch, fake)
        monkeypatch.setenv("OPENAI_API_KEY", "org-key-abcdef123456")
        result = batch(folder, tmp_path / "results.jsonl")
    assert result.exit_code == 1
    (line,) = [line for line in result.stderr.splitlines() if "error" in line]
    assert "HTTP 401: Incorrect API key provided: org-key-[redacted]." in line
    assert "abcdef123456" not in result.stderr


@pytest.mark.parametrize(
    ("env", "extra", "message"),
    [
        ({}, [], "needs OPENAI_API_KEY"),
        (
            {"OPENAI_API_KEY": "sk-test-placeholder"},
            ["--model", "qwen2.5-coder-0.5b"],
            "needs a remote model",
        ),
        (
            {"OPENAI_API_KEY": "sk-test-placeholder"},
            ["--jobs", "2"],
            "--jobs is for the local engine",
        ),
    ],
    ids=["no-key", "embedded-model", "jobs"],
)
def test_openai_batch_usage_errors(monkeypatch, tmp_path, env, extra, message):
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    folder = articles(tmp_path, **{"lisbon.txt": LISBON})
    result = batch(folder, tmp_path / "results.jsonl", *extra)
    assert result.exit_code == 2
    assert message in result.stderr
