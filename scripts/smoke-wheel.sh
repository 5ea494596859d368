#!/usr/bin/env bash
# Build the wheel, install it into a fresh virtual environment outside the checkout and run
# CoPlan from there: `coplan --help`, init, import, a reader PDF, the desktop window's
# screenshot under Xvfb. Proves every resource (schemas, SQL, translation, reference inputs)
# is inside the wheel. Exit 0 when all pass; else a one-line reason on stderr, non-zero.
#   scripts/smoke-wheel.sh            (KEEP=1 keeps the temporary folder for a look)
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
PYTHON=${PYTHON:-python3}
BUILD_PYTHON=${BUILD_PYTHON:-.venv/bin/python}  # has `build` (the dev extra)

tmp=$(mktemp -d /tmp/coplan-wheel.XXXXXX)
# Removing the ~600 MB venv takes ~20 s of disk time: done in the background, off the CI's clock.
if [ -z "${KEEP:-}" ]; then trap '(rm -rf "$tmp" &)' EXIT; else echo "smoke-wheel: keeping $tmp"; fi
log="$tmp/step.log"
started=$SECONDS

fail() { echo "smoke-wheel: FAILED: $*" >&2; [ -s "$log" ] && tail -n 30 "$log" >&2; exit 1; }
# Run a step with its output in $log; fail with its name and the log's tail.
step() {
  local name=$1; shift
  local t0=$SECONDS
  "$@" >"$log" 2>&1 || fail "$name (exit $?)"
  # A missing resource is often only a warning (the feature then quietly does less).
  if grep -E "No such file|FileNotFoundError|no Chinese translation|no built-in basemap context|no reference city boundaries|no English map names" "$log" >&2; then
    fail "$name: a resource is missing from the wheel"
  fi
  echo "smoke-wheel: ok  $name ($((SECONDS - t0)) s)"
}

# 1. The wheel, built from a copy of the source files (tracked and new, not ignored), so
#    nothing stale from ./build or the sample's outputs can slip in.
mkdir -p "$tmp/src" "$tmp/dist" "$tmp/work"
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  git ls-files -z --cached --others --exclude-standard |
    while IFS= read -r -d '' f; do [ -e "$f" ] && printf '%s\0' "$f"; done |
    tar --null -T - -cf - | tar -xf - -C "$tmp/src"
else
  tar --exclude=.venv --exclude=build --exclude=dist --exclude='*.sqlite' -cf - . | tar -xf - -C "$tmp/src"
fi
step "build the wheel" "$BUILD_PYTHON" -m build --wheel --outdir "$tmp/dist" "$tmp/src"
wheel=$(ls "$tmp"/dist/coplan-*.whl)
echo "smoke-wheel: $(basename "$wheel"): $(du -k "$wheel" | cut -f1) KB"

# 2. A fresh environment with the pinned versions (pip's cache makes a re-run quick).
# Without pip of its own (the build venv's pip installs into it) and without compiling every
# module up front: both save seconds and change nothing of what is tested.
step "make a fresh venv" "$PYTHON" -m venv --without-pip "$tmp/venv"
step "install the wheel" "$BUILD_PYTHON" -m pip --python "$tmp/venv/bin/python" install -q \
  --no-compile -c "$repo/constraints.txt" "$wheel"

# 3. Run it from a folder outside the checkout, with nothing of the checkout on the path.
cd "$tmp/work"
export PATH="$tmp/venv/bin:$PATH" PYTHONPATH=
unset PYTHONHOME
root=$(python -c 'from app.paths import resource_root; print(resource_root())')
case "$root" in "$tmp/venv/"*) ;; *) fail "app is imported from $root, not from the fresh venv" ;; esac

cat > xzq.geojson <<'EOF'
{"type": "FeatureCollection", "features": [{"type": "Feature",
 "properties": {"BSM": "310000000001", "YSDM": "1000600100", "XZQDM": "310000", "XZQMC": "上海市"},
 "geometry": {"type": "Polygon",
              "coordinates": [[[121.0, 31.0], [121.6, 31.0], [121.6, 31.4], [121.0, 31.4], [121.0, 31.0]]]}}]}
EOF
step "coplan --help" coplan --help
step "coplan init" coplan init p.sqlite --party 310000 --name 上海市
step "coplan import" coplan import p.sqlite XZQ xzq.geojson
step "coplan validate" coplan validate p.sqlite
step "coplan content init" coplan content init p.sqlite
# A party's copy holds one city of nine: a reader from it is a partial draft.
step "coplan report --kind reader" coplan report p.sqlite --kind reader --partial --out reader.pdf
head -c 5 reader-partial.pdf | grep -q '%PDF-' || fail "the reader is not a PDF"

# 4. The desktop window on a virtual screen (the real xcb platform, not offscreen), in Chinese
#    so the translation is loaded.
if command -v xvfb-run >/dev/null; then
  xvfb=(xvfb-run -a -s "-screen 0 1600x1000x24")
elif [ -n "${DISPLAY:-}" ]; then
  xvfb=()
else
  fail "no X display: install xvfb (apt-get install xvfb xauth)"
fi
step "desktop --screenshot" env -u QT_QPA_PLATFORM "${xvfb[@]}" python -m app p.sqlite --lang zh --screenshot shot.png
colours=$(python -c '
import sys
import numpy as np
from matplotlib.image import imread
pixels = imread(sys.argv[1])[..., :3].reshape(-1, 3)
print(len(np.unique((pixels * 255).astype(np.uint8), axis=0)))' shot.png)
[ "$colours" -gt 16 ] || fail "the screenshot is blank ($colours colours)"
echo "smoke-wheel: ok  screenshot has $colours colours"
echo "smoke-wheel: all passed in $((SECONDS - started)) s"
