"""`coplan import` and `coplan export`: files in and out of a project's layers."""

from __future__ import annotations

from app.cli import command, open_project, out
from app.errors import CoplanError


def add_parsers(sub) -> None:
    _import_parser(sub)
    s = sub.add_parser("export", help="write a layer to GeoJSON, GeoPackage, Shapefile or CSV")
    s.add_argument("project")
    s.add_argument("layer")
    s.add_argument("file", help="output file; the format follows its extension")
    s.add_argument("--crs", help="target CRS, e.g. EPSG:4549 (default EPSG:4490)")
    s.add_argument("--encoding", help="attribute encoding of a Shapefile, e.g. GBK (default UTF-8)")


def _import_parser(sub) -> None:
    s = sub.add_parser("import", help="import GeoJSON, GeoPackage, Shapefile or CSV into a layer")
    s.add_argument("project")
    s.add_argument("layer")
    s.add_argument("file")
    s.add_argument("--crs", help="source CRS when the file does not say, e.g. EPSG:4549")
    s.add_argument("--encoding", help="attribute encoding, e.g. GBK or GB18030")
    s.add_argument("--skip-invalid", action="store_true", help="import the good rows, list the bad")
    s.add_argument("--make-valid", action="store_true", help="repair invalid geometries (listed)")
    s.add_argument("--map", action="append", metavar="SOURCE=FIELD",
                   help="map a source column onto a layer field (repeatable)")


@command("import")
def cmd_import(args) -> int:
    from app.project.io import import_file
    field_map = dict(_pair(p) for p in args.map or [])
    with open_project(args) as project:
        report = import_file(project, args.layer, args.file, crs=args.crs, encoding=args.encoding,
                             skip_invalid=args.skip_invalid, make_valid=args.make_valid,
                             field_map=field_map)
    for line in report.lines():
        out(line)
    return 0


@command("export")
def cmd_export(args) -> int:
    from app.project.export import export_layer
    with open_project(args) as project:
        n = export_layer(project, args.layer, args.file, crs=args.crs, encoding=args.encoding)
    out(f"exported {n} feature(s) to {args.file}")
    return 0


def _pair(text: str) -> tuple[str, str]:
    if "=" not in text:
        raise CoplanError(f"--map takes SOURCE=FIELD, got {text!r}")
    src, dst = text.split("=", 1)
    return src.strip(), dst.strip()
