"""Run the API with uvicorn on a socket we bind ourselves (so port 0 reports the real port)."""

from __future__ import annotations

import logging
import socket
import sys

import uvicorn

from app.sync.server.api import create_app
from app.sync.server.store import SqliteStore

log = logging.getLogger(__name__)


def serve(data: str, host: str = "127.0.0.1", port: int = 8470) -> None:
    """Serve the store in `data` until interrupted; prints the URL when listening."""
    store = SqliteStore(data)
    # IPPROTO_TCP explicitly: with protocol 0 asyncio does not set TCP_NODELAY on accepted
    # connections, and Nagle's algorithm then adds ~40 ms to every kept-alive request.
    sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM,
                         socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(256)  # connections queue from now on, before uvicorn starts accepting
    url = f"http://{host}:{sock.getsockname()[1]}"
    print(f"coplan: serving on {url}", flush=True)
    config = uvicorn.Config(create_app(store), log_level="warning", limit_concurrency=256,
                            timeout_keep_alive=30)
    try:
        uvicorn.Server(config).run(sockets=[sock])
    finally:
        store.close()
        sys.stdout.flush()
