"""The messy submission (tests/qc/messy.py), built once per session and opened read-only by
the tests; and its findings."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def messy_path(tmp_path_factory) -> Path:
    from tests.qc.messy import build

    return build(tmp_path_factory.mktemp("messy"))


@pytest.fixture(scope="session")
def messy_findings(messy_path):
    from app.project.project import Project
    from app.qc.cli import qc_findings

    with Project.open(messy_path) as project:
        return qc_findings(project)


@pytest.fixture
def clean_path(tmp_path) -> Path:
    """A tidy submission of 苏州市: parcels and zones that pass every check."""
    from tests.qc.messy import build_clean

    return build_clean(tmp_path)
