"""Client side of the edition registry: upload a built edition, list, download.

JSON answers go through the sync client (`Remote`: retries, the error envelope); the PDF
bytes of uploads and downloads need their own content type, so those two calls are made
here with the same error mapping. An upload is idempotent on the server, so it is retried.
"""

from __future__ import annotations

import hashlib
import logging
import time

import requests

from app.errors import CoplanError, SyncError
from app.reports.build import Built
from app.sync.client import ERRORS, RETRYABLE_STATUS, Remote

log = logging.getLogger(__name__)

TIMEOUT = (5.0, 300.0)  # connect, read: a large policy set takes a while on slow links
RETRIES = 3


def _path(project: str, kind: str | None = None, version: int | None = None) -> str:
    path = f"/api/v1/projects/{project}/editions"
    return path if kind is None else f"{path}/{kind}/{version}"


def _raise_for(r: requests.Response) -> None:
    """The CoPlan error of a failed answer (the server's one error envelope)."""
    try:
        error = r.json()["error"]
        message, retryable = str(error["message"]), bool(error.get("retryable"))
    except (ValueError, KeyError, TypeError):
        message, retryable = r.text[:200] or f"HTTP {r.status_code}", False
    if r.status_code in ERRORS:
        raise ERRORS[r.status_code](message)
    raise SyncError(f"server error {r.status_code}: {message}", status=r.status_code,
                    retryable=retryable or r.status_code in RETRYABLE_STATUS)


def _send(remote: Remote, method: str, path: str, **kw) -> requests.Response:
    """One request with bytes in or out, retried on network faults and retryable answers."""
    headers = {"Authorization": f"Bearer {remote.token}", **kw.pop("headers", {})}
    for attempt in range(RETRIES + 1):
        try:
            r = requests.request(method, remote.url + path, headers=headers, timeout=TIMEOUT,
                                 **kw)
            if r.ok:
                return r
            _raise_for(r)
        except (requests.RequestException, SyncError) as exc:
            retryable = isinstance(exc, requests.RequestException) or exc.retryable
            if not retryable or attempt == RETRIES:
                if isinstance(exc, SyncError):
                    raise
                raise SyncError(f"cannot reach the server {remote.url}: {exc}",
                                retryable=True) from exc
            time.sleep(0.5 * 2 ** attempt)
    raise AssertionError("unreachable")


def upload(remote: Remote, project: str, built: Built) -> dict:
    """Upload a built edition; the server's record of it."""
    e = built.edition
    params = {"edition_date": e.date, "content_hash": e.content_hash,
              "layers_hash": e.layers_hash, "base_version": e.base_version}
    r = _send(remote, "PUT", _path(project, e.kind, e.version), data=built.pdf, params=params,
              headers={"Content-Type": "application/pdf"})
    record = r.json()
    if record.get("sha256") != built.sha256:
        raise CoplanError("the server stored other bytes than were sent; try again")
    return record


def list_editions(remote: Remote, project: str) -> list[dict]:
    """Every edition published in the project."""
    return remote.request("GET", _path(project))


def download(remote: Remote, project: str, kind: str, version: int) -> bytes:
    """The PDF of one edition, checked against the hash the server recorded."""
    r = _send(remote, "GET", _path(project, kind, version))
    expected = r.headers.get("X-Content-SHA256")
    if expected and hashlib.sha256(r.content).hexdigest() != expected:
        raise SyncError("the download was damaged on the way; try again", retryable=True)
    return r.content


def next_version(remote: Remote, project: str, kind: str) -> int:
    """One more than the highest version of `kind` on the server."""
    return next_in(list_editions(remote, project), kind)


def next_in(records: list[dict], kind: str) -> int:
    """One more than the highest version of `kind` among registry records."""
    return max((r["version"] for r in records if r["kind"] == kind), default=0) + 1


def describe(record: dict) -> str:
    """One line about a registry record."""
    return (f"{record['kind']:<8} v{record['version']:<4} {record['edition_date']}  "
            f"{record['size'] / 1024 / 1024:6.1f} MB  {record['publisher_party']}  "
            f"{record['uploaded_by']}  sha256 {record['sha256'][:12]}")
