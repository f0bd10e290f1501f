"""Articles an hour of the batch on a Ray instance at 1, 2, … actors on one node, with
llama.cpp's own speeds.

    python benchmarks/ray_actors.py FOLDER --model qwen2.5-coder-0.5b --actors 1,2 --first 4

For each count it starts a private Ray instance, runs the shortest `--first` articles of
FOLDER through `summarizer.cluster.run` (response cache off, a new results file) and
prints the seconds Ray took to start, the seconds of the run (each actor's model load
included), articles an hour over the run, and llama.cpp's read and write speeds summed
over every request. Each actor logs its HTTP exchanges (`llm.Exchange`) into a temporary
folder through Ray's worker_process_setup_hook; they are read back with tokens.py's LINE.
"""

from __future__ import annotations

import argparse
import logging
import os
import tempfile
import time
from pathlib import Path

import ray
from tokens import LINE

from summarizer import batch, cluster

LOGS = "SUMMARIZER_BENCH_LOGS"  # the folder each actor's process logs its exchanges into


def log_exchanges() -> None:
    """In each actor's process: the summarizer's debug lines into a file of its own."""
    handler = logging.FileHandler(Path(os.environ[LOGS]) / f"worker-{os.getpid()}.log")
    logger = logging.getLogger("summarizer")
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)


def speeds(logs: Path) -> str:
    read = wrote = read_s = write_s = 0.0
    for path in logs.glob("worker-*.log"):
        for line in path.read_text(encoding="utf-8").splitlines():
            if match := LINE.match(line):
                _, _, prompt, cached, answer, _, r, w = match.groups(default="0")
                read, wrote = read + int(prompt) - int(cached), wrote + int(answer)
                read_s, write_s = read_s + float(r), write_s + float(w)
    return (
        f"llama.cpp read {read / max(read_s, 1e-9):.1f} tokens/s, "
        f"wrote {wrote / max(write_s, 1e-9):.1f} tokens/s (summed over every actor)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--model", default="qwen2.5-coder-0.5b")
    parser.add_argument("--actors", default="1,2", help="actors per node, one run each")
    parser.add_argument("--first", type=int, default=4, help="the shortest N articles")
    args = parser.parse_args()
    files = sorted(
        (p for p in args.folder.iterdir() if p.suffix == ".txt"), key=lambda p: p.stat().st_size
    )[: args.first]
    items = [batch.Item(id=p.name, path=p) for p in files]
    chars = sum(len(p.read_text(encoding="utf-8")) for p in files)
    print(f"{len(items)} articles, {chars} characters, model {args.model}, {os.cpu_count()} CPUs")
    for actors in (int(n) for n in args.actors.split(",")):
        with tempfile.TemporaryDirectory() as scratch:
            logs = Path(scratch)
            started = time.monotonic()
            ray.init(
                address="local",
                include_dashboard=False,
                log_to_driver=False,
                runtime_env={
                    "worker_process_setup_hook": log_exchanges,
                    "env_vars": {LOGS: scratch},
                },
            )
            up = time.monotonic() - started
            output = batch.Output(logs / "results.jsonl")
            started = time.monotonic()
            tally, workers = cluster.run(
                items, output, per_node=actors, options={"model": args.model, "cache": False}
            )
            seconds = time.monotonic() - started
            ray.shutdown()
            print(
                f"{actors} actor(s): Ray up in {up:.1f}s; {tally.done} whole, {tally.partial} "
                f"partial, {tally.failed} failed in {seconds:.1f}s = "
                f"{len(items) / seconds * 3600:.0f} articles/hour; {speeds(logs)}"
            )
            for worker in workers:
                print(f"  {worker.line()}")


if __name__ == "__main__":
    main()
