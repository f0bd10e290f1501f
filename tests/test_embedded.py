"""Assembling the embedded model from its chunk packages: checked, atomic, clear failures."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

import pytest

from summarizer import embedded
from summarizer.errors import ModelFileError
from summarizer.pipeline import Summarizer

CHUNKS = [b"GGUF" + b"a" * 1000, b"b" * 777, b"c" * 5]


@dataclass(frozen=True)
class FolderSpec(embedded.ModelSpec):
    """A model whose chunks are plain files in a folder instead of installed packages."""

    folder: Path = Path()

    def chunk_file(self, n: int) -> Path:
        return self.folder / f"part{n:02d}.bin"


def make_spec(tmp_path: Path, sha256: str | None = None) -> FolderSpec:
    folder = tmp_path / "chunks"
    folder.mkdir(exist_ok=True)
    for n, data in enumerate(CHUNKS, 1):
        (folder / f"part{n:02d}.bin").write_bytes(data)
    whole = b"".join(CHUNKS)
    return FolderSpec(
        name="tiny", description="test", package="unused-", version="0", chunks=len(CHUNKS),
        size=len(whole), sha256=sha256 or hashlib.sha256(whole).hexdigest(), folder=folder,
    )  # fmt: skip


def test_assembles_once_with_progress(tmp_path):
    spec = make_spec(tmp_path)
    seen = []
    path = embedded.ensure_model(spec, lambda done, total: seen.append((done, total)))
    assert path.read_bytes() == b"".join(CHUNKS)
    assert path.parent == tmp_path / "cache" / "models"  # SUMMARIZER_CACHE_DIR, set by conftest
    assert seen[-1] == (spec.size, spec.size)
    assert embedded.model_state(spec) == "ready"
    seen.clear()
    assert embedded.ensure_model(spec, lambda *a: seen.append(a)) == path
    assert seen == []  # second use reads nothing


def test_checksum_mismatch_leaves_no_file(tmp_path):
    spec = make_spec(tmp_path, sha256="0" * 64)
    with pytest.raises(ModelFileError, match="SHA-256 mismatch.*pip install --force-reinstall"):
        embedded.ensure_model(spec)
    assert list((tmp_path / "cache" / "models").iterdir()) == []


def test_corrupt_file_is_reported_with_the_fix(tmp_path):
    spec = make_spec(tmp_path)
    path = embedded.model_path(spec)
    path.parent.mkdir(parents=True)
    path.write_bytes(b"truncated")
    assert embedded.model_state(spec).startswith("corrupt")
    with pytest.raises(ModelFileError, match="corrupt.*delete it"):
        embedded.ensure_model(spec)


def test_missing_chunk_package_says_how_to_install():
    spec = embedded.ModelSpec(
        name="absent", description="", package="no-such-summarizer-chunk-", version="1",
        chunks=1, size=1, sha256="0" * 64,
    )  # fmt: skip
    assert embedded.model_state(spec) == "not installed"
    with pytest.raises(ModelFileError, match=r"pip install 'summarizer\[local\]'"):
        embedded.ensure_model(spec)


@pytest.mark.parametrize(
    ("model", "embedded_name"),
    [("qwen2.5-coder-0.5b", True), ("/models/x.gguf", True), ("gpt-4o-mini", False), (None, False)],
)
def test_which_names_select_the_embedded_backend(model, embedded_name):
    assert embedded.is_embedded_name(model) is embedded_name


def test_unknown_model_and_missing_gguf(tmp_path):
    with pytest.raises(ModelFileError, match="unknown embedded model 'nope'"):
        embedded.resolve_model_file("nope")
    with pytest.raises(ModelFileError, match="model file not found"):
        embedded.resolve_model_file(str(tmp_path / "absent.gguf"))


@pytest.mark.parametrize(("threads", "expected"), [(1, 1), (None, os.cpu_count())])
def test_a_summarizer_s_server_computes_on_the_threads_it_was_given(
    tmp_path, monkeypatch, threads, expected
):
    """A Ray actor sharing its node with others asks for its share of the cores."""
    started: list[embedded.EmbeddedServer] = []
    monkeypatch.setattr(  # no llama.cpp: the server is only made
        embedded.EmbeddedServer, "start", lambda server: started.append(server) or server
    )
    model = tmp_path / "tiny.gguf"
    model.write_bytes(b"GGUF")
    with Summarizer(model=str(model), threads=threads) as engine:
        assert engine.backend.name == "embedded"
    assert [server.threads for server in started] == [expected]
