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

import itertools
import logging
import os
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from functools import lru_cache
from urllib.parse import parse_qsl, urlsplit

import psycopg
from psycopg.types.json import Jsonb
from psycopg_pool import ConnectionPool, PoolTimeout

from app.checkin.sql import CheckinSql
from app.errors import ConflictError, InvalidInput, ProjectError, StoreUnavailable
from app.implement.sql import ImplementSql
from app.paths import schemas_dir
from app.sync.server.sql import SqlSession
from app.sync.server.store import FeatureState, StoreBase, check_blob_name, dumps, now

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

    def __init__(self, connection):
        self.connection = connection  # the store's pooled connections (503 when none comes)

    def put(self, project: str, name: str, data: bytes) -> None:
        check_blob_name(project, name)
        with self.connection() as conn, conn.transaction():
            # The name holds the content's hash: a file already there is the same file.
            conn.cursor().executemany(
                "INSERT INTO blobs (project, name, chunk, data) VALUES (%s, %s, %s, %s) "
                "ON CONFLICT DO NOTHING",
                [(project, name, i, data[at:at + CHUNK])
                 for i, at in enumerate(range(0, max(len(data), 1), CHUNK))])

    def size(self, project: str, name: str) -> int | None:
        with self.connection() as conn:
            row = conn.execute("SELECT count(*), coalesce(sum(length(data)), 0) FROM blobs "
                               "WHERE project = %s AND name = %s", (project, name)).fetchone()
        return row[1] if row[0] else None

    def chunks(self, project: str, name: str) -> Iterator[bytes]:
        chunk = 0
        while True:  # one short query per chunk: a slow download holds no connection
            with self.connection() as conn:
                row = conn.execute("SELECT data FROM blobs WHERE project = %s AND name = %s AND "
                                   "chunk = %s", (project, name, chunk)).fetchone()
            if row is None:
                if chunk == 0:
                    raise FileNotFoundError(f"{project}/{name}")
                return
            yield bytes(row[0])
            chunk += 1

    def names(self) -> Iterator[tuple[str, str]]:
        with self.connection() as conn:
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
            raise InvalidInput(f"cannot reach the PostgreSQL store / 无法连接 PostgreSQL 存储: "
                               f"{exc}".strip()) from exc
        except psycopg.errors.InsufficientPrivilege as exc:
            raise InvalidInput(f"cannot prepare the PostgreSQL store: {exc}".strip() + " — a "
                               "superuser must run CREATE EXTENSION postgis in the database once "
                               "/ 需由超级用户在该数据库中执行一次 CREATE EXTENSION postgis") from exc
        self.pool = ConnectionPool(url, min_size=1, max_size=size, kwargs={"autocommit": True},
                                   open=True, name="coplan")
        self.blobs = PgBlobs(self._connection)
        self._local = threading.local()

    def __str__(self) -> str:
        """The URL without its password or options (it is printed and logged)."""
        parts = urlsplit(self.url)
        host = parts.hostname or dict(parse_qsl(parts.query)).get("host", "")
        user = f"{parts.username}@" if parts.username else ""
        port = f":{parts.port}" if parts.port else ""
        if host.startswith("/"):  # a Unix socket's folder
            return f"{parts.scheme}://{user}{port}{parts.path} (socket in {host})"
        return f"{parts.scheme}://{user}{host}{port}{parts.path}"

    def close(self) -> None:
        self.pool.close()

    def analyze(self) -> None:
        """Fresh planner statistics (after a restore or migration loaded every row at once)."""
        with self._connection() as conn:
            conn.execute("ANALYZE")

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
            self._commit(conn)

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
          "VALUES (?, ?, ?, ?, ?, ST_GeomFromWKB(?, 4490), ?, ?) "
          "ON CONFLICT (project, layer, uuid) DO UPDATE SET owner = excluded.owner, "
          "attrs = excluded.attrs, geom = excluded.geom, deleted = excluded.deleted, "
          "version = excluded.version")


class PgSession(CheckinSql, ImplementSql, SqlSession):
    """The domain operations on one PostgreSQL connection: a feature's state is PostGIS
    geometry and jsonb attributes."""

    PARAM = "%s"
    LOCK = " FOR UPDATE"
    NO_LIMIT = None

    @property
    def conn(self) -> psycopg.Connection:
        return self.db

    def _many(self, sql: str, rows: Iterable[tuple]) -> None:
        with self.db.cursor() as cur:
            cur.executemany(self._sql(sql), rows)

    def _json_param(self, table: str, column: str, value):
        if (table, column) == ("projects", "shared_layers"):
            return Jsonb(value)
        return super()._json_param(table, column, value)

    def _stream(self, sql: str) -> Iterator[tuple]:
        """A server-side cursor: a million rows arrive 5,000 at a time."""
        with self.db.cursor(name=f"coplan_dump_{next(_cursors)}") as cur:
            cur.itersize = 5000
            cur.execute(sql)
            yield from cur

    def features(self, project: str, keys: Iterable[tuple[str, str]]) -> dict:
        keys = list(keys)
        if not keys:
            return {}
        # LATERAL: one primary-key lookup per key whatever the planner's statistics say (a
        # freshly loaded table has none, and a hash join then reads every feature).
        rows = self.db.execute(
            f"SELECT {FEATURE_OUT}, f.owner, f.deleted FROM unnest(%s::text[], %s::text[]) "
            "AS k (layer, uuid) CROSS JOIN LATERAL (SELECT * FROM features WHERE project = %s "
            "AND layer = k.layer AND uuid = k.uuid) f",
            ([k[0] for k in keys], [k[1] for k in keys], project))
        return {(la, u): FeatureState(_row_out(la, a, g), o, bool(d)) for la, u, a, g, o, d in rows}

    def holder(self, project: str, layer: str, uuid: str, column: str, value) -> str | None:
        row = self.db.execute("SELECT uuid FROM features WHERE project = %s AND layer = %s AND "
                              "NOT deleted AND uuid <> %s AND attrs @> %s LIMIT 1",
                              (project, layer, uuid, Jsonb({column: value}))).fetchone()
        return row[0] if row else None

    def put_features(self, project: str, rows: list[tuple]) -> None:
        """rows: (layer, uuid, owner, row, deleted, version)."""
        if rows:
            self._many(UPSERT, [(project, la, u, o, *_row_in(r), bool(d), v)
                                for la, u, o, r, d, v in rows])

    def snapshot(self, project: str, after: tuple[str, str], limit: int
                 ) -> Iterator[tuple[str, str, dict, int]]:
        rows = self.db.execute(
            f"SELECT {FEATURE_OUT} FROM features f WHERE f.project = %s AND NOT f.deleted AND "
            "(f.layer, f.uuid) > (%s, %s) ORDER BY f.layer, f.uuid LIMIT %s",
            (project, *after, limit))
        for la, u, attrs, geom in rows:
            row = _row_out(la, attrs, geom)
            yield la, u, row, len(dumps(row))

    def known_changesets(self, project: str, ids: list[str]) -> set[str]:
        if not ids:
            return set()
        return {r[0] for r in self.db.execute("SELECT changeset FROM versions WHERE project = %s "
                                              "AND changeset = ANY(%s)", (project, list(ids)))}

    def dump(self, table: str) -> Iterator[dict]:
        if table != "features":
            yield from super().dump(table)
            return
        for project, layer, uuid, owner, attrs, geom, deleted, version in self._stream(
                "SELECT project, layer, uuid, owner, attrs, ST_AsBinary(geom, 'NDR'), deleted, "
                "version FROM features"):
            yield {"project": project, "layer": layer, "uuid": uuid, "owner": owner,
                   "row": _row_out(layer, attrs, geom), "deleted": bool(deleted),
                   "version": version}

    def load(self, table: str, rows: Iterable[dict]) -> int:
        if table == "features":
            n = 0
            for chunk in _batches((r["project"], r["layer"], r["uuid"], r["owner"],
                                   *_row_in(r["row"]), bool(r["deleted"]), r["version"])
                                  for r in rows):
                self._many(UPSERT, chunk)
                n += len(chunk)
            return n
        n = super().load(table, rows)
        if table == "clashes":  # ids came with the rows: new ones follow them
            self.db.execute("SELECT setval(pg_get_serial_sequence('clashes', 'id'), "
                            "coalesce(max(id), 0) + 1, false) FROM clashes")
        return n


_cursors = itertools.count()


def _batches(items: Iterable[tuple], size: int = 5000) -> Iterator[list[tuple]]:
    batch: list[tuple] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch
