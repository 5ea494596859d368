"""`coplan content ...`: start, list, show, export, import and set the status of sections."""

from __future__ import annotations

import json
import logging
from pathlib import Path

from app.cli_support import command, out, out_json
from app.errors import InvalidInput

log = logging.getLogger(__name__)


def add_parsers(sub) -> None:
    """Register `coplan content` and its actions on the `coplan` parser."""
    s = sub.add_parser("content", help="the plan's text: sections of the 1+8+5 deliverables")
    actions = s.add_subparsers(dest="action", required=True, metavar="ACTION")
    a = actions.add_parser("init", help="start the content from a template (default: the 1+8+5)")
    a.add_argument("project")
    a.add_argument("--template", metavar="FILE", help="a coplan.content-template/v1 file")
    a = actions.add_parser("list", help="list sections: id, status, owner, title")
    a.add_argument("project")
    a.add_argument("--json", action="store_true", help="machine-readable output")
    a = actions.add_parser("show", help="print one section's text")
    a.add_argument("project")
    a.add_argument("id", help="section id, e.g. Z3.strategy.2")
    a.add_argument("--lang", choices=["zh", "en"], default="zh")
    a = actions.add_parser("export", help="write the content as a template file (JSON)")
    a.add_argument("project")
    a.add_argument("file")
    a = actions.add_parser("import", help="insert or update sections from a template file")
    a.add_argument("project")
    a.add_argument("file")
    a = actions.add_parser("status", help="set a section's status")
    a.add_argument("project")
    a.add_argument("id")
    a.add_argument("status", choices=["draft", "review", "final"])


def _read_json(path: str) -> dict:
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise InvalidInput(f"cannot read {path}: {exc}") from exc


@command("content")
def cmd_content(args) -> int:
    """Dispatch `coplan content ACTION`."""
    from app.project.project import Project

    with Project.open(args.project) as project:
        return ACTIONS[args.action](project, args)


def _init(project, args) -> int:
    from app.content.store import init_content

    added = init_content(project, _read_json(args.template) if args.template else None)
    out(f"content started: {added} section(s) added")
    return 0


def _list(project, args) -> int:
    from app.content.store import load_content

    content = load_content(project.db)
    if args.json:
        out_json([{"id": s.id, "parent": s.parent, "kind": s.kind, "owner": s.owner,
                   "status": s.status, "title_zh": s.title_zh, "title_en": s.title_en,
                   "modified_at": s.modified_at} for s in content])
        return 0
    for s in content:
        depth = len(content.ancestors(s.id))
        out(f"{'  ' * depth}{s.id:<{44 - 2 * depth}} {s.status:<7} {s.owner:<14} {s.title_zh}")
    out(f"{len(content)} section(s)")
    return 0


def _show(project, args) -> int:
    from app.content.store import get_section

    s = get_section(project.db, args.id)
    out(s.title(args.lang))
    out(f"[{s.id} · {s.kind} · {s.owner} · {s.status}]")
    out()
    out(s.body(args.lang))
    return 0


def _export(project, args) -> int:
    from app.content.store import export_content

    data = export_content(project)
    Path(args.file).write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    out(f"exported to {args.file}")
    return 0


def _import(project, args) -> int:
    from app.content.store import import_content
    from app.content.template import parse_template

    report = import_content(project, parse_template(_read_json(args.file), args.file))
    out(f"imported: {report.inserted} added, {report.updated} updated, "
        f"{report.unchanged} unchanged")
    return 0


def _status(project, args) -> int:
    from app.content.store import update_section

    s = update_section(project, args.id, status=args.status)
    out(f"{s.id} is now {s.status}")
    return 0


ACTIONS = {"init": _init, "list": _list, "show": _show, "export": _export, "import": _import,
           "status": _status}
