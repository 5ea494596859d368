"""Build the Shanghai metro sample projects: `python -m sample_projects.build [--force]`.

Runs on every app start (scripts/run.sh), so the up-to-date check is cheap: a stamp file holds
a hash of the inputs (reference files, the build's own code, the layer catalogue) and nothing
heavy is imported unless a rebuild is needed.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
import os
import sys
import time
from pathlib import Path

log = logging.getLogger(__name__)

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
SAMPLE = HERE / "shanghai-metro"
DEFAULT_REFERENCE = SAMPLE / "source"
CATALOGUE = REPO / "schemas" / "layers.json"
# Named to fall under the existing `*.sqlite-*` ignore rule; the outputs are never committed.
STAMP = "build.sqlite-stamp"
# The reference files the build reads (vendored into shanghai-metro/source/).
SOURCE_FILES = ("cities.json", "schematic_city_polygons.geojson", "taihu_naturalearth.geojson",
                "projects_sample.geojson", "metro_plan_1_8_5.json", "metro_plan_structure.json")
CONTENT_TEMPLATE = REPO / "schemas" / "content" / "metro-1-8-5.json"
REVIEW = "review"  # the sample comment round: events, ledger, handling reports, a signed release
IMPLEMENT = "implement"  # the sample year of progress reports, issues and meetings (events.jsonl)
OUTPUTS = ("310000", "320500", "320200", "320400", "320600", "330200", "330400", "330900",
           "330500", "metro")


def input_files(reference: Path) -> list[Path]:
    """Every file whose content decides the build's output."""
    code = sorted(HERE.glob("*.py")) + sorted(HERE.glob("review/*.py"))
    content = sorted((HERE / "content").glob("*.py")) + sorted((HERE / "content").glob("*.json"))
    return [*(reference / name for name in SOURCE_FILES), *code, *content, CATALOGUE,
            CONTENT_TEMPLATE]


def fingerprint(files: list[Path]) -> str:
    """SHA-256 over the names and contents of `files`."""
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def up_to_date(out: Path, digest: str, review: bool = True) -> bool:
    """True when every output exists and the stamp records `digest`."""
    try:
        stamp = json.loads((out / STAMP).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    outputs = [out / f"{name}.sqlite" for name in OUTPUTS]
    if review:
        outputs += [out / REVIEW / "events.jsonl", out / IMPLEMENT / "events.jsonl"]
    return stamp.get("fingerprint") == digest and all(path.is_file() for path in outputs)


def write_stamp(out: Path, digest: str) -> None:
    """Record `digest`; written last, through a rename, so it never vouches for a half build."""
    tmp = out / f".{STAMP}.tmp"
    tmp.write_text(json.dumps({"fingerprint": digest, "built": time.time()}), encoding="utf-8")
    os.replace(tmp, out / STAMP)


def build(reference: Path = DEFAULT_REFERENCE, out: Path = SAMPLE, *, force: bool = False,
          review: bool = True) -> bool:
    """Build the sample projects (and the sample comment round and year of progress tracking)
    into `out` unless they are up to date; True when built."""
    digest = fingerprint(input_files(reference))
    if not force and up_to_date(out, digest, review):
        log.info("sample projects in %s are up to date", out)
        return False
    from sample_projects.writer import write_all  # heavy: SpatiaLite, shapely, pyproj

    (out / STAMP).unlink(missing_ok=True)
    started = time.monotonic()
    write_all(reference, out, digest)
    if review:
        from sample_projects.review import build_review  # the 647-comment round, its PDFs

        build_review(out / REVIEW, reference)
        from sample_projects.implement import build_implement  # also fills every mirror

        build_implement(out / IMPLEMENT, CONTENT_TEMPLATE, out / "metro.sqlite",
                        [out / f"{name}.sqlite" for name in OUTPUTS])
    write_stamp(out, digest)
    log.info("built %d sample projects in %s (%.1f s)", len(OUTPUTS), out, time.monotonic() - started)
    return True


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m sample_projects.build", description=__doc__.split("\n")[0])
    parser.add_argument("--reference", type=Path, default=DEFAULT_REFERENCE,
                        help="folder with the reference files (default: the vendored copy)")
    parser.add_argument("--out", type=Path, default=SAMPLE, help="output folder")
    parser.add_argument("--force", action="store_true", help="rebuild even when up to date")
    parser.add_argument("--quiet", action="store_true", help="report errors only")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """CLI entry point; returns the exit code."""
    args = parse_args(argv)
    logging.basicConfig(level=logging.WARNING if args.quiet else logging.INFO,
                        format="%(message)s", stream=sys.stderr)
    missing = [p for p in input_files(args.reference) if not p.is_file()]
    if missing:
        print(f"sample_projects.build: missing input {missing[0]}", file=sys.stderr)
        return 1
    from app.errors import CoplanError  # light: no third-party imports

    try:
        build(args.reference, args.out, force=args.force)
    except (CoplanError, OSError) as exc:  # bad input or disk: one line, not a traceback
        print(f"sample_projects.build: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
