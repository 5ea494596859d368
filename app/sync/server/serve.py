"""Run the API with uvicorn on a socket we bind ourselves (so port 0 reports the real port).

With `workers` > 1 the listening socket is bound once and shared by that many forked server
processes (PostgreSQL store only: each process has its own connection pool, and the projects'
row locks keep versions in order across them).

Behind a reverse proxy (packaging/nginx-coplan.conf) `trusted` names the proxy's addresses:
X-Forwarded-For/-Proto are honoured from them only, so the client address the login throttle
and the logs see, and the scheme of any URL the server builds (a redirect's Location), are the
proxy's client's. `log_format` "json" writes JSON lines (app/sync/server/logs.py)."""

from __future__ import annotations

import ipaddress
import logging
import os
import signal
import socket
import sys

import uvicorn
from uvicorn.config import LOGGING_CONFIG

from app.errors import InvalidInput
from app.sync.server import logs
from app.sync.server.api import create_app
from app.sync.server.store import open_store

log = logging.getLogger(__name__)

PROXIES_ENV = "COPLAN_FORWARDED_ALLOW_IPS"  # trusted proxy addresses when not given on the command line
LOCAL_PROXY = ("127.0.0.1", "::1")  # nginx on the same machine


def trusted_proxies(value: str | None, enabled: bool = False) -> tuple[str, ...] | None:
    """The addresses/networks whose X-Forwarded-* headers are honoured, from a comma-separated
    list (`value`, else $COPLAN_FORWARDED_ALLOW_IPS); the local machine when only `enabled`;
    None (no proxy: the headers are ignored) when neither."""
    value = value or os.environ.get(PROXIES_ENV)
    if not value:
        return LOCAL_PROXY if enabled else None
    items = tuple(item.strip() for item in value.split(",") if item.strip())
    for item in items:
        try:
            ipaddress.ip_network(item, strict=False)
        except ValueError:
            if item != "*":
                raise InvalidInput(f"--forwarded-allow-ips: {item} is not an IP address or "
                                   "network") from None
    return items or None


def _bind(host: str, port: int) -> socket.socket:
    # IPPROTO_TCP explicitly: with protocol 0 asyncio does not set TCP_NODELAY on accepted
    # connections, and Nagle's algorithm then adds ~40 ms to every kept-alive request.
    sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM,
                         socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(1024)  # connections queue from now on, before uvicorn starts accepting
    return sock


def _run(spec: str | None, sock: socket.socket, trusted: tuple[str, ...] | None = None,
         log_format: str = "text") -> None:
    store = open_store(spec)
    json_logs = log_format == "json"
    # JSON: our handler on the root logger, uvicorn's loggers propagate to it, and AccessLog
    # (inside uvicorn's proxy-headers middleware) writes the access lines uvicorn's would.
    config = uvicorn.Config(logs.AccessLog(create_app(store)) if json_logs else create_app(store),
                            log_level="info" if json_logs else "warning",
                            log_config=None if json_logs else LOGGING_CONFIG,
                            access_log=not json_logs, proxy_headers=trusted is not None,
                            forwarded_allow_ips=list(trusted or LOCAL_PROXY),
                            limit_concurrency=256, timeout_keep_alive=30)
    try:
        uvicorn.Server(config).run(sockets=[sock])
    finally:
        store.close()
        sys.stdout.flush()


def serve(spec: str | None, host: str = "127.0.0.1", port: int = 8470, workers: int = 1,
          trusted: tuple[str, ...] | None = None, log_format: str | None = None) -> None:
    """Serve the store `spec` names (a folder or a postgresql:// URL) until interrupted;
    prints the URL when listening. `trusted`: the reverse proxy's addresses (see above);
    `log_format`: "text" or "json" (default $COPLAN_LOG_FORMAT, else text)."""
    if workers < 1 or workers > 64:
        raise InvalidInput("--workers must be 1–64")
    log_format = log_format or os.environ.get(logs.LOG_FORMAT_ENV) or "text"
    if log_format not in logs.FORMATS:
        raise InvalidInput(f"unknown log format {log_format}: use text or json")
    logs.configure(log_format)
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
        _run(spec, sock, trusted, log_format)
        return
    children = []
    for _ in range(workers):
        pid = os.fork()
        if pid == 0:  # a worker: its own store and pool, the shared socket
            signal.signal(signal.SIGINT, signal.SIG_DFL)
            _die_with_parent()
            try:
                _run(spec, sock, trusted, log_format)
            finally:
                os._exit(0)
        children.append(pid)
    print(f"coplan: serving on {url}", flush=True)
    if log_format == "json":  # stderr holds JSON lines only
        log.info("%d server processes share the port", workers)
    else:
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
