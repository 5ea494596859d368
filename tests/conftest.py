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
