#!/usr/bin/env bash
# Set up (scripts/setup.sh), build the bundled sample project if needed, and open the app on it.
# Without a display the app runs on a virtual screen and saves a screenshot instead.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
.venv/bin/python -m sample_projects.build --quiet
project=${1:-sample_projects/shanghai-metro/310000.sqlite}
if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
  exec .venv/bin/python -m app "$project"
fi
shot=${COPLAN_SCREENSHOT:-coplan-screenshot.png}
echo "coplan: no display found; opening on a virtual screen and saving $shot"
exec xvfb-run -a -s "-screen 0 1600x1000x24" .venv/bin/python -m app "$project" --screenshot "$shot"
