"""Server stores for tests: SQLite in a folder, or a fresh PostgreSQL database on the test
cluster (COPLAN_TEST_PG, which scripts/test.sh starts; started here when it is not set).

Each PostgreSQL store is a new database copied from a migrated template, dropped afterwards."""

from __future__ import annotations

import atexit
import itertools
import os
import re
import subprocess
import tempfile
from pathlib import Path

import psycopg

REPO = Path(__file__).resolve().parents[1]
KINDS = ("sqlite", "postgresql")
# One template per process: test files running in parallel each make and use their own.
TEMPLATE = f"coplan_template_{os.getpid()}"
_names = itertools.count(1)


class Cluster:
    """The test cluster's URL; the template database is made on first use."""

    def __init__(self):
        self.url = os.environ.get("COPLAN_TEST_PG", "")
        self.folder = None
        self.ready = False

    def start(self) -> None:
        if self.url:
            return
        if os.environ.get("CI"):
            raise RuntimeError("COPLAN_TEST_PG is not set: CI runs the tests through scripts/test.sh")
        self.folder = tempfile.mkdtemp(prefix="coplan-pg-")
        out = subprocess.run(["bash", str(REPO / "scripts" / "pg-cluster.sh"), "start", self.folder],
                             capture_output=True, text=True, check=True)
        self.url = out.stdout.strip().splitlines()[-1]

    def stop(self) -> None:
        if self.folder:
            subprocess.run(["bash", str(REPO / "scripts" / "pg-cluster.sh"), "stop", self.folder],
                           check=False)

    def database_url(self, name: str) -> str:
        return re.sub(r"^(postgresql://[^/?]*)/[^?]*", rf"\1/{name}", self.url)

    def _admin(self) -> psycopg.Connection:
        return psycopg.connect(self.database_url("postgres"), autocommit=True)

    def new_database(self) -> str:
        """The URL of a new database holding a migrated, empty store."""
        self.start()
        if not self.ready:
            from app.sync.server.pg_store import PostgresStore
            with self._admin() as conn:
                conn.execute(f"DROP DATABASE IF EXISTS {TEMPLATE} WITH (FORCE)")
                conn.execute(f"CREATE DATABASE {TEMPLATE}")
            PostgresStore(self.database_url(TEMPLATE), pool_size=1).close()
            self.ready = True
            atexit.register(self._drop_template)  # a cluster kept between runs stays tidy
        name = f"t{os.getpid()}_{next(_names)}"
        with self._admin() as conn:
            conn.execute(f"CREATE DATABASE {name} TEMPLATE {TEMPLATE}")
        return self.database_url(name)

    def _drop_template(self) -> None:
        try:
            self.drop(self.database_url(TEMPLATE))
        except psycopg.OperationalError:
            pass  # the cluster was stopped first: nothing left to tidy

    def drop(self, url: str) -> None:
        name = url.split("?", 1)[0].rsplit("/", 1)[1]
        with self._admin() as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


CLUSTER = Cluster()


def store_spec(kind: str, folder: Path) -> str:
    """What `--store` takes for a new, empty store of `kind`."""
    return str(folder) if kind == "sqlite" else CLUSTER.new_database()


def open_store(kind: str, folder: Path, **options):
    from app.sync.server.store import open_store as open_spec
    return open_spec(store_spec(kind, folder), **options)


def discard(store) -> None:
    """Close a store and drop its database (PostgreSQL)."""
    store.close()
    if store.kind == "postgresql":
        CLUSTER.drop(store.url)


def execute(store, sql: str) -> None:
    """Run one plain SQL statement on a store (tests only: to age a token, say)."""
    with store.writing() as s:
        s.db.execute(sql)


def spec(store) -> str:
    """What `coplan serve --store` takes to serve `store`."""
    return store.url if store.kind == "postgresql" else str(store.folder)
