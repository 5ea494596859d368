"""Persistent settings (QSettings): window geometry and state, recent projects, language.

Tests point QSettings at a temporary folder (tests/views/conftest.py) so they never touch the
user's real settings."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings

ORGANISATION, APPLICATION = "CoPlan", "CoPlan Desktop"
RECENT_MAX = 8


def settings() -> QSettings:
    # INI everywhere: the same file format on every OS, and QSettings.setPath (tests) applies.
    return QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, ORGANISATION, APPLICATION)


def recent_projects() -> list[str]:
    value = settings().value("recent", [])
    return [value] if isinstance(value, str) else list(value or [])


def add_recent(path: Path | str) -> list[str]:
    """Put `path` first in the recent list; returns the list."""
    path = str(path)
    recent = [path, *(p for p in recent_projects() if p != path)][:RECENT_MAX]
    settings().setValue("recent", recent)
    return recent


def language(default: str) -> str:
    return str(settings().value("language", default))


def set_language(code: str) -> None:
    settings().setValue("language", code)
