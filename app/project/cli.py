"""`coplan import` and `coplan export`: files in and out of a project's layers."""

from __future__ import annotations

import argparse
import sys

from app.cli_support import command, lang, open_project, out
from app.errors import CoplanError, ImportRefused


def add_parsers(sub) -> None:
    _import_parser(sub)
    s = sub.add_parser("export", help="write layers to GeoJSON, GeoPackage, Shapefile or CSV",
                       usage="coplan export PROJECT LAYER FILE [options]\n"
                             "       coplan export PROJECT FILE.gpkg (--layers A,B | --all) [options]")
    s.add_argument("project")
    s.add_argument("target", nargs="+", metavar="[LAYER] FILE",
                   help="the layer (unless --layers or --all) and the output file; the format "
                        "follows the file's extension")
    s.add_argument("--crs", help="target CRS, e.g. EPSG:4549 (default EPSG:4490)")
    s.add_argument("--encoding", help="text encoding of a Shapefile or CSV, e.g. GBK (default UTF-8)")
    which = s.add_mutually_exclusive_group()
    which.add_argument("--layers", help="several layers into one GeoPackage, e.g. GHYDYH,GHFQ")
    which.add_argument("--all", action="store_true", help="every layer into one GeoPackage")
    long = s.add_mutually_exclusive_group()
    long.add_argument("--truncate", action="store_true",
                      help="cut Shapefile text that does not fit its field (listed)")
    long.add_argument("--split", action="store_true",
                      help="continue such text in FIELD_2, FIELD_3 … columns (listed)")
    s.add_argument("--bom", action=argparse.BooleanOptionalAction, default=True,
                   help="start a UTF-8 CSV with a byte-order mark so Excel reads Chinese "
                        "(default; --no-bom for plain UTF-8)")


def _import_parser(sub) -> None:
    s = sub.add_parser("import", help="import GeoJSON, GeoPackage, Shapefile, CSV, DXF, "
                                      "FileGDB (.gdb folder) or KML into a layer")
    s.add_argument("project")
    s.add_argument("layer")
    s.add_argument("file")
    s.add_argument("--crs", help="source CRS when the file does not say or its CRS is "
                   "undefined (GeoPackage srs_id 0 or -1, CAD drawings), e.g. EPSG:4549")
    s.add_argument("--encoding", help="attribute encoding, e.g. GBK or GB18030")
    s.add_argument("--skip-invalid", action="store_true", help="import the good rows, list the bad")
    s.add_argument("--make-valid", action="store_true", help="repair invalid geometries (listed)")
    s.add_argument("--map", action="append", metavar="SOURCE=FIELD",
                   help="map a source column onto a layer field (repeatable)")
    _reading_options(s)
    _import_options(s)


def _import_options(s) -> None:
    s.add_argument("--set", action="append", metavar="FIELD=VALUE", dest="constants",
                   help="give a field one value on every row, e.g. XZQDM=320500 (repeatable)")
    s.add_argument("--report", metavar="FILE", help="write every bad row (FID, BSM, field, "
                   "problem in English and Chinese) to FILE.json or FILE.csv")
    s.add_argument("--update-by", metavar="uuid|BSM", help="update the features whose uuid or BSM a "
                   "row carries instead of adding copies; unmatched rows are added")


def _reading_options(s) -> None:
    s.add_argument("--layer", dest="source_layer", metavar="NAME",
                   help="the layer to read from a multi-layer file (GeoPackage, FileGDB, KML) "
                        "or the CAD layer of a DXF drawing")
    s.add_argument("--where", metavar="SQL", help="import only rows matching this attribute "
                   "filter, e.g. \"XZQDM = '320505'\"")
    s.add_argument("--x", metavar="COLUMN", help="CSV column of the easting / longitude "
                   "(decimal or degrees-minutes-seconds; survey tables call the northing X)")
    s.add_argument("--y", metavar="COLUMN", help="CSV column of the northing / latitude")
    s.add_argument("--towgs84", metavar="DX,DY,DZ[,RX,RY,RZ,DS]",
                   help="datum shift of a Xian 1980 / Beijing 1954 source to CGCS2000: 3 or 7 "
                        "parameters (m, arc-seconds, ppm; position vector); write "
                        "--towgs84=-15.8,… when the first one is negative")
    s.add_argument("--transform", metavar="TEXT",
                   help="datum transformation: '+towgs84=…' or 'ballpark' to accept PROJ's "
                        "approximation (tens of metres off for Xian 1980 / Beijing 1954)")


@command("import")
def cmd_import(args) -> int:
    from app.project.io import import_file
    field_map = dict(_pair(p) for p in args.map or [])
    constants = dict(_pair(p, "--set", "FIELD=VALUE") for p in args.constants or [])
    with open_project(args) as project:
        try:
            report = import_file(project, args.layer, args.file, crs=args.crs,
                                 encoding=args.encoding, skip_invalid=args.skip_invalid,
                                 make_valid=args.make_valid, field_map=field_map,
                                 reading=_reading(args), constants=constants,
                                 update_by=args.update_by, report_path=args.report)
        except ImportRefused as exc:
            raise _in_language(exc, args.skip_invalid) from None
    for line in report.lines(lang()):
        out(line)
    return 0


def _in_language(exc: ImportRefused, skip_invalid: bool) -> ImportRefused:
    """The refusal in this run's language: its rows' problems carry their Chinese."""
    from app.project.io import refusal_text
    report = getattr(exc, "report", None)
    if lang() != "zh" or report is None:
        return exc
    return ImportRefused(refusal_text(report, report.read, skip_invalid, "zh"), exc.problems)


@command("export")
def cmd_export(args) -> int:
    from app.project.export import export_layers
    from app.project.shapefile import TextTooLong
    many = bool(args.layers or args.all)
    if len(args.target) != (1 if many else 2):
        raise CoplanError("give LAYER FILE, or FILE with --layers A,B or --all")
    long_text = "truncate" if args.truncate else "split" if args.split else "refuse"
    with open_project(args) as project:
        layers = ([lay.code for lay in project.layers()] if args.all else
                  [c.strip() for c in args.layers.split(",") if c.strip()] if args.layers
                  else args.target[0])
        try:
            report = export_layers(project, layers, args.target[-1], crs=args.crs,
                                   encoding=args.encoding, long_text=long_text, bom=args.bom)
        except TextTooLong as exc:  # the message quotes five; the list has every one
            for problem in exc.problems:
                print(f"  {problem.text(lang())}", file=sys.stderr)
            raise
    for line in report.lines(lang()):
        out(line)
    return 0


def _reading(args):
    from app.project.sources import ReadOptions
    if args.towgs84 and args.transform:
        raise CoplanError("give either --towgs84 or --transform, not both")
    transform = f"+towgs84={args.towgs84}" if args.towgs84 else args.transform
    return ReadOptions(layer=args.source_layer, where=args.where, x=args.x, y=args.y,
                       transform=transform)


def _pair(text: str, option: str = "--map", form: str = "SOURCE=FIELD") -> tuple[str, str]:
    if "=" not in text:
        raise CoplanError(f"{option} takes {form}, got {text!r}")
    src, dst = text.split("=", 1)
    return src.strip(), dst.strip()
