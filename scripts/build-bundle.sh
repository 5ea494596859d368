#!/usr/bin/env bash
# Build the desktop bundle (packaging/coplan.spec, see packaging/BUNDLE.md):
#   dist/coplan/                                  the one-folder program (PyInstaller)
#   dist/coplan-<version>-linux-x86_64.tar.gz     that folder + .desktop entry + icon + INSTALL.txt
# Needs the venv with the "bundle" extra (.venv/bin/pip install -c constraints.txt -e '.[bundle]')
# and, on the build machine only, the Debian packages README.md names (mod_spatialite, the fonts).
# Smoke-test the result with scripts/smoke-bundle.sh.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -x .venv/bin/pyinstaller ]; then
  echo "build-bundle: no PyInstaller; run: .venv/bin/pip install -c constraints.txt -e '.[bundle]'" >&2
  exit 1
fi
# The bundle ships the built sample projects (returns at once when they are up to date).
.venv/bin/python -m sample_projects.build --quiet

.venv/bin/pyinstaller --noconfirm --log-level WARN \
  --distpath dist --workpath build/pyinstaller packaging/coplan.spec

built=$SECONDS
# The version the bundle itself reports, so the tarball's name cannot disagree with it.
version=$(dist/coplan/coplan --version | awk '{print $2}')
name="coplan-$version-linux-x86_64"
stage="build/stage/$name"
rm -rf build/stage && mkdir -p "$stage"
cp -a dist/coplan/. "$stage/"
cp packaging/coplan.desktop packaging/coplan.png packaging/coplan.svg "$stage/"
cat > "$stage/INSTALL.txt" <<EOF
CoPlan $version for Linux x86_64 (glibc 2.36 or newer, e.g. Debian 12, Ubuntu 24.04)

Nothing else to install: Python, Qt, SpatiaLite, GDAL/PROJ and the Chinese fonts are inside.
Unpack into a folder you can write to (the sample project is opened from it):

  mkdir -p ~/.local/opt && tar -C ~/.local/opt -xzf $name.tar.gz
  ~/.local/opt/$name/coplan-desktop             # the window, with the Shanghai sample
  ~/.local/opt/$name/coplan --help              # the command line (same program)

Menu entry and icon (optional):

  ln -sf ~/.local/opt/$name/coplan-desktop ~/.local/opt/$name/coplan ~/.local/bin/
  install -Dm644 ~/.local/opt/$name/coplan.desktop ~/.local/share/applications/coplan.desktop
  install -Dm644 ~/.local/opt/$name/coplan.png ~/.local/share/icons/hicolor/256x256/apps/coplan.png
  install -Dm644 ~/.local/opt/$name/coplan.svg ~/.local/share/icons/hicolor/scalable/apps/coplan.svg

(~/.local/bin must be on PATH: the menu entry runs coplan-desktop.)
Remove: delete the folder, the two links and the three installed files.
Fonts: WenQuanYi Micro Hei and AR PL UMing, licences in _internal/fonts/.
EOF
tar -C build/stage -czf "dist/$name.tar.gz" "$name"
rm -rf build/stage
echo "built dist/coplan/ ($(du -sh dist/coplan | cut -f1), ${built}s)" \
  "and dist/$name.tar.gz ($(du -sh "dist/$name.tar.gz" | cut -f1), $((SECONDS - built))s)"
