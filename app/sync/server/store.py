"""The server's store: one interface, two implementations.

`Store` is what the server needs of its storage, in domain terms: sessions (`reading()` for a
consistent read, `writing()` for one transaction), whose methods are the domain operations
(`Session`), and `blobs` for edition and attachment files. The merge, permission and review
logic (app/sync/server/versions.py, app/review/server.py, app/reports/registry.py) is written
against it and holds no SQL.

- `SqliteStore` (app/sync/server/sqlite_store.py): one SQLite file in a folder, nothing to
  start; the embedded default.
- `PostgresStore` (app/sync/server/pg_store.py): PostgreSQL with PostGIS for a metro area that
  outgrows one file and one server process.

`open_store(spec)` picks one by its spelling: a `postgresql://` URL or a folder."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import os
import re
from collections.abc import Iterable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Protocol

from app.errors import AuthError, ConflictError, InvalidInput, NotFound, PermissionDenied
from app.sync.server import auth

log = logging.getLogger(__name__)

ROLES = ("editor", "coordinator", "reviewer", "publisher", "observer")
PARTY_TYPES = ("city", "department", "ministry", "province", "expert", "public", "office")
NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.@-]{0,63}$")
BLOB_NAME = re.compile(r"^(editions|attachments)/[A-Za-z0-9][A-Za-z0-9_.-]{0,200}$")
FAILPOINT = "COPLAN_FAILPOINT"  # test-only: crash just before / after a write commits
STORE_ENV = "COPLAN_STORE"  # the store `coplan serve` and `coplan admin` use unless told

# The tables of a store, in the order a restore loads them (parents before children).
COLUMNS = {
    "projects": ("id", "name", "created", "head", "schema_version", "shared_layers"),
    "parties": ("project", "code", "name", "type"),
    "users": ("name", "password_hash", "created", "disabled"),
    "memberships": ("project", "username", "party", "role"),
    "tokens": ("id", "username", "secret_hash", "created", "expires", "label"),
    "versions": ("project", "version", "changeset", "kind", "party", "author", "username",
                 "message", "created", "received", "base_version", "forced"),
    "requests": ("project", "key", "body_hash", "response"),
    "features": ("project", "layer", "uuid", "owner", "row", "deleted", "version"),
    "changes": ("project", "version", "idx", "layer", "uuid", "op", "cols"),
    "clashes": ("id", "project", "version", "changeset", "party", "layer", "uuid", "kind", "cells",
                "reason", "server_row", "status", "resolution", "resolved_by", "resolved_version"),
    "review_events": ("project", "id", "version", "kind", "round", "party", "username", "at", "data"),
    "review_drafts": ("project", "hash", "sections"),
    "review_attachments": ("project", "id", "party", "username", "name", "media_type", "size",
                           "sha256", "created"),
    "editions": ("project", "kind", "version", "file", "size", "sha256", "edition_date",
                 "content_hash", "base_version", "layers_hash", "publisher_party", "uploaded_by",
                 "uploaded_at"),
    "checkin_submissions": ("project", "number", "party", "username", "version", "submitted",
                            "note", "status", "features", "errors", "warnings", "findings",
                            "checked", "boundary", "decided_by", "decided_at", "decision_note",
                            "forced"),
    "implement_events": ("project", "version", "id", "kind", "party", "username", "at", "data"),
}
TABLES = tuple(COLUMNS)
# Columns kept as JSON text (SQLite) or jsonb/columns (PostgreSQL): plain values in a dump.
JSON_COLUMNS = {"projects": ("shared_layers",), "features": ("row",), "changes": ("cols",),
                "clashes": ("cells", "server_row"), "requests": ("response",),
                "review_events": ("data",), "review_drafts": ("sections",),
                "checkin_submissions": ("findings",), "implement_events": ("data",)}
BOOL_COLUMNS = {"users": ("disabled",), "features": ("deleted",), "versions": ("forced",),
                "checkin_submissions": ("forced",)}
# Columns added after backups were first written, with the value an older backup's rows take:
# loaded as that value, and left out of a row's digest while they hold it, so a backup made
# before the column existed restores and checks out unchanged.
ADDED_COLUMNS = {("versions", "forced"): False}
# Tables added later: an older backup without them restores them empty.
ADDED_TABLES = ("checkin_submissions", "implement_events")


@dataclass(frozen=True)
class Member:
    """A user's place in a project: the party they act for and their role."""

    user: str
    project: str
    party: str
    role: str


@dataclass(frozen=True)
class ProjectRow:
    id: str
    name: str
    head: int
    schema_version: int
    shared_layers: list[str]


@dataclass(frozen=True)
class FeatureState:
    """A feature's last row on the server, its owner, and whether it is deleted (a deleted
    feature keeps its last row: a tombstone for ownership and restore)."""

    row: dict
    owner: str | None
    deleted: bool


def now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def dumps(value) -> str:
    """Compact JSON, Chinese kept as it is."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


class Session(Protocol):
    """One transaction (or one consistent read) on a store. Rows go in and come out as plain
    Python values; a feature's row is {column: value} with the geometry as hex WKB."""

    # --- projects, parties, users, memberships, tokens ------------------------------------
    def project(self, project: str, lock: bool = False) -> ProjectRow | None: ...
    def insert_project(self, row: ProjectRow, created: str) -> None: ...
    def parties(self, project: str) -> list[tuple[str, str, str]]: ...
    def put_party(self, project: str, code: str, name: str, kind: str) -> None: ...
    def user(self, name: str) -> tuple[str | None, bool] | None: ...
    def insert_user(self, name: str, password_hash: str | None, created: str) -> None: ...
    def put_membership(self, project: str, user: str, party: str, role: str) -> None: ...
    def membership(self, project: str, user: str) -> tuple[str, str] | None: ...
    def memberships_of(self, user: str) -> list[dict]: ...
    def insert_token(self, token_id: str, user: str, secret_hash: str, created: str,
                     expires: str, label: str) -> None: ...
    def token(self, token_id: str) -> tuple[str, str, str, bool] | None: ...

    # --- versions -------------------------------------------------------------------------
    def request(self, project: str, key: str) -> tuple[str, dict] | None: ...
    def insert_request(self, project: str, key: str, body_hash: str, response: dict) -> None: ...
    def changeset(self, project: str, changeset: str) -> tuple[int, str, str] | None: ...
    def features(self, project: str, keys: Iterable[tuple[str, str]]) -> dict: ...
    def holder(self, project: str, layer: str, uuid: str, column: str, value) -> str | None: ...
    def put_features(self, project: str, rows: list[tuple]) -> None: ...
    def append_version(self, project: str, version: dict, changes: list[tuple],
                       clashes: list[dict]) -> list[int]: ...
    def versions(self, project: str, since: int, limit: int) -> list[tuple[dict, int, int]]: ...
    def version_changes(self, project: str, version: int) -> list[dict]: ...
    def version_clashes(self, project: str, version: int) -> list[dict]: ...
    def snapshot(self, project: str, after: tuple[str, str], limit: int
                 ) -> Iterator[tuple[str, str, dict, int]]: ...
    def count_features(self, project: str) -> int: ...
    def history(self, project: str, layer: str, uuid: str) -> list[dict]: ...
    def clashes(self, project: str, status: str | None, clash_id: int | None = None
                ) -> list[dict]: ...
    def update_clash(self, project: str, clash_id: int, **fields) -> None: ...

    # --- comment rounds -------------------------------------------------------------------
    def review_events(self, project: str, since: int, limit: int | None = None) -> list[tuple]: ...
    def review_event(self, project: str, event_id: str) -> tuple | None: ...
    def next_review_version(self, project: str) -> int: ...
    def insert_review_event(self, project: str, row: tuple) -> None: ...
    def draft(self, project: str, draft_hash: str) -> dict | None: ...
    def save_draft(self, project: str, draft_hash: str, sections: dict) -> None: ...
    def known_changesets(self, project: str, ids: list[str]) -> set[str]: ...
    def attachment(self, project: str, attachment_id: str) -> dict | None: ...
    def insert_attachment(self, project: str, row: dict) -> None: ...

    # --- editions -------------------------------------------------------------------------
    def edition(self, project: str, kind: str, version: int) -> dict | None: ...
    def editions(self, project: str) -> list[dict]: ...
    def insert_edition(self, project: str, row: dict) -> None: ...

    # --- check-in of submitted data (app/checkin/sql.py) ----------------------------------
    def next_submission(self, project: str) -> int: ...
    def insert_submission(self, project: str, row: dict) -> None: ...
    def submissions(self, project: str, party: str | None = None) -> list[dict]: ...
    def submission(self, project: str, number: int) -> dict | None: ...
    def update_submission(self, project: str, number: int, **fields) -> None: ...
    def checkin_tags(self, project: str) -> list[dict]: ...

    # --- implementation tracking (app/implement/sql.py) ------------------------------------
    def implement_events(self, project: str, since: int, limit: int | None = None
                         ) -> list[tuple]: ...
    def implement_event(self, project: str, event_id: str) -> tuple | None: ...
    def implement_head(self, project: str) -> int: ...
    def insert_implement_event(self, project: str, row: tuple) -> None: ...

    # --- backup and migration -------------------------------------------------------------
    def dump(self, table: str) -> Iterator[dict]: ...
    def load(self, table: str, rows: Iterable[dict]) -> int: ...


class Blobs(Protocol):
    """Edition and attachment files, by project and a server-made name
    ('editions/…' or 'attachments/…'). Written once, never changed."""

    def put(self, project: str, name: str, data: bytes) -> None: ...
    def size(self, project: str, name: str) -> int | None: ...
    def chunks(self, project: str, name: str) -> Iterator[bytes]: ...
    def names(self) -> Iterator[tuple[str, str]]: ...


class Store(Protocol):
    """A server store: sessions, files, and the administration every store shares
    (`StoreBase`)."""

    blobs: Blobs
    kind: str  # "sqlite" or "postgresql"

    def reading(self) -> AbstractContextManager[Session]: ...
    def writing(self) -> AbstractContextManager[Session]: ...
    def close(self) -> None: ...
    def create_project(self, project: str, name: str, schema_version: int,
                       shared_layers: tuple[str, ...] = ()) -> None: ...
    def add_party(self, project: str, code: str, name: str, kind: str) -> None: ...
    def add_user(self, user: str, password: str | None) -> None: ...
    def grant(self, project: str, user: str, party: str, role: str) -> None: ...
    def issue_token(self, user: str, days: int = ..., label: str = "") -> str: ...
    def login(self, user: str, password: str) -> tuple[str, str]: ...
    def authenticate(self, token: str) -> str: ...
    def member(self, project: str, user: str) -> Member: ...
    def project_info(self, project: str) -> dict: ...
    def projects_for(self, user: str) -> list[dict]: ...
    def analyze(self) -> None: ...


def check_blob_name(project: str, name: str) -> None:
    if not NAME.match(project) or not BLOB_NAME.match(name) or ".." in name:
        raise InvalidInput(f"bad file name {project}/{name}")


def read_blob(blobs: Blobs, project: str, name: str) -> bytes:
    """A whole file; NotFound when it is missing."""
    try:
        return b"".join(blobs.chunks(project, name))
    except FileNotFoundError as exc:
        raise NotFound(f"the file {name} is missing on the server") from exc


class StoreBase:
    """Administration, authentication and memberships, written once over any store's sessions."""

    blobs: Blobs

    def reading(self) -> AbstractContextManager[Session]:
        raise NotImplementedError

    def analyze(self) -> None:
        """Fresh planner statistics after a bulk load (a no-op where the store needs none)."""

    def _commit(self, conn) -> None:
        """COMMIT on `conn`; with the test-only fail-point set, the process dies just before or
        just after it (as a crash or a power cut would)."""
        point = os.environ.get(FAILPOINT, "")
        if point == "before-commit":
            log.error("fail-point %s: exiting", point)
            os._exit(137)
        conn.execute("COMMIT")
        if point == "after-commit":
            log.error("fail-point %s: exiting", point)
            os._exit(137)

    def writing(self) -> AbstractContextManager[Session]:
        raise NotImplementedError

    # --- administration -------------------------------------------------------------------

    def create_project(self, project: str, name: str, schema_version: int,
                       shared_layers: tuple[str, ...] = ()) -> None:
        """A new shared project (a metro-area plan)."""
        check_name(project, "project id")
        check_text(name, "project name")
        with self.writing() as s:
            if s.project(project) is not None:
                raise ConflictError(f"project {project} already exists")
            s.insert_project(ProjectRow(project, name, 0, schema_version, list(shared_layers)), now())

    def add_party(self, project: str, code: str, name: str, kind: str) -> None:
        """Add a party (city, department, ministry, province, expert, public, office)."""
        check_name(code, "party code")
        check_text(name, "party name")
        if kind not in PARTY_TYPES:
            raise InvalidInput(f"party type must be one of {', '.join(PARTY_TYPES)}")
        with self.writing() as s:
            project_row(s, project, lock=True)
            s.put_party(project, code, name, kind)

    def add_user(self, user: str, password: str | None) -> None:
        """A new user; without a password they can only use tokens issued by an admin."""
        check_name(user, "user name")
        hashed = auth.hash_password(password) if password else None
        with self.writing() as s:
            if s.user(user) is not None:
                raise ConflictError(f"user {user} already exists")
            s.insert_user(user, hashed, now())

    def grant(self, project: str, user: str, party: str, role: str) -> None:
        """Let `user` act for `party` in `project` with `role`."""
        if role not in ROLES:
            raise InvalidInput(f"role must be one of {', '.join(ROLES)}")
        with self.writing() as s:
            project_row(s, project, lock=True)
            if party not in {code for code, _, _ in s.parties(project)}:
                raise NotFound(f"no party {party} in project {project}")
            if s.user(user) is None:
                raise NotFound(f"no user {user}")
            s.put_membership(project, user, party, role)

    def issue_token(self, user: str, days: int = auth.TOKEN_DAYS, label: str = "") -> str:
        """A new API token for `user` (shown once; only its hash is stored)."""
        return self._issue(user, days, label)[0]

    def _issue(self, user: str, days: int, label: str) -> tuple[str, str]:
        token, token_id, hashed = auth.new_token()
        expires = auth.expiry(days)
        with self.writing() as s:
            if s.user(user) is None:
                raise NotFound(f"no user {user}")
            s.insert_token(token_id, user, hashed, now(), expires, label)
        return token, expires

    # --- authentication and roles ---------------------------------------------------------

    def login(self, user: str, password: str) -> tuple[str, str]:
        """(token, expiry) for a correct user name and password; AuthError otherwise."""
        with self.reading() as s:
            row = s.user(user)
        if not auth.check_password(row[0] if row else None, password) or not row or row[1]:
            raise AuthError("wrong user name or password")
        return self._issue(user, auth.TOKEN_DAYS, "login")

    def authenticate(self, token: str) -> str:
        """The user a bearer token belongs to; AuthError when missing, wrong or expired."""
        parts = auth.split_token(token)
        row = None
        if parts:
            with self.reading() as s:
                row = s.token(parts[0])
        if not parts or not row or not auth.secret_matches(row[1], parts[1]) or row[3]:
            raise AuthError("invalid token")
        if auth.expired(row[2]):
            raise AuthError("token expired; log in again")
        return row[0]

    def member(self, project: str, user: str) -> Member:
        """The user's membership; NotFound for an unknown project, PermissionDenied if none."""
        with self.reading() as s:
            project_row(s, project)
            row = s.membership(project, user)
        if not row:
            raise PermissionDenied(f"user {user} is not a member of project {project}")
        return Member(user, project, row[0], row[1])

    def project_info(self, project: str) -> dict:
        """Name, head version, schema version, shared layers and parties of a project."""
        with self.reading() as s:
            p = project_row(s, project)
            parties = [{"code": c, "name": n, "type": t} for c, n, t in s.parties(project)]
            tags = s.checkin_tags(project)  # versions tagged 入库 by check-in (app/checkin)
        return {"id": p.id, "name": p.name, "head": p.head, "schema_version": p.schema_version,
                "shared_layers": p.shared_layers, "parties": parties, "tags": tags}

    def projects_for(self, user: str) -> list[dict]:
        """Projects the user belongs to, with their party and role."""
        with self.reading() as s:
            return s.memberships_of(user)


def project_row(session: Session, project: str, lock: bool = False) -> ProjectRow:
    """The project's row (locked for this transaction when `lock`); NotFound if there is none."""
    row = session.project(project, lock=lock)
    if row is None:
        raise NotFound(f"no project {project}")
    return row


def check_name(value: str, what: str) -> None:
    if not isinstance(value, str) or not NAME.match(value):
        raise InvalidInput(f"{what} {value!r} must be 1–64 letters, digits, '_', '.', '@' or '-'")


def check_text(value: str, what: str) -> None:
    if not isinstance(value, str) or not 0 < len(value) <= 200 or "\x00" in value:
        raise InvalidInput(f"{what} must be 1–200 characters of text / {what} 须为 1–200 个字符")


# --- backup, restore, migration -------------------------------------------------------------

def _canonical(value):
    """Numbers by value: PostgreSQL's jsonb keeps 3.0 as 3.0 but prints 1e16 as an integer
    and -0.0 as 0.0, and a real column may hold an integer a client sent; all equal as numbers."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dict):
        return {k: _canonical(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_canonical(v) for v in value]
    return value


def row_digest(table: str, row: dict) -> int:
    """One row's SHA-256 as a number: a table's digest is the sum of its rows' (mod 2**256),
    so it does not depend on the order a store returns rows in."""
    row = {k: v for k, v in row.items()
           if (table, k) not in ADDED_COLUMNS or v != ADDED_COLUMNS[table, k]}
    text = json.dumps(_canonical(row), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return int.from_bytes(hashlib.sha256(f"{table}\n{text}".encode()).digest(), "big")


def open_store(spec: str | os.PathLike | None = None, **options) -> Store:
    """The store `spec` names: a `postgresql://` URL, or a folder for SQLite; without one,
    the COPLAN_STORE environment variable."""
    spec = str(spec or os.environ.get(STORE_ENV) or "")
    if not spec:
        raise InvalidInput("no store: give --store (a folder or a postgresql:// URL) or set "
                           f"{STORE_ENV} / 未指定存储：请用 --store 或设置 {STORE_ENV}")
    if spec.startswith(("postgresql://", "postgres://")):
        from app.sync.server.pg_store import PostgresStore
        return PostgresStore(spec, **options)
    from app.sync.server.sqlite_store import SqliteStore
    return SqliteStore(spec)


def is_empty(store: Store) -> bool:
    """True when the store holds no project and no user (a restore needs one). Files do not
    count: without rows they are leftovers (of a restore that failed, say), and writing the
    same file again is harmless (its name holds its hash)."""
    with store.reading() as s:
        return not any(True for table in ("projects", "users") for _ in s.dump(table))
