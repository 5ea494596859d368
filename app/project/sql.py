"""SQL text helpers: identifier quoting (never build SQL from unquoted user strings)."""

from __future__ import annotations


def ident(name: str) -> str:
    """`name` quoted as an SQL identifier."""
    return '"' + str(name).replace('"', '""') + '"'


def idents(names) -> str:
    """Comma-separated quoted identifiers."""
    return ", ".join(ident(n) for n in names)
