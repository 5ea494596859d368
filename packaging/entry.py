"""The bundle's entry point: the desktop window, or the `coplan` command.

One program serves both so the bundle carries its Python modules once (PyInstaller embeds
them in each executable). It runs the command line when it is called as `coplan` (the
`coplan` symlink on Linux, coplan.exe on Windows) or with `--cli` as its first argument;
otherwise the desktop window (`coplan-desktop [PROJECT] [--screenshot FILE] ...`).
"""

from __future__ import annotations

import sys
from pathlib import PureWindowsPath


def wants_cli(argv0: str, args: list[str]) -> bool:
    """Whether this call is for the command line rather than the window."""
    # PureWindowsPath splits on both / and \, so the test holds for every platform's argv[0].
    return PureWindowsPath(argv0).stem.lower() == "coplan" or args[:1] == ["--cli"]


def main() -> int:
    args = sys.argv[1:]
    if wants_cli(sys.argv[0], args):
        from app.cli import main as cli_main

        return cli_main(args[1:] if args[:1] == ["--cli"] else args)
    from app.__main__ import main as desktop_main

    return desktop_main(args)


if __name__ == "__main__":
    sys.exit(main())
