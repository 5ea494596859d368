"""`coplan progress …`: tracked items, progress reports, the roll-up and the coordinator's
decisions on them (the parsers are in app.implement.cli)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from app.cli_support import lang, out, out_json
from app.errors import InvalidInput, NotFound, PermissionDenied
from app.implement import model as M
from app.implement.cli import (
    fit,
    fresh,
    item_json,
    item_label,
    last_period,
    listing,
    local,
    online,
    parse_period,
    party_name,
    pick,
    post,
    status_name,
    template_json,
    title,
    today_or,
    tree,
    walk,
    word,
    write_file,
)
from app.review.cli import pad, short

ITEMS_BATCH = 200  # items per `items` event: the server caps a request's size
LINE_FIELDS = {"percent": "percent", "status": "status", "note_zh": "narrative_zh",
               "note_en": "narrative_en", "issue": "issues", "evidence": "attachments",
               "changeset": "changesets", "milestone": "milestones_done"}
LISTS = ("issues", "attachments", "changesets", "milestones_done")


# --- progress: items, reports, sync ----------------------------------------------------------

def _items(args) -> int:
    if args.register:
        return _register(args)
    _, state = local(args.project)
    if args.json:
        out_json([item_json(i) for i in walk(state, M.PLAN)])
        return 0
    n = 0
    for depth, item in tree(state, M.PLAN):
        with_ = ", ".join(party_name(p) for p in item.participants if p != item.lead)
        years = f"{item.start_year or ''}–{item.finish_year or ''}".strip("–")
        out(f"{'  ' * depth}{item.id} {title(item)}  [{item.kind}] "
            f"{party_name(item.lead) if item.lead else '-'}"
            f"{' + ' + with_ if with_ else ''}{'  ' + years if years else ''}")
        n += 1
    out(f"{n} item(s)")
    return 0


def _register(args) -> int:
    from app.implement.items import plan_items
    with online(args.project, coordinator=True) as (project, api):
        state = fresh(project, api)
        wanted = plan_items(project)
        changed = [i for i in wanted if i.id not in state.items
                   or item_json(state.items[i.id]) != item_json(i)]
        for start in range(0, len(changed), ITEMS_BATCH):
            batch = changed[start:start + ITEMS_BATCH]
            state = post(project, api, "items", {"items": [item_json(i) for i in batch]})
    out(f"registered {len(changed)} new or changed item(s) of {len(wanted)}; "
        f"{len(state.items)} item(s) on the server")
    return 0


def _report(args) -> int:
    from app.implement.outbox import local_state, write
    from app.model.feature import utc_now
    from app.model.ids import uuid7
    from app.project.project import Project
    period = parse_period(args.period, today_or(None))
    with Project.open(args.project) as project:
        state = local_state(project)
        if args.table and args.line_opts:
            raise InvalidInput("give the lines with --item … or --from FILE, not both")
        if args.table:
            from app.implement.bulk import lines_from_table
            lines = lines_from_table(args.table, state, project.party)
            files: list[tuple] = []
        else:
            lines, files = _lines(args.line_opts or [], project)
        _check_lines(state, project.party, lines)
        from app.review.cli import login_user
        data: dict[str, object] = {"report": uuid7(), "period": period, "written": utc_now(),
                "author": login_user(project.meta("remote_url")) or project.party,
                "lines": lines}
        write(project, "report", data, files=files, queued=not args.draft)
        party = project.party
    raised = sum(len(line.get("issues", ())) for line in lines)
    out(f"{'drafted' if args.draft else 'queued'} report {short(str(data['report']))} of "
        f"{party_name(party)} for {period}: {len(lines)} line(s), {raised} issue(s) "
        f"raised{'' if args.draft else '; send it with `coplan progress sync`'}")
    return 0


def _lines(opts: list[tuple[str, str]], project) -> tuple[list[dict], list[tuple]]:
    """Report lines from the options in order: each --item starts a line."""
    lines: list[dict] = []
    files: list[tuple] = []
    for dest, value in opts:
        if dest == "item":
            lines.append({"item": value.strip(), **{k: [] for k in LISTS}})
            continue
        if not lines:
            raise InvalidInput(f"--{dest.replace('_', '-')} must follow an --item")
        line, key = lines[-1], LINE_FIELDS[dest]
        if key in line and key not in LISTS:
            raise InvalidInput(f"--{dest.replace('_', '-')} given twice for item {line['item']}")
        if dest == "percent":
            line[key] = _percent(value)
        elif dest == "status":
            line[key] = _status(value)
        elif dest == "issue":
            line[key].append({"title_zh": value.strip(), "title_en": ""})
        elif dest == "evidence":
            from app.model.ids import uuid7
            files.append((uuid7(), _readable(value)))
            line[key].append(files[-1][0])
        elif dest == "changeset":
            from app.review.round_cli import _changeset
            line[key].append(_changeset(project, value))
        elif key in LISTS:
            line[key].append(value.strip())
        else:
            line[key] = value.strip()
    for line in lines:
        for needed in ("percent", "status"):
            if needed not in line:
                raise InvalidInput(f"item {line['item']}: give --{needed}")
    if not lines:
        raise InvalidInput("a report needs lines: --item ID --percent N --status S, or --from "
                           "FILE")
    return lines, files


def _readable(path: str) -> Path:
    if not Path(path).is_file():
        raise NotFound(f"no evidence file {path}")
    return Path(path)


def _percent(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise InvalidInput(f"--percent must be a number 0–100, not {text!r}") from None
    if not 0 <= value <= 100:
        raise InvalidInput(f"--percent must be 0–100, not {text}")
    return value


def _status(text: str) -> str:
    found = text if text in M.STATUSES else next(
        (k for k, zh in M.STATUSES.items() if zh == text), None)
    if found is None:
        raise InvalidInput(f"--status must be one of {', '.join(M.STATUSES)}, not {text!r}")
    return found


def _check_lines(state, party: str, lines: list[dict]) -> None:
    """What the copy can check before the server does: the items exist and are this party's."""
    if not state.items:
        return  # never pulled: the server checks when the report arrives
    mine = {i.id for i in state.items_of(party)}
    for line in lines:
        if line["item"] not in state.items:
            raise NotFound(f"no tracked item {line['item']}: see `coplan progress items`")
        if line["item"] not in mine:
            raise PermissionDenied(f"{party_name(party)} neither leads nor joins item "
                                   f"{line['item']}: it cannot report on it")
        known = {m.id for m in state.items[line["item"]].milestones}
        strangers = sorted(set(line.get("milestones_done", ())) - known)
        if strangers:
            raise NotFound(f"item {line['item']} has no milestone {', '.join(strangers)}")


def _sync(args) -> int:
    from app.implement.indicators import queue_changed, queued_text
    from app.implement.outbox import pending, sync_steps
    from app.sync.cli import _progress
    with online(args.project) as (project, api):
        queued = queued_text(*queue_changed(project))  # entered values, recorded check-ups
        before = {item["id"] for item in pending(project, "refused")}
        sent, pulled = _progress(sync_steps(project, api))
        refused = [item for item in pending(project, "refused") if item["id"] not in before]
    if queued:
        out(queued)
    out(f"sent {sent} item(s); {len(refused)} refused; pulled {pulled} event(s)")
    for item in refused:
        ref = item["data"].get("report") or item["data"].get("issue") or item["id"]
        out(f"  refused {item['kind']} {short(ref)}: "
            f"{(item.get('answer') or {}).get('error', '')}")
    return 0


# --- progress: status, timeline, list ----------------------------------------------------------

def _status_cmd(args) -> int:
    from app.implement.rollup import reporting, rollup
    _, state = local(args.project)
    today = today_or(args.today)
    as_of = parse_period(args.as_of) if args.as_of else None
    period = parse_period(args.period) if args.period else as_of or last_period(today)
    nodes = rollup(state, as_of=as_of)
    shown = _shown(state, args.party)
    rows = [r for r in reporting(state, period, today) if not args.party or r.party == args.party]
    if args.json:
        out_json({"as_of": as_of, "period": period,
                  "items": {k: dataclasses.asdict(v) for k, v in nodes.items() if k in shown},
                  "reporting": [dataclasses.asdict(r) for r in rows]})
        return 0
    for depth, item in tree(state, M.PLAN, limit=args.depth):
        if item.id in shown and item.id in nodes:
            out(_node_line(depth, item, nodes[item.id]))
    out(f"reporting for {period}:")
    for r in rows:
        out(f"  {pad(party_name(r.party), 24)} {pad(word(r.state), 9)} "
            f"{(r.submitted or '')[:16].replace('T', ' ')}")
    late = sum(r.state in ("late", "missing") for r in rows)
    out(f"{len(rows)} party(ies) expected; {late} late or missing")
    return 0


def _shown(state, party: str | None) -> set[str]:
    """Every item, or those `party` leads or joins with their ancestors."""
    if not party:
        return set(state.items)
    shown: set[str] = set()
    for item in state.items_of(party):
        node = item
        while node is not None and node.id not in shown:
            shown.add(node.id)
            node = state.items.get(node.parent or "")
    if not shown:
        raise NotFound(f"{party_name(party)} ({party}) neither leads nor joins any item")
    return shown


def _node_line(depth: int, item, node) -> str:
    planned = "-" if node.planned is None else f"{node.planned:5.1f}%"
    mark = "" if node.reported or node.children else f"  ({word('not reported')})"
    return (f"{'  ' * depth}{fit(item.id + ' ' + title(item), 40 - 2 * depth)} "
            f"{node.percent:5.1f}% / planned {planned:>6}  {status_name(node.status)}"
            f"{'  ' + node.period if node.period else ''}{mark}")


def _timeline(args) -> int:
    from app.implement.rollup import timeline
    _, state = local(args.project)
    if args.item not in state.items:
        raise NotFound(f"no tracked item {args.item}: see `coplan progress items`")
    points = timeline(state, args.item)
    out(item_label(state, args.item))
    for p in points:
        out(f"  {p.period}  {p.percent:5.1f}%  {pad(status_name(p.status), 12)} "
            f"{pad(party_name(p.party), 20)} {word(p.state)}  {short(p.report) if p.report else '-'}")
    out(f"{len(points)} report line(s)")
    _milestone_lines(state.items[args.item], today_or(None))
    return 0


def _milestone_lines(item, today) -> None:
    from app.implement.milestones import standing
    from app.implement.periods import period_of
    now = period_of(today)
    for m in sorted(item.milestones, key=lambda m: (m.due, m.id)):
        where = standing(m, now)
        shown = m.done if where == "done" else word(where)
        name = m.name_en if lang() == "en" and m.name_en else m.name_zh
        out(f"  {pad(m.id, 8)} {m.due}  {pad(shown, 10)} {name}")
    out(f"{len(item.milestones)} milestone(s)")


def _milestones(args) -> int:
    from app.implement import milestones as MS
    if args.add is None and args.remove is None:
        _, state = local(args.project)
        item = _item_of(state, args.item)
        if args.json:
            from app.implement.periods import period_of
            now = period_of(today_or(None))
            out_json([{**dataclasses.asdict(m), "state": MS.standing(m, now)}
                      for m in item.milestones])
            return 0
        out(item_label(state, item.id))
        _milestone_lines(item, today_or(None))
        return 0
    if args.add is not None and args.remove is not None:
        raise InvalidInput("give --add or --remove, not both")
    if args.add is not None and (not args.name_zh or not args.due):
        raise InvalidInput("--add needs --name-zh and --due YYYY-MM")
    with online(args.project, coordinator=True) as (project, api):
        item = _item_of(fresh(project, api), args.item)
        changed = (MS.added(item, args.add, args.name_zh, args.name_en, args.due)
                   if args.add is not None else MS.removed(item, args.remove))
        state = post(project, api, "items", {"items": [item_json(changed)]})
    what = f"added milestone {args.add}" if args.add is not None \
        else f"removed milestone {args.remove}"
    out(f"{item_label(state, item.id)}: {what}; "
        f"{len(state.items[item.id].milestones)} milestone(s)")
    return 0


def _item_of(state, item_id: str):
    if item_id not in state.items:
        raise NotFound(f"no tracked item {item_id}: see `coplan progress items`")
    return state.items[item_id]


def _list(args) -> int:
    _, state = local(args.project)
    reports = [r for r in state.reports_of(args.party, parse_period(args.period) if args.period
                                           else None) if not args.state or r.state == args.state]
    reports.sort(key=lambda r: r.key(), reverse=True)

    def line(r) -> str:
        note = f"  ({r.note})" if r.note else ""
        return (f"{short(r.id)}  {r.period}  {pad(party_name(r.party), 20)} "
                f"{pad(word(r.state), 10)} {len(r.lines)} line(s)  "
                f"{r.written[:16].replace('T', ' ')}{note}")
    return listing(reports, args.json, line, "report")


def find_report(state, ref: str):
    """A report by id prefix, or PARTY/PERIOD (its submitted report, else the latest)."""
    party, slash, period = ref.partition("/")
    if slash:
        found = sorted(state.reports_of(party, parse_period(period)), key=lambda r: r.key())
        if not found:
            raise NotFound(f"no report of {party_name(party)} for {period}")
        waiting = [r for r in found if r.state == "submitted"]
        return (waiting or found)[-1]
    return state.reports[pick([ref], list(state.reports), "report")[0]]


# --- progress: coordinator decisions, documents ------------------------------------------------

def _review(args) -> int:
    decision = "accept" if args.accept else "return"
    if decision == "return" and not args.note.strip():
        raise InvalidInput("returning a report needs --note: what the party must change")
    with online(args.project, coordinator=True) as (project, api):
        report = find_report(fresh(project, api), args.report)
        state = post(project, api, "review", {"report": report.id, "decision": decision,
                                              "note": args.note})
    now = state.reports[report.id]
    out(f"{'accepted' if args.accept else 'returned'} report {short(report.id)} of "
        f"{party_name(report.party)} for {report.period} ({len(report.lines)} line(s)): "
        f"now {now.state}")
    return 0


def _weights(args) -> int:
    weights = {}
    for text in args.weight:
        child, _, value = text.partition("=")
        try:
            weights[child.strip()] = float(value)
        except ValueError:
            raise InvalidInput(f"--weight takes CHILD=W with W a number ≥ 0, got {text!r}") \
                from None
        if weights[child.strip()] < 0:
            raise InvalidInput(f"--weight takes CHILD=W with W a number ≥ 0, got {text!r}")
    if weights and args.method != "custom":
        raise InvalidInput("--weight goes with --method custom")
    with online(args.project, coordinator=True) as (project, api):
        state = fresh(project, api)
        if args.node not in state.items:
            raise NotFound(f"no tracked item {args.node}: see `coplan progress items`")
        children = {c.id for c in state.children(args.node)}
        strangers = sorted(set(weights) - children)
        if strangers:
            raise InvalidInput(f"not children of {args.node}: {', '.join(strangers)}")
        post(project, api, "weights", {"node": args.node, "method": args.method,
                                       "weights": weights})
    out(f"{item_label(state, args.node)}: children weighted by {args.method}"
        f"{' (' + ', '.join(f'{k}={v:g}' for k, v in weights.items()) + ')' if weights else ''}")
    return 0


def _document(args) -> int:
    _, state = local(args.project)
    period = parse_period(args.period)
    if args.action == "pdf":
        from app.implement.report import progress_pdf as make
    else:
        from app.implement.xlsx import progress_xlsx as make
    data = make(state, period, party=args.party, lang=args.lang, names=template_json())
    write_file(args.out, data)
    return 0


def _indicators(args) -> int:
    from app.implement.indicators import list_command
    return list_command(args)


PROGRESS = {"items": _items, "report": _report, "sync": _sync, "status": _status_cmd,
            "timeline": _timeline, "list": _list, "review": _review, "weights": _weights,
            "pdf": _document, "xlsx": _document, "indicators": _indicators,
            "milestones": _milestones}
