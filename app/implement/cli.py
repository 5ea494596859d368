"""`coplan progress …`, `coplan issue …`, `coplan meeting …`: implementation tracking (共同实施).

Thin wrappers over app.implement. Reads come from the copy's mirror of the event log (they
work offline; `progress sync` refreshes it). A party's reports and issues are written to the
outbox and sent by `progress sync`; a coordinator's decisions (items, weights, reviews,
escalations, meetings, memos) go straight to the server, and the copy pulls afterwards so the
next `progress status` shows them. Reports, issues and meetings are named by a unique prefix
of their id (lists show 13 characters); a report also by PARTY/PERIOD.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import functools
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from app.cli_support import command, lang, out, out_json
from app.errors import InvalidInput, PermissionDenied
from app.implement import model as M
from app.review.cli import pad, resolve_ids

# --- parsers ---------------------------------------------------------------------------------

def add_parsers(sub) -> None:
    """Register `coplan progress`, `coplan issue` and `coplan meeting`."""
    _progress_parsers(sub)
    _issue_parsers(sub)
    _meeting_parsers(sub)


def _action(actions, name: str, text: str) -> argparse.ArgumentParser:
    a = actions.add_parser(name, help=text)
    a.add_argument("project", help="the local copy (cloned from the server)")
    return a


class _LineOption(argparse.Action):
    """--item starts a report line; --percent, --status, --note-zh … after it fill that line.
    The options are kept in order and checked by the command (a one-line error, exit 2)."""

    def __call__(self, parser, namespace, values, option_string=None):
        namespace.line_opts = [*(namespace.line_opts or []), (self.dest, values)]


def _progress_parsers(sub) -> None:
    s = sub.add_parser("progress", help="tracked items, progress reports and the roll-up "
                                        "(共同实施)")
    actions = s.add_subparsers(dest="action", required=True, metavar="ACTION")
    a = _action(actions, "items", "the tracked items as a tree, with lead and participants")
    a.add_argument("--register", action="store_true", help="coordinator: send the plan's "
                   "actions and the project library's entries as items (new or changed only)")
    a.add_argument("--json", action="store_true", help="machine-readable output")
    a = _action(actions, "report", "write a progress report for a period (sent by "
                                   "`coplan progress sync`; works offline)")
    a.add_argument("--period", required=True, help="the reporting period, YYYY-MM")
    a.set_defaults(line_opts=None)
    a.add_argument("--item", action=_LineOption, metavar="ID", help="starts a line: the item")
    a.add_argument("--percent", action=_LineOption, help="%% complete, 0–100")
    a.add_argument("--status", action=_LineOption,
                   help="one of " + ", ".join(M.STATUSES) + " (or its Chinese name)")
    a.add_argument("--note-zh", action=_LineOption, metavar="TEXT", help="narrative in Chinese")
    a.add_argument("--note-en", action=_LineOption, metavar="TEXT", help="narrative in English")
    a.add_argument("--issue", action=_LineOption, metavar="TITLE", help="raise an issue")
    a.add_argument("--evidence", action=_LineOption, metavar="FILE", help="attach a PDF/image")
    a.add_argument("--changeset", action=_LineOption, metavar="ID", help="a change set as "
                                                                         "evidence")
    a.add_argument("--milestone", action=_LineOption, metavar="ID", help="a milestone done")
    a.add_argument("--from", dest="table", type=Path, metavar="FILE.csv|.xlsx",
                   help="the lines from a table (item, percent, status, narrative_zh, …)")
    a.add_argument("--draft", action="store_true", help="keep it as a draft, do not queue it")
    _action(actions, "sync", "send reports and issues written offline, then pull the log")
    a = _action(actions, "indicators", "indicator values and check-ups the parties sent, "
                                       "and when")
    a.add_argument("--year", type=int, help="only values and check-ups of this year")
    a.add_argument("--party", help="only what this party sent")
    a.add_argument("--json", action="store_true", help="machine-readable output")
    a = _action(actions, "status", "the roll-up (plan → parts → systems/zones → actions → "
                                   "projects) and who has reported")
    a.add_argument("--as-of", metavar="YYYY-MM", help="the roll-up at the end of this period "
                   "and its reporting state (default: the latest reports; last month)")
    a.add_argument("--period", metavar="YYYY-MM", help="the period whose reporting state is "
                   "shown (default: --as-of, else last month)")
    a.add_argument("--party", help="only the items this party leads or joins")
    a.add_argument("--depth", type=int, help="levels of the tree shown (default: all)")
    a.add_argument("--today", help=argparse.SUPPRESS)
    a.add_argument("--json", action="store_true", help="machine-readable output")
    a = _action(actions, "timeline", "the reported %% and status of an item, period by period")
    a.add_argument("item")
    a = _action(actions, "milestones", "an item's milestones (due, done, overdue); "
                                       "coordinator: --add or --remove one")
    a.add_argument("item")
    a.add_argument("--add", metavar="ID", help="a new milestone's id (e.g. M1)")
    a.add_argument("--name-zh", metavar="TEXT", help="its name in Chinese")
    a.add_argument("--name-en", metavar="TEXT", default="", help="its name in English")
    a.add_argument("--due", metavar="YYYY-MM", help="the period it is due by")
    a.add_argument("--remove", metavar="ID", help="remove a milestone not done yet")
    a.add_argument("--json", action="store_true", help="machine-readable output")
    a = _action(actions, "list", "progress reports, newest first")
    a.add_argument("--period")
    a.add_argument("--party")
    a.add_argument("--state", choices=M.REPORT_STATES)
    a.add_argument("--json", action="store_true", help="machine-readable output")
    a = _action(actions, "review", "coordinator: accept or return a report")
    a.add_argument("report", help="the report's id (unique prefix) or PARTY/PERIOD")
    decision = a.add_mutually_exclusive_group(required=True)
    decision.add_argument("--accept", action="store_true")
    decision.add_argument("--return", dest="give_back", action="store_true")
    a.add_argument("--note", default="", help="why (required when returning)")
    a = _action(actions, "weights", "coordinator: how an item weighs its children")
    a.add_argument("node", help="the parent item, e.g. plan, S1, Z2")
    a.add_argument("--method", required=True, choices=M.WEIGHTINGS)
    a.add_argument("--weight", action="append", default=[], metavar="CHILD=W",
                   help="a custom weight (missing children weigh 1)")
    for kind in ("pdf", "xlsx"):
        a = _action(actions, kind, f"the monthly progress report as {kind.upper()}")
        a.add_argument("--period", required=True, help="YYYY-MM")
        a.add_argument("--party", help="one party's report (default: metro-wide)")
        a.add_argument("--out", type=Path, required=True)
        a.add_argument("--lang", choices=["zh", "en"], default="zh")


def _issue_parsers(sub) -> None:
    s = sub.add_parser("issue", help="the issue list (销项): open, list, show, escalate")
    actions = s.add_subparsers(dest="action", required=True, metavar="ACTION")
    a = _action(actions, "open", "raise an issue (sent by `coplan progress sync`)")
    a.add_argument("--title-zh")
    a.add_argument("--title-en", default="")
    a.add_argument("--owner", help="the party that must close it (default: this copy's)")
    a.add_argument("--due", help="YYYY-MM-DD")
    a.add_argument("--level", type=int, choices=sorted(M.LEVELS), default=1)
    a.add_argument("--item", help="the tracked item it concerns")
    a.add_argument("--from-check", action="store_true",
                   help="one issue per open conflict of this copy's last check")
    a.add_argument("--from-comment", metavar="ID", help="the comment it comes from")
    a = _action(actions, "list", "issues, by level and due date")
    state = a.add_mutually_exclusive_group()
    state.add_argument("--open", action="store_true", help="only open issues")
    state.add_argument("--overdue", action="store_true", help="open issues past their due date")
    a.add_argument("--level", type=int, choices=sorted(M.LEVELS))
    a.add_argument("--today", help="the date the overdue ones are counted on (default: today)")
    a.add_argument("--json", action="store_true", help="machine-readable output")
    a = _action(actions, "show", "an issue with its history and the memos that decided it")
    a.add_argument("issue", help="the issue's id (unique prefix)")
    a = _action(actions, "escalate", "coordinator: raise an issue one level")
    a.add_argument("issue", nargs="?", help="the issue's id (unique prefix)")
    a.add_argument("--reason", help="why (e.g. unresolved)")
    a.add_argument("--overdue", action="store_true",
                   help="escalate every overdue open issue below level 3")
    a.add_argument("--today", help="the date overdue is counted on (default: today)")


def _meeting_parsers(sub) -> None:
    s = sub.add_parser("meeting", help="meetings (推进会, 销项会, 领导小组会议) and their memos")
    actions = s.add_subparsers(dest="action", required=True, metavar="ACTION")
    a = _action(actions, "plan", "coordinator: plan a meeting with its agenda")
    a.add_argument("--level", type=int, required=True, choices=sorted(M.LEVELS))
    a.add_argument("--date", required=True, help="YYYY-MM-DD")
    a.add_argument("--title-zh", required=True)
    a.add_argument("--title-en", default="")
    a.add_argument("--attendee", action="append", default=[], metavar="PARTY")
    a.add_argument("--agenda", default="auto", help="auto (the open issues at this level) or "
                                                    "issue ids, comma-separated")
    a = _action(actions, "memo", "coordinator: record a meeting's memo (纪要) and decisions")
    a.add_argument("meeting", help="the meeting's id (unique prefix) or its date")
    a.add_argument("--number", required=True, help="the memo number (纪要编号)")
    a.add_argument("--text-zh", default="")
    a.add_argument("--text-en", default="")
    for decision in M.DECISIONS:
        a.add_argument(f"--{decision}", action="append", default=[], metavar="ISSUE")
    a.add_argument("--due", help="the new due date of kept or escalated issues, YYYY-MM-DD")
    a = _action(actions, "list", "meetings, newest first")
    a.add_argument("--json", action="store_true", help="machine-readable output")
    a = _action(actions, "show", "a meeting: attendees, agenda, memo")
    a.add_argument("meeting")
    a = _action(actions, "pdf", "the meeting's memo as PDF")
    a.add_argument("meeting")
    a.add_argument("--out", type=Path, required=True)
    a.add_argument("--lang", choices=["zh", "en"], default="zh")


@command("progress")
def cmd_progress(args) -> int:
    from app.implement.progress_cli import PROGRESS
    return PROGRESS[args.action](args)


@command("issue")
def cmd_issue(args) -> int:
    from app.implement.issue_cli import ISSUE
    return ISSUE[args.action](args)


@command("meeting")
def cmd_meeting(args) -> int:
    from app.implement.issue_cli import MEETING
    return MEETING[args.action](args)


# --- the copy, its mirror and its server -----------------------------------------------------

@contextmanager
def online(path: str, coordinator: bool = False) -> Iterator[tuple]:
    """(project, ImplementRemote) of a local copy with a server and a login."""
    from app.implement.client import ImplementRemote
    from app.project.project import Project
    from app.sync.client import Remote
    from app.sync.credentials import token_for
    from app.sync.replica import remote_of
    with Project.open(path) as project:
        if coordinator and project.role != "coordinator":
            raise PermissionDenied(f"only a coordinator may do this (this copy acts for "
                                   f"{project.party} as {project.role})")
        url, pid = remote_of(project)
        yield project, ImplementRemote(Remote(url, token_for(url)), pid)


def local(path: str):
    """(party, state) of a copy's mirror: no network."""
    from app.implement.outbox import local_state
    from app.project.project import Project
    with Project.open(path) as project:
        return project.party, local_state(project)


def post(project, api, kind: str, data: dict):
    """Send a coordinator's command, then pull; returns the copy's new state."""
    from app.implement.outbox import local_state, pull
    from app.model.ids import uuid7
    api.post(kind, data, uuid7())
    pull(project, api)
    return local_state(project)


def fresh(project, api):
    """Pull, then the copy's state: a coordinator decides on the latest log."""
    from app.implement.outbox import local_state, pull
    pull(project, api)
    return local_state(project)


@functools.cache
def _template():
    from app.content.template import load_template
    return load_template()


def party_name(code: str) -> str:
    """A party's name from the content template (the code itself when unknown)."""
    return _template().party(code).name(lang()) or code


def title(thing) -> str:
    """An item's, issue's or meeting's title in this run's language."""
    return (thing.title_en if lang() == "en" and thing.title_en else thing.title_zh) or ""


def item_label(state, item_id: str | None) -> str:
    item = state.items.get(item_id or "")
    return f"{item_id} {title(item)}" if item else (item_id or "-")


# The words of states in Chinese (English runs print the keys, which scripts can match).
WORDS_ZH = {"on_time": "按时", "late": "逾期", "missing": "未报", "not_due": "未到期",
            "returned": "已退回", "pending": "待审核", "submitted": "已提交", "accepted": "已采纳",
            "superseded": "已替代", "open": "未销项", "closed": "已销项",
            "not reported": "未上报", "overdue": "已逾期",
            "due": "本期到期", "planned": "计划中"}


def word(key: str) -> str:
    return WORDS_ZH.get(key, key) if lang() == "zh" else key


def fit(text: str, width: int) -> str:
    """`text` cut (with …) and padded to `width` terminal columns (Chinese takes two)."""
    import unicodedata

    def cols(ch: str) -> int:
        return 2 if unicodedata.east_asian_width(ch) in "WF" else 1
    if sum(map(cols, text)) > width:
        used, n = 1, 0  # the … takes one
        while used + cols(text[n]) <= width:
            used, n = used + cols(text[n]), n + 1
        text = text[:n] + "…"
    return pad(text, width)


def status_name(key: str) -> str:
    return M.STATUSES.get(key, key) if lang() == "zh" else key


def today_or(text: str | None) -> dt.date:
    from app.implement.periods import today_beijing
    return parse_date(text, "--today") if text else today_beijing()


def parse_date(text: str, what: str) -> dt.date:
    if not M.DATE.match(text or ""):
        raise InvalidInput(f"{what} must be a date YYYY-MM-DD, not {text!r}")
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise InvalidInput(f"{what} must be a date YYYY-MM-DD, not {text!r}") from exc


def parse_period(text: str, today: dt.date | None = None) -> str:
    from app.implement.periods import period_of
    if not M.PERIOD.match(text or ""):
        raise InvalidInput(f"a period is YYYY-MM, not {text!r}")
    if today is not None and text > period_of(today):
        raise InvalidInput(f"period {text} is in the future: report on {period_of(today)} or "
                           "earlier")
    return text


def last_period(today: dt.date) -> str:
    """The period being reported on at `today`: last month."""
    from app.implement.periods import period_of, previous_period
    return previous_period(period_of(today))


def pick(refs: list[str], known: list[str], what: str) -> list[str]:
    return resolve_ids(refs, known, what)


def item_json(item: M.Item) -> dict:
    from app.implement.state import item_to_json
    return item_to_json(item)


@functools.cache
def template_json() -> dict:
    """The content template as JSON: the reports name parties and the plan from it."""
    import json

    from app.content.template import default_template_path
    return json.loads(default_template_path().read_text(encoding="utf-8"))


def tree(state, root: str, depth: int = 0, limit: int | None = None):
    """(depth, item) from `root` down, children in id order."""
    if root not in state.items or (limit is not None and depth >= limit):
        return
    yield depth, state.items[root]
    for child in state.children(root):
        yield from tree(state, child.id, depth + 1, limit)


def walk(state, root: str):
    return [item for _, item in tree(state, root)]


def listing(rows: list, as_json: bool, line, noun: str) -> int:
    """Print `rows` one `line(row)` each and their count, or as JSON."""
    if as_json:
        out_json([dataclasses.asdict(r) for r in rows])
        return 0
    for row in rows:
        out(line(row))
    out(f"{len(rows)} {noun}(s)")
    return 0


def write_file(path: Path, data: bytes) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    except OSError as exc:
        raise InvalidInput(f"cannot write {path}: {exc.strerror or exc}") from exc
    out(f"wrote {path} ({len(data) // 1024 + 1} KB)")
