"""`coplan round …`: a coordinator runs comment rounds and a party answers them, over the
project's server (no raw HTTP)."""

from __future__ import annotations


def add_parsers(sub) -> None:
    """Register `coplan round` and its subcommands."""
