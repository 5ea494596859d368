"""The server's SQLite store: one writer connection (BEGIN IMMEDIATE, synchronous=FULL) under a
lock, one read connection per thread.

The store's interface is the public methods of `SqliteStore` plus `write()` (a transaction on
the single writer) and `read()` (a read connection) that app/sync/server/versions.py runs its
SQL on. A PostgreSQL store implements the same methods with a DB-API connection; its per-project
lock becomes `SELECT ... FOR UPDATE` on the project row, the rest of the SQL is standard except
`INSERT OR REPLACE` (→ `ON CONFLICT DO UPDATE`)."""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import sqlite_utils
from pysqlite3 import dbapi2 as sqlite3

from app.errors import AuthError, ConflictError, InvalidInput, NotFound, PermissionDenied
from app.paths import schemas_dir
from app.project import migrations
from app.sync.server import auth

log = logging.getLogger(__name__)

ROLES = ("editor", "coordinator", "reviewer", "publisher", "observer")
PARTY_TYPES = ("city", "department", "ministry", "province", "expert", "public", "office")
NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.@-]{0,63}$")
FAILPOINT = "COPLAN_FAILPOINT"  # test-only: crash just before / after a write commits


@dataclass(frozen=True)
class Member:
    """A user's place in a project: the party they act for and their role."""

    user: str
    project: str
    party: str
    role: str


def now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _connect(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False, timeout=30)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")  # a 2xx only after the commit is on disk
    conn.execute("PRAGMA foreign_keys = ON")
    return conn


class SqliteStore:
    """All server state in one SQLite file inside `folder`."""

    def __init__(self, folder: str | Path):
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.path = self.folder / "coplan-server.sqlite"
        self._writer = _connect(self.path)
        migrations.migrate(sqlite_utils.Database(self._writer), schemas_dir() / "sql" / "server")
        self._lock = threading.Lock()
        self._local = threading.local()
        self._failpoint = os.environ.get(FAILPOINT, "")

    def close(self) -> None:
        self._writer.close()

    @contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """The writer connection inside one IMMEDIATE transaction, serialised by a lock."""
        with self._lock:
            self._writer.execute("BEGIN IMMEDIATE")
            try:
                yield self._writer
            except BaseException:
                self._writer.execute("ROLLBACK")
                raise
            self._crash_if("before-commit")
            self._writer.execute("COMMIT")
            self._crash_if("after-commit")

    def _crash_if(self, point: str) -> None:
        if self._failpoint == point:
            log.error("fail-point %s: exiting", point)
            os._exit(137)

    def read(self) -> sqlite3.Connection:
        """This thread's read connection."""
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = self._local.conn = _connect(self.path)
            conn.execute("PRAGMA query_only = ON")
        return conn

    # --- administration -------------------------------------------------------------------

    def create_project(self, project: str, name: str, schema_version: int,
                       shared_layers: tuple[str, ...] = ()) -> None:
        """A new shared project (a metro-area plan)."""
        _check_name(project, "project id")
        with self.write() as db:
            if db.execute("SELECT 1 FROM projects WHERE id = ?", (project,)).fetchone():
                raise ConflictError(f"project {project} already exists")
            db.execute("INSERT INTO projects (id, name, created, schema_version, shared_layers) "
                       "VALUES (?, ?, ?, ?, ?)",
                       (project, name, now(), schema_version, json.dumps(list(shared_layers))))

    def add_party(self, project: str, code: str, name: str, kind: str) -> None:
        """Add a party (city, department, ministry, province, expert, public, office)."""
        _check_name(code, "party code")
        if kind not in PARTY_TYPES:
            raise InvalidInput(f"party type must be one of {', '.join(PARTY_TYPES)}")
        with self.write() as db:
            self._project_row(db, project)
            db.execute("INSERT OR REPLACE INTO parties VALUES (?, ?, ?, ?)", (project, code, name, kind))

    def add_user(self, user: str, password: str | None) -> None:
        """A new user; without a password they can only use tokens issued by an admin."""
        _check_name(user, "user name")
        hashed = auth.hash_password(password) if password else None
        with self.write() as db:
            if db.execute("SELECT 1 FROM users WHERE name = ?", (user,)).fetchone():
                raise ConflictError(f"user {user} already exists")
            db.execute("INSERT INTO users (name, password_hash, created) VALUES (?, ?, ?)",
                       (user, hashed, now()))

    def grant(self, project: str, user: str, party: str, role: str) -> None:
        """Let `user` act for `party` in `project` with `role`."""
        if role not in ROLES:
            raise InvalidInput(f"role must be one of {', '.join(ROLES)}")
        with self.write() as db:
            if not db.execute("SELECT 1 FROM parties WHERE project = ? AND code = ?",
                              (project, party)).fetchone():
                raise NotFound(f"no party {party} in project {project}")
            if not db.execute("SELECT 1 FROM users WHERE name = ?", (user,)).fetchone():
                raise NotFound(f"no user {user}")
            db.execute("INSERT OR REPLACE INTO memberships VALUES (?, ?, ?, ?)",
                       (project, user, party, role))

    def issue_token(self, user: str, days: int = auth.TOKEN_DAYS, label: str = "") -> str:
        """A new API token for `user` (shown once; only its hash is stored)."""
        token, token_id, hashed = auth.new_token()
        with self.write() as db:
            if not db.execute("SELECT 1 FROM users WHERE name = ?", (user,)).fetchone():
                raise NotFound(f"no user {user}")
            db.execute("INSERT INTO tokens VALUES (?, ?, ?, ?, ?, ?)",
                       (token_id, user, hashed, now(), auth.expiry(days), label))
        return token

    # --- authentication and roles ---------------------------------------------------------

    def login(self, user: str, password: str) -> tuple[str, str]:
        """(token, expiry) for a correct user name and password; AuthError otherwise."""
        row = self.read().execute("SELECT password_hash, disabled FROM users WHERE name = ?",
                                  (user,)).fetchone()
        if not auth.check_password(row[0] if row else None, password) or row[1]:
            raise AuthError("wrong user name or password")
        token = self.issue_token(user, label="login")
        expires = self.read().execute("SELECT expires FROM tokens WHERE id = ?",
                                      (auth.split_token(token)[0],)).fetchone()[0]
        return token, expires

    def authenticate(self, token: str) -> str:
        """The user a bearer token belongs to; AuthError when missing, wrong or expired."""
        parts = auth.split_token(token)
        row = None
        if parts:
            row = self.read().execute(
                "SELECT t.user, t.secret_hash, t.expires, u.disabled FROM tokens t "
                "JOIN users u ON u.name = t.user WHERE t.id = ?", (parts[0],)).fetchone()
        if not row or not auth.secret_matches(row[1], parts[1]) or row[3]:
            raise AuthError("invalid token")
        if auth.expired(row[2]):
            raise AuthError("token expired; log in again")
        return row[0]

    def member(self, project: str, user: str) -> Member:
        """The user's membership; NotFound for an unknown project, PermissionDenied if none."""
        self._project_row(self.read(), project)
        row = self.read().execute("SELECT party, role FROM memberships WHERE project = ? "
                                  "AND user = ?", (project, user)).fetchone()
        if not row:
            raise PermissionDenied(f"user {user} is not a member of project {project}")
        return Member(user, project, row[0], row[1])

    # --- reads ----------------------------------------------------------------------------

    def _project_row(self, db, project: str) -> tuple:
        row = db.execute("SELECT id, name, head, schema_version, shared_layers FROM projects "
                         "WHERE id = ?", (project,)).fetchone()
        if not row:
            raise NotFound(f"no project {project}")
        return row

    def project_info(self, project: str) -> dict:
        """Name, head version, schema version, shared layers and parties of a project."""
        db = self.read()
        pid, name, head, schema, shared = self._project_row(db, project)
        parties = [{"code": c, "name": n, "type": t} for c, n, t in db.execute(
            "SELECT code, name, type FROM parties WHERE project = ? ORDER BY code", (project,))]
        return {"id": pid, "name": name, "head": head, "schema_version": schema,
                "shared_layers": json.loads(shared), "parties": parties}

    def projects_for(self, user: str) -> list[dict]:
        """Projects the user belongs to, with their party and role."""
        rows = self.read().execute(
            "SELECT p.id, p.name, p.head, m.party, m.role FROM memberships m "
            "JOIN projects p ON p.id = m.project WHERE m.user = ? ORDER BY p.id", (user,))
        return [{"id": i, "name": n, "head": h, "party": pa, "role": r} for i, n, h, pa, r in rows]


def _check_name(value: str, what: str) -> None:
    if not isinstance(value, str) or not NAME.match(value):
        raise InvalidInput(f"{what} {value!r} must be 1–64 letters, digits, '_', '.', '@' or '-'")
