"""`coplan check`, `coplan indicators`, `coplan checkup`: thin wrappers over app.analysis."""

from __future__ import annotations

import argparse
import logging

from app.cli import command, out, out_json

log = logging.getLogger(__name__)


def add_parsers(sub) -> None:
    """Register the analysis subcommands on the `coplan` parser."""
    s = sub.add_parser("check", help="detect conflicts between plans and breaks at city borders; "
                                     "exit 1 when an error-level conflict is found")
    s.add_argument("projects", nargs="+", metavar="PROJECT",
                   help="one party's project, or several to check the merged metro state")
    s.add_argument("--rules", help="rules file (default: schemas/rules/standard.json)")
    s.add_argument("--json", action="store_true", help="machine-readable output")
    s.add_argument("--out", metavar="FILE", help="write the conflicts to FILE.geojson or FILE.gpkg")
    s = sub.add_parser("indicators", help="core indicators per city and metro-wide")
    _project_year(s, required=False)
    s.add_argument("--enter", metavar="FILE",
                   help="first store the values in FILE (JSON list of check-up records)")
    s = sub.add_parser("checkup", help="the annual check-up: targets, status, year-over-year")
    _project_year(s, required=True)
    s.add_argument("--record", action="store_true", help="store this check-up in the project")
    s.add_argument("--chart", metavar="FILE.png", help="draw the check-up chart")


def _project_year(s: argparse.ArgumentParser, required: bool) -> None:
    s.add_argument("project")
    s.add_argument("--year", type=int, required=required, help="check-up year (default: this year)")
    s.add_argument("--json", action="store_true", help="machine-readable output")


@command("check")
def cmd_check(args) -> int:
    """Check one project or the merged state of several; exit 1 on an error-level conflict."""
    from app.analysis.export import driver_for, result_json, write_features
    from app.analysis.projects import iter_check_projects
    from app.analysis.rules import load_rules
    from app.model.jobs import drive

    if args.out:
        driver_for(args.out)  # a bad file name fails before the check runs, not after
    result = drive(iter_check_projects(args.projects, load_rules(args.rules)))
    if args.out:
        write_features(result, args.out)
    if args.json:
        out_json(result_json(result))
    else:
        _print_check(result, args.out)
    return 1 if any(c.severity == "error" for c in result.conflicts) else 0


def _print_check(result, written: str | None) -> None:
    for c in result.conflicts:
        size = f"{c.area_m2:,.1f} m²" if c.area_m2 is not None else (
            f"{c.length_m:,.1f} m" if c.length_m is not None else "")
        out(f"{c.id[:8]}  {c.rule}  {c.kind}  {size}  cities={','.join(c.cities)}  "
            f"owners={','.join(c.owners)}")
    for s in result.rules:
        out(f"{s.rule:<32} {s.severity:<7} {s.count:>5}  {s.area_m2:>14,.1f} m²  {s.length_m:>12,.1f} m")
    parties = ", ".join(f"{p} ({n})" for p, n in result.by_party().items()) or "none"
    out(f"{len(result.conflicts)} conflict(s); parties involved: {parties}")
    if written:
        out(f"wrote {len(result.conflicts)} conflict(s) to {written}")


def _report(args):
    from app.analysis.checkup import current_year
    from app.analysis.projects import iter_checkup
    from app.model.jobs import drive

    return drive(iter_checkup(args.project, args.year or current_year()))


@command("indicators")
def cmd_indicators(args) -> int:
    """List the indicator values of a year, after storing entered ones from --enter."""
    from app.analysis.checkup import fmt
    from app.analysis.indicators import load_definitions
    from app.analysis.projects import enter_file

    if args.enter:
        out(f"entered {enter_file(args.project, args.enter)} value(s)")
    report, definitions = _report(args), load_definitions()
    rows = [{"indicator": r.indicator, "name_zh": definitions.get(r.indicator).name_zh,
             "unit": definitions.get(r.indicator).display_unit, "region": r.region,
             "year": report.year, "value": r.value, "origin": r.origin, "source": r.source,
             "method": r.method} for r in report.rows]
    if args.json:
        out_json({"year": report.year, "note": report.note, "indicators": rows})
        return 0
    for r in rows:
        out(f"{r['indicator']}  {r['region']:<8} {fmt(r['value']):>12} {r['unit']:<10} "
            f"{r['origin']:<9} {r['name_zh']}")
    out(f"{sum(r['value'] is not None for r in rows)} value(s) for {report.year}; {report.note}")
    return 0


@command("checkup")
def cmd_checkup(args) -> int:
    """The check-up of a year as the annex table; --record stores it, --chart draws it."""
    from app.analysis.checkup import annex
    from app.analysis.indicators import load_definitions
    from app.analysis.projects import record_checkup

    report, definitions = _report(args), load_definitions()
    if args.chart:
        from app.analysis.charts import checkup_figure

        checkup_figure(report, definitions).savefig(args.chart, dpi=120)
    _print_annex(report, annex(report, definitions), args.json)
    if args.record:
        out(f"recorded the {report.year} check-up ({record_checkup(args.project, report)} rows)")
    if args.chart:
        out(f"chart written to {args.chart}")
    return 0


def _print_annex(report, table, as_json: bool) -> None:
    if as_json:
        out_json({"year": report.year, "previous_year": report.previous_year,
                  "columns": list(table.columns), "rows": [list(r) for r in table.rows],
                  "notes": list(table.notes)})
        return
    out("  ".join(table.columns[:-1]))  # the source column is long: JSON has it
    for row in table.rows:
        out("  ".join(row[:-1]))
    for note in table.notes:
        out(note)
