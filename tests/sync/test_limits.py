"""Request limits: body caps answered 413 before the endpoint reads (in-process and on a real
socket), and the login throttle on a fake clock."""

from __future__ import annotations

import http.client
import json
import socket
import threading
import time

import pytest
import uvicorn
from fastapi import FastAPI, Request
from fastapi.testclient import TestClient
from pydantic import BaseModel

from app.errors import CoplanError
from app.model.changes import DATA_SCHEMA_VERSION
from app.sync.server.api import create_app, envelope
from app.sync.server.limits import (
    MIB,
    BodyLimit,
    LoginThrottle,
    TooLarge,
    TooManyAttempts,
    read_capped,
    size_text,
)

CAPS = [("PUT", r"/files/[a-z]+", 4096)]


class Item(BaseModel):
    text: str


def tiny_app(ran: list[str]) -> FastAPI:
    """Two endpoints behind BodyLimit: a pydantic body (default cap 1 KiB) and a raw upload."""
    app = FastAPI()
    app.add_middleware(BodyLimit, default=1024, caps=CAPS)

    @app.post("/items")
    def add(item: Item) -> dict:
        ran.append("items")
        return {"size": len(item.text)}

    @app.put("/files/{name}")
    async def upload(name: str, request: Request) -> dict:
        ran.append("files")
        return {"size": len(await read_capped(request, 10 * MIB))}

    return app


@pytest.fixture
def ran() -> list[str]:
    return []


@pytest.fixture
def client(ran):
    with TestClient(tiny_app(ran), raise_server_exceptions=False) as c:
        yield c


def chunks(size: int, piece: int = 512):
    """A body without Content-Length: httpx sends a generator chunked."""
    for start in range(0, size, piece):
        yield b"x" * min(piece, size - start)


def assert_too_large(response, cap_text: str) -> None:
    assert response.status_code == 413
    error = response.json()["error"]
    assert error["code"] == "too_large" and error["retryable"] is False
    assert cap_text in error["message"]


def test_bodies_under_the_cap_pass(client, ran):
    assert client.post("/items", json={"text": "a" * 900}).json() == {"size": 900}
    assert client.put("/files/plan", content=b"x" * 4000).json() == {"size": 4000}
    assert client.put("/files/plan", content=chunks(4096)).json() == {"size": 4096}
    assert ran == ["items", "files", "files"]


def test_declared_length_over_the_cap_is_refused_before_the_endpoint_runs(client, ran):
    assert_too_large(client.post("/items", json={"text": "a" * 2000}), "at most 1 KiB")
    assert_too_large(client.put("/files/plan", content=b"x" * 4097), "at most 4 KiB")
    assert ran == []


def test_chunked_body_over_the_cap_is_refused(client, ran):
    # FastAPI turns the interrupted read of a pydantic body into its own 400: the client still
    # gets the 413.
    assert_too_large(client.post("/items", content=chunks(2048),
                                 headers={"content-type": "application/json"}), "1 KiB")
    assert ran == []
    assert_too_large(client.put("/files/plan", content=chunks(5000)), "4 KiB")
    assert ran == ["files"]  # a raw upload starts, but its read is cut at the cap


def test_caps_match_method_and_whole_path():
    limit = BodyLimit(None, default=MIB, caps=CAPS)
    assert limit.cap("PUT", "/files/plan") == 4096
    assert limit.cap("POST", "/files/plan") == MIB  # another method
    assert limit.cap("PUT", "/files/plan/x") == MIB  # the pattern must match the whole path
    assert [size_text(n) for n in (64 * MIB, 512 * 1024, 100)] == ["64 MiB", "512 KiB",
                                                                   "100 bytes"]


def test_read_capped_refuses_on_its_own():
    app = FastAPI()

    @app.put("/raw")
    async def raw(request: Request) -> dict:
        try:
            return {"size": len(await read_capped(request, 100))}
        except TooLarge as exc:
            return {"refused": exc.message}
    with TestClient(app) as c:
        assert c.put("/raw", content=b"x" * 100).json() == {"size": 100}
        for body in (b"x" * 101, chunks(101, 50)):
            assert c.put("/raw", content=body).json() == {
                "refused": "request body too large: at most 100 bytes on this endpoint"}


def test_the_413_has_the_api_envelope_shape(client):
    ours = client.post("/items", json={"text": "a" * 2000}).json()
    theirs = json.loads(envelope(413, "too_large", "m").body)
    assert set(ours) == set(theirs) and set(ours["error"]) == set(theirs["error"])


def test_wiring_on_the_real_api(new_store):
    """The lines the API adds: 1 MiB by default, 64 MiB for a push."""
    store = new_store()
    store.create_project("metro", "上海大都市圈", DATA_SCHEMA_VERSION)
    app = create_app(store)
    app.add_middleware(BodyLimit, default=MIB, caps=[
        ("POST", r"/api/v1/projects/[^/]+/changesets", 64 * MIB)])
    big = b"{" + b" " * (2 * MIB) + b"}"
    with TestClient(app, raise_server_exceptions=False) as c:
        assert_too_large(c.post("/api/v1/login", content=big), "1 MiB")
        # Past the limit: the push reaches authentication.
        assert c.post("/api/v1/projects/metro/changesets", content=big).status_code == 401


def test_a_real_server_answers_before_the_body_is_sent(ran):
    """A client announcing 100 MiB and sending nothing gets the 413 at once."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    sock.listen(8)
    server = uvicorn.Server(uvicorn.Config(tiny_app(ran), log_level="warning"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    try:
        while not server.started:
            time.sleep(0.01)
        conn = http.client.HTTPConnection(*sock.getsockname(), timeout=5)
        conn.putrequest("PUT", "/files/plan")
        conn.putheader("Content-Length", str(100 * MIB))
        conn.endheaders()  # headers only: a server waiting for the body would time out
        answer = conn.getresponse()
        assert answer.status == 413 and json.loads(answer.read())["error"]["code"] == "too_large"
        assert ran == []
        conn.close()
    finally:
        server.should_exit = True
        thread.join(timeout=10)


# --- the login throttle ---------------------------------------------------------------------

class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


def fail(throttle: LoginThrottle, times: int, user: str = "sz", address: str = "10.0.0.1",
         clock: Clock | None = None) -> None:
    for _ in range(times):
        throttle.check(user, address)
        throttle.failed(user, address)
        if clock:
            clock.now += 1


def test_five_failures_lock_the_user_name_until_the_window_passes(clock):
    throttle = LoginThrottle(clock=clock)
    fail(throttle, 4, clock=clock)
    throttle.check("sz", "10.0.0.1")  # four are allowed
    fail(throttle, 1, clock=clock)
    with pytest.raises(TooManyAttempts, match="try again in 595 s") as refused:
        throttle.check("sz", "10.0.0.9")  # from anywhere: failures at 0..4 s, now 5 s
    assert refused.value.retry_after == 595 and refused.value.retryable
    assert isinstance(refused.value, CoplanError)
    clock.now += 594.5
    with pytest.raises(TooManyAttempts, match="try again in 1 s"):
        throttle.check("sz", "10.0.0.9")
    clock.now += 0.5
    throttle.check("sz", "10.0.0.9")  # the first failure has left the window


def test_five_failures_from_one_address_lock_every_user_name_there(clock):
    throttle = LoginThrottle(clock=clock)
    for user in ("a", "b", "c", "d", "e"):
        fail(throttle, 1, user=user)
    with pytest.raises(TooManyAttempts):
        throttle.check("boss", "10.0.0.1")
    throttle.check("boss", "10.0.0.2")


def test_success_resets_the_user_name_but_not_the_address(clock):
    throttle = LoginThrottle(clock=clock)
    fail(throttle, 4, address="10.0.0.1")
    throttle.succeeded("sz", "10.0.0.1")
    fail(throttle, 4, address="10.0.0.2")
    throttle.check("sz", "10.0.0.3")  # 4 since the success
    fail(throttle, 1, user="jx", address="10.0.0.1")
    with pytest.raises(TooManyAttempts):  # the address still counts its 5
        throttle.check("anyone", "10.0.0.1")


def test_memory_is_bounded(clock):
    throttle = LoginThrottle(max_keys=10, clock=clock)
    for n in range(20):
        throttle.failed(f"user{n}", f"10.0.1.{n}")
    assert throttle.tracked() == 10  # the longest quiet keys were dropped
    clock.now += 601
    assert throttle.tracked() == 0  # expired keys go


def test_counts_are_exact_across_threads(clock):
    throttle = LoginThrottle(limit=1000, clock=clock)

    def hammer(n: int) -> None:
        for _ in range(100):
            throttle.failed("sz", f"10.0.2.{n}")

    threads = [threading.Thread(target=hammer, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(throttle._failures[("user", "sz")]) == 800
    assert throttle.tracked() == 9
