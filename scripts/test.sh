#!/usr/bin/env bash
# Set up (scripts/setup.sh) and run the whole test suite. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
export QT_QPA_PLATFORM=${QT_QPA_PLATFORM:-offscreen}
# A throwaway PostgreSQL (PostGIS) for the store suites, stopped and removed at the end.
if [ -z "${COPLAN_TEST_PG:-}" ]; then
  pg_dir=$(mktemp -d /tmp/coplan-pg.XXXXXX)
  trap 'scripts/pg-cluster.sh stop "$pg_dir"' EXIT
  COPLAN_TEST_PG=$(scripts/pg-cluster.sh start "$pg_dir")
  export COPLAN_TEST_PG
fi
step() {  # run a step and say how long it took
  local start=$SECONDS
  "$@"
  echo "test.sh: $1 took $((SECONDS - start)) s"
}
step .venv/bin/ruff check app tests benchmarks sample_projects scripts
step .venv/bin/mypy  # types of the Qt-free core: [tool.mypy] in pyproject.toml
step scripts/smoke-wheel.sh  # the wheel in a fresh venv outside the checkout
step scripts/build-bundle.sh  # the desktop bundle (PyInstaller) and its tarball
step scripts/smoke-bundle.sh  # … run without the venv, the system fonts or GIS libraries
# The sample projects the window and implementation tests copy (quick when up to date).
.venv/bin/python -m sample_projects.build --quiet
# Test files run in parallel, one worker per core (COPLAN_TEST_WORKERS=0: one process); the
# tests of one file stay together, in order, in one worker.
pytest_args=(-n "${COPLAN_TEST_WORKERS:-auto}" --dist loadfile --durations=15 "$@")
if command -v xvfb-run >/dev/null; then
  # A virtual X server lets the window tests open real windows.
  xvfb-run -a -s "-screen 0 1600x1000x24" .venv/bin/python -m pytest "${pytest_args[@]}"
else
  .venv/bin/python -m pytest "${pytest_args[@]}"
fi
