"""`coplan checkin …`: check-in of submitted data (质检入库). Thin wrappers over app.checkin:
a party submits its synced data version and reads its submissions; coordinators accept or
return them. PROJECT is the local copy; it names the server and the project on it."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from app.cli_support import command, out, out_json

log = logging.getLogger(__name__)
STATUS_LABEL = {"pending": "待质检", "accepted": "已入库", "returned": "已退回",
                "superseded": "已替代"}


def add_parsers(sub) -> None:
    """Register `coplan checkin` and its actions on the `coplan` parser."""
    p = sub.add_parser("checkin", help="check-in of submitted data (质检入库): submit, list, "
                                       "show, accept, return")
    actions = p.add_subparsers(dest="action", required=True, metavar="ACTION")
    a = _action(actions, "submit", "submit this copy's synced data version for check-in",
                number=False)
    a.add_argument("--note", default="", help="a note to the office")
    a = _action(actions, "list", "the submissions this party may see, newest first",
                number=False)
    a.add_argument("--json", action="store_true", help="machine-readable output")
    a = _action(actions, "show", "one submission with its QC findings")
    a.add_argument("--json", action="store_true", help="machine-readable output (with findings)")
    a.add_argument("--pdf", type=Path, help="write the QC report as PDF")
    a.add_argument("--xlsx", type=Path, help="write the QC findings as an Excel workbook")
    a = _action(actions, "accept", "coordinators: accept a submission (tags its version 入库)")
    a.add_argument("--note", default="")
    a.add_argument("--force", action="store_true", help="accept although QC found errors "
                                                        "(recorded)")
    a = _action(actions, "return", "coordinators: return a submission to its party")
    a.add_argument("--note", required=True, help="what the party must fix")
    a.add_argument("--pdf", type=Path, help="also write the QC report as PDF")
    a.add_argument("--xlsx", type=Path, help="also write the QC findings as an Excel workbook")
    _action(actions, "qc", "coordinators: run QC again on a pending submission")


def _action(actions, name: str, help_text: str, number: bool = True):
    a = actions.add_parser(name, help=help_text)
    a.add_argument("project", help="the local copy (it names the server)")
    if number:
        a.add_argument("number", type=int, help="the submission's number (coplan checkin list)")
    return a


@contextmanager
def online(path: str) -> Iterator[tuple]:
    """(project, CheckinRemote) of a local copy with a server and a login."""
    from app.checkin.client import CheckinRemote
    from app.project.project import Project
    from app.sync.client import Remote
    from app.sync.credentials import token_for
    from app.sync.replica import remote_of
    with Project.open(path) as project:
        url, pid = remote_of(project)
        yield project, CheckinRemote(Remote(url, token_for(url)), pid)


@command("checkin")
def cmd_checkin(args) -> int:
    return ACTIONS[args.action](args)


def _submit(args) -> int:
    from app.checkin.client import submittable_version
    with online(args.project) as (project, api):
        version = submittable_version(project)
        sub = api.submit(version, args.note)
    out(f"submitted version {sub['version']} of party {sub['party']} for check-in as "
        f"submission {sub['number']}: {_qc_text(sub)}")
    return 0


def _list(args) -> int:
    with online(args.project) as (_, api):
        subs = api.submissions()
    if args.json:
        out_json(subs)
        return 0
    if not subs:
        out("no submissions")
    for s in subs:
        out(line(s))
    return 0


def line(sub: dict) -> str:
    """One submission as `checkin list` prints it."""
    from app.review.times import beijing
    tag = f" [{sub['tag']}]" if sub.get("tag") else ""
    note = f"  “{sub['note']}”" if sub["note"] else ""
    return (f"#{sub['number']:<4} {sub['party']:<10} v{sub['version']:<6} "
            f"{STATUS_LABEL[sub['status']]} {sub['status']:<10}{tag} {_qc_text(sub)}  "
            f"{sub['username']} {beijing(sub['submitted'])}{note}")


def _qc_text(sub: dict) -> str:
    return f"QC {sub['errors']} error(s), {sub['warnings']} warning(s) in {sub['features']} features"


def _show(args) -> int:
    with online(args.project) as (_, api):
        sub = api.submission(args.number)
    _reports(sub, args.pdf, args.xlsx)
    if args.json:
        out_json(sub)
        return 0
    from app.review.times import beijing
    out(line(sub))
    if sub["decided_at"]:
        forced = " (forced over QC errors)" if sub["forced"] else ""
        out(f"  {STATUS_LABEL[sub['status']]} by {sub['decided_by']} "
            f"{beijing(sub['decided_at'])}{forced}: {sub['decision_note'] or ''}")
    for f in sub["findings"]:
        ident = f["bsm"] or f["uuid"] or ""
        out(f"  {f['severity']:<7} {f['check']:<18} {f['layer']:<10} {ident}  {f['message_zh']} "
            f"/ {f['message']}")
    return 0


def _decide(args) -> int:
    with online(args.project) as (_, api):
        if args.action == "accept":
            sub = api.accept(args.number, args.note, args.force)
        elif args.action == "return":
            sub = api.return_(args.number, args.note)
            _reports(api.submission(args.number), args.pdf, args.xlsx)
        else:
            sub = api.rerun(args.number)
    if args.action == "qc":
        out(f"submission {sub['number']}: {_qc_text(sub)}")
    else:
        tag = f"; version {sub['version']} tagged {sub['tag']}" if sub.get("tag") else ""
        out(f"submission {sub['number']} of party {sub['party']}: "
            f"{STATUS_LABEL[sub['status']]} {sub['status']}{tag}")
    return 0


def _reports(sub: dict, pdf: Path | None, xlsx: Path | None) -> None:
    """Write the submission's QC report files that were asked for."""
    if not pdf and not xlsx:
        return
    from app.checkin.report import write_reports
    for path in write_reports(sub, pdf, xlsx):
        out(f"wrote {path}")


ACTIONS = {"submit": _submit, "list": _list, "show": _show, "accept": _decide,
           "return": _decide, "qc": _decide}
