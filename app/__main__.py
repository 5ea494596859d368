"""python -m app [PROJECT] [--screenshot FILE] [--lang zh|en]: the CoPlan desktop window."""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from app.paths import resource


def default_project() -> Path:
    """The bundled sample project of Shanghai."""
    return resource("sample_projects", "shanghai-metro", "310000.sqlite")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m app", description="CoPlan desktop window")
    parser.add_argument("project", nargs="?", type=Path, default=None,
                        help="project file (default: the Shanghai sample project)")
    parser.add_argument("--screenshot", type=Path, metavar="FILE",
                        help="save the window to FILE once the map is drawn, then quit")
    parser.add_argument("--lang", choices=("zh", "en"), default=None,
                        help="interface language (default: as last chosen, else the system locale)")
    parser.add_argument("-v", "--verbose", action="store_true", help="log progress to stderr")
    return parser.parse_args(argv)


def missing_message(path: Path, is_default: bool) -> str:
    hint = " (build it: python -m sample_projects.build)" if is_default else ""
    return f"coplan: no such project file: {path}{hint}"


def main(argv: list[str] | None = None) -> int:
    """Open the window; returns the exit code."""
    args = parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")
    from app.views import launch  # Qt loads only now: --help and bad arguments need none

    path = args.project or default_project()
    if not path.is_file() and args.screenshot is not None:
        return launch.report_error(missing_message(path, args.project is None), interactive=False)
    # Interactive: the window opens whatever happens; a missing file is a dialog over it, and
    # File → Open is one click away.
    return launch.run(path, lang=args.lang, screenshot=args.screenshot)


if __name__ == "__main__":
    sys.exit(main())
