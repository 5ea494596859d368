"""The server's logs as JSON lines (`coplan serve --log-format json`): one object per line for
every request (method, path, status, duration, client, user) and every app or uvicorn message,
for journald, Loki or any collector that reads JSON.

Nothing secret is written: the access line names the path, never the query string, headers or
body (so no token, Authorization header or password), and every message is passed through
`redact`, which masks the password of a store URL and a bearer token should one reach a
message or a traceback."""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
import sys
import time
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

FORMATS = ("text", "json")
LOG_FORMAT_ENV = "COPLAN_LOG_FORMAT"
SCOPE_KEY = "coplan.access"  # the request's access record, shared with the endpoints
ACCESS_FIELDS = ("method", "path", "status", "duration_ms", "client", "user")
_SECRETS = [
    (re.compile(r"(postgres(?:ql)?://[^:/@\s]*:)[^@\s]*@"), r"\1***@"),
    (re.compile(r"(?i)(bearer\s+)[A-Za-z0-9._~+/=-]{8,}"), r"\1***"),
    (re.compile(r"\b[0-9a-f]{16}\.[A-Za-z0-9_-]{20,}"), "***"),  # an API token, anywhere
]

access_log = logging.getLogger("coplan.access")


def redact(text: str) -> str:
    """`text` with store-URL passwords and bearer tokens masked."""
    for pattern, replacement in _SECRETS:
        text = pattern.sub(replacement, text)
    return text


class JsonFormatter(logging.Formatter):
    """One JSON object per record: time (UTC), level, logger, message and the access fields."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": dt.datetime.fromtimestamp(record.created, dt.UTC)
            .isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": redact(record.getMessage()),
        }
        for field in ACCESS_FIELDS:
            if hasattr(record, field):
                entry[field] = getattr(record, field)
        if record.exc_info:
            entry["exception"] = redact(self.formatException(record.exc_info))
        return json.dumps(entry, ensure_ascii=False)


def configure(fmt: str) -> None:
    """Send every log record to stderr as JSON lines (fmt "json"); "text" keeps uvicorn's own
    setup (warnings and errors only)."""
    if fmt != "json":
        return
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(logging.INFO)
    logging.captureWarnings(True)  # Python warnings as JSON lines too, not raw text


def note_user(scope: Scope, user: str) -> None:
    """Name the authenticated user in the request's access line."""
    record = scope.get(SCOPE_KEY)
    if record is not None:
        record["user"] = user


class AccessLog:
    """ASGI middleware: one access record per HTTP request, written when it ends. It runs
    inside uvicorn's proxy-headers middleware, so `client` is the forwarded address when the
    proxy is trusted."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        record: dict[str, Any] = {"status": 500, "user": None}  # 500 if it fails before answering
        scope[SCOPE_KEY] = record
        start = time.perf_counter()

        async def sending(message: Message) -> None:
            if message["type"] == "http.response.start":
                record["status"] = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, sending)
        finally:
            client = scope.get("client")
            fields = {"method": scope["method"], "path": scope["path"], "status": record["status"],
                      "duration_ms": round((time.perf_counter() - start) * 1000, 1),
                      "client": client[0] if client else None, "user": record["user"]}
            access_log.info("%s %s %d", fields["method"], fields["path"], fields["status"],
                            extra=fields)
