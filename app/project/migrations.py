"""Schema migrations of the project file; their SQL lives in schemas/sql/NNNN_name.sql."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import sqlite_utils
from pysqlite3 import dbapi2 as sqlite3

from app.errors import ProjectError
from app.paths import schemas_dir

_NAME = re.compile(r"^(\d{4})_([a-z0-9_]+)\.sql$")


def migration_files(folder: Path | None = None) -> list[tuple[int, str, Path]]:
    """(version, name, path) of every migration, in order."""
    folder = folder or schemas_dir() / "sql"
    found = []
    for path in folder.iterdir():
        match = _NAME.match(path.name)
        if match:
            found.append((int(match.group(1)), match.group(2), path))
    return sorted(found)


SCHEMA_VERSION = migration_files()[-1][0]


def current_version(db: sqlite_utils.Database) -> int:
    """The highest migration applied to `db` (0 for a blank file)."""
    if "coplan_migrations" not in db.table_names():
        return 0
    return db.execute("SELECT coalesce(max(version), 0) FROM coplan_migrations").fetchone()[0]


def migrate(db: sqlite_utils.Database, folder: Path | None = None) -> int:
    """Apply every migration `db` lacks (each in its own transaction); returns the version."""
    files = migration_files(folder)
    latest = files[-1][0]
    db.execute("CREATE TABLE IF NOT EXISTS coplan_migrations "
               "(version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)")
    applied = {row[0] for row in db.execute("SELECT version FROM coplan_migrations")}
    if applied and max(applied) > latest:
        raise ProjectError(f"the database has schema version {max(applied)}, newer than this "
                           f"CoPlan ({latest}); update CoPlan to open it")
    # By set, not by maximum: migrations of separate areas may land in any order.
    for number, name, path in files:
        if number in applied:
            continue
        with db.atomic():
            for statement in _statements(path.read_text(encoding="utf-8")):
                db.execute(statement)
            db.execute("INSERT INTO coplan_migrations VALUES (?, ?, ?)",
                       (number, name, dt.datetime.now(dt.UTC).isoformat()))
    return current_version(db)


def _statements(sql: str) -> list[str]:
    """Split a migration into statements; SQLite's own parser says where one ends (triggers
    hold ';' inside BEGIN ... END)."""
    statements, buffer = [], ""
    for line in sql.splitlines(keepends=True):
        if not buffer and line.strip().startswith("--"):
            continue
        buffer += line
        if sqlite3.complete_statement(buffer):
            statements.append(buffer.strip())
            buffer = ""
    if buffer.strip():
        statements.append(buffer.strip())
    return statements
