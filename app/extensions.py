"""Feature areas plug in by convention: `app/<area>/routes.py` adds endpoints to the sync server.
(Their `coplan` subcommands are listed explicitly in app/cli.py.)"""

from __future__ import annotations

import importlib.util
import pkgutil

import app


def extension_modules(leaf: str) -> list[str]:
    """`app.<area>.<leaf>` for every area that has such a module, in name order."""
    names = []
    for info in pkgutil.iter_modules(app.__path__):
        if info.ispkg and importlib.util.find_spec(f"app.{info.name}.{leaf}") is not None:
            names.append(f"app.{info.name}.{leaf}")
    return sorted(names)
