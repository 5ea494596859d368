"""Where bundled resources live: a source checkout, an installed wheel or a PyInstaller bundle.

All three keep the checkout's layout below one root: app/, schemas/ and sample_projects/ side
by side (the wheel installs schemas and sample_projects as packages beside app; the bundle
copies them next to it), so a resource has one relative path everywhere, e.g.
`resource("schemas", "sql")`. Paths are never relative to the current directory.
"""

from __future__ import annotations

import sys
from pathlib import Path

# The sample's vendored reference inputs the app reads at run time (QC areas, basemap context,
# English map names); the sample build reads them too.
REFERENCE = ("sample_projects", "shanghai-metro", "source")


def resource_root() -> Path:
    """The folder holding app/, schemas/ and sample_projects/."""
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return Path(bundle)
    # A checkout or site-packages: the parent of the app package.
    return Path(__file__).resolve().parent.parent


def resource(*parts: str) -> Path:
    """The bundled file or folder at `parts` below the resource root (it may not exist)."""
    return resource_root().joinpath(*parts)


def schemas_dir() -> Path:
    """The schemas/ folder (layer catalogue, JSON Schemas, SQL migrations)."""
    return resource("schemas")
