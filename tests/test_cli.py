"""The `summarize` command as a user meets it: output, messages on stderr, exit codes."""

from __future__ import annotations

import importlib.metadata
import json
import logging
import re

import pytest
from click.testing import CliRunner
from conftest import CASSETTES, SEED, chat_completion, inject_fault

from summarizer import embedded
from summarizer.cli import main
from summarizer.pipeline import Summarizer

LISBON = SEED.parent.parent / "tests" / "data" / "lisbon.txt"
SEED_ANSWERS = str(CASSETTES / "test_cli" / "test_seed_as_markdown.yaml")
# The three passes of the Lisbon article, as the recorded model answered them.
LISBON_ANSWERS = str(CASSETTES / "test_api" / "test_rate_limit_is_retried_then_succeeds.yaml")


def invoke(*args: str, input: bytes | None = None):
    return CliRunner().invoke(main, list(args), input=input, catch_exceptions=False)


@pytest.mark.vcr
@pytest.mark.default_cassette("test_seed_as_markdown.yaml")
@pytest.mark.parametrize("fmt", ["md", "markdown"])
def test_seed_as_markdown(cli_env, fmt):
    result = invoke(str(SEED), "--format", fmt)
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert out.startswith("# ")
    assert "## Quotes" in out and "## Figures" in out and "## Events" in out
    assert "Andriy Kovalenko" in out
    assert "| approximately 200,000 | people |" in out
    assert re.search(r"^- \*\*[^*]+\*\*: .+ \(.*2025-01-05\) \[chars \d+–\d+\]$", out, re.M)
    assert result.stderr == ""


@pytest.mark.vcr
def test_json_is_the_schema_v1_contract(cli_env, tmp_path):
    out = tmp_path / "brief.json"
    result = invoke(str(LISBON), "--out", str(out))
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    brief = json.loads(out.read_text(encoding="utf-8"))
    assert brief["schema_version"] == "1"
    assert set(brief) == {
        "schema_version", "article", "title", "summary", "events", "figures", "quotes", "meta"
    }  # fmt: skip
    assert set(brief["meta"]) == {
        "model", "backend", "prompt_version", "attempts", "usage", "latency_s", "warnings",
        "incomplete",
    }  # fmt: skip
    assert brief["meta"]["incomplete"] == []
    text = LISBON.read_text(encoding="utf-8")
    for quote in brief["quotes"]:
        span = quote["evidence"]
        assert text[span["start"] : span["end"]] == span["text"] == quote["text"]


@pytest.mark.vcr
def test_stdin_in_windows_1252_warns_and_goes_on(cli_env):
    data = LISBON.read_text(encoding="utf-8").replace("\n", "\r\n").encode("cp1252")
    result = invoke("-", "--format", "jsonl", input=data)
    assert result.exit_code == 0, result.stderr
    assert "not valid UTF-8" in result.stderr
    brief = json.loads(result.stdout)
    assert "€4.5 million" in brief["summary"] + json.dumps(brief["figures"], ensure_ascii=False)
    assert any("not valid UTF-8" in w for w in brief["meta"]["warnings"])


@pytest.mark.vcr
def test_http_error_is_one_line_and_exit_1(cli_env, vcr):
    error = {"error": {"message": "The model `x` does not exist", "code": "model_not_found"}}
    inject_fault(vcr, "", 404, error)
    result = invoke(str(LISBON))
    assert result.exit_code == 1
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "HTTP 404: The model `x` does not exist" in lines[0]
    assert "127.0.0.1" in lines[0]  # names the endpoint


@pytest.mark.vcr
def test_debug_shows_the_traceback(cli_env, vcr):
    inject_fault(vcr, "", 401, {"error": {"message": "Incorrect API key provided"}})
    result = invoke(str(LISBON), "--debug")
    assert result.exit_code == 1
    assert "Traceback" in result.stderr
    assert result.stderr.strip().splitlines()[-1].endswith("HTTP 401: Incorrect API key provided")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["missing.txt"], "missing.txt: no such file"),
        (["--published", "5 Jan", "LISBON"], "published date '5 Jan' is not YYYY-MM-DD"),
        (["EMPTY"], "the article is empty"),
        (["BINARY"], "looks like a PNG image, not article text"),
    ],
    ids=["missing", "bad-date", "empty", "binary"],
)
def test_bad_input_exits_2_with_one_line(cli_env, tmp_path, args, message):
    (tmp_path / "empty.txt").write_text("\n \n", encoding="utf-8")
    (tmp_path / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    paths = {
        "LISBON": str(LISBON),
        "EMPTY": str(tmp_path / "empty.txt"),
        "BINARY": str(tmp_path / "image.png"),
    }
    result = invoke(*[paths.get(a, a) for a in args])
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1
    assert message in result.stderr
    assert result.stdout == ""


def test_unknown_option_is_a_usage_error():
    result = invoke(str(LISBON), "--format", "xml")
    assert result.exit_code == 2
    assert "Invalid value for '--format'" in result.stderr


def test_help_documents_options_and_exit_codes():
    result = invoke("run", "--help")
    assert result.exit_code == 0
    for option in [
        "--format",
        "--published",
        "--model",
        "--out",
        "--max-retries",
        "--debug",
        "--timeout",
    ]:
        assert option in result.stdout
    assert "Exit codes" in result.stdout


def test_models_lists_state_and_path(monkeypatch):
    result = invoke("models")
    assert result.exit_code == 0
    assert "qwen2.5-coder-1.5b (default):" in result.stdout
    assert "qwen2.5-coder-0.5b:" in result.stdout
    assert "models/qwen2.5-coder-1.5b.gguf" in result.stdout


def test_unexpected_error_is_still_one_line(cli_env, monkeypatch):
    def broken(self, text, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(Summarizer, "summarize", broken)
    result = invoke(str(LISBON))
    assert result.exit_code == 1
    assert result.stderr == (
        f"summarize: error: {LISBON}: internal error: RuntimeError: boom "
        "(--debug shows the traceback)\n"
    )


@pytest.mark.vcr
def test_html_page_brief_carries_the_text_its_offsets_refer_to(cli_env):
    page = SEED.parent.parent / "tests" / "data" / "page.html"
    result = invoke(str(page))
    assert result.exit_code == 0, result.stderr
    assert "article text extracted from HTML" in result.stderr
    brief = json.loads(result.stdout)
    text = brief["article"]["text"]
    assert text.startswith("Harbour bridge reopens after repairs")
    assert brief["article"]["published"] == "2026-04-11"  # from the page's metadata
    assert brief["article"]["title"] == "Harbour bridge reopens after repairs"
    spans = [q["evidence"] for q in brief["quotes"]] + [f["evidence"] for f in brief["figures"]]
    assert spans and all(text[s["start"] : s["end"]] == s["text"] for s in spans)


@pytest.mark.vcr
def test_eval_with_the_cache_rescores_without_asking_again(cli_env, vcr, tmp_path):
    from test_events import HEADLINED, events_answer

    (tmp_path / "a.txt").write_text(HEADLINED, encoding="utf-8")
    gold = {"id": "a", "published": "2026-05-14", "gold": {"what": ["collapses"], "who": [],
            "when": ["Tuesday"], "where": ["Portmere"]}}  # fmt: skip
    (tmp_path / "a.gold.json").write_text(json.dumps(gold), encoding="utf-8")
    answer = {"S1": {"who": [], "what": "collapses", "where": "Portmere", "when": "Tuesday"}}
    inject_fault(vcr, "brief the article", 200, chat_completion(events_answer(HEADLINED, answer)))
    asked = invoke("eval", str(tmp_path), "--kind", "events", "--cache")
    again = invoke("eval", str(tmp_path), "--kind", "events", "--cache")  # nothing is asked
    assert asked.exit_code == again.exit_code == 0, again.stderr
    assert "| response cache | on |" in again.stdout
    assert "| mode | auto |" in again.stdout  # how the answers were asked for
    assert "| completion tokens | 5 |" in asked.stdout  # the one answer the endpoint gave
    assert "| completion tokens | 0 |" in again.stdout  # the same answer, from the cache
    for line in ("| event when F1 | 1.0 |", "| event where F1 | 1.0 |"):
        assert line in asked.stdout and line in again.stdout


@pytest.mark.vcr
def test_markdown_counts_the_mended_answers_and_shows_other_warnings(cli_env, vcr, tmp_path):
    from test_events import events_answer

    text = (
        "Harbour crane collapses at Portmere docks\n\n"
        "A crane collapsed at the Portmere container terminal on Tuesday.\n\n"
        "The port authority closed the quay."
    )
    article = tmp_path / "crane.txt"
    article.write_bytes(text.encode("cp1252") + "\u00e9".encode("cp1252"))  # not UTF-8
    answer = {
        "S1": {"who": [], "what": "collapses", "where": "on Tuesday", "when": None},
        "S2": {"who": ["A crane"], "what": "collapsed", "where": "the quay", "when": None},
    }
    body = events_answer(text + "é", answer)
    inject_fault(vcr, "brief the article", 200, chat_completion(body))
    result = invoke(str(article), "--format", "md", "--published", "2026-05-14")
    assert result.exit_code == 0, result.stderr
    assert "> warning: " in result.stdout and "UTF-8" in result.stdout  # about the input
    assert "S1:" not in result.stdout and "S2:" not in result.stdout
    assert "> 2 of the model's answers were mended or left out" in result.stdout


@pytest.mark.vcr
def test_an_item_left_out_after_the_last_attempt_is_a_warning_not_an_error(
    cli_env, vcr, tmp_path, monkeypatch
):
    from test_api import answer_keys
    from test_events import events_answer

    text = (
        "Harbour crane collapses\n\n"
        'The mayor, Ana Ribeiro, said: "We will rebuild the quay before the winter."\n\n'
        "The port authority closed the quay."
    )
    (key,) = answer_keys("quotes", text)
    invented = {"speaker": "Rui Costa", "speaker_role": None, "channel": None}
    body = json.dumps({key: invented})
    inject_fault(vcr, "say who is quoted", 200, chat_completion(body))
    answer = {"S1": {"who": [], "what": "collapses", "where": None, "when": None}}
    inject_fault(vcr, "brief the article", 200, chat_completion(events_answer(text, answer)))
    article = tmp_path / "crane.txt"
    article.write_text(text, encoding="utf-8")
    monkeypatch.setattr(logging.getLogger(), "handlers", [])  # as a user runs it: no logging
    result = invoke(str(article), "--format", "md", "--max-retries", "0")
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""  # instructor's own log of the failed attempt is not shown
    assert "> warning: left out after the last attempt: Q1: speaker 'Rui Costa'" in result.stdout


# What llama.cpp's get_system_info() printed here for PyPI's wheel and for a build made
# on this AVX-512 machine.
WHEEL_INFO = (
    "CPU : SSE3 = 1 | SSSE3 = 1 | AVX = 1 | AVX2 = 1 | F16C = 1 | FMA = 1 | BMI2 = 1 | "
    "LLAMAFILE = 1 | OPENMP = 1 | REPACK = 1 | "
)
NATIVE_INFO = (
    "CPU : SSE3 = 1 | SSSE3 = 1 | AVX = 1 | AVX_VNNI = 1 | AVX2 = 1 | F16C = 1 | FMA = 1 | "
    "BMI2 = 1 | AVX512 = 1 | AVX512_VBMI = 1 | AVX512_VNNI = 1 | AVX512_BF16 = 1 | "
    "LLAMAFILE = 1 | OPENMP = 1 | REPACK = 1 | "
)
# ... and for a build made on an AMX machine without -mno-amx-* (its server crashed)
AMX_INFO = NATIVE_INFO.replace("LLAMAFILE", "AMX_INT8 = 1 | LLAMAFILE")
AMX_HINT = "this build uses llama.cpp's AMX code, which crashed the server"
AVX512_HINT = "this CPU has AVX-512, which this build does not use"


@pytest.mark.parametrize(
    ("info", "cpu_avx512", "runtime", "hint"),
    [
        (WHEEL_INFO, True, "built for AVX2", AVX512_HINT),
        (WHEEL_INFO, False, "built for AVX2", None),
        (NATIVE_INFO, True, "built for AVX-512", None),
        (AMX_INFO, True, "built for AVX-512 and AMX", AMX_HINT),
    ],
)
def test_models_names_the_runtime_build(monkeypatch, info, cpu_avx512, runtime, hint):
    xllamacpp = pytest.importorskip("xllamacpp")
    monkeypatch.setattr(xllamacpp, "get_system_info", lambda: info)
    monkeypatch.setattr(embedded, "_cpu_has_avx512", lambda: cpu_avx512)
    result = invoke("models")
    assert result.exit_code == 0
    assert (
        f"runtime: xllamacpp {importlib.metadata.version('xllamacpp')}, {runtime}" in result.stdout
    )
    hints = [h for h in (AVX512_HINT, AMX_HINT) if h in result.stdout]
    assert hints == ([hint] if hint else [])


@pytest.mark.vcr(SEED_ANSWERS)
def test_seed_as_an_html_page(cli_env, tmp_path):
    out = tmp_path / "brief.html"
    result = invoke(str(SEED), "--format", "html", "--out", str(out))
    assert result.exit_code == 0, result.stderr
    assert result.stdout == result.stderr == ""
    html = out.read_text(encoding="utf-8")
    assert html.startswith("<!doctype html>") and html.endswith("</html>\n")
    assert "Andriy Kovalenko" in html and "<mark " in html
    assert f'<span class="source">{SEED}</span>' in html


@pytest.mark.vcr(LISBON_ANSWERS)
@pytest.mark.cassette_in_part
def test_a_partial_brief_as_html_exits_3_and_says_which_pass_is_missing(cli_env, vcr):
    for _ in range(3):  # the events pass's request and its two retries
        inject_fault(vcr, "brief the article", 500, {"error": {"message": "slot unavailable"}})
    result = invoke(str(LISBON), "--format", "html")
    assert result.exit_code == 3
    assert "partial brief: the events pass could not be answered" in result.stderr
    assert result.stdout.startswith("<!doctype html>")  # the page, on stdout
    assert "<strong>Partial brief:</strong> the events" in result.stdout
    assert "HTTP 500: slot unavailable" in result.stdout
    assert vcr.play_count == 3 + 2  # the faults, then quotes and figures


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["LISBON", "LISBON"], "--format html makes one page of one article; for several,"),
        (["missing.txt"], "missing.txt: no such file"),
    ],
    ids=["two-articles", "missing"],
)
def test_html_usage_and_input_errors_exit_2_with_one_line_and_write_nothing(
    cli_env, tmp_path, args, message
):
    out = tmp_path / "brief.html"
    paths = {"LISBON": str(LISBON)}
    result = invoke(*[paths.get(a, a) for a in args], "--format", "html", "--out", str(out))
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and message in result.stderr
    assert result.stdout == "" and not out.exists()


def test_ray_and_the_openai_batch_engine_do_not_combine(tmp_path):
    (tmp_path / "a.txt").write_text("A crane fell in Portmere on Tuesday.", encoding="utf-8")
    result = invoke(
        "batch", str(tmp_path), "--out", str(tmp_path / "out.jsonl"), "--ray",
        "--engine", "openai-batch",
    )  # fmt: skip
    assert result.exit_code == 2
    assert "--ray runs the local engine on a cluster" in result.stderr
    assert not (tmp_path / "out.jsonl").exists()
