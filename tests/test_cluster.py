"""`summarize batch --ray`: the batch on a Ray cluster, with the single machine's guarantees.

One local Ray instance (2 CPUs) serves the module; the actors ask a replay server, which
answers four articles (each twice in a batch of 8) from their recorded cassettes.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
import ray
from click.testing import CliRunner
from conftest import CASSETTES, LISBON, RECORDED_MODEL, ROOT, SEED
from replay_server import ReplayServer

from summarizer import cluster
from summarizer.batch import Item, Output, read_items, results
from summarizer.cli import main

DATA = ROOT / "tests" / "data"
ARTICLES = {  # an article, and the cassette whose requests are its three passes
    "lisbon": (LISBON, CASSETTES / "test_api" / "test_short_article_dates_and_figures.yaml"),
    "kursk": (SEED, CASSETTES / "test_api" / "test_seed_end_to_end.yaml"),
    "spanish": (
        DATA / "spanish.txt",
        CASSETTES / "test_hard_articles" / "test_a_spanish_article_is_briefed_and_grounded.yaml",
    ),
    "injection": (
        DATA / "injection.txt",
        CASSETTES
        / "test_hard_articles"
        / "test_instructions_inside_the_article_do_not_steer_the_brief.yaml",
    ),
}
CASSETTE_FILES = [cassette for _, cassette in ARTICLES.values()]
WORKER = "ray::BriefWorker"  # the title Ray gives an actor's process
pytestmark = pytest.mark.block_network(allowed_hosts=["127.0.0.1"])


@pytest.fixture(scope="module", autouse=True)
def local_ray(tmp_path_factory: pytest.TempPathFactory):
    """One private Ray instance for the module (starting one takes seconds); each run
    connects to it, as a caller that called ray.init would. Its workers inherit this
    environment: no developer's endpoint, a cache dir of their own."""
    with pytest.MonkeyPatch.context() as env:
        for name in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "SUMMARIZER_MODEL", "RAY_ADDRESS"):
            env.delenv(name, raising=False)
        env.setenv("SUMMARIZER_CACHE_DIR", str(tmp_path_factory.mktemp("ray-cache")))
        ray.init(address="local", num_cpus=2, include_dashboard=False, log_to_driver=False)
        yield
        ray.shutdown()


@pytest.fixture
def endpoint_env(monkeypatch: pytest.MonkeyPatch):
    """The driver's endpoint: the replay server, which the actors are given."""

    def point_at(server: ReplayServer) -> None:
        monkeypatch.setenv("OPENAI_BASE_URL", server.url)
        monkeypatch.setenv("OPENAI_API_KEY", "sk-test-placeholder")
        monkeypatch.setenv("SUMMARIZER_MODEL", RECORDED_MODEL)

    return point_at


def eight_articles(tmp_path: Path) -> Path:
    folder = tmp_path / "articles"
    folder.mkdir()
    for name, (article, _) in ARTICLES.items():
        for copy in (1, 2):
            shutil.copy(article, folder / f"{name}-{copy}.txt")
    return folder


def records(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_text(encoding="utf-8").encode()).hexdigest()


def worker_pids(busy: bool = False) -> list[int]:
    """The actors' processes (those summarizing an article, with `busy`)."""
    pids = []
    for entry in Path("/proc").iterdir():
        try:
            title = (entry / "cmdline").read_bytes().split(b"\0")[0].decode()
        except (OSError, ValueError):
            continue
        if title.startswith(WORKER) and (not busy or ".summarize" in title):
            pids.append(int(entry.name))
    return pids


def test_a_killed_worker_loses_no_article_and_does_none_twice(tmp_path, endpoint_env):
    folder = eight_articles(tmp_path)
    out = tmp_path / "results.jsonl"
    killed: list[int] = []

    def kill_a_worker(answers: int) -> None:
        if answers == 4 and not killed:  # both actors have an article in flight
            killed.append((worker_pids(busy=True) or worker_pids())[0])
            os.kill(killed[0], signal.SIGKILL)

    with ReplayServer(CASSETTE_FILES, delay=0.2, on_answer=kill_a_worker) as server:
        endpoint_env(server)
        command = ["batch", str(folder), "--out", str(out), "--report", str(tmp_path / "report")]
        result = CliRunner().invoke(
            main, [*command, "--no-cache", "--ray", "--actors-per-node", "2"]
        )
    assert result.exit_code == 0, result.stderr
    assert killed and server.unmatched == 0
    ids = [r["id"] for r in records(out)]
    assert sorted(ids) == sorted(p.name for p in folder.iterdir())  # each id once
    for record in records(out):
        brief = record["brief"]
        assert brief["meta"]["incomplete"] == []
        assert brief["article"]["sha256"] == sha256(folder / record["id"])  # its own article
    workers = re.findall(
        r"worker \d on [\d.]+ \(endpoint\): (\d) done, 0 failed(.*)\n", result.stderr
    )
    assert len(workers) == 2
    assert sum(int(done) for done, _ in workers) == 8
    assert sorted(died for _, died in workers) == ["", ", died once"]
    assert "8 done, 0 partial, 0 failed, 0 skipped" in result.stderr
    assert len(list((tmp_path / "report").glob("*.txt-*.html"))) == 8  # a page per brief
    assert re.search(r"\[#{24}\] 8/8 \(\d+\.\d articles/min, ETA 0 min\)", result.stderr)


class KillingServer(ReplayServer):
    """Kills the busy actor whenever a request asks about `poison`: its worker dies under
    that article every time it is given one."""

    def __init__(self, poison: str) -> None:
        super().__init__(CASSETTE_FILES)
        self.poison = poison
        self.kills = 0

    def answer(self, body: dict) -> tuple[int, bytes]:
        if self.poison in json.dumps(body, ensure_ascii=False):
            for pid in worker_pids(busy=True):
                os.kill(pid, signal.SIGKILL)
                self.kills += 1
            time.sleep(1)  # the answer never reaches the dead actor
        return super().answer(body)


def test_an_article_that_keeps_killing_its_worker_is_a_failed_record(tmp_path, endpoint_env):
    """From the Python entry point: one actor, restarted by Ray each time; the article
    that killed it three times is recorded as failed, and the others are briefed."""
    items = [
        Item("lisbon", path=LISBON),
        Item("poison", text=(DATA / "spanish.txt").read_text(encoding="utf-8")),
        Item("kursk", path=SEED),
    ]
    out = tmp_path / "results.jsonl"
    Output(out).append({"id": "kursk", "brief": {"meta": {"incomplete": []}}})  # done before
    with KillingServer(poison="Lucía Romero") as server:
        endpoint_env(server)
        tally, workers = cluster.run(items, Output(out), options={"model": RECORDED_MODEL})
    chosen = results(out)
    assert "brief" in chosen["lisbon"]
    assert chosen["poison"] == {
        "id": "poison",
        "error": f"its worker died {cluster.TRIES} times while summarizing it "
        f"(last: worker 1 on {workers[0].node})",
        "exit_code": 1,
    }
    assert server.kills == cluster.TRIES
    assert (tally.done, tally.failed, tally.skipped) == (1, 1, 1)
    assert [w.line() for w in workers] == [
        f"worker 1 on {workers[0].node} (endpoint): 1 done, 1 failed, died 3 times"
    ]


@pytest.mark.parametrize(
    ("per_node", "threads"), [(1, [2]), (2, [1, 1]), (3, [1, 1])], ids=["1", "2", "3"]
)
def test_each_actor_takes_its_share_of_the_nodes_cores(per_node, threads):
    node = {"NodeID": "a", "Alive": True, "Resources": {"CPU": 2.0}}
    head_without_cpus = {"NodeID": "h", "Alive": True, "Resources": {}}
    dead = {"NodeID": "d", "Alive": False, "Resources": {"CPU": 8.0}}
    places = cluster.layout([head_without_cpus, node, dead], per_node)
    assert [(n["NodeID"], cpus) for n, cpus in places] == [("a", t) for t in threads]


def test_without_the_ray_extra_it_says_how_to_install_it(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "ray", None)  # import ray fails, as without the extra
    folder = eight_articles(tmp_path)
    result = CliRunner().invoke(main, ["batch", str(folder), "--out", str(tmp_path / "o"), "--ray"])
    assert result.exit_code == 2
    assert (
        result.stderr
        == "summarize: error: --ray needs the ray extra: pip install 'summarizer[ray]'\n"
    )
    assert not (tmp_path / "o").exists()


def processes_with(marker: str) -> list[int]:
    """Processes whose environment holds `marker` (a run's processes and their children)."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            if marker.encode() in (entry / "environ").read_bytes():
                found.append(int(entry.name))
        except (OSError, ValueError):
            continue
    return found


@pytest.mark.parametrize(
    ("signum", "code", "finished"),
    [(signal.SIGINT, 130, 2), (signal.SIGTERM, 143, 2), (signal.SIGINT, 130, 0)],
    ids=["SIGINT", "SIGTERM", "SIGINT-while-Ray-starts"],
)
def test_a_signal_ends_a_ray_batch_as_it_ends_a_batch(tmp_path, signum, code, finished):
    """A private Ray instance in a subprocess, whatever RAY_ADDRESS says: Ray's own SIGTERM
    handler does not decide how the command ends, and none of its processes outlive it,
    even when the signal comes while Ray's processes are being started."""
    folder = eight_articles(tmp_path)
    out = tmp_path / "results.jsonl"
    marker = f"SUMMARIZER_TEST_RUN={uuid.uuid4().hex}"  # in the environment of its processes
    command = [sys.executable, "-m", "summarizer.cli", "batch", str(folder), "--out", str(out), "--no-cache", "--ray"]  # fmt: skip
    with ReplayServer(CASSETTE_FILES, delay=0.3) as server:
        env = os.environ | {
            "OPENAI_BASE_URL": server.url,
            "OPENAI_API_KEY": "sk-test-placeholder",
            "SUMMARIZER_MODEL": RECORDED_MODEL,
            "SUMMARIZER_TEST_RUN": marker.split("=")[1],
            "RAY_ADDRESS": "192.0.2.1:6379",  # a cluster found by chance: never used
        }
        process = subprocess.Popen(command, env=env, stderr=subprocess.PIPE, text=True)

        def time_to_signal() -> bool:  # two records written; or, with none, Ray starting
            if finished:
                return out.exists() and len(records(out)) >= finished
            return len(processes_with(marker)) >= 2  # the command and Ray's first process

        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and not time_to_signal():
            time.sleep(0.05)
        process.send_signal(signum)
        _, stderr = process.communicate(timeout=30)
    assert process.returncode == code, stderr
    assert "Traceback" not in stderr
    assert stderr.splitlines()[-1] == (
        f"summarize batch: interrupted; rerun to resume ({out} is intact)"
    )
    done = records(out) if out.exists() else []  # every line whole
    assert finished <= len(done) < 8 and all("brief" in r for r in done)
    assert len({r["id"] for r in done}) == len(done)
    assert [i.id for i in read_items(folder) if i.id not in Output(out).done]  # left to resume
    deadline = time.monotonic() + 10
    while processes_with(marker) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert processes_with(marker) == []  # Ray's processes ended with the command
