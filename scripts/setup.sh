#!/usr/bin/env bash
# Set up everything CoPlan needs on Debian 12: system packages (when run as root),
# a virtual environment in .venv with the pinned dependencies. Safe to re-run: it only
# installs what is missing or changed.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(
  python3 python3-venv
  libsqlite3-mod-spatialite gdal-bin            # SpatiaLite for projects; ogrinfo/ogr2ogr for checks
  fonts-wqy-microhei                            # CJK font embedded in PDFs and used by Qt
  fonts-arphic-uming                            # serif (宋体-style) body face of the PDFs
  xvfb xauth poppler-utils                      # headless windows; PDF rendering in tests
  postgresql postgresql-15-postgis-3            # the PostgreSQL store (a throwaway cluster in tests)
  libglib2.0-0 libgl1 libegl1 libfontconfig1 libfreetype6 libxkbcommon0 libdbus-1-3 libx11-6
  libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-randr0
  libxcb-render-util0 libxcb-shape0 libxcb-xfixes0 libxcb-xkb1 libxkbcommon-x11-0 libx11-xcb1
)

missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "coplan setup: installing ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "coplan setup: missing system packages: ${missing[*]}" >&2
    echo "  install them with: sudo apt-get install ${missing[*]}" >&2
  fi
fi

PYTHON=${PYTHON:-python3}
"$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' || {
  echo "coplan setup: Python 3.11 or newer is needed (found $("$PYTHON" --version))" >&2; exit 1; }

if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
extras="dev,bundle"  # the tests, and PyInstaller for the desktop bundle
stamp=$( (cat constraints.txt pyproject.toml; echo "$extras") | sha256sum | cut -c1-16)
if [ "$(cat .venv/.coplan-stamp 2>/dev/null)" != "$stamp" ]; then
  echo "coplan setup: installing Python dependencies into .venv"
  # pip's log goes to a file and is shown only when the install fails.
  if ! { .venv/bin/python -m pip install -q --upgrade pip &&
         .venv/bin/python -m pip install -q -c constraints.txt -e ".[$extras]"; } > .venv/pip.log 2>&1; then
    cat .venv/pip.log >&2
    exit 1
  fi
  echo "$stamp" > .venv/.coplan-stamp
fi
