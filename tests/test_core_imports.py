"""The Qt-free core must import without PySide6 (checked in a fresh interpreter)."""

from __future__ import annotations

import pkgutil
import subprocess
import sys
from pathlib import Path

import app

REPO = Path(__file__).resolve().parents[1]


def core_modules() -> list[str]:
    """Every module under app/ except app.views and the GUI entry point."""
    names = []
    for info in pkgutil.walk_packages(app.__path__, "app."):
        if info.name.startswith("app.views") or info.name == "app.__main__":
            continue
        names.append(info.name)
    return names


def test_core_has_modules():
    modules = core_modules()
    assert "app.project.db" in modules and "app.cli" in modules


def test_core_imports_without_pyside6():
    modules = core_modules()
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "bad = sorted(m for m in sys.modules if m.startswith(('PySide6', 'shiboken6', 'matplotlib.pyplot')))\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "", f"core loaded Qt/pyplot modules: {result.stdout}"
