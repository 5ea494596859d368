"""The ONE module that loads SpatiaLite. Everything else receives a `sqlite_utils.Database`.

Import order matters: pyproj, shapely and pyogrio must be imported before mod_spatialite is
loaded, otherwise pyproj binds to the system PROJ and the process dies at exit (double free).
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

import pyogrio  # noqa: F401  (import order, see module docstring)
import pyproj  # noqa: F401
import shapely  # noqa: F401
import sqlite_utils
from pysqlite3 import dbapi2 as sqlite3

from app.errors import ProjectError

log = logging.getLogger(__name__)

SRIDS = (4490, 4549, 4550, 3857)  # storage, GK 120°E, GK 123°E (Zhoushan), web display
BUSY_TIMEOUT_MS = 10_000
LOCK_WAIT_S = 2.0  # a write lock held longer than this at open: the project opens read-only
CACHE_KIB = 256 * 1024  # page cache per connection (an upper bound, allocated as used)


def _load_spatialite(conn: sqlite3.Connection) -> None:
    conn.enable_load_extension(True)
    try:
        conn.load_extension("mod_spatialite")
    except sqlite3.OperationalError as exc:
        raise ProjectError(
            "SpatiaLite is not installed (mod_spatialite); on Debian: "
            "apt-get install libsqlite3-mod-spatialite"
        ) from exc
    finally:
        conn.enable_load_extension(False)


def connect(path: str | Path, *, create: bool = False, read_only: bool = False) -> sqlite_utils.Database:
    """Open (or with `create`, make) a SpatiaLite file: WAL, busy timeout, explicit transactions.
    `read_only` opens it so that SQLite itself refuses every write."""
    path = Path(path)
    if not create and not path.is_file():
        raise ProjectError(f"no such project file: {path}")
    if create and path.exists():
        raise ProjectError(f"{path} already exists; choose another file name")
    try:
        conn = _read_only(path) if read_only else sqlite3.connect(
            str(path), isolation_level=None, check_same_thread=False)
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        if not read_only:
            conn.execute("PRAGMA journal_mode = WAL")
    except sqlite3.DatabaseError as exc:
        raise ProjectError(f"{path} is not a readable SQLite file: {exc}") from exc
    conn.execute("PRAGMA synchronous = NORMAL")  # durable at checkpoint; WAL keeps it consistent
    conn.execute(f"PRAGMA cache_size = -{CACHE_KIB}")  # big layers: keep the R-tree in memory
    _load_spatialite(conn)
    if create:
        try:
            init_spatial_metadata(conn)
        except BaseException:
            conn.close()
            for leftover in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
                leftover.unlink(missing_ok=True)
            raise
    return sqlite_utils.Database(conn)


def _read_only(path: Path) -> sqlite3.Connection:
    """A read-only connection. A WAL file needs its -shm beside it; when the folder cannot be
    written either, the file is read as immutable (nobody can be writing it then)."""
    uri = path.resolve().as_uri()
    try:
        conn = sqlite3.connect(f"{uri}?mode=ro", uri=True, isolation_level=None,
                               check_same_thread=False)
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return conn
    except sqlite3.OperationalError:
        if os.access(path.parent, os.W_OK):
            raise
    conn = sqlite3.connect(f"{uri}?immutable=1", uri=True, isolation_level=None,
                           check_same_thread=False)
    conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    return conn


def write_blocker(path: Path) -> str | None:
    """Why `path` cannot be written now (file or folder permissions, another program's write
    lock), or None when it can."""
    if not os.access(path, os.W_OK):
        return "its file cannot be written"
    if not os.access(path.parent, os.W_OK):
        return "its folder cannot be written"  # WAL needs its -wal and -shm files there
    try:
        conn = sqlite3.connect(str(path), isolation_level=None, timeout=LOCK_WAIT_S)
    except sqlite3.DatabaseError:
        return None  # not a database: opening says so
    try:
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("ROLLBACK")
    except sqlite3.OperationalError as exc:
        if "locked" in str(exc) or "busy" in str(exc):
            return "another program is writing to it"
    except sqlite3.DatabaseError:
        pass
    finally:
        conn.close()
    return None


def init_spatial_metadata(conn: sqlite3.Connection) -> None:
    """Spatial metadata with only the SRIDs CoPlan uses (~225 kB instead of 6.6 MB)."""
    # The first argument 1 makes SpatiaLite run its own transaction.
    if conn.execute("SELECT InitSpatialMetadata(1, 'NONE')").fetchone()[0] != 1:
        raise ProjectError("SpatiaLite could not initialise the spatial metadata")
    conn.execute("BEGIN")
    for srid in SRIDS:
        conn.execute("SELECT InsertEpsgSrid(?)", (srid,))
    conn.execute("COMMIT")


def memory() -> sqlite_utils.Database:
    """An in-memory SpatiaLite database (for scratch work and tests)."""
    conn = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
    _load_spatialite(conn)
    init_spatial_metadata(conn)
    return sqlite_utils.Database(conn)


DatabaseError = sqlite3.DatabaseError
IntegrityError = sqlite3.IntegrityError
