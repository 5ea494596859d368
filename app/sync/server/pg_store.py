"""The store on PostgreSQL with PostGIS: for a metro area that outgrows one SQLite file and one
server process.

- A pool of connections (psycopg 3) per server process; several processes share one database.
- A write takes its project's row lock (`SELECT … FOR UPDATE` on `projects`) before it reads
  the head, so versions are numbered head + 1 without races across processes, and a request
  key is answered once. Reads run in REPEATABLE READ READ ONLY transactions: one consistent
  snapshot per pull, snapshot page or backup.
- A feature's current state is columns: the geometry in PostGIS (`geometry(Geometry, 4490)`,
  GiST index), the other values in jsonb.
- Edition and attachment files live in the database (`blobs`, chunks of 1 MiB): every
  process on every host reads the same files, and one `pg_dump` or `coplan admin backup`
  holds them with the rows that name them."""

from __future__ import annotations

import json
import logging
import os
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from functools import lru_cache

import psycopg
from psycopg.types.json import Jsonb
from psycopg_pool import ConnectionPool, PoolTimeout

from app.errors import ConflictError, InvalidInput, ProjectError, StoreUnavailable
from app.paths import schemas_dir
from app.sync.server.store import (
    BOOL_COLUMNS,
    COLUMNS,
    FAILPOINT,
    JSON_COLUMNS,
    FeatureState,
    ProjectRow,
    StoreBase,
    check_blob_name,
    dumps,
    now,
)

log = logging.getLogger(__name__)
CHUNK = 1024 * 1024
MIGRATION_LOCK = 4_704_490  # the advisory lock that serialises migrations across processes
POOL_ENV = "COPLAN_PG_POOL"  # connections per server process (default 10)
POOL_WAIT = 20.0  # seconds a request waits for a free connection before a 503
GEOM = "geom"


def _migrate(conn: psycopg.Connection) -> None:
    """Apply the migrations in schemas/sql/server_pg the database lacks, one process at a time."""
    folder = schemas_dir() / "sql" / "server_pg"
    files = sorted(p for p in folder.glob("[0-9][0-9][0-9][0-9]_*.sql"))
    conn.execute("SELECT pg_advisory_lock(%s)", (MIGRATION_LOCK,))
    try:
        conn.execute("CREATE TABLE IF NOT EXISTS coplan_migrations (version INTEGER PRIMARY KEY, "
                     "name TEXT NOT NULL, applied_at TEXT NOT NULL)")
        applied = {r[0] for r in conn.execute("SELECT version FROM coplan_migrations")}
        latest = int(files[-1].name[:4])
        if applied and max(applied) > latest:
            raise ProjectError(f"the database has store schema {max(applied)}, newer than this "
                               f"CoPlan ({latest}); update CoPlan")
        for path in files:
            number = int(path.name[:4])
            if number in applied:
                continue
            with conn.transaction():
                conn.execute(path.read_text(encoding="utf-8"))
                conn.execute("INSERT INTO coplan_migrations VALUES (%s, %s, %s)",
                             (number, path.stem[5:], now()))
    finally:
        conn.execute("SELECT pg_advisory_unlock(%s)", (MIGRATION_LOCK,))


class PgBlobs:
    """Files in the `blobs` table, in chunks of 1 MiB, each file written in one transaction."""

    def __init__(self, pool: ConnectionPool):
        self.pool = pool

    def put(self, project: str, name: str, data: bytes) -> None:
        check_blob_name(project, name)
        with self.pool.connection() as conn, conn.transaction():
            # The name holds the content's hash: a file already there is the same file.
            conn.cursor().executemany(
                "INSERT INTO blobs (project, name, chunk, data) VALUES (%s, %s, %s, %s) "
                "ON CONFLICT DO NOTHING",
                [(project, name, i, data[at:at + CHUNK])
                 for i, at in enumerate(range(0, max(len(data), 1), CHUNK))])

    def size(self, project: str, name: str) -> int | None:
        with self.pool.connection() as conn:
            row = conn.execute("SELECT count(*), coalesce(sum(length(data)), 0) FROM blobs "
                               "WHERE project = %s AND name = %s", (project, name)).fetchone()
        return row[1] if row[0] else None

    def chunks(self, project: str, name: str) -> Iterator[bytes]:
        chunk = 0
        while True:  # one short query per chunk: a slow download holds no connection
            with self.pool.connection() as conn:
                row = conn.execute("SELECT data FROM blobs WHERE project = %s AND name = %s AND "
                                   "chunk = %s", (project, name, chunk)).fetchone()
            if row is None:
                if chunk == 0:
                    raise FileNotFoundError(f"{project}/{name}")
                return
            yield bytes(row[0])
            chunk += 1

    def names(self) -> Iterator[tuple[str, str]]:
        with self.pool.connection() as conn:
            rows = conn.execute("SELECT DISTINCT project, name FROM blobs ORDER BY 1, 2").fetchall()
        yield from rows


class PostgresStore(StoreBase):
    """All server state in one PostgreSQL database (PostGIS installed, or installable by the
    connecting role)."""

    kind = "postgresql"

    def __init__(self, url: str, pool_size: int | None = None):
        self.url = url
        size = pool_size or int(os.environ.get(POOL_ENV, "10"))
        try:
            with psycopg.connect(url, autocommit=True) as conn:
                _migrate(conn)
        except psycopg.OperationalError as exc:
            raise InvalidInput(f"cannot reach the PostgreSQL store: {exc}".strip()) from exc
        self.pool = ConnectionPool(url, min_size=1, max_size=size, kwargs={"autocommit": True},
                                   open=True, name="coplan")
        self.blobs = PgBlobs(self.pool)
        self._failpoint = os.environ.get(FAILPOINT, "")
        self._local = threading.local()

    def __str__(self) -> str:
        return self.url.split("?", 1)[0]

    def close(self) -> None:
        self.pool.close()

    @contextmanager
    def _connection(self) -> Iterator[psycopg.Connection]:
        """A pooled connection; StoreUnavailable (503, retryable) when none comes in time or
        the database is gone."""
        try:
            with self.pool.connection(timeout=POOL_WAIT) as conn:
                yield conn
        except PoolTimeout as exc:
            raise StoreUnavailable("the server is busy; try again / 服务器繁忙，请稍后重试") from exc
        except psycopg.OperationalError as exc:
            log.error("PostgreSQL store: %s", exc)
            raise StoreUnavailable("the server's database is unavailable; try again / "
                                   "服务器数据库暂不可用，请稍后重试") from exc

    @contextmanager
    def writing(self) -> Iterator[PgSession]:
        """One READ COMMITTED transaction; writers of a project meet at its row lock."""
        with self._connection() as conn:
            conn.execute("BEGIN")
            try:
                yield PgSession(conn)
            except psycopg.errors.UniqueViolation as exc:
                conn.execute("ROLLBACK")
                raise ConflictError(f"already exists: {exc.diag.message_detail or exc}") from exc
            except BaseException:
                if not conn.closed:
                    conn.execute("ROLLBACK")
                raise
            self._crash_if("before-commit")
            conn.execute("COMMIT")
            self._crash_if("after-commit")

    def _crash_if(self, point: str) -> None:
        if self._failpoint == point:
            log.error("fail-point %s: exiting", point)
            os._exit(137)

    @contextmanager
    def reading(self) -> Iterator[PgSession]:
        """One REPEATABLE READ READ ONLY transaction (re-entrant within a thread)."""
        session = getattr(self._local, "session", None)
        if session is not None:
            yield session
            return
        with self._connection() as conn:
            conn.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            self._local.session = session = PgSession(conn)
            try:
                yield session
            finally:
                self._local.session = None
                if not conn.closed:
                    conn.execute("ROLLBACK")


@lru_cache(maxsize=256)
def _reals(layer: str) -> frozenset[str]:
    """The real-valued columns of a layer: jsonb prints 1e16 as 10000000000000000, which
    would come back an integer."""
    from app.model.catalogue import load_catalogue
    from app.model.tables import tracked_layer
    try:
        return frozenset(f.name for f in tracked_layer(load_catalogue(), layer).fields
                         if f.type == "real")
    except Exception:  # noqa: BLE001 - an unknown layer has no typed columns
        return frozenset()


def _row_out(layer: str, attrs: dict, geom: bytes | None) -> dict:
    row = dict(attrs)
    for name in _reals(layer) & row.keys():
        if isinstance(row[name], int):
            row[name] = float(row[name])
    if geom is not None:
        row[GEOM] = bytes(geom).hex().upper()
    return row


def _row_in(row: dict) -> tuple[Jsonb, bytes | None]:
    attrs = dict(row)
    geom = attrs.get(GEOM)
    if geom is not None:
        del attrs[GEOM]
        geom = bytes.fromhex(geom)
    return Jsonb(attrs), geom


FEATURE_OUT = "f.layer, f.uuid, f.attrs, ST_AsBinary(f.geom, 'NDR')"
UPSERT = ("INSERT INTO features (project, layer, uuid, owner, attrs, geom, deleted, version) "
          "VALUES (%s, %s, %s, %s, %s, ST_GeomFromWKB(%s, 4490), %s, %s) "
          "ON CONFLICT (project, layer, uuid) DO UPDATE SET owner = excluded.owner, "
          "attrs = excluded.attrs, geom = excluded.geom, deleted = excluded.deleted, "
          "version = excluded.version")


class PgSession:
    """The domain operations as PostgreSQL statements on one connection."""

    def __init__(self, conn: psycopg.Connection):
        self.conn = conn

    def _one(self, sql: str, params=()):
        return self.conn.execute(sql, params).fetchone()

    def _all(self, sql: str, params=()):
        return self.conn.execute(sql, params).fetchall()

    # --- projects, parties, users, memberships, tokens ------------------------------------

    def project(self, project: str, lock: bool = False) -> ProjectRow | None:
        row = self._one("SELECT id, name, head, schema_version, shared_layers FROM projects "
                        "WHERE id = %s" + (" FOR UPDATE" if lock else ""), (project,))
        return ProjectRow(*row) if row else None

    def insert_project(self, row: ProjectRow, created: str) -> None:
        self.conn.execute("INSERT INTO projects (id, name, created, head, schema_version, "
                          "shared_layers) VALUES (%s, %s, %s, %s, %s, %s)",
                          (row.id, row.name, created, row.head, row.schema_version,
                           Jsonb(row.shared_layers)))

    def parties(self, project: str) -> list[tuple[str, str, str]]:
        return self._all("SELECT code, name, type FROM parties WHERE project = %s ORDER BY code",
                         (project,))

    def put_party(self, project: str, code: str, name: str, kind: str) -> None:
        self.conn.execute("INSERT INTO parties (project, code, name, type) VALUES (%s, %s, %s, %s) "
                          "ON CONFLICT (project, code) DO UPDATE SET name = excluded.name, "
                          "type = excluded.type", (project, code, name, kind))

    def user(self, name: str) -> tuple[str | None, bool] | None:
        row = self._one("SELECT password_hash, disabled FROM users WHERE name = %s", (name,))
        return (row[0], bool(row[1])) if row else None

    def insert_user(self, name: str, password_hash: str | None, created: str) -> None:
        self.conn.execute("INSERT INTO users (name, password_hash, created) VALUES (%s, %s, %s)",
                          (name, password_hash, created))

    def put_membership(self, project: str, user: str, party: str, role: str) -> None:
        self.conn.execute("INSERT INTO memberships (project, username, party, role) "
                          "VALUES (%s, %s, %s, %s) ON CONFLICT (project, username) DO UPDATE SET "
                          "party = excluded.party, role = excluded.role",
                          (project, user, party, role))

    def membership(self, project: str, user: str) -> tuple[str, str] | None:
        return self._one("SELECT party, role FROM memberships WHERE project = %s AND "
                         "username = %s", (project, user))

    def memberships_of(self, user: str) -> list[dict]:
        rows = self._all("SELECT p.id, p.name, p.head, m.party, m.role FROM memberships m "
                         "JOIN projects p ON p.id = m.project WHERE m.username = %s ORDER BY p.id",
                         (user,))
        return [{"id": i, "name": n, "head": h, "party": pa, "role": r} for i, n, h, pa, r in rows]

    def insert_token(self, token_id: str, user: str, secret_hash: str, created: str,
                     expires: str, label: str) -> None:
        self.conn.execute("INSERT INTO tokens (id, username, secret_hash, created, expires, label) "
                          "VALUES (%s, %s, %s, %s, %s, %s)",
                          (token_id, user, secret_hash, created, expires, label))

    def token(self, token_id: str) -> tuple[str, str, str, bool] | None:
        row = self._one("SELECT t.username, t.secret_hash, t.expires, u.disabled FROM tokens t "
                        "JOIN users u ON u.name = t.username WHERE t.id = %s", (token_id,))
        return (row[0], row[1], row[2], bool(row[3])) if row else None

    # --- versions -------------------------------------------------------------------------

    def request(self, project: str, key: str) -> tuple[str, dict] | None:
        row = self._one("SELECT body_hash, response FROM requests WHERE project = %s AND key = %s",
                        (project, key))
        return (row[0], json.loads(row[1])) if row else None

    def insert_request(self, project: str, key: str, body_hash: str, response: dict) -> None:
        self.conn.execute("INSERT INTO requests (project, key, body_hash, response) VALUES "
                          "(%s, %s, %s, %s)", (project, key, body_hash, dumps(response)))

    def changeset(self, project: str, changeset: str) -> tuple[int, str, str] | None:
        return self._one("SELECT version, party, message FROM versions WHERE project = %s AND "
                         "changeset = %s", (project, changeset))

    def features(self, project: str, keys: Iterable[tuple[str, str]]) -> dict:
        keys = list(keys)
        if not keys:
            return {}
        rows = self._all(
            f"SELECT {FEATURE_OUT}, f.owner, f.deleted FROM unnest(%s::text[], %s::text[]) "
            "AS k (layer, uuid) JOIN features f ON f.project = %s AND f.layer = k.layer AND "
            "f.uuid = k.uuid", ([k[0] for k in keys], [k[1] for k in keys], project))
        return {(la, u): FeatureState(_row_out(la, a, g), o, bool(d)) for la, u, a, g, o, d in rows}

    def holder(self, project: str, layer: str, uuid: str, column: str, value) -> str | None:
        row = self._one("SELECT uuid FROM features WHERE project = %s AND layer = %s AND "
                        "NOT deleted AND uuid <> %s AND attrs @> %s LIMIT 1",
                        (project, layer, uuid, Jsonb({column: value})))
        return row[0] if row else None

    def put_features(self, project: str, rows: list[tuple]) -> None:
        """rows: (layer, uuid, owner, row, deleted, version)."""
        if not rows:
            return
        with self.conn.cursor() as cur:
            cur.executemany(UPSERT, [(project, la, u, o, *_row_in(r), bool(d), v)
                                     for la, u, o, r, d, v in rows])

    def append_version(self, project: str, version: dict, changes: list[tuple],
                       clashes: list[dict]) -> list[int]:
        v = version
        self.conn.execute(
            "INSERT INTO versions (project, version, changeset, kind, party, author, username, "
            "message, created, received, base_version) VALUES "
            "(%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
            (project, v["version"], v["changeset"], v["kind"], v["party"], v["author"],
             v["username"], v["message"], v["created"], v["received"], v["base_version"]))
        if changes:
            with self.conn.cursor() as cur:
                cur.executemany(
                    "INSERT INTO changes (project, version, idx, layer, uuid, op, cols) VALUES "
                    "(%s, %s, %s, %s, %s, %s, %s)",
                    [(project, v["version"], i, la, u, op, dumps(cols))
                     for i, (la, u, op, cols) in enumerate(changes)])
        ids = []
        for c in clashes:
            ids.append(self._one(
                "INSERT INTO clashes (project, version, changeset, party, layer, uuid, kind, "
                "cells, reason, server_row) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s) "
                "RETURNING id",
                (project, v["version"], v["changeset"], v["party"], c["layer"], c["uuid"],
                 c["kind"], dumps(c["cells"]), c["reason"],
                 None if c["server_row"] is None else dumps(c["server_row"])))[0])
        self.conn.execute("UPDATE projects SET head = %s WHERE id = %s", (v["version"], project))
        return ids

    def versions(self, project: str, since: int, limit: int) -> list[tuple[dict, int, int]]:
        rows = self._all(
            "SELECT v.version, v.changeset, v.kind, v.party, v.author, v.message, v.created, "
            "v.base_version, v.username, count(c.idx), coalesce(sum(length(c.cols)), 0) "
            "FROM versions v LEFT JOIN changes c ON c.project = v.project AND "
            "c.version = v.version WHERE v.project = %s AND v.version > %s "
            "GROUP BY v.project, v.version ORDER BY v.version LIMIT %s", (project, since, limit))
        keys = ("version", "changeset", "kind", "party", "author", "message", "created",
                "base_version", "username")
        return [(dict(zip(keys, r[:9], strict=True)), r[9], int(r[10])) for r in rows]

    def version_changes(self, project: str, version: int) -> list[dict]:
        return [{"layer": la, "uuid": u, "op": op, "cols": json.loads(cols)} for la, u, op, cols in
                self._all("SELECT layer, uuid, op, cols FROM changes WHERE project = %s AND "
                          "version = %s ORDER BY idx", (project, version))]

    def version_clashes(self, project: str, version: int) -> list[dict]:
        return self._clashes("project = %s AND version = %s", (project, version))

    def _clashes(self, where: str, params: tuple) -> list[dict]:
        keys = ("id", "layer", "uuid", "kind", "cells", "reason", "server_row", "status",
                "version", "changeset", "party")
        out = []
        for row in self._all(f"SELECT {', '.join(keys)} FROM clashes WHERE {where} ORDER BY id",
                             params):
            item = dict(zip(keys, row, strict=True))
            item["cells"] = json.loads(item["cells"])
            item["server_row"] = None if item["server_row"] is None else json.loads(item["server_row"])
            out.append(item)
        return out

    def snapshot(self, project: str, after: tuple[str, str], limit: int
                 ) -> Iterator[tuple[str, str, dict, int]]:
        with self.conn.cursor() as cur:
            cur.execute(f"SELECT {FEATURE_OUT} FROM features f WHERE f.project = %s AND NOT "
                        "f.deleted AND (f.layer, f.uuid) > (%s, %s) ORDER BY f.layer, f.uuid "
                        "LIMIT %s", (project, *after, limit))
            for la, u, attrs, geom in cur:
                row = _row_out(la, attrs, geom)
                yield la, u, row, len(dumps(row))

    def count_features(self, project: str) -> int:
        return self._one("SELECT count(*) FROM features WHERE project = %s AND NOT deleted",
                         (project,))[0]

    def history(self, project: str, layer: str, uuid: str) -> list[dict]:
        rows = self._all(
            "SELECT c.version, c.op, c.cols, v.party, v.author, v.created, v.message, v.kind "
            "FROM changes c JOIN versions v ON v.project = c.project AND v.version = c.version "
            "WHERE c.project = %s AND c.layer = %s AND c.uuid = %s ORDER BY c.version, c.idx",
            (project, layer, uuid))
        return [{"version": v, "op": op, "cols": json.loads(cols), "party": p, "author": a,
                 "created": cr, "message": m, "kind": k} for v, op, cols, p, a, cr, m, k in rows]

    def clashes(self, project: str, status: str | None, clash_id: int | None = None) -> list[dict]:
        where, params = "project = %s", [project]
        if status:
            where, params = where + " AND status = %s", [*params, status]
        if clash_id is not None:
            where, params = where + " AND id = %s", [*params, clash_id]
        return self._clashes(where, tuple(params))

    def update_clash(self, project: str, clash_id: int, **fields) -> None:
        allowed = ("cells", "server_row", "status", "resolution", "resolved_by", "resolved_version")
        names = [n for n in fields if n in allowed]
        values = [dumps(fields[n]) if n in ("cells", "server_row") and fields[n] is not None
                  else fields[n] for n in names]
        self.conn.execute(f"UPDATE clashes SET {', '.join(f'{n} = %s' for n in names)} "
                          "WHERE project = %s AND id = %s", (*values, project, clash_id))

    # --- comment rounds -------------------------------------------------------------------

    EVENT = "id, version, kind, round, party, username, at, data"

    def review_events(self, project: str, since: int, limit: int | None = None) -> list[tuple]:
        return self._all(f"SELECT {self.EVENT} FROM review_events WHERE project = %s AND "
                         "version > %s ORDER BY version LIMIT %s", (project, since, limit))

    def review_event(self, project: str, event_id: str) -> tuple | None:
        return self._one(f"SELECT {self.EVENT} FROM review_events WHERE project = %s AND id = %s",
                         (project, event_id))

    def next_review_version(self, project: str) -> int:
        return self._one("SELECT coalesce(max(version), 0) + 1 FROM review_events "
                         "WHERE project = %s", (project,))[0]

    def insert_review_event(self, project: str, row: tuple) -> None:
        self.conn.execute(f"INSERT INTO review_events (project, {self.EVENT}) VALUES "
                          "(%s, %s, %s, %s, %s, %s, %s, %s, %s)", (project, *row))

    def draft(self, project: str, draft_hash: str) -> dict | None:
        row = self._one("SELECT sections FROM review_drafts WHERE project = %s AND hash = %s",
                        (project, draft_hash))
        return json.loads(row[0]) if row else None

    def save_draft(self, project: str, draft_hash: str, sections: dict) -> None:
        self.conn.execute("INSERT INTO review_drafts (project, hash, sections) VALUES (%s, %s, %s) "
                          "ON CONFLICT (project, hash) DO NOTHING",
                          (project, draft_hash, json.dumps(sections, ensure_ascii=False)))

    def known_changesets(self, project: str, ids: list[str]) -> set[str]:
        if not ids:
            return set()
        return {r[0] for r in self._all("SELECT changeset FROM versions WHERE project = %s AND "
                                        "changeset = ANY(%s)", (project, list(ids)))}

    ATTACHMENT = ("project", "id", "party", "username", "name", "media_type", "size", "sha256",
                  "created")

    def attachment(self, project: str, attachment_id: str) -> dict | None:
        row = self._one(f"SELECT {', '.join(self.ATTACHMENT)} FROM review_attachments "
                        "WHERE project = %s AND id = %s", (project, attachment_id))
        return dict(zip(self.ATTACHMENT, row, strict=True)) if row else None

    def insert_attachment(self, project: str, row: dict) -> None:
        values = {**row, "project": project}
        self.conn.execute(f"INSERT INTO review_attachments ({', '.join(self.ATTACHMENT)}) "
                          f"VALUES ({', '.join(['%s'] * len(self.ATTACHMENT))})",
                          tuple(values[k] for k in self.ATTACHMENT))

    # --- editions -------------------------------------------------------------------------

    def edition(self, project: str, kind: str, version: int) -> dict | None:
        cols = COLUMNS["editions"][1:]
        row = self._one(f"SELECT {', '.join(cols)} FROM editions WHERE project = %s AND "
                        "kind = %s AND version = %s", (project, kind, version))
        return dict(zip(cols, row, strict=True)) if row else None

    def editions(self, project: str) -> list[dict]:
        cols = COLUMNS["editions"][1:]
        rows = self._all(f"SELECT {', '.join(cols)} FROM editions WHERE project = %s "
                         "ORDER BY kind, version", (project,))
        return [dict(zip(cols, row, strict=True)) for row in rows]

    def insert_edition(self, project: str, row: dict) -> None:
        cols = COLUMNS["editions"]
        values = {**row, "project": project}
        self.conn.execute(f"INSERT INTO editions ({', '.join(cols)}) VALUES "
                          f"({', '.join(['%s'] * len(cols))})", tuple(values[k] for k in cols))

    # --- backup and migration -------------------------------------------------------------

    def dump(self, table: str) -> Iterator[dict]:
        """Every row of a table in the neutral form both stores share (streamed)."""
        cols = COLUMNS[table]
        js, bools = JSON_COLUMNS.get(table, ()), BOOL_COLUMNS.get(table, ())
        if table == "features":
            select = ("project, layer, uuid, owner, attrs, ST_AsBinary(geom, 'NDR'), deleted, "
                      "version")
        else:
            select = ", ".join(cols)
        with self.conn.cursor(name=f"dump_{table}") as cur:
            cur.itersize = 5000
            cur.execute(f"SELECT {select} FROM {table}")
            for row in cur:
                if table == "features":
                    project, layer, uuid, owner, attrs, geom, deleted, version = row
                    yield {"project": project, "layer": layer, "uuid": uuid, "owner": owner,
                           "row": _row_out(layer, attrs, geom), "deleted": bool(deleted),
                           "version": version}
                    continue
                item = dict(zip(cols, row, strict=True))
                for c in js:
                    if isinstance(item[c], str):
                        item[c] = json.loads(item[c])
                for c in bools:
                    item[c] = bool(item[c])
                yield item

    def load(self, table: str, rows: Iterable[dict]) -> int:
        """Insert rows of the neutral form (a restore or a migration into an empty store)."""
        cols = COLUMNS[table]
        if table == "features":
            sql = UPSERT
            values = ((r["project"], r["layer"], r["uuid"], r["owner"], *_row_in(r["row"]),
                       bool(r["deleted"]), r["version"]) for r in rows)
        else:
            sql = (f"INSERT INTO {table} ({', '.join(cols)}) VALUES "
                   f"({', '.join(['%s'] * len(cols))})")
            js = JSON_COLUMNS.get(table, ())
            jsonb = ("shared_layers",)
            values = (tuple((Jsonb(r[c]) if c in jsonb else None if r[c] is None else dumps(r[c]))
                            if c in js else r[c] for c in cols) for r in rows)
        n = 0
        batch: list[tuple] = []
        with self.conn.cursor() as cur:
            for item in values:
                batch.append(item)
                if len(batch) == 5000:
                    cur.executemany(sql, batch)
                    n, batch = n + len(batch), []
            if batch:
                cur.executemany(sql, batch)
                n += len(batch)
        if table == "clashes":
            self.conn.execute("SELECT setval(pg_get_serial_sequence('clashes', 'id'), "
                              "coalesce(max(id), 0) + 1, false) FROM clashes")
        return n
