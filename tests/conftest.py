"""Shared fixtures: a template project made once per session and copied for each test."""

from __future__ import annotations

import os
import shutil
import struct
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

REPO = Path(__file__).resolve().parents[1]
SHARED_REFERENCE = REPO.parent / "shared" / "reference"


@pytest.fixture(scope="session")
def sample_folder() -> Path:
    """The built Shanghai sample (sample_projects/shanghai-metro: nine city projects and the
    office's, with the comment round and the synthetic progress log), built once if a fresh
    checkout has none or it is stale; tests copy what they change."""
    from sample_projects import build

    build.build()
    return build.SAMPLE


@pytest.fixture(scope="session")
def template_project(tmp_path_factory) -> Path:
    """A fresh project for party 310000 (Shanghai), made once."""
    from app.project.project import Project

    path = tmp_path_factory.mktemp("template") / "template.sqlite"
    Project.create(path, "310000", "上海市").close()
    return path


@pytest.fixture
def project_path(template_project, tmp_path) -> Path:
    """A copy of the template project that the test may change."""
    path = tmp_path / "project.sqlite"
    shutil.copy(template_project, path)
    return path


@pytest.fixture
def project(project_path):
    """The copied template project, open; closed after the test."""
    from app.project.project import Project

    p = Project.open(project_path, author="tester")
    yield p
    p.close()


def collection_bomb(levels: int = 50_000) -> bytes:
    """WKB of `levels` GeometryCollections each holding the next (~450 KB; GEOS crashes on it)."""
    one = b"\x01" + struct.pack("<II", 7, 1)
    return one * (levels - 1) + b"\x01" + struct.pack("<II", 7, 0)


@pytest.fixture
def no_geos(monkeypatch):
    """Fail the test if anything hands WKB to GEOS."""
    import shapely

    def refuse(*args, **kwargs):
        raise AssertionError("GEOS was asked to decode WKB")
    monkeypatch.setattr(shapely, "from_wkb", refuse)


# --- server stores -------------------------------------------------------------------------
# The sync, review, registry and API suites run against both stores: a test takes `store_kind`
# (or a fixture built on it) and runs once on SQLite and once on PostgreSQL.

@pytest.fixture(scope="session", autouse=False)
def pg_cluster():
    from tests.stores import CLUSTER
    CLUSTER.start()
    yield CLUSTER
    CLUSTER.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def store_kind(request) -> str:
    if request.param == "postgresql":
        request.getfixturevalue("pg_cluster")
    return request.param


@pytest.fixture
def new_store(store_kind, tmp_path):
    """A factory of empty server stores of this test's kind, discarded after the test."""
    from tests import stores
    made = []

    def make(name: str = "server"):
        made.append(stores.open_store(store_kind, tmp_path / name))
        return made[-1]
    yield make
    for store in made:
        stores.discard(store)
