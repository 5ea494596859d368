"""The `coplan` command: thin wrappers over the library. Exit 0 on success; on bad input a
one-line message on stderr and a non-zero exit code, never a traceback; a closed pipe
(`coplan … | head`) and Ctrl+C end quietly. This module holds the project file's own commands
and the parser; the areas' commands register in app.cli_support, which imports no area."""

from __future__ import annotations

import argparse
import logging
import os
import sys

from app import __version__
from app.analysis import cli as analysis_cli
from app.checkin import cli as checkin_cli
from app.cli_support import (  # noqa: F401  (re-exported: `from app.cli import COMMANDS, …`)
    COMMANDS,
    command,
    lang,
    locale_lang,
    open_project,
    out,
    out_json,
    set_lang,
)
from app.content import cli as content_cli
from app.errors import CoplanError
from app.implement import cli as implement_cli
from app.project import cli as project_cli
from app.qc import cli as qc_cli
from app.reports import cli as reports_cli
from app.review import cli as review_cli
from app.review import cosign_cli, report_cli, round_cli  # noqa: F401  (their @command handlers)
from app.sync import cli as sync_cli

log = logging.getLogger(__name__)
# The areas' subcommands, listed by `coplan --help` in this order after the project file's own
# (below). Imported explicitly, not discovered, so `from app.cli import COMMANDS` holds every
# command however it is imported; a new area's cli.py goes here (tests/test_cli_hygiene.py
# fails if one is missing). review_cli adds the parsers of round_cli, report_cli and cosign_cli.
AREAS = (analysis_cli, checkin_cli, content_cli, implement_cli, project_cli, qc_cli, reports_cli,
         review_cli, sync_cli)
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as a shell reports a program ended by Ctrl+C
EXIT_BROKEN_PIPE = 141  # 128 + SIGPIPE, as a shell reports `yes | head -1`


@command("init")
def cmd_init(args) -> int:
    from app.project.project import Project
    with Project.create(args.project, args.party, args.name, role=args.role) as project:
        out(f"created {project.path} for party {project.party} ({len(project.layers())} layers)")
    return 0


@command("layers")
def cmd_layers(args) -> int:
    with open_project(args) as project:
        rows = [{"code": lay.code, "name_zh": lay.name_zh, "name_en": lay.name_en,
                 "category": lay.category, "geometry": lay.geometry, "status": lay.status,
                 "features": project.count(lay.code)} for lay in project.layers()]
    if args.json:
        out_json(rows)
    else:
        for r in rows:
            out(f"{r['code']:<14} {r['geometry']:<16} {r['features']:>8}  {r['name_zh']} / {r['name_en']}")
    return 0


@command("features")
def cmd_features(args) -> int:
    from app.project.features import iter_features
    with open_project(args) as project:
        rows = [{"uuid": f.uuid, "owner": f.owner, **f.attrs, "geometry": f.geometry.wkt
                 if args.wkt else f.geometry.geom_type}
                for f in iter_features(project, args.layer)]
    if args.json:
        out_json(rows)
    else:
        for r in rows:
            out("  ".join(f"{k}={v}" for k, v in r.items() if v is not None))
    return 0


@command("validate")
def cmd_validate(args) -> int:
    from app.messages import say
    from app.project.features import validate_layer
    from app.qc.cli import validate_rows
    with open_project(args) as project:
        found = [{"layer": lay.code, "uuid": uuid, "field": p.field, "code": p.code,
                  "message": p.message, "message_zh": p.message_zh, "fixable": p.fixable}
                 for lay in project.layers() for uuid, p in validate_layer(project, lay.code)]
        found += validate_rows(project, found)  # the 质检 checks: BSM, YSDM, overlaps… (app.qc)
    if args.json:
        out_json(found)
    else:
        zh = lang() == "zh"
        for f in found:
            out(f"{f['layer']} {f['uuid'] or f.get('bsm') or '-'}: "
                f"{f['message_zh'] if zh and f.get('message_zh') else f['message']}")
        out(say(lang(), "{} problem(s)", len(found)))
    # QC warnings (a feature reaching past the party's area) are shown but do not fail.
    return 1 if any(f.get("severity", "error") == "error" for f in found) else 0


@command("commit")
def cmd_commit(args) -> int:
    from app.project.history import commit_parts
    with open_project(args) as project:
        done = commit_parts(project, args.message, force=args.force)
    if args.force:
        out("forced: committed over failed checks (recorded in the change set)")
    if len(done.ids) == 1:
        out(f"committed {done.ids[0]} ({done.changes} change(s)): {done.message}")
    else:
        out(f"committed {done.changes} change(s) in {len(done.ids)} change sets "
            f"({done.ids[0]} …): {done.message}")
    return 0


@command("log")
def cmd_log(args) -> int:
    from app.project.history import log as history_log
    with open_project(args) as project:
        entries = history_log(project)
    if args.json:
        out_json([{"id": e.changeset.id, "party": e.changeset.party, "author": e.changeset.author,
                   "message": e.changeset.message, "created": e.changeset.created,
                   "base_version": e.changeset.base_version, "state": e.state, "counts": e.counts}
                  for e in entries])
        return 0
    for e in entries:
        counts = ", ".join(f"{n} {op}" for op, n in sorted(e.counts.items()))
        out(f"{e.changeset.id[:13]}  {e.changeset.created[:19]}  {e.state:<6} "
            f"{e.changeset.author}@{e.changeset.party}  {e.changeset.message}  [{counts}]")
    return 0


@command("diff")
def cmd_diff(args) -> int:
    from app.project.history import pending
    with open_project(args) as project:
        changes = pending(project)
    if args.json:
        out_json([c.to_json() for c in changes])
        return 0
    for c in changes:
        cols = ", ".join(c.cols) if c.op == "update" else ""
        out(f"{ {'insert': '+', 'update': '~', 'delete': '-'}[c.op]} {c.layer} {c.uuid} {cols}".rstrip())
    out(f"{len(changes)} pending change(s)")
    return 0


@command("revert")
def cmd_revert(args) -> int:
    from app.project.history import revert
    with open_project(args) as project:
        cs = revert(project, args.changeset)
    out(f"committed {cs.id}: {cs.message}")
    return 0


@command("discard")
def cmd_discard(args) -> int:
    from app.project.history import discard
    with open_project(args) as project:
        n = discard(project)
    out(f"restored {n} feature(s) to their last committed state")
    return 0


@command("audit")
def cmd_audit(args) -> int:
    from app.project.integrity import audit
    with open_project(args) as project:
        report = audit(project, recompute_all=True)
    for line in report.found:
        out(f"found: {line}")
    for line in report.done:
        out(f"done:  {line}")
    out(f"{report.marked} feature(s) changed outside CoPlan's change capture; now pending")
    return 0


def parser() -> argparse.ArgumentParser:
    """The argument parser of every subcommand."""
    p = argparse.ArgumentParser(prog="coplan", description="CoPlan: joint metro-area planning")
    p.add_argument("--version", action="version", version=f"coplan {__version__}")
    p.add_argument("--debug", action="store_true", help="log details to stderr")
    # Its own dest: several subcommands have a --lang of their own (the language of a report).
    p.add_argument("--lang", choices=["zh", "en"], dest="message_lang",
                   help="language of messages (default: zh when the locale is Chinese, else en)")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")
    s = sub.add_parser("init", help="create a project file for a party")
    s.add_argument("project")
    s.add_argument("--party", required=True, help="party code, e.g. 310000")
    s.add_argument("--name", help="party name, e.g. 上海市")
    s.add_argument("--role", default="editor", choices=["editor", "coordinator"])
    _with_json(sub.add_parser("layers", help="list the project's layers and feature counts"))
    s = _with_json(sub.add_parser("features", help="list the features of a layer"), layer=True)
    s.add_argument("--wkt", action="store_true", help="print geometries as WKT")
    _with_json(sub.add_parser("validate", help="check every feature; exit 1 if any problem"))
    s = sub.add_parser("commit", help="name the pending changes into a change set")
    s.add_argument("project")
    s.add_argument("-m", "--message", required=True)
    s.add_argument("--force", action="store_true",
                   help="coordinator only: commit even if the pending changes fail the checks")
    _with_json(sub.add_parser("log", help="list committed change sets"))
    _with_json(sub.add_parser("diff", help="show pending (uncommitted) changes"))
    s = sub.add_parser("revert", help="commit the inverse of a change set")
    s.add_argument("project")
    s.add_argument("changeset", help="change-set id or unique prefix")
    sub.add_parser("discard", help="drop every uncommitted change").add_argument("project")
    sub.add_parser("audit", help="repair what other tools broke, catch edits that bypassed "
                   "change capture, recompute stale areas/lengths").add_argument("project")
    for area in AREAS:
        area.add_parsers(sub)
    return p


def _with_json(s: argparse.ArgumentParser, layer: bool = False) -> argparse.ArgumentParser:
    s.add_argument("project")
    if layer:
        s.add_argument("layer")
    s.add_argument("--json", action="store_true", help="machine-readable output")
    return s


def main(argv: list[str] | None = None) -> int:
    """Run the `coplan` command; returns the exit code."""
    set_lang(locale_lang())  # until --lang is read: a Ctrl+C while starting up is said in it
    try:
        args = _parse(argv)
        logging.basicConfig(level=logging.DEBUG if args.debug else logging.WARNING,
                            format="%(levelname)s %(name)s: %(message)s")
        set_lang(args.message_lang or locale_lang())
        code = COMMANDS[args.command](args)
        sys.stdout.flush()  # a closed pipe fails here, not in the interpreter's exit
        return code
    except CoplanError as exc:
        print(_error_line(exc), file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("coplan: 已中断" if lang() == "zh" else "coplan: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:  # the reader went away (`coplan … | head`): nothing left to say
        _silence_stdout()
        return EXIT_BROKEN_PIPE
    except Exception as exc:  # an internal fault: one line unless --debug
        log.debug("internal error", exc_info=True)
        print(f"coplan: internal error: {type(exc).__name__}: {exc} (run with --debug for details)",
              file=sys.stderr)
        return 70


def _parse(argv: list[str] | None) -> argparse.Namespace:
    try:
        return parser().parse_args(argv)
    except SystemExit:  # --help, --version or a usage error; `coplan --help | head` fails here
        sys.stdout.flush()
        raise


def _silence_stdout() -> None:
    """Point stdout at /dev/null, so the output still buffered is dropped at exit instead of
    failing again ("Exception ignored … BrokenPipeError")."""
    try:
        fd = sys.stdout.fileno()
    except (AttributeError, OSError, ValueError):  # not a real file (a test's capture)
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, fd)
    os.close(devnull)


def _error_line(exc: CoplanError) -> str:
    if lang() != "zh":
        return f"coplan: error: {exc.message}"
    from app.messages import localize
    return f"coplan: 错误：{localize(exc.message, 'zh')}"


if __name__ == "__main__":
    sys.exit(main())
