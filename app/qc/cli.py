"""`coplan qc PROJECT [--pdf F] [--xlsx F] [--json]`: the 质检 checks on a project, with the
report an office files; exit 1 when a check found an error. Also the rows `coplan validate`
adds for the same checks."""

from __future__ import annotations

import datetime as dt

from app.cli_support import command, open_project, out, out_json
from app.errors import InvalidInput
from app.qc.checks import CHECKS, Finding, project_features, run_checks
from app.qc.findings import spot


def add_parsers(sub) -> None:
    s = sub.add_parser("qc", help="run the quality checks (质检) and write the QC report; "
                                  "exit 1 if any error is found")
    s.add_argument("project")
    s.add_argument("--pdf", metavar="FILE", help="write the QC report (数据质检报告) as PDF")
    s.add_argument("--xlsx", metavar="FILE", help="write the findings as an Excel workbook")
    s.add_argument("--json", action="store_true", help="machine-readable output")
    s.add_argument("--lang", choices=["zh", "en"], default="zh", help="language of the PDF")


def validation_findings(project) -> list[Finding]:
    """validate's own problems (required fields, code lists, geometry) as findings."""
    from app.project.features import iter_features, validate_layer

    out_ = []
    for layer in project.layers():
        problems = validate_layer(project, layer.code)
        if not problems:
            continue
        by_uuid = {f.uuid: f for f in iter_features(project, layer.code)}
        for uuid, p in problems:
            f = by_uuid.get(uuid)
            bsm = f.attrs.get("BSM") if f is not None and "BSM" in f.attrs else None
            check = "outside_china" if p.code == "outside-china" else "valid"  # the same check
            out_.append(Finding(check, "error", layer.code, uuid, None if bsm is None else str(bsm),
                                p.message, p.message_zh, spot(f.geometry) if f else None))
    return out_


def qc_findings(project) -> tuple[list[Finding], str]:
    """(every finding on the project, where the party's area came from)."""
    from app.qc.areas import party_boundary

    features = project_features(project)
    boundary, source = party_boundary(project.party, features)
    valid = validation_findings(project)
    said = {(f.layer, f.uuid) for f in valid if f.check == "outside_china"}
    found = [f for f in run_checks(features, project.catalogue, project.party, boundary)
             if not (f.check == "outside_china" and (f.layer, f.uuid) in said)]
    order = list(CHECKS)
    return sorted(valid + found, key=lambda f: order.index(f.check)), source


def validate_rows(project, problems: list[dict]) -> list[dict]:
    """The QC findings as `coplan validate --json` rows (its fields plus check, severity, bsm
    and where); a feature validation already calls far outside China is not repeated."""
    from app.qc.checks import project_findings

    abroad = {(p["layer"], p["uuid"]) for p in problems if p.get("code") == "outside-china"}
    return [{"layer": f.layer, "uuid": f.uuid, "field": None, "code": f.check,
             "message": f.message, "message_zh": f.message_zh, "fixable": False,
             "check": f.check, "severity": f.severity, "bsm": f.bsm,
             "where": list(f.where) if f.where else None}
            for f in project_findings(project)
            if not (f.check == "outside_china" and (f.layer, f.uuid) in abroad)]


def data_version(project, lang: str = "zh") -> str:
    """The data the report is about: the server version the project last synced to, and
    whether it holds local edits beyond it (committed or not)."""
    from app.project import tracking

    base = project.base_version
    local = project.db.execute(
        "SELECT count(*) FROM coplan_changesets WHERE state = 'local'").fetchone()[0]
    dirty = local or tracking.dirty_layers(project.db, project.tracked_layers())
    if lang == "zh":
        return f"第 {base} 版" + ("（另含本地未同步的修改）" if dirty else "")
    return f"version {base}" + (" plus local changes not yet synced" if dirty else "")


def _writing(path: str, write) -> None:
    """Run `write`; a file that cannot be written is bad input, not an internal error."""
    try:
        write()
    except OSError as exc:
        raise InvalidInput(f"cannot write the QC report {path}: {exc.strerror or exc}") from exc


@command("qc")
def cmd_qc(args) -> int:
    with open_project(args) as project:
        found, source = qc_findings(project)
        party = f"{project.party_name}（{project.party}）" if project.party_name != project.party \
            else project.party
        version, base = data_version(project, args.lang), project.base_version
        names = {lay.code: lay.name(args.lang) for lay in project.layers()}
    today = dt.datetime.now(dt.UTC).isoformat()
    if args.pdf:
        from app.qc.report import write_pdf
        _writing(args.pdf, lambda: write_pdf(
            found, args.pdf, title_zh="数据质检报告", party=party, version=version,
            lang=args.lang, layer_names=names, at=today, boundary_source=source))
    if args.xlsx:
        from app.qc.xlsx import write_xlsx
        _writing(args.xlsx, lambda: write_xlsx(found, args.xlsx, party=party, version=version,
                                               layer_names=names, at=today))
    errors = sum(f.severity == "error" for f in found)
    if args.json:
        out_json({"party": party, "version": version, "base_version": base, "boundary": source,
                  "errors": errors, "warnings": len(found) - errors,
                  "findings": [f.to_json() for f in found]})
    else:
        for f in found:
            label = f.bsm or f.uuid or "-"
            out(f"{f.severity:<7} {f.layer} {label} [{f.check}]: {f.message}")
        failed = len({f.check for f in found if f.severity == "error"})
        out(f"{errors} error(s), {len(found) - errors} warning(s); "
            f"{failed} of {len(CHECKS)} checks failed")
    return 1 if errors else 0
