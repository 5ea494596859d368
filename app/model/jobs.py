"""Long jobs as generators: they yield `Progress` and return their result (PEP 380).

A GUI worker iterates the generator on its thread and forwards each `Progress` by signal; a
command-line caller uses `drive` to run it to the end. Imports, exports, sync, checks and
report builds all speak this one type.
"""

from __future__ import annotations

import logging
from collections.abc import Generator
from dataclasses import dataclass
from typing import TypeVar

log = logging.getLogger(__name__)
T = TypeVar("T")


@dataclass(frozen=True)
class Progress:
    """A step of a long job: `done` of `total` (total 0: unknown) in a stage, and what is done."""

    stage: str  # e.g. read, check, write, push, pull, map, layout
    done: int
    total: int
    message: str = ""


Job = Generator[Progress, None, T]


def drive(job: Job[T]) -> T:
    """Run a job to the end and return its result."""
    while True:
        try:
            progress = next(job)
        except StopIteration as stop:
            return stop.value
        log.debug("%s %d/%d %s", progress.stage, progress.done, progress.total, progress.message)
