"""The desktop bundle's recipe (packaging/): fast checks that need no PyInstaller build.

The spec must parse and name every resource the app reads at run time, its fonts must be the
ones app/reports/fonts.py looks for, and the .desktop entry must be valid. The build itself
and its smoke test are scripts/build-bundle.sh and scripts/smoke-bundle.sh (minutes, not CI).
"""

from __future__ import annotations

import ast
import configparser
import importlib.util
import re
import shutil
import struct
import subprocess
import zlib
from fnmatch import fnmatch
from pathlib import Path

import pytest

from app.__main__ import default_project
from app.paths import resource_root
from app.reports import fonts

ROOT = Path(__file__).resolve().parent.parent
PACKAGING = ROOT / "packaging"
SPEC = PACKAGING / "coplan.spec"


def spec_constant(name: str):
    """The literal value of a top-level assignment in the spec (which is Python)."""
    for node in ast.parse(SPEC.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == name for t in node.targets):
            return ast.literal_eval(node.value)
    raise AssertionError(f"{name} not assigned in {SPEC.name}")


def load(name: str):
    spec = importlib.util.spec_from_file_location(f"packaging_{name}", PACKAGING / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def bundled(path: Path) -> bool:
    relative = path.relative_to(ROOT).as_posix()
    return any(fnmatch(relative, pattern) for pattern in spec_constant("RESOURCES"))


def runtime_resources() -> list[Path]:
    """Every file the app reads below the resource root (the sample's build inputs aside)."""
    schemas = [p for p in (ROOT / "schemas").rglob("*")
               if p.is_file() and p.suffix in {".json", ".sql"}]
    reference = list((ROOT / "sample_projects" / "shanghai-metro" / "source").iterdir())
    return [*schemas, *reference, *(ROOT / "app" / "views" / "i18n").glob("*.qm")]


def test_the_spec_is_python_that_builds_one_folder_with_both_programs():
    text = SPEC.read_text(encoding="utf-8")
    compile(text, str(SPEC), "exec")
    assert "COLLECT(" in text and 'name="coplan-desktop"' in text and 'symlink_to("coplan-desktop")' in text
    named = re.findall(r'ROOT / "packaging" / "([\w.]+)"', text)  # entry point, hooks, icon
    assert {"entry.py", "rthook_fonts.py", "fonts.conf", "coplan.ico"} <= set(named)
    assert all((PACKAGING / name).is_file() for name in named)


def test_the_spec_names_every_resource_the_app_reads():
    missing = [p.relative_to(ROOT).as_posix() for p in runtime_resources() if not bundled(p)]
    assert not missing
    assert bundled(ROOT / default_project().relative_to(resource_root()))  # the window opens it


def test_every_resource_pattern_matches_a_file_of_the_checkout():
    patterns = [p for p in spec_constant("RESOURCES") if not p.endswith(".sqlite")]  # built
    assert all(list(ROOT.glob(p)) for p in patterns), patterns


def test_the_bundled_fonts_are_the_ones_the_reports_look_for_first():
    bundled_names = {f"fonts/{name}" for name in spec_constant("FONTS")}
    assert {fonts.SANS[0], fonts.SERIF[0]} == bundled_names


def test_the_entry_point_runs_the_command_line_when_called_coplan_or_with_cli():
    wants_cli = load("entry").wants_cli
    assert wants_cli("/opt/coplan/coplan", ["init"])
    assert wants_cli(r"C:\CoPlan\coplan.exe", [])
    assert wants_cli("/opt/coplan/coplan-desktop", ["--cli", "--help"])
    assert not wants_cli("/opt/coplan/coplan-desktop", ["project.sqlite"])
    assert not wants_cli("/opt/coplan/coplan-desktop", ["--screenshot", "cli.png"])


def test_the_desktop_entry_is_valid():
    path = PACKAGING / "coplan.desktop"
    if shutil.which("desktop-file-validate"):
        result = subprocess.run(["desktop-file-validate", str(path)], capture_output=True, text=True)
        assert result.returncode == 0 and not result.stdout.strip(), result.stdout
    entry = configparser.ConfigParser(interpolation=None, strict=True)
    entry.optionxform = str  # keys are case-sensitive
    entry.read(path, encoding="utf-8")
    assert entry.sections() == ["Desktop Entry"]
    keys = entry["Desktop Entry"]
    assert keys["Type"] == "Application" and keys["Name"] and keys["Terminal"] == "false"
    assert keys["Exec"].split()[0] == keys["TryExec"] == "coplan-desktop"
    assert keys["Icon"] == "coplan" and (PACKAGING / "coplan.svg").is_file()
    assert keys["Categories"].endswith(";") and keys["Keywords"].endswith(";")


def test_the_icon_is_a_256_pixel_png_rendered_from_the_svg():
    data = (PACKAGING / "coplan.png").read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", data[16:24]) == (256, 256)
    assert "<svg" in (PACKAGING / "coplan.svg").read_text(encoding="utf-8")


def png(path: Path, rows: list[bytes], width: int) -> Path:
    """An 8-bit RGB PNG of raw rows (filter type 0)."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", width, len(rows), 8, 2, 0, 0, 0)
    body = zlib.compress(b"".join(b"\x00" + row for row in rows))
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", body)
                     + chunk(b"IEND", b""))
    return path


@pytest.mark.parametrize(("colours", "ok"), [(1, False), (200, True)])
def test_the_smoke_test_tells_a_blank_screenshot_from_a_drawn_one(tmp_path, colours, ok):
    width = 200 * 4  # the check samples every 4th pixel
    rows = [b"".join(bytes((x // 4 % colours, y % 7, 90)) for x in range(width)) for y in range(8)]
    if colours == 1:
        rows = [bytes((240, 240, 240)) * width] * 8
    shot = png(tmp_path / "shot.png", rows, width)
    assert (load("check_png").main(["check_png", str(shot)]) == 0) is ok
