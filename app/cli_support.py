"""What every `coplan` subcommand shares: the command registry, output and the run's language.

A leaf module: it imports no feature area, so an area's `cli.py` can import it while `app.cli`
imports every area's `cli.py` (an explicit list there), without an import cycle.
"""

from __future__ import annotations

import argparse
import json
import os
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from app.project.project import Project

Handler = Callable[[argparse.Namespace], int]
COMMANDS: dict[str, Handler] = {}  # subcommand name → handler; filled by @command at import

_LANG = ["en"]  # this run's language for messages: --lang, else the locale (set by app.cli.main)


def command(name: str) -> Callable[[Handler], Handler]:
    """Register a subcommand handler."""
    def register(fn: Handler) -> Handler:
        COMMANDS[name] = fn
        return fn
    return register


def out(text: str = "") -> None:
    """Print one line of a command's output."""
    print(text)


def out_json(data: Any) -> None:
    """Print a command's output as JSON (Chinese kept readable)."""
    print(json.dumps(data, ensure_ascii=False, indent=1))


def lang() -> str:
    """zh or en: the language of this run's messages."""
    return _LANG[0]


def set_lang(value: str) -> None:
    """Set this run's message language (zh or en)."""
    _LANG[0] = value


def locale_lang(environ: Mapping[str, str] = os.environ) -> str:
    """zh when the locale (LC_ALL, LC_MESSAGES, LANG: the first one set) is Chinese, else en."""
    value = next((environ[v] for v in ("LC_ALL", "LC_MESSAGES", "LANG") if environ.get(v)), "")
    return "zh" if value.lower().startswith("zh") else "en"


def open_project(args: argparse.Namespace) -> Project:
    """The project file named by the command's PROJECT argument, opened."""
    from app.project.project import Project
    return Project.open(args.project)
