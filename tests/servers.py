"""A real `coplan serve` process for tests: started on port 0, restartable on the same data."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


class Server:
    """`coplan serve` in a subprocess; restartable on the same data folder."""

    def __init__(self, data: Path, store: str | None = None, workers: int = 1):
        """`data` is the SQLite folder (and where the log goes); `store` a PostgreSQL URL."""
        self.data, self.proc, self.url = data, None, None
        self.store, self.workers = store or str(data), workers

    def start(self, failpoint: str | None = None) -> str:
        env = {**os.environ, "PYTHONPATH": str(REPO)}
        env.pop("COPLAN_FAILPOINT", None)
        if failpoint:
            env["COPLAN_FAILPOINT"] = failpoint
        # stderr goes to a file: a pipe nobody reads fills up and hangs the server.
        self.log = (self.data.parent / "server.log").open("a")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "app.cli", "serve", "--store", self.store, "--port", "0",
             "--workers", str(self.workers)],
            cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=self.log, text=True)
        line = self.proc.stdout.readline()
        assert "serving on" in line, (self.data.parent / "server.log").read_text()
        self.url = line.split("serving on", 1)[1].strip()
        return self.url

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
        if self.proc:
            self.proc.wait(timeout=10)
            self.log.close()
