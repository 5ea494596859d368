#!/usr/bin/env bash
# Smoke-test the desktop bundle as a user gets it: unpack the tarball into a temporary folder
# outside the checkout and run it with an empty environment (env -i, PATH=/usr/bin:/bin, a fresh
# HOME), so neither the venv nor the checkout can help it. Checks:
#   1. the command line (the `coplan` link): --version, then init, import GeoJSON, start the
#      content and build the public reader (PDF) of that small project;
#   2. `coplan-desktop --cli --version` (the Windows-style call of the same program);
#   3. the window under Xvfb opens the bundled Shanghai sample and saves a --screenshot,
#      which must not be blank (packaging/check_png.py, standard-library python3 only).
# Usage: scripts/smoke-bundle.sh [TARBALL]   (default: the newest dist/coplan-*.tar.gz)
# SMOKE_SHOT=FILE keeps a copy of the screenshot.
# As root where `unshare -m` works (a CI container), it also hides, in a private mount namespace,
# what a user's machine may lack: the TrueType fonts, SpatiaLite/PROJ/GEOS/GDAL and the venv.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)

if [ -z "${SMOKE_ISOLATED:-}" ] && [ "$(id -u)" = 0 ] && unshare -m true 2>/dev/null; then
  exec env SMOKE_ISOLATED=1 unshare -m "$0" "$@"
fi
if [ "${SMOKE_ISOLATED:-}" = 1 ]; then
  nothing=$(mktemp -d /tmp/coplan-nothing.XXXXXX)
  for dir in /usr/share/fonts/truetype "$here/.venv"; do
    if [ -d "$dir" ]; then mount --bind "$nothing" "$dir"; fi
  done
  for lib in /usr/lib/x86_64-linux-gnu/{mod_spatialite,libspatialite,libproj,libgeos,libgdal}*.so*; do
    if [ -f "$lib" ] && [ ! -L "$lib" ]; then mount --bind /dev/null "$lib"; fi
  done
  echo "smoke-bundle: hidden: system TrueType fonts, SpatiaLite, PROJ, GEOS, GDAL, the venv"
fi
tarball=${1:-$(ls -t "$here"/dist/coplan-*-linux-x86_64.tar.gz 2>/dev/null | head -1)}
if [ -z "$tarball" ] || [ ! -f "$tarball" ]; then
  echo "smoke-bundle: no tarball; build it with scripts/build-bundle.sh" >&2
  exit 1
fi
tarball=$(cd "$(dirname "$tarball")" && pwd)/$(basename "$tarball")

tmp=$(mktemp -d /tmp/coplan-smoke.XXXXXX)
trap 'rm -rf "$tmp"; if [ -n "${nothing:-}" ]; then rmdir "$nothing"; fi' EXIT
tar -C "$tmp" -xzf "$tarball"
app=$(find "$tmp" -mindepth 1 -maxdepth 1 -type d -name 'coplan-*')
mkdir -p "$tmp/home" "$tmp/work"
cd "$tmp/work"
bare() { env -i PATH=/usr/bin:/bin HOME="$tmp/home" "$@"; }

echo "== command line"
bare "$app/coplan" --version
cat > city.geojson <<'EOF'
{"type": "FeatureCollection", "features": [{"type": "Feature",
 "properties": {"BSM": "1", "XZQDM": "310000", "XZQMC": "上海市"},
 "geometry": {"type": "Polygon", "coordinates":
   [[[121.0, 31.0], [121.5, 31.0], [121.5, 31.4], [121.0, 31.4], [121.0, 31.0]]]}}]}
EOF
bare "$app/coplan" init small.sqlite --party 310000 --name 上海市
bare "$app/coplan" import small.sqlite XZQ city.geojson
bare "$app/coplan" content init small.sqlite
bare "$app/coplan" report small.sqlite --kind reader --partial --dpi 50 --out reader.pdf
pdf=$(ls reader*.pdf | head -1)
if [ "$(head -c 5 "$pdf")" != "%PDF-" ]; then
  echo "smoke-bundle: the reader is not a PDF: $pdf" >&2
  exit 1
fi
bare "$app/coplan-desktop" --cli --version

echo "== desktop window (bundled sample project)"
bare xvfb-run -a -s "-screen 0 1440x900x24" "$app/coplan-desktop" --screenshot "$tmp/work/shot.png"
python3 "$here/packaging/check_png.py" "$tmp/work/shot.png"
if [ -n "${SMOKE_SHOT:-}" ]; then
  cp "$tmp/work/shot.png" "$SMOKE_SHOT"
fi
echo "smoke-bundle: ok"
