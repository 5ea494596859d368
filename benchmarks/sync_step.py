"""One client step of the sync benchmark in a process of its own, so that its peak RSS
(VmHWM of its own memory image) is the step's alone:

    python -m benchmarks.sync_step commit PROJECT
    python -m benchmarks.sync_step push PROJECT TOKEN
    python -m benchmarks.sync_step clone URL TOKEN PROJECT_ID PATH

Prints `started` when the first request is about to go out (push) and, last, one JSON line:
wall seconds of the step (imports excluded), peak RSS (VmHWM and ru_maxrss) and RSS after the
imports (kB), and what the step did. `--profile FILE` writes cProfile statistics of the step to FILE.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import resource
import sys
import time
from collections.abc import Callable
from pathlib import Path

from app.project import history
from app.project.project import Project
from app.sync import replica
from app.sync.client import Remote


def status_kb(key: str) -> int:
    """A memory figure of this process from /proc/self/status (VmRSS, VmHWM), in kB."""
    status = Path("/proc/self/status").read_text().splitlines()
    return next(int(line.split()[1]) for line in status if line.startswith(f"{key}:"))


def commit(path: str) -> dict:
    """Commit every pending change of the project; the number of change sets it became."""
    with Project.open(path, author="bench-a") as project:
        history.commit(project, "首次入库")
        parts = project.db.execute("SELECT count(*) FROM coplan_changesets").fetchone()[0]
    return {"parts": parts}


def push(path: str, token: str) -> dict:
    """Push the outbox; says `started` on stdout before the first request."""
    with Project.open(path, author="bench-a") as project:
        url, _ = replica.remote_of(project)
        steps = replica.push_steps(project, Remote(url, token))
        answers = replica.run(_announce_first(steps))
    return {"parts": len(answers), "applied": sum(a["applied"] for a in answers),
            "clashes": sum(len(a["clashes"]) for a in answers)}


def _announce_first(steps):
    """Pass the progress through, printing `started` at the first step."""
    first = True
    while True:
        try:
            step = next(steps)
        except StopIteration as stop:
            return stop.value
        if first:
            print("started", flush=True)
            first = False
        yield step


def clone(url: str, token: str, project_id: str, path: str) -> dict:
    """Clone the project into `path`; the number of features per layer it got."""
    project = replica.run(replica.clone_steps(Remote(url, token), project_id, path,
                                              author="bench-b"))
    with project:
        counts = {layer.code: project.count(layer.code) for layer in project.layers()}
        return {"features": {code: n for code, n in counts.items() if n},
                "version": project.base_version}


STEPS: dict[str, Callable[..., dict]] = {"commit": commit, "push": push, "clone": clone}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("step", choices=sorted(STEPS))
    p.add_argument("args", nargs="+")
    p.add_argument("--profile", type=Path)
    args = p.parse_args(argv)
    before = status_kb("VmRSS")
    profiler = cProfile.Profile() if args.profile else None
    start = time.perf_counter()
    if profiler:
        profiler.enable()
    result = STEPS[args.step](*args.args)
    if profiler:
        profiler.disable()
        profiler.dump_stats(args.profile)
    seconds = time.perf_counter() - start
    # ru_maxrss starts from the RSS of the process that started this one (Linux keeps the
    # high-water mark of the memory image exec replaced), so a big parent shows up in it;
    # VmHWM belongs to this process's own image. Both are reported, the peak is VmHWM.
    maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # kB on Linux
    print(json.dumps({"seconds": seconds, "peak_kb": status_kb("VmHWM"), "ru_maxrss_kb": maxrss,
                      "startup_kb": before, **result}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
