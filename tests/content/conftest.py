"""A project with the bundled 1+8+5 content started."""

from __future__ import annotations

import pytest


@pytest.fixture
def content_project(project):
    """The test project (party 310000, editor) with the bundled template's sections."""
    from app.content.store import init_content

    init_content(project)
    return project
