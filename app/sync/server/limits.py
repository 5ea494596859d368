"""Limits on what one client can make the server do: request body sizes and login attempts.

FastAPI reads a JSON body whole before it runs the dependencies that authenticate the caller,
so without a cap in front of the app anyone could make the server read and parse any amount.
`BodyLimit` refuses a body past its route's cap before the app reads it; the routes that take
large uploads get bigger caps from whoever builds the app, and check roles before reading."""

from __future__ import annotations

import math
import re
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable
from typing import TypeVar

from fastapi import Request
from pydantic import BaseModel, ValidationError
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.errors import CoplanError

ModelT = TypeVar("ModelT", bound=BaseModel)

MIB = 1024 * 1024
DEFAULT_CAP = MIB  # bytes: every JSON body of the API fits easily
MAX_FAILURES = 5  # failed logins per user name or per address …
WINDOW = 600.0  # … within this many seconds
MAX_KEYS = 100_000  # user names and addresses tracked at once


class TooLarge(CoplanError):
    """A request body over its endpoint's cap (HTTP 413)."""


class TooManyAttempts(CoplanError):
    """Too many failed logins for a user name or an address; `retry_after` is in seconds."""

    retryable = True

    def __init__(self, message: str, retry_after: int):
        super().__init__(message)
        self.retry_after = retry_after


def size_text(size: int) -> str:
    """A byte count as people write it: 64 MiB, 512 KiB, 100 bytes."""
    for unit, scale in (("MiB", MIB), ("KiB", 1024)):
        if size >= scale and size % scale == 0:
            return f"{size // scale} {unit}"
    return f"{size:,} bytes"


def _over(cap: int) -> str:
    return f"request body too large: at most {size_text(cap)} on this endpoint"


def too_large(cap: int) -> JSONResponse:
    """The 413 answer in the API's error envelope."""
    return JSONResponse({"error": {"code": "too_large", "message": _over(cap), "retryable": False}},
                        status_code=413)


async def read_capped(request: Request, cap: int) -> bytes:
    """The request body, refused past `cap` bytes without reading it all (TooLarge)."""
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > cap:
        raise TooLarge(_over(cap))
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > cap:
            raise TooLarge(_over(cap))
        chunks.append(chunk)
    return b"".join(chunks)


# --- request bodies -----------------------------------------------------------------------

class _Overflow(Exception):
    """Raised from `receive` past the cap; no app handler knows it, so it comes back to us."""


class BodyLimit:
    """ASGI middleware: a request body over its route's cap is answered 413.

    `caps` are (method, path regex, cap in bytes), the first full match wins, `default` covers
    the rest. A declared Content-Length over the cap is answered without calling the app; a
    body without one (chunked) is counted as it arrives, and once past the cap the client gets
    the 413 whatever the endpoint or the framework made of the interrupted read.
    """

    def __init__(self, app: ASGIApp, default: int = DEFAULT_CAP,
                 caps: Iterable[tuple[str, str, int]] = ()):
        self.app, self.default = app, default
        self.caps = [(method.upper(), re.compile(path), cap) for method, path, cap in caps]

    def cap(self, method: str, path: str) -> int:
        """The cap in bytes of a request to `method` `path`."""
        for known, pattern, cap in self.caps:
            if known == method and pattern.fullmatch(path):
                return cap
        return self.default

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        cap = self.cap(scope["method"], scope["path"])
        declared = _content_length(scope)
        if declared is not None and declared > cap:
            await too_large(cap)(scope, receive, send)  # the app never runs, the body is unread
            return
        await _Metered(cap, scope, receive, send).run(self.app)


class _Metered:
    """One request whose body bytes are counted against `cap`."""

    def __init__(self, cap: int, scope: Scope, receive: Receive, send: Send):
        self.cap, self.size, self.scope = cap, 0, scope
        self._receive, self._send = receive, send
        self.over = self.started = self.answered = False

    async def receive(self) -> Message:
        if self.over:
            raise _Overflow
        message = await self._receive()
        if message["type"] == "http.request":
            self.size += len(message.get("body", b""))
            if self.size > self.cap:
                self.over = True
                raise _Overflow
        return message

    async def send(self, message: Message) -> None:
        if self.over and not self.started:
            # The app answers the interrupted read in its own way (FastAPI: 400); the client
            # gets the 413 instead, once, and the app's own answer is dropped.
            await self.answer()
            return
        if message["type"] == "http.response.start":
            self.started = True
        await self._send(message)

    async def answer(self) -> None:
        if not self.answered:
            self.answered = True
            await too_large(self.cap)(self.scope, self._receive, self._send)

    async def run(self, app: ASGIApp) -> None:
        try:
            await app(self.scope, self.receive, self.send)
        except _Overflow:
            if self.started:
                raise  # half a response is out: only closing the connection is left
        if self.over and not self.started:
            await self.answer()


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", ()):
        if name == b"content-length":
            return int(value) if value.isdigit() else None
    return None


# --- logins -------------------------------------------------------------------------------

class LoginThrottle:
    """Failed logins counted per user name and per client address over a sliding window.

    After `limit` failures within `window` seconds for the same key, `check` refuses further
    attempts for that key until the oldest of those failures is `window` seconds old. A
    success clears the user name's count only: clearing the address's too would let someone
    holding one account guess others' passwords between their own logins.
    """

    def __init__(self, limit: int = MAX_FAILURES, window: float = WINDOW,
                 max_keys: int = MAX_KEYS, clock: Callable[[], float] = time.monotonic):
        self.limit, self.window, self.max_keys, self.clock = limit, window, max_keys, clock
        # key -> times of its latest failures; ordered by latest failure, oldest first
        self._failures: dict[tuple[str, str], deque[float]] = {}
        self._lock = threading.Lock()

    def check(self, user: str, address: str) -> None:
        """TooManyAttempts if the user name or the address is locked out now."""
        with self._lock:
            now = self.clock()
            self._expire(now)
            wait = max(self._wait(key, now) for key in _keys(user, address))
        if wait > 0:
            seconds = max(1, math.ceil(wait))
            raise TooManyAttempts(f"too many failed logins; try again in {seconds} s", seconds)

    def failed(self, user: str, address: str) -> None:
        """Count a failed login against the user name and the address."""
        with self._lock:
            now = self.clock()
            self._expire(now)
            for key in _keys(user, address):
                times = self._failures.pop(key, None) or deque(maxlen=self.limit)
                times.append(now)
                self._failures[key] = times  # re-inserted: the dict stays in failure order
            while len(self._failures) > self.max_keys:
                del self._failures[next(iter(self._failures))]  # the longest quiet key goes

    def succeeded(self, user: str, address: str) -> None:
        """A correct login: the user name starts afresh."""
        with self._lock:
            self._failures.pop(("user", user), None)

    def tracked(self) -> int:
        """How many user names and addresses have recent failures."""
        with self._lock:
            self._expire(self.clock())
            return len(self._failures)

    def _wait(self, key: tuple[str, str], now: float) -> float:
        times = self._failures.get(key)
        if not times or len(times) < self.limit:
            return 0.0
        return times[0] + self.window - now  # only the latest `limit` failures are kept

    def _expire(self, now: float) -> None:
        # Keys are in order of their latest failure, so expired ones are all at the front.
        while self._failures:
            key = next(iter(self._failures))
            if self._failures[key][-1] + self.window > now:
                break
            del self._failures[key]


def _keys(user: str, address: str) -> tuple[tuple[str, str], ...]:
    return ("user", user), ("address", address)


async def read_model(request: Request, model: type[ModelT], cap: int) -> ModelT:
    """A JSON body read up to `cap` bytes (after the caller's role check) and checked like a
    pydantic body parameter: a bad one is the same 422 FastAPI gives."""
    from fastapi.concurrency import run_in_threadpool
    from fastapi.exceptions import RequestValidationError

    from app.sync.protocol import loads
    data = await run_in_threadpool(loads, await read_capped(request, cap))
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise RequestValidationError(
            [{**e, "loc": ("body", *e["loc"])} for e in exc.errors()]) from exc


def body_doc(model: type[BaseModel]) -> dict:
    """The OpenAPI request body of an endpoint that reads `model` itself (with read_model)."""
    return {"requestBody": {"required": True, "content": {
        "application/json": {"schema": model.model_json_schema()}}}}
