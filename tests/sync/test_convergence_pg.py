"""The convergence search of test_convergence.py on the PostgreSQL store: the same tests, in
their own file so that they run beside the SQLite search when test files run in parallel."""

from __future__ import annotations

import pytest

from tests.sync.test_convergence import *  # noqa: F403 - the same tests and fixtures
from tests.sync.test_convergence import make_world


@pytest.fixture(scope="module", params=["postgresql"])
def world(template_project, request):
    yield from make_world(request.param, template_project, request)
