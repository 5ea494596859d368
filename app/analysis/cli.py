"""`coplan check`, `coplan indicators`, `coplan checkup`, `coplan evaluate`: thin wrappers over
app.analysis."""

from __future__ import annotations

import argparse
import logging

from app.cli_support import command, out, out_json

log = logging.getLogger(__name__)


def add_parsers(sub) -> None:
    """Register the analysis subcommands on the `coplan` parser."""
    s = sub.add_parser("check", help="detect conflicts between plans and breaks at city borders; "
                                     "exit 1 when an error-level conflict is found that is "
                                     "not an accepted exception")
    s.add_argument("projects", nargs="+", metavar="PROJECT",
                   help="one party's project, or several to check the merged metro state")
    s.add_argument("--rules", help="rules file (default: schemas/rules/standard.json)")
    s.add_argument("--json", action="store_true", help="machine-readable output")
    s.add_argument("--out", metavar="FILE",
                   help="write the conflicts to FILE.geojson, .gpkg, .csv or .xlsx")
    _lifecycle_options(s)
    s = sub.add_parser("indicators", help="core indicators per city and metro-wide")
    _project_year(s, required=False)
    s.add_argument("--enter", metavar="FILE",
                   help="first store the values in FILE (JSON list of check-up records)")
    s = sub.add_parser("checkup", help="the annual check-up: targets, status, year-over-year")
    _project_year(s, required=True)
    s.add_argument("--record", action="store_true", help="store this check-up in the project")
    s.add_argument("--chart", metavar="FILE.png", help="draw the check-up chart")
    s = sub.add_parser("evaluate", help="the five-year evaluation: progress from the base year "
                                        "towards the 2035 targets, timing and trend")
    _project_year(s, required=True)
    s.add_argument("--base-year", type=int, default=None,
                   help="the plan's base year (default: 2020)")
    s.add_argument("--xlsx", metavar="FILE.xlsx", help="write the evaluation table")
    s.add_argument("--chart", metavar="FILE.png", help="draw the evaluation chart")


def _lifecycle_options(s: argparse.ArgumentParser) -> None:
    s.add_argument("--status-in", metavar="PROJECT",
                   help="project keeping the conflicts' statuses (default: the first PROJECT)")
    s.add_argument("--no-record", action="store_true",
                   help="show statuses without recording this run in the project")
    s.add_argument("--accept", metavar="ID", action="append", default=[],
                   help="coordinator: accept conflict ID as an exception (needs --memo)")
    s.add_argument("--memo", help="the approving memo of --accept, e.g. its number (纪要编号)")
    s.add_argument("--memo-date", metavar="YYYY-MM-DD", help="date of that memo (default: today)")
    s.add_argument("--reopen", metavar="ID", action="append", default=[],
                   help="coordinator: put an accepted or resolved conflict back to open")
    s.add_argument("--resolve", metavar="ID", action="append", default=[],
                   help="coordinator: mark conflict ID resolved by --change-set")
    s.add_argument("--change-set", metavar="CS", help="the change set id that resolves --resolve")


def _decisions(args) -> list:
    """The --accept / --reopen / --resolve decisions as calls on the status project."""
    from functools import partial

    from app.analysis import lifecycle

    if args.accept and not (args.memo or "").strip():
        from app.errors import InvalidInput

        raise InvalidInput("--accept needs the approving memo: --memo TEXT")
    if args.resolve and not (args.change_set or "").strip():
        from app.errors import InvalidInput

        raise InvalidInput("--resolve needs the change set that resolves it: --change-set ID")
    return [*(partial(lifecycle.accept, ref=i, memo=args.memo, memo_date=args.memo_date)
              for i in args.accept),
            *(partial(lifecycle.reopen, ref=i) for i in args.reopen),
            *(partial(lifecycle.resolve, ref=i, change_set=args.change_set) for i in args.resolve)]


def _project_year(s: argparse.ArgumentParser, required: bool) -> None:
    s.add_argument("project")
    s.add_argument("--year", type=int, required=required, help="check-up year (default: this year)")
    s.add_argument("--json", action="store_true", help="machine-readable output")


@command("check")
def cmd_check(args) -> int:
    """Check one project or the merged state of several, keeping each conflict's status; exit 1
    on an error-level conflict that is not an accepted exception."""
    from app.analysis.export import driver_for, result_json, write_features
    from app.analysis.projects import iter_check_projects, track
    from app.analysis.rules import load_rules
    from app.model.jobs import drive

    if args.out:
        driver_for(args.out)  # a bad file name fails before the check runs, not after
    decisions = _decisions(args)  # a missing memo fails before the check runs too
    result = drive(iter_check_projects(args.projects, load_rules(args.rules)))
    report = track(args.status_in or args.projects[0], result, record=not args.no_record,
                   decisions=decisions)
    if args.out:
        write_features(result, args.out, report)
    if args.json:
        out_json(result_json(result, report))
    else:
        _print_check(result, report, args.out)
    # An accepted exception no longer fails the check: the coordinator approved it.
    return 1 if any(t.conflict.severity == "error" and t.status != "accepted"
                    for t in report.items if t.conflict is not None) else 0


def _print_check(result, report, written: str | None) -> None:
    for t in report.items:
        c = t.conflict
        if c is None:
            continue
        size = f"{c.area_m2:,.1f} m²" if c.area_m2 is not None else (
            f"{c.length_m:,.1f} m" if c.length_m is not None else "")
        status = "new" if t.new else t.status
        memo = f"  memo={t.memo}" if t.memo else ""
        out(f"{c.id[:8]}  {status:<8}  {c.rule}  {c.kind}  {size}  cities={','.join(c.cities)}  "
            f"owners={','.join(c.owners)}  {' × '.join(n for n in c.labels if n)}{memo}".rstrip())
    for s in result.rules:
        out(f"{s.rule:<32} {s.severity:<7} {s.count:>5}  {s.area_m2:>14,.1f} m² "
            f"{s.area_m2 / 1e4:>10,.2f} ha  {s.length_m:>12,.1f} m")
    parties = ", ".join(f"{p} ({n})" for p, n in result.by_party().items()) or "none"
    out(f"{len(result.conflicts)} conflict(s); parties involved: {parties}")
    counts = report.counts()
    out(f"{counts['new']} new, {counts['open']} still open, {counts['accepted']} accepted, "
        f"{counts['resolved']} resolved" + ("" if report.recorded else " (not recorded)"))
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


@command("evaluate")
def cmd_evaluate(args) -> int:
    """The five-year evaluation of a year; --xlsx writes the table, --chart draws it."""
    from app.analysis.evaluation import DEFAULT_BASE_YEAR, iter_evaluate, write_xlsx
    from app.analysis.indicators import load_definitions
    from app.model.jobs import drive

    definitions = load_definitions()
    report = drive(iter_evaluate(args.project, args.year, args.base_year or DEFAULT_BASE_YEAR,
                                 definitions=definitions))
    if args.xlsx:
        write_xlsx(report, definitions, args.xlsx)
    if args.chart:
        from app.analysis.charts import evaluation_figure

        evaluation_figure(report, definitions).savefig(args.chart, dpi=120)
    _print_evaluation(report, definitions, args.json)
    for flag, label in ((args.xlsx, "table"), (args.chart, "chart")):
        if flag and not args.json:
            out(f"{label} written to {flag}")
    return 0


def _print_evaluation(report, definitions, as_json: bool) -> None:
    from app.analysis.checkup import fmt
    from app.analysis.evaluation import table_rows

    if as_json:
        out_json({"format": "coplan.evaluation/v1", "year": report.year,
                  "base_year": report.base_year, "timing": report.timing,
                  "rows": [_row_json(r) for r in report.rows], "summary": report.summary(),
                  "note": report.note})
        return
    rows = table_rows(report, definitions)
    for row, evaluated in zip(rows, report.rows, strict=True):
        if evaluated.kind is None or evaluated.value is None:
            continue  # without a base, target or value: counted below, listed in --json/--xlsx
        shares = [f"{v:.0%}" if v is not None else "—" for v in row[8:11]]
        out("  ".join([*row[:5], *(fmt(v) for v in row[5:8]), *shares, row[11],
                       fmt(row[12], signed=True), fmt(row[13]), row[14]]))
    counts = report.summary()
    for code, by in counts.items():
        text = ", ".join(f"{k} {n}" for k, n in by.items() if n)
        out(f"{report.region_names.get(code, code)}: {text or '—'}")
    out(f"{report.year} vs base {report.base_year}: timing {report.timing:.0%}; {report.note}")


def _row_json(row) -> dict:
    from dataclasses import asdict

    return {**asdict(row), "series": [list(p) for p in row.series]}


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
