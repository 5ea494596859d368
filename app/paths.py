"""Where bundled resources live: a source checkout or a PyInstaller bundle."""

from __future__ import annotations

import sys
from pathlib import Path


def resource_root() -> Path:
    """The folder holding schemas/ and sample_projects/."""
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return Path(bundle)
    return Path(__file__).resolve().parent.parent


def schemas_dir() -> Path:
    """The schemas/ folder (layer catalogue, JSON Schemas, SQL migrations)."""
    return resource_root() / "schemas"
