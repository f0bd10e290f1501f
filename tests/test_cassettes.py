"""Committed cassettes hold real exchanges and no secrets."""

from __future__ import annotations

import re

import pytest
from conftest import CASSETTES, SECRET_HEADERS

FILES = sorted(CASSETTES.rglob("*.yaml"))


def test_there_are_cassettes():
    assert len(FILES) >= 10


@pytest.mark.parametrize("path", FILES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_no_keys_or_secret_headers(path):
    text = path.read_text(encoding="utf-8")
    assert not re.search(r"sk-[A-Za-z0-9_-]{8,}", text), "an API key is in the cassette"
    assert "Bearer" not in text
    for header in SECRET_HEADERS:
        assert not re.search(rf"^\s*{re.escape(header)}:", text, re.I | re.M), header


@pytest.mark.parametrize("path", FILES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_no_injected_fault_was_saved(path):
    assert "x-fault-injection" not in path.read_text(encoding="utf-8")
