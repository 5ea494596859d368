"""A party's local planning project: one SpatiaLite file holding the catalogue's layers."""

from __future__ import annotations

import getpass
import json
import logging
import re
from pathlib import Path
from typing import overload

import sqlite_utils

from app.errors import NotFound, PermissionDenied, ProjectError, ReadOnlyProject
from app.model.catalogue import Catalogue, Layer, load_catalogue
from app.model.feature import utc_now
from app.model.ids import uuid7
from app.model.tables import TABLES, tracked_layer
from app.project import db as spatialite
from app.project import integrity, migrations, storage, upgrade
from app.project.layers import create_layer
from app.project.sql import ident

log = logging.getLogger(__name__)

PARTY_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,31}$")
ROLES = ("editor", "coordinator", "observer")  # an observer's replica is read-only
WRITE_ROLES = ("editor", "coordinator")


class Project:
    """An open project file. Use `Project.create` or `Project.open`; close it (or use `with`)."""

    def __init__(self, db: sqlite_utils.Database, path: Path, catalogue: Catalogue, author: str):
        self.db = db
        self.path = path
        self.catalogue = catalogue
        self.author = author  # who edits in this session: created_by / modified_by / change sets
        self._layers: list[Layer] | None = None  # the layer set changes only by migration
        self._code_set: set[str] | None = None
        self.read_only: str | None = None  # why the file cannot be written now, if it cannot
        self.repairs: integrity.AuditReport | None = None  # what opening repaired
        self._repaired_schema: int | None = None  # schema version the last repair left (integrity)
        self._audited: tuple[int, int] | None = None  # schema and data version at the last audit

    @classmethod
    def create(cls, path: str | Path, party: str, name: str | None = None, *,
               role: str = "editor", author: str | None = None,
               catalogue: Catalogue | None = None) -> Project:
        """Make a new project file for `party` with every layer of the catalogue."""
        if not PARTY_CODE.match(party or ""):
            raise ProjectError(f"party code {party!r} must be 1–32 letters, digits, '_', '.' or '-'")
        if role not in ROLES:
            raise ProjectError(f"role must be one of {', '.join(ROLES)}")
        path, catalogue = Path(path), catalogue or load_catalogue()
        db = spatialite.connect(path, create=True)
        try:
            migrations.migrate(db)
            with db.atomic():
                _write_meta(db, party, name or party, role, catalogue)
                for layer in catalogue.layers:
                    create_layer(db, layer)
                    db.execute("INSERT INTO coplan_layers VALUES (?, ?, ?)",
                               (layer.code, catalogue.version, utc_now()))
        except BaseException:
            db.close()
            for leftover in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
                leftover.unlink(missing_ok=True)
            raise
        log.info("created project %s for party %s", path, party)
        project = cls(db, path, catalogue, author or _default_author())
        storage.upgrade(db, project.tracked_layers())  # the plan's text came by migration 0004
        with db.atomic():  # made in CoPlan's layout: opening it (or a copy) need not check it
            project._repaired_schema = integrity.stamp_schema(db)
        return project

    @classmethod
    def open(cls, path: str | Path, *, author: str | None = None) -> Project:
        """Open an existing project file, migrating its schema if it is older. A file that
        cannot be written now (permissions, another program's write lock) opens read-only:
        `read_only` says why, and every write is refused."""
        path = Path(path)
        blocker = spatialite.write_blocker(path) if path.is_file() else None
        db = spatialite.connect(path, read_only=blocker is not None)
        try:
            if "coplan_meta" not in db.table_names():
                raise ProjectError(f"{path} is a SQLite file but not a CoPlan project")
            if blocker is None:
                migrations.migrate(db)
            elif migrations.current_version(db) < migrations.SCHEMA_VERSION:
                raise ReadOnlyProject(f"the project needs a schema update but is read-only: {blocker}")
            # Tables another tool recreated go back to CoPlan's layout first (integrity.py).
            rebuilt = integrity.rebuild_overwritten(db, load_catalogue(), blocker)
            # New layers and fields of a newer catalogue (app/project/upgrade.py).
            upgrade.upgrade_catalogue(db, load_catalogue(), read_only=blocker)
        except BaseException:
            db.close()
            raise
        project = cls(db, path, load_catalogue(), author or _signed_in(db) or _default_author())
        project.read_only = blocker
        if not blocker:
            # Files made before the compact layout (app/project/storage.py) get it once.
            storage.upgrade(db, project.tracked_layers())
        if blocker:
            log.info("opened %s read-only: %s", path, blocker)
        # What other tools broke (dropped triggers, an overwritten table) is put back and their
        # edits captured now, so none goes uncaptured (app/project/integrity.py).
        integrity.on_open(project, rebuilt)
        return project

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Project:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @overload
    def meta(self, key: str) -> str | None: ...
    @overload
    def meta(self, key: str, default: str) -> str: ...
    @overload
    def meta(self, key: str, default: str | None) -> str | None: ...

    def meta(self, key: str, default: str | None = None) -> str | None:
        """A value of the project's metadata."""
        row = self.db.execute("SELECT value FROM coplan_meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else default

    def set_meta(self, key: str, value: str) -> None:
        self.db.execute("INSERT INTO coplan_meta VALUES (?, ?) ON CONFLICT (key) DO UPDATE "
                        "SET value = excluded.value", (key, str(value)))

    @property
    def party(self) -> str:
        return self.meta("party")  # type: ignore[return-value]  # written when the copy is made

    @property
    def party_name(self) -> str:
        return self.meta("party_name")  # type: ignore[return-value]  # written when the copy is made

    @property
    def role(self) -> str:
        return self.meta("role", "editor")

    @property
    def shared_layers(self) -> set[str]:
        """Layers every editor of the server project may edit (as the server said at clone)."""
        return set(json.loads(self.meta("shared_layers", "[]")))

    @property
    def writable(self) -> bool:
        """False for a read-only replica (cloned by a role that cannot push) or a file opened
        read-only."""
        return self.role in WRITE_ROLES and not self.read_only

    def require_writable(self) -> None:
        """PermissionDenied on a read-only replica; ReadOnlyProject on a read-only file."""
        if self.read_only:
            raise ReadOnlyProject(f"the project is open read-only ({self.read_only}); edits cannot be "
                                  "saved: reopen it once it can be written")
        if not self.writable:
            raise PermissionDenied(f"this copy is read-only (role {self.role}): it follows the "
                                   "server and cannot commit edits / 此副本为只读，不能提交修改")

    @property
    def base_version(self) -> int:
        """The server version this replica last synced to (0 before the first sync)."""
        return int(self.meta("base_version", "0"))

    @property
    def schema_version(self) -> int:
        return migrations.current_version(self.db)

    def layers(self) -> list[Layer]:
        """The project's layers in catalogue order."""
        if self._layers is None:
            present = {row[0] for row in self.db.execute("SELECT code FROM coplan_layers")}
            self._layers = [layer for layer in self.catalogue.layers if layer.code in present]
        return list(self._layers)

    def layer(self, code: str) -> Layer:
        """The project's layer `code` (case-insensitive); NotFound names the known ones."""
        layer = self.catalogue.layer(code)
        if layer.code not in self._codes():
            raise NotFound(f"layer {layer.code} is not in this project")
        return layer

    def _codes(self) -> set[str]:
        if self._code_set is None:
            self._code_set = {layer.code for layer in self.tracked_layers()}
        return self._code_set

    def tracked_layers(self) -> list[Layer]:
        """Layers and the other tracked tables (the plan's text): what change capture covers."""
        return [*self.layers(), *TABLES]

    def tracked_layer(self, code: str) -> Layer:
        """A tracked layer or table by code; NotFound names the problem."""
        layer = tracked_layer(self.catalogue, code)
        if layer.code not in self._codes():
            raise NotFound(f"layer {layer.code} is not in this project")
        return layer

    def count(self, code: str) -> int:
        """Number of features in a layer."""
        layer = self.layer(code)
        return self.db.execute(f"SELECT count(*) FROM {ident(layer.code)}").fetchone()[0]


def _write_meta(db: sqlite_utils.Database, party: str, name: str, role: str,
                catalogue: Catalogue) -> None:
    rows = {"project_id": uuid7(), "party": party, "party_name": name, "role": role,
            "catalogue_version": catalogue.version, "created_at": utc_now(), "base_version": "0",
            "crs": "EPSG:4490"}
    db.conn.executemany("INSERT INTO coplan_meta VALUES (?, ?)", rows.items())


def _signed_in(db: sqlite_utils.Database) -> str | None:
    """The user logged in (`coplan login`) to the project's server: the server records its
    versions under that name, so local change sets carry it too."""
    from app.sync.credentials import user_for

    row = db.execute("SELECT value FROM coplan_meta WHERE key = 'remote_url'").fetchone()
    return user_for(row[0]) if row and row[0] else None


def _default_author() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"
