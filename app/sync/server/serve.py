"""Run the API with uvicorn on a socket we bind ourselves (so port 0 reports the real port).

With `workers` > 1 the listening socket is bound once and shared by that many forked server
processes (PostgreSQL store only: each process has its own connection pool, and the projects'
row locks keep versions in order across them)."""

from __future__ import annotations

import logging
import os
import signal
import socket
import sys

import uvicorn

from app.errors import InvalidInput
from app.sync.server.api import create_app
from app.sync.server.store import open_store

log = logging.getLogger(__name__)


def _bind(host: str, port: int) -> socket.socket:
    # IPPROTO_TCP explicitly: with protocol 0 asyncio does not set TCP_NODELAY on accepted
    # connections, and Nagle's algorithm then adds ~40 ms to every kept-alive request.
    sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM,
                         socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(1024)  # connections queue from now on, before uvicorn starts accepting
    return sock


def _run(spec: str, sock: socket.socket) -> None:
    store = open_store(spec)
    config = uvicorn.Config(create_app(store), log_level="warning", limit_concurrency=256,
                            timeout_keep_alive=30)
    try:
        uvicorn.Server(config).run(sockets=[sock])
    finally:
        store.close()
        sys.stdout.flush()


def serve(spec: str | None, host: str = "127.0.0.1", port: int = 8470, workers: int = 1) -> None:
    """Serve the store `spec` names (a folder or a postgresql:// URL) until interrupted;
    prints the URL when listening."""
    if workers < 1 or workers > 64:
        raise InvalidInput("--workers must be 1–64")
    store = open_store(spec)  # migrates once, and fails here (not in a worker) when unreachable
    kind = store.kind
    store.close()
    if workers > 1 and kind != "postgresql":
        raise InvalidInput("several server processes need the PostgreSQL store; a SQLite store "
                           "is served by one / 多个服务进程需要 PostgreSQL 存储")
    sock = _bind(host, port)
    url = f"http://{host}:{sock.getsockname()[1]}"
    if workers == 1:
        print(f"coplan: serving on {url}", flush=True)
        _run(spec, sock)
        return
    children = []
    for _ in range(workers):
        pid = os.fork()
        if pid == 0:  # a worker: its own store and pool, the shared socket
            signal.signal(signal.SIGINT, signal.SIG_DFL)
            _die_with_parent()
            try:
                _run(spec, sock)
            finally:
                os._exit(0)
        children.append(pid)
    print(f"coplan: serving on {url}", flush=True)
    print(f"coplan: {workers} server processes share the port", file=sys.stderr, flush=True)
    _supervise(children)


def _die_with_parent() -> None:
    """Ask Linux to stop this worker when the supervising process dies, even by SIGKILL."""
    try:
        import ctypes
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        log.warning("workers will not stop with their parent on this system")


def _supervise(children: list[int]) -> None:
    """Wait for the workers; a signal to this process stops them all."""
    def stop(signum, frame):
        for pid in children:
            try:
                os.kill(pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    alive = set(children)
    while alive:
        try:
            pid, _ = os.wait()
        except ChildProcessError:
            break
        alive.discard(pid)
        if alive:
            log.warning("server process %d ended; stopping the others", pid)
            stop(None, None)
