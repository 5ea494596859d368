"""Schemathesis against a real `coplan serve`, from its own OpenAPI description: a CI-sized run
of scripts/fuzz_api.py (the script's default is 1,000 cases)."""

from __future__ import annotations

import pytest

from scripts.fuzz_api import fuzz_fresh_server, summary
from tests import stores

CASES = 150
SEED = 0  # the script's default seed: the CI run is the first 150 cases of `fuzz_api.py`


@pytest.fixture(scope="module", params=stores.KINDS)
def report(request):
    if request.param == "sqlite":
        return fuzz_fresh_server(CASES, SEED)
    request.getfixturevalue("pg_cluster")
    url = stores.CLUSTER.new_database()
    try:
        return fuzz_fresh_server(CASES, SEED, url)
    finally:
        stores.CLUSTER.drop(url)


def test_every_operation_is_fuzzed(report):
    assert report.total >= CASES
    assert set(report.cases) == set(report.operations), summary(report)


def test_no_server_errors(report):
    errors = report.server_errors() + report.no_responses()  # 5xx, or the server hung up
    assert errors == 0, summary(report)


def test_every_error_is_the_one_envelope(report):
    violations = report.envelope_violations()
    assert violations == 0, summary(report)
