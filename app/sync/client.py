"""The HTTP client of the sync server: timeouts, retries with backoff for retryable failures
only, and the server's error envelope turned into CoPlan errors."""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import requests

from app.errors import AuthError, ConflictError, InvalidInput, NotFound, PermissionDenied, SyncError

log = logging.getLogger(__name__)

RETRYABLE_STATUS = {429, 500, 502, 503, 504}
ERRORS = {401: AuthError, 403: PermissionDenied, 404: NotFound, 409: ConflictError,
          400: InvalidInput, 413: InvalidInput, 422: InvalidInput}


@dataclass(frozen=True)
class Response:
    status: int
    body: bytes


# send(method, url, headers, body, params, timeout) -> Response; raises OSError-like on network faults
Sender = Callable[..., Response]


def requests_sender(session: requests.Session | None = None) -> Sender:
    """A sender over a requests session (the real network)."""
    session = session or requests.Session()

    def send(method: str, url: str, headers: dict, body: bytes | None, params: dict | None,
             timeout: tuple[float, float]) -> Response:
        try:
            r = session.request(method, url, headers=headers, data=body, params=params,
                                timeout=timeout)
        except requests.Timeout as exc:
            raise TimeoutError(str(exc)) from exc
        except requests.RequestException as exc:
            raise ConnectionError(str(exc)) from exc
        return Response(r.status_code, r.content)

    return send


class Remote:
    """One sync server at `url`, used with a bearer `token`."""

    def __init__(self, url: str, token: str | None = None, *, sender: Sender | None = None,
                 timeout: tuple[float, float] = (5.0, 120.0), retries: int = 4,
                 backoff: float = 0.5, sleep: Callable[[float], None] = time.sleep):
        self.url = url.rstrip("/")
        self.token = token
        self._send = sender or requests_sender()
        self.timeout, self.retries, self.backoff, self._sleep = timeout, retries, backoff, sleep

    def request(self, method: str, path: str, *, body: bytes | None = None,
                params: dict | None = None, payload: object = None) -> Any:
        """Send a request, retrying retryable failures; the decoded JSON answer."""
        if payload is not None:
            body = json.dumps(payload, ensure_ascii=False).encode()
        headers = {"Content-Type": "application/json"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        for attempt in range(self.retries + 1):
            try:
                return self._once(method, path, headers, body, params)
            except SyncError as exc:
                if not exc.retryable or attempt == self.retries:
                    raise
                log.info("retrying %s %s after: %s", method, path, exc.message)
                self._sleep(self.backoff * 2 ** attempt)
        raise AssertionError("unreachable")

    def _once(self, method, path, headers, body, params) -> object:
        try:
            r = self._send(method, self.url + path, headers, body, params, self.timeout)
        except TimeoutError as exc:
            log.info("%s %s timed out: %s", method, path, exc)
            raise SyncError(f"the server {self.url} did not answer in time; try again later",
                            retryable=True) from exc
        except (ConnectionError, OSError) as exc:
            # The library's text (HTTPConnectionPool..., Max retries exceeded) goes to the log,
            # the user gets what to do.
            log.info("%s %s failed: %s", method, path, exc)
            raise SyncError(f"cannot reach the server {self.url}: check the network or the server "
                            "address", retryable=True) from exc
        if 200 <= r.status < 300:
            try:
                return json.loads(r.body) if r.body else None
            except ValueError as exc:  # a reply cut short on the way
                raise SyncError("the server's reply was incomplete", retryable=True) from exc
        message, retryable = _error_of(r)
        if r.status in ERRORS:
            raise ERRORS[r.status](message)
        raise SyncError(f"server error {r.status}: {message}", status=r.status,
                        retryable=retryable or r.status in RETRYABLE_STATUS)

    # --- the API ------------------------------------------------------------------------

    def login(self, user: str, password: str) -> str:
        """Log in; stores and returns the new token."""
        answer = self.request("POST", "/api/v1/login", payload={"user": user, "password": password})
        self.token = answer["token"]
        return self.token

    def project(self, project: str) -> dict:
        return self.request("GET", f"/api/v1/projects/{project}")

    def push(self, project: str, body: bytes) -> dict:
        return self.request("POST", f"/api/v1/projects/{project}/changesets", body=body)

    def pull(self, project: str, since: int, limit: int = 100, max_changes: int | None = None) -> dict:
        params = {"since": since, "limit": limit}
        if max_changes:
            params["max_changes"] = max_changes
        return self.request("GET", f"/api/v1/projects/{project}/changesets", params=params)

    def snapshot(self, project: str, after: dict | None, limit: int) -> dict:
        """A page of the project's current features after `after` ({layer, uuid})."""
        params: dict = {"limit": limit}
        if after:
            params.update(after_layer=after["layer"], after_uuid=after["uuid"])
        return self.request("GET", f"/api/v1/projects/{project}/snapshot", params=params)

    def conflicts(self, project: str, status: str = "open") -> list[dict]:
        return self.request("GET", f"/api/v1/projects/{project}/conflicts", params={"status": status})

    def resolve(self, project: str, conflict: int, choice: str, values: dict | None = None) -> dict:
        return self.request("POST", f"/api/v1/projects/{project}/conflicts/{conflict}/resolve",
                            payload={"choice": choice, "values": values})

    def revert(self, project: str, changeset: str) -> dict:
        return self.request("POST", f"/api/v1/projects/{project}/changesets/{changeset}/revert")

    def history(self, project: str, layer: str, uuid: str) -> list[dict]:
        return self.request("GET", f"/api/v1/projects/{project}/features/{layer}/{uuid}/history")


def _error_of(r: Response) -> tuple[str, bool]:
    try:
        error = json.loads(r.body)["error"]
        return str(error["message"]), bool(error.get("retryable"))
    except (ValueError, KeyError, TypeError):
        return r.body[:200].decode("utf-8", "replace") or f"HTTP {r.status}", False
