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

from app.checkin.sql import CheckinSql
from app.implement.sql import ImplementSql
from app.paths import schemas_dir
from app.project import migrations
from app.sync.server.sql import SqlSession
from app.sync.server.store import FeatureState, StoreBase, check_blob_name, dumps

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
            self._commit(self._writer)

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


class SqliteSession(CheckinSql, ImplementSql, SqlSession):
    """The domain operations on one SQLite connection: a feature's state is one JSON text."""

    def _many(self, sql: str, rows: Iterable[tuple]) -> None:
        self.db.executemany(sql, rows)

    def features(self, project: str, keys: Iterable[tuple[str, str]]) -> dict:
        # The keys travel as one JSON array: no temporary table, so it runs on a read-only
        # connection too; each key is one primary-key lookup.
        rows = self.db.execute(
            "SELECT f.layer, f.uuid, f.row, f.owner, f.deleted FROM json_each(?) k CROSS JOIN "
            "features f ON f.project = ? AND f.layer = k.value ->> 0 AND f.uuid = k.value ->> 1",
            (json.dumps([list(k) for k in keys]), project))
        return {(la, u): FeatureState(json.loads(r), o, bool(d)) for la, u, r, o, d in rows}

    def holder(self, project: str, layer: str, uuid: str, column: str, value) -> str | None:
        row = self.db.execute(
            "SELECT uuid FROM features WHERE project = ? AND layer = ? AND NOT deleted AND "
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

    def snapshot(self, project: str, after: tuple[str, str], limit: int
                 ) -> Iterator[tuple[str, str, dict, int]]:
        for la, u, r in self.db.execute(
                "SELECT layer, uuid, row FROM features WHERE project = ? AND NOT deleted "
                "AND (layer, uuid) > (?, ?) ORDER BY layer, uuid LIMIT ?", (project, *after, limit)):
            yield la, u, json.loads(r), len(r)

    def _insert(self, table: str) -> tuple[str, tuple[str, ...]]:
        sql, cols = super()._insert(table)
        if table == "review_attachments":  # the bytes live in the folder; the column stays empty
            sql = sql.replace(") VALUES (", ", data) VALUES (").removesuffix(")") + ", X'')"
        return sql, cols
