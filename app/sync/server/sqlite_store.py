"""The embedded store: all server state in one SQLite file inside a folder, files beside it.

One writer connection (BEGIN IMMEDIATE, synchronous=FULL) under a lock serialises every write,
so a project's versions are numbered without races; each thread reads on its own connection
inside a read transaction (a consistent WAL snapshot). Edition and attachment files live in
the folder (`editions/<project>/`, `attachments/<project>/`), written before their rows."""

from __future__ import annotations

import json
import logging
import os
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlite_utils
from pysqlite3 import dbapi2 as sqlite3

from app.paths import schemas_dir
from app.project import migrations
from app.sync.server.store import (
    BOOL_COLUMNS,
    COLUMNS,
    FAILPOINT,
    JSON_COLUMNS,
    ProjectRow,
    StoreBase,
    check_blob_name,
    dumps,
)

log = logging.getLogger(__name__)
CHUNK = 1024 * 1024


def _connect(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False, timeout=30)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")  # a 2xx only after the commit is on disk
    conn.execute("PRAGMA foreign_keys = ON")
    return conn


class FolderBlobs:
    """Files under `root/<kind>/<project>/<file>`, written durably (temporary file, fsync,
    rename) and never changed."""

    def __init__(self, root: Path):
        self.root = root

    def _path(self, project: str, name: str) -> Path:
        check_blob_name(project, name)
        kind, file = name.split("/", 1)
        return self.root / kind / project / file

    def put(self, project: str, name: str, data: bytes) -> None:
        path = self._path(project, name)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.tmp")
        with open(tmp, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)

    def size(self, project: str, name: str) -> int | None:
        path = self._path(project, name)
        return path.stat().st_size if path.is_file() else None

    def chunks(self, project: str, name: str) -> Iterator[bytes]:
        with open(self._path(project, name), "rb") as f:
            while chunk := f.read(CHUNK):
                yield chunk

    def names(self) -> Iterator[tuple[str, str]]:
        for kind in ("editions", "attachments"):
            for path in sorted((self.root / kind).glob("*/*")):
                if path.is_file() and not path.name.startswith("."):
                    yield path.parent.name, f"{kind}/{path.name}"


class SqliteStore(StoreBase):
    """All server state in one SQLite file inside `folder`."""

    kind = "sqlite"

    def __init__(self, folder: str | Path):
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.path = self.folder / "coplan-server.sqlite"
        self.blobs = FolderBlobs(self.folder)
        self._writer = _connect(self.path)
        migrations.migrate(sqlite_utils.Database(self._writer), schemas_dir() / "sql" / "server")
        self._lock = threading.Lock()
        self._local = threading.local()
        self._failpoint = os.environ.get(FAILPOINT, "")
        self._move_attachments()

    def __str__(self) -> str:
        return str(self.folder)

    def close(self) -> None:
        self._writer.close()

    def _move_attachments(self) -> None:
        """Attachments of stores made before files lived beside the database: into files."""
        if not self._writer.execute("SELECT 1 FROM review_attachments WHERE length(data) > 0 "
                                    "LIMIT 1").fetchone():
            return
        with self.writing() as s:
            from app.review.server import attachment_blob
            rows = s.db.execute("SELECT project, name, sha256, data FROM review_attachments "
                                "WHERE length(data) > 0").fetchall()
            for project, name, sha256, data in rows:
                self.blobs.put(project, attachment_blob(name, sha256), bytes(data))
            s.db.execute("UPDATE review_attachments SET data = X'' WHERE length(data) > 0")

    @contextmanager
    def writing(self) -> Iterator[SqliteSession]:
        """The writer connection inside one IMMEDIATE transaction, serialised by a lock."""
        with self._lock:
            self._writer.execute("BEGIN IMMEDIATE")
            try:
                yield SqliteSession(self._writer)
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

    @contextmanager
    def reading(self) -> Iterator[SqliteSession]:
        """This thread's read connection inside one read transaction (re-entrant)."""
        local = self._local
        conn = getattr(local, "conn", None)
        if conn is None:
            conn = local.conn = _connect(self.path)
            conn.execute("PRAGMA query_only = ON")
            local.depth = 0
        if local.depth == 0:
            conn.execute("BEGIN")
        local.depth += 1
        try:
            yield SqliteSession(conn)
        finally:
            local.depth -= 1
            if local.depth == 0:
                conn.execute("COMMIT")


def _json(text):
    return None if text is None else json.loads(text)


class SqliteSession:
    """The domain operations as SQLite statements on one connection."""

    def __init__(self, db: sqlite3.Connection):
        self.db = db

    # --- projects, parties, users, memberships, tokens ------------------------------------

    def project(self, project: str, lock: bool = False) -> ProjectRow | None:
        row = self.db.execute("SELECT id, name, head, schema_version, shared_layers FROM projects "
                              "WHERE id = ?", (project,)).fetchone()
        return ProjectRow(row[0], row[1], row[2], row[3], json.loads(row[4])) if row else None

    def insert_project(self, row: ProjectRow, created: str) -> None:
        self.db.execute("INSERT INTO projects (id, name, created, head, schema_version, "
                        "shared_layers) VALUES (?, ?, ?, ?, ?, ?)",
                        (row.id, row.name, created, row.head, row.schema_version,
                         json.dumps(row.shared_layers)))

    def parties(self, project: str) -> list[tuple[str, str, str]]:
        return self.db.execute("SELECT code, name, type FROM parties WHERE project = ? "
                               "ORDER BY code", (project,)).fetchall()

    def put_party(self, project: str, code: str, name: str, kind: str) -> None:
        self.db.execute("INSERT INTO parties (project, code, name, type) VALUES (?, ?, ?, ?) "
                        "ON CONFLICT (project, code) DO UPDATE SET name = excluded.name, "
                        "type = excluded.type", (project, code, name, kind))

    def user(self, name: str) -> tuple[str | None, bool] | None:
        row = self.db.execute("SELECT password_hash, disabled FROM users WHERE name = ?",
                              (name,)).fetchone()
        return (row[0], bool(row[1])) if row else None

    def insert_user(self, name: str, password_hash: str | None, created: str) -> None:
        self.db.execute("INSERT INTO users (name, password_hash, created) VALUES (?, ?, ?)",
                        (name, password_hash, created))

    def put_membership(self, project: str, user: str, party: str, role: str) -> None:
        self.db.execute("INSERT INTO memberships (project, username, party, role) "
                        "VALUES (?, ?, ?, ?) ON CONFLICT (project, username) DO UPDATE SET "
                        "party = excluded.party, role = excluded.role", (project, user, party, role))

    def membership(self, project: str, user: str) -> tuple[str, str] | None:
        return self.db.execute("SELECT party, role FROM memberships WHERE project = ? AND "
                               "username = ?", (project, user)).fetchone()

    def memberships_of(self, user: str) -> list[dict]:
        rows = self.db.execute(
            "SELECT p.id, p.name, p.head, m.party, m.role FROM memberships m "
            "JOIN projects p ON p.id = m.project WHERE m.username = ? ORDER BY p.id", (user,))
        return [{"id": i, "name": n, "head": h, "party": pa, "role": r} for i, n, h, pa, r in rows]

    def insert_token(self, token_id: str, user: str, secret_hash: str, created: str,
                     expires: str, label: str) -> None:
        self.db.execute("INSERT INTO tokens (id, username, secret_hash, created, expires, label) "
                        "VALUES (?, ?, ?, ?, ?, ?)", (token_id, user, secret_hash, created, expires, label))

    def token(self, token_id: str) -> tuple[str, str, str, bool] | None:
        row = self.db.execute("SELECT t.username, t.secret_hash, t.expires, u.disabled FROM tokens t "
                              "JOIN users u ON u.name = t.username WHERE t.id = ?",
                              (token_id,)).fetchone()
        return (row[0], row[1], row[2], bool(row[3])) if row else None

    # --- versions -------------------------------------------------------------------------

    def request(self, project: str, key: str) -> tuple[str, dict] | None:
        row = self.db.execute("SELECT body_hash, response FROM requests WHERE project = ? AND "
                              "key = ?", (project, key)).fetchone()
        return (row[0], json.loads(row[1])) if row else None

    def insert_request(self, project: str, key: str, body_hash: str, response: dict) -> None:
        self.db.execute("INSERT INTO requests (project, key, body_hash, response) VALUES "
                        "(?, ?, ?, ?)", (project, key, body_hash, dumps(response)))

    def changeset(self, project: str, changeset: str) -> tuple[int, str, str] | None:
        return self.db.execute("SELECT version, party, message FROM versions WHERE project = ? "
                               "AND changeset = ?", (project, changeset)).fetchone()

    def features(self, project: str, keys: Iterable[tuple[str, str]]) -> dict:
        from app.sync.server.store import FeatureState
        # The keys travel as one JSON array: no temporary table, so it runs on a read-only
        # connection too; each key is one primary-key lookup.
        rows = self.db.execute(
            "SELECT f.layer, f.uuid, f.row, f.owner, f.deleted FROM json_each(?) k CROSS JOIN "
            "features f ON f.project = ? AND f.layer = k.value ->> 0 AND f.uuid = k.value ->> 1",
            (json.dumps([list(k) for k in keys]), project))
        return {(la, u): FeatureState(json.loads(r), o, bool(d)) for la, u, r, o, d in rows}

    def holder(self, project: str, layer: str, uuid: str, column: str, value) -> str | None:
        row = self.db.execute(
            "SELECT uuid FROM features WHERE project = ? AND layer = ? AND deleted = 0 AND "
            "uuid != ? AND json_extract(row, ?) = ?",
            (project, layer, uuid, f'$."{column}"', value)).fetchone()
        return row[0] if row else None

    def put_features(self, project: str, rows: list[tuple]) -> None:
        """rows: (layer, uuid, owner, row, deleted, version)."""
        self.db.executemany(
            "INSERT INTO features (project, layer, uuid, owner, row, deleted, version) "
            "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (project, layer, uuid) DO UPDATE SET "
            "owner = excluded.owner, row = excluded.row, deleted = excluded.deleted, "
            "version = excluded.version",
            ((project, la, u, o, dumps(r), int(d), v) for la, u, o, r, d, v in rows))

    def append_version(self, project: str, version: dict, changes: list[tuple],
                       clashes: list[dict]) -> list[int]:
        """The version row, its changes (layer, uuid, op, cols), its clashes; moves the head."""
        v = version
        self.db.execute(
            "INSERT INTO versions (project, version, changeset, kind, party, author, username, "
            "message, created, received, base_version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (project, v["version"], v["changeset"], v["kind"], v["party"], v["author"],
             v["username"], v["message"], v["created"], v["received"], v["base_version"]))
        self.db.executemany(
            "INSERT INTO changes (project, version, idx, layer, uuid, op, cols) VALUES "
            "(?, ?, ?, ?, ?, ?, ?)",
            ((project, v["version"], i, la, u, op, dumps(cols))
             for i, (la, u, op, cols) in enumerate(changes)))
        ids = []
        for c in clashes:
            cursor = self.db.execute(
                "INSERT INTO clashes (project, version, changeset, party, layer, uuid, kind, "
                "cells, reason, server_row) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (project, v["version"], v["changeset"], v["party"], c["layer"], c["uuid"],
                 c["kind"], dumps(c["cells"]), c["reason"],
                 None if c["server_row"] is None else dumps(c["server_row"])))
            ids.append(cursor.lastrowid)
        self.db.execute("UPDATE projects SET head = ? WHERE id = ?", (v["version"], project))
        return ids

    def versions(self, project: str, since: int, limit: int) -> list[tuple[dict, int, int]]:
        rows = self.db.execute(
            "SELECT v.version, v.changeset, v.kind, v.party, v.author, v.message, v.created, "
            "v.base_version, v.username, count(c.idx), coalesce(sum(length(c.cols)), 0) "
            "FROM versions v LEFT JOIN changes c ON c.project = v.project AND "
            "c.version = v.version WHERE v.project = ? AND v.version > ? "
            "GROUP BY v.version ORDER BY v.version LIMIT ?", (project, since, limit)).fetchall()
        keys = ("version", "changeset", "kind", "party", "author", "message", "created",
                "base_version", "username")
        return [(dict(zip(keys, r[:9], strict=True)), r[9], r[10]) for r in rows]

    def version_changes(self, project: str, version: int) -> list[dict]:
        return [{"layer": la, "uuid": u, "op": op, "cols": json.loads(cols)} for la, u, op, cols in
                self.db.execute("SELECT layer, uuid, op, cols FROM changes WHERE project = ? AND "
                                "version = ? ORDER BY idx", (project, version))]

    def version_clashes(self, project: str, version: int) -> list[dict]:
        return self._clashes("project = ? AND version = ?", (project, version))

    def _clashes(self, where: str, params: tuple) -> list[dict]:
        keys = ("id", "layer", "uuid", "kind", "cells", "reason", "server_row", "status",
                "version", "changeset", "party")
        out = []
        for row in self.db.execute(f"SELECT {', '.join(keys)} FROM clashes WHERE {where} "
                                   "ORDER BY id", params):
            item = dict(zip(keys, row, strict=True))
            item["cells"], item["server_row"] = json.loads(item["cells"]), _json(item["server_row"])
            out.append(item)
        return out

    def snapshot(self, project: str, after: tuple[str, str], limit: int
                 ) -> Iterator[tuple[str, str, dict, int]]:
        for la, u, r in self.db.execute(
                "SELECT layer, uuid, row FROM features WHERE project = ? AND deleted = 0 "
                "AND (layer, uuid) > (?, ?) ORDER BY layer, uuid LIMIT ?", (project, *after, limit)):
            yield la, u, json.loads(r), len(r)

    def count_features(self, project: str) -> int:
        return self.db.execute("SELECT count(*) FROM features WHERE project = ? AND deleted = 0",
                               (project,)).fetchone()[0]

    def history(self, project: str, layer: str, uuid: str) -> list[dict]:
        rows = self.db.execute(
            "SELECT c.version, c.op, c.cols, v.party, v.author, v.created, v.message, v.kind "
            "FROM changes c JOIN versions v ON v.project = c.project AND v.version = c.version "
            "WHERE c.project = ? AND c.layer = ? AND c.uuid = ? ORDER BY c.version",
            (project, layer, uuid))
        return [{"version": v, "op": op, "cols": json.loads(cols), "party": p, "author": a,
                 "created": cr, "message": m, "kind": k} for v, op, cols, p, a, cr, m, k in rows]

    def clashes(self, project: str, status: str | None, clash_id: int | None = None) -> list[dict]:
        where, params = "project = ?", [project]
        if status:
            where, params = where + " AND status = ?", [*params, status]
        if clash_id is not None:
            where, params = where + " AND id = ?", [*params, clash_id]
        return self._clashes(where, tuple(params))

    def update_clash(self, project: str, clash_id: int, **fields) -> None:
        allowed = ("cells", "server_row", "status", "resolution", "resolved_by", "resolved_version")
        names = [n for n in fields if n in allowed]
        values = [dumps(fields[n]) if n in ("cells", "server_row") and fields[n] is not None
                  else fields[n] for n in names]
        self.db.execute(f"UPDATE clashes SET {', '.join(f'{n} = ?' for n in names)} "
                        "WHERE project = ? AND id = ?", (*values, project, clash_id))

    # --- comment rounds -------------------------------------------------------------------

    EVENT = "id, version, kind, round, party, username, at, data"

    def review_events(self, project: str, since: int, limit: int | None = None) -> list[tuple]:
        return self.db.execute(f"SELECT {self.EVENT} FROM review_events WHERE project = ? AND "
                               "version > ? ORDER BY version LIMIT ?",
                               (project, since, -1 if limit is None else limit)).fetchall()

    def review_event(self, project: str, event_id: str) -> tuple | None:
        return self.db.execute(f"SELECT {self.EVENT} FROM review_events WHERE project = ? AND "
                               "id = ?", (project, event_id)).fetchone()

    def next_review_version(self, project: str) -> int:
        return self.db.execute("SELECT coalesce(max(version), 0) + 1 FROM review_events "
                               "WHERE project = ?", (project,)).fetchone()[0]

    def insert_review_event(self, project: str, row: tuple) -> None:
        self.db.execute(f"INSERT INTO review_events (project, {self.EVENT}) VALUES "
                        "(?, ?, ?, ?, ?, ?, ?, ?, ?)", (project, *row))

    def draft(self, project: str, draft_hash: str) -> dict | None:
        row = self.db.execute("SELECT sections FROM review_drafts WHERE project = ? AND hash = ?",
                              (project, draft_hash)).fetchone()
        return json.loads(row[0]) if row else None

    def save_draft(self, project: str, draft_hash: str, sections: dict) -> None:
        self.db.execute("INSERT INTO review_drafts (project, hash, sections) VALUES (?, ?, ?) "
                        "ON CONFLICT (project, hash) DO NOTHING",
                        (project, draft_hash, json.dumps(sections, ensure_ascii=False)))

    def known_changesets(self, project: str, ids: list[str]) -> set[str]:
        return {i for i in ids if self.changeset(project, i)}

    ATTACHMENT = ("project", "id", "party", "username", "name", "media_type", "size", "sha256",
                  "created")

    def attachment(self, project: str, attachment_id: str) -> dict | None:
        row = self.db.execute(f"SELECT {', '.join(self.ATTACHMENT)} FROM review_attachments "
                              "WHERE project = ? AND id = ?", (project, attachment_id)).fetchone()
        return dict(zip(self.ATTACHMENT, row, strict=True)) if row else None

    def insert_attachment(self, project: str, row: dict) -> None:
        values = {**row, "project": project}
        self.db.execute(f"INSERT INTO review_attachments ({', '.join(self.ATTACHMENT)}, data) "
                        f"VALUES ({', '.join('?' * len(self.ATTACHMENT))}, X'')",
                        tuple(values[k] for k in self.ATTACHMENT))

    # --- editions -------------------------------------------------------------------------

    def edition(self, project: str, kind: str, version: int) -> dict | None:
        cols = COLUMNS["editions"][1:]
        row = self.db.execute(f"SELECT {', '.join(cols)} FROM editions WHERE project = ? AND "
                              "kind = ? AND version = ?", (project, kind, version)).fetchone()
        return dict(zip(cols, row, strict=True)) if row else None

    def editions(self, project: str) -> list[dict]:
        cols = COLUMNS["editions"][1:]
        rows = self.db.execute(f"SELECT {', '.join(cols)} FROM editions WHERE project = ? "
                               "ORDER BY kind, version", (project,))
        return [dict(zip(cols, row, strict=True)) for row in rows]

    def insert_edition(self, project: str, row: dict) -> None:
        cols = COLUMNS["editions"]
        values = {**row, "project": project}
        self.db.execute(f"INSERT INTO editions ({', '.join(cols)}) VALUES "
                        f"({', '.join('?' * len(cols))})", tuple(values[k] for k in cols))

    # --- backup and migration -------------------------------------------------------------

    def dump(self, table: str) -> Iterator[dict]:
        cols = COLUMNS[table]
        js, bools = JSON_COLUMNS.get(table, ()), BOOL_COLUMNS.get(table, ())
        for row in self.db.execute(f"SELECT {', '.join(cols)} FROM {table}"):
            item = dict(zip(cols, row, strict=True))
            for c in js:
                item[c] = _json(item[c])
            for c in bools:
                item[c] = bool(item[c])
            yield item

    def load(self, table: str, rows: Iterable[dict]) -> int:
        cols = COLUMNS[table]
        js, bools = JSON_COLUMNS.get(table, ()), BOOL_COLUMNS.get(table, ())
        extra = ", data" if table == "review_attachments" else ""
        blank = ", X''" if extra else ""
        n = 0

        def values():
            nonlocal n
            for item in rows:
                n += 1
                yield tuple((None if item[c] is None else dumps(item[c])) if c in js
                            else int(item[c]) if c in bools else item[c] for c in cols)
        self.db.executemany(f"INSERT INTO {table} ({', '.join(cols)}{extra}) VALUES "
                            f"({', '.join('?' * len(cols))}{blank})", values())
        return n
