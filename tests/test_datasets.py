"""Tests for summarizer.datasets: recognising the four gold formats on disk."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from summarizer.datasets import Case, load_cases, split_of
from summarizer.errors import InputError

SHARED = Path(__file__).resolve().parents[2] / "shared" / "datasets"

QUOTES_TEXT = 'The mayor said: "We will rebuild."\r\nCafé owners agreed.\n'
QUOTES_GOLD = {
    "id": "mayor",
    "published": "2016-09-12",
    "quotes": [{"text": "We will rebuild.", "start": 17, "end": 33, "speaker": "The mayor"}],
    "attributions": [],
}
EVENTS_GOLD = {
    "id": "abc123",
    "published": "2016-11-09",
    "gold": {"who": ["Several people"], "what": ["tram derailment"], "when": [], "where": []},
}
BRIEF_GOLD = {
    "schema_version": "1",
    "article": {"published": "2025-01-05", "dateline": "Kyiv"},
    "events": [],
    "figures": [],
    "quotes": [],
}


def write(path: Path, content: str | object) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    text = content if isinstance(content, str) else json.dumps(content, ensure_ascii=False)
    path.write_bytes(text.encode("utf-8"))


def sentences(n: int) -> list[dict]:
    return [{"text": f"Sentence {i} has {i} apples.", "quantities": []} for i in range(n)]


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """One tiny dataset of each kind, in nested folders, plus files that are not datasets."""
    write(tmp_path / "dev" / "quotes" / "mayor.txt", QUOTES_TEXT)
    write(tmp_path / "dev" / "quotes" / "mayor.gold.json", QUOTES_GOLD)
    write(tmp_path / "dev" / "events" / "abc123.txt", "Tram crash\n\nSeveral people died.")
    write(tmp_path / "dev" / "events" / "abc123.gold.json", EVENTS_GOLD)
    write(tmp_path / "dev" / "figures" / "nq.json", sentences(12))
    write(tmp_path / "seed" / "city.txt", "KYIV, Jan 5 — The city was quiet.")
    write(tmp_path / "seed" / "city.gold.json", BRIEF_GOLD)
    write(tmp_path / "seed" / "notes.gold.json", {"comment": "unknown format"})
    write(tmp_path / "config.json", {"text": "not a list"})
    write(tmp_path / "broken.json", "{not json")
    write(tmp_path / "README.md", "# data")
    return tmp_path


def test_load_cases_recognises_each_format(root):
    cases = load_cases(root)
    assert [(c.kind, c.id) for c in cases[:3]] == [
        ("brief", "city"),
        ("events", "abc123"),
        ("figures", "nq#0"),
    ]
    by_kind = {kind: [c for c in cases if c.kind == kind] for kind in ("brief", "events", "quotes")}
    assert {k: len(v) for k, v in by_kind.items()} == {"brief": 1, "events": 1, "quotes": 1}
    assert len(cases) == 15

    brief, events, quotes = by_kind["brief"][0], by_kind["events"][0], by_kind["quotes"][0]
    assert (brief.published, brief.gold) == ("2025-01-05", BRIEF_GOLD)
    assert (events.published, events.gold) == ("2016-11-09", EVENTS_GOLD)
    assert events.text == "Tram crash\n\nSeveral people died."
    assert (quotes.published, quotes.gold) == ("2016-09-12", QUOTES_GOLD)
    assert quotes.text == QUOTES_TEXT  # no newline translation: gold offsets stay valid
    gold = quotes.gold["quotes"][0]
    assert quotes.text[gold["start"] : gold["end"]] == gold["text"]


def test_figures_are_one_case_per_sentence_in_index_order(root):
    cases = load_cases(root, kinds={"figures"})
    assert [c.id for c in cases] == [f"nq#{i}" for i in range(12)]  # nq#10 after nq#9
    assert cases[10] == Case(
        "figures", "nq#10", "Sentence 10 has 10 apples.", None, sentences(12)[10]
    )


@pytest.mark.parametrize(
    ("kinds", "limit", "expected"),
    [
        ({"quotes"}, None, ["quotes:mayor"]),
        ({"quotes", "events"}, None, ["events:abc123", "quotes:mayor"]),
        ({"figures", "brief"}, 2, ["brief:city", "figures:nq#0", "figures:nq#1"]),
        (None, 1, ["brief:city", "events:abc123", "figures:nq#0", "quotes:mayor"]),
        (None, 0, []),
    ],
    ids=["one-kind", "two-kinds", "limit-per-kind", "limit-all-kinds", "limit-zero"],
)
def test_kinds_and_limit(root, kinds, limit, expected):
    cases = load_cases(root, kinds=kinds, limit=limit)
    assert [f"{c.kind}:{c.id}" for c in cases] == expected


@pytest.mark.parametrize(
    ("files", "kinds", "message"),
    [
        ({}, None, "no evaluation datasets found"),
        ({"a.txt": "text", "a.json": [1, 2]}, None, "no evaluation datasets found"),
        ({"a.txt": "x", "a.gold.json": EVENTS_GOLD}, {"quotes"}, "no quotes evaluation datasets"),
        ({"a.gold.json": EVENTS_GOLD}, None, "gold without its article text a.txt"),
        ({"a.txt": "x", "a.gold.json": "{oops"}, None, "a.gold.json: not valid JSON"),
        ({"a.txt": "x", "a.gold.json": EVENTS_GOLD}, {"headlines"}, "unknown dataset kind"),
    ],
    ids=["empty", "no-known-format", "kind-absent", "missing-text", "broken-gold", "bad-kind"],
)
def test_refusals(tmp_path, files, kinds, message):
    for name, content in files.items():
        write(tmp_path / name, content)
    with pytest.raises(InputError, match=message) as error:
        load_cases(tmp_path, kinds=kinds)
    assert "\n" not in str(error.value)


def test_invalid_utf8_text_is_refused(tmp_path):
    write(tmp_path / "a.gold.json", EVENTS_GOLD)
    (tmp_path / "a.txt").write_bytes("Caf\u00e9".encode("cp1252"))
    with pytest.raises(InputError, match="a.txt: not valid UTF-8"):
        load_cases(tmp_path)


def test_missing_root_is_refused(tmp_path):
    with pytest.raises(InputError, match="not a directory"):
        load_cases(tmp_path / "nope")


@pytest.mark.skipif(not SHARED.is_dir(), reason="shared evaluation datasets not present")
def test_shared_datasets_counts():
    cases = load_cases(SHARED)
    counts = {kind: sum(c.kind == kind for c in cases) for kind in ("quotes", "events", "figures")}
    assert counts == {"quotes": 30, "events": 30, "figures": 100}
    briefs = [c for c in cases if c.kind == "brief"]
    assert [(c.id, c.published) for c in briefs] == [("kursk", "2025-01-05")]
    assert sum(len(c.gold["quotes"]) for c in cases if c.kind == "quotes") == 292


def test_splits_partition_the_cases_and_hold_out_about_a_quarter(root):
    every = load_cases(root)
    tune, check = load_cases(root, split="tune"), load_cases(root, split="check")
    assert sorted(c.id for c in tune + check) == sorted(c.id for c in every)
    assert not {c.id for c in tune} & {c.id for c in check}
    assert check  # 15 cases here; the hash holds some of them out
    assert {c.id for c in check} == {c.id for c in every if split_of(c.id) == "check"}


def test_the_held_out_split_depends_on_the_id_only():
    ids = [f"article-{i}" for i in range(400)]
    held_out = [i for i in ids if split_of(i) == "check"]
    assert 0.2 < len(held_out) / len(ids) < 0.3
    assert held_out == [i for i in reversed(ids) if split_of(i) == "check"][::-1]


def test_an_unknown_split_is_refused(root):
    with pytest.raises(InputError, match="unknown split dev; expected one of all, tune, check"):
        load_cases(root, split="dev")


@pytest.mark.parametrize("published", ["None", "", None, "Nov 9"])
def test_a_gold_publication_date_that_is_not_a_date_is_none(tmp_path, published):
    write(tmp_path / "a.txt", "Tram crash\n\nSeveral people died.")
    write(tmp_path / "a.gold.json", {**EVENTS_GOLD, "published": published})
    (case,) = load_cases(tmp_path)
    assert case.published is None
