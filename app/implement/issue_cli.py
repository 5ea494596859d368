"""`coplan issue …` and `coplan meeting …`: the issue list (销项) and its meetings. Issues are
raised through the outbox (offline; `coplan progress sync` sends them); escalations, meetings
and memos are a coordinator's and go straight to the server. The parsers are in app.implement.cli.
"""

from __future__ import annotations

import datetime as dt

from app.cli_support import lang, out
from app.errors import ConflictError, InvalidInput, NotFound
from app.implement import model as M
from app.implement.cli import (
    fresh,
    item_label,
    listing,
    local,
    online,
    parse_date,
    party_name,
    pick,
    post,
    template_json,
    title,
    today_or,
    word,
    write_file,
)
from app.review.cli import pad, short


def level_name(level: int) -> str:
    zh, en = M.LEVELS.get(level, ("", ""))
    return f"L{level} {zh if lang() == 'zh' else en}"


def find_issue(state, ref: str) -> M.Issue:
    return state.issues[pick([ref], list(state.issues), "issue")[0]]


def issue_line(issue: M.Issue, today: dt.date | None = None) -> str:
    late = issue.state == "open" and today is not None and issue.due < today.isoformat()
    return (f"{short(issue.id)}  L{issue.level}  {issue.due}{' ' + word('overdue') if late else ''}  "
            f"{pad(party_name(issue.owner), 20)} {pad(word(issue.state), 6)} {title(issue)}")


# --- issues ----------------------------------------------------------------------------------

def _open(args) -> int:
    from app.implement.outbox import write
    from app.project.project import Project
    with Project.open(args.project) as project:
        if args.from_check:
            rows = _from_check(project)
        else:
            if args.from_comment:
                args.from_comment, quoted = _comment(project, args.from_comment)
                args.title_zh = args.title_zh or quoted
            rows = [_issue_data(args, project.party)]
        ids = [write(project, "issue", data) for data in rows]
    for data in rows:
        out(f"queued issue {short(data['issue'])} L{data['level']} due {data['due']} "
            f"{party_name(data['owner'])}: {data['title_zh'] or data['title_en']}")
    out(f"{len(ids)} issue(s) queued; send with `coplan progress sync`")
    return 0


def _comment(project, ref: str) -> tuple[str, str]:
    """(id, opening words) of a comment this copy pulled (`coplan review-sync`)."""
    from app.review.outbox import local_comments
    views = {v["comment"]["id"]: v["comment"] for v in local_comments(project)}
    found = views[pick([ref], list(views), "comment")[0]]
    body = found["body"].get("zh") or found["body"].get("en", "")
    return found["id"], body[:60] + ("…" if len(body) > 60 else "")


def _issue_data(args, party: str) -> dict:
    from app.model.ids import uuid7
    if not (args.title_zh or args.title_en):
        raise InvalidInput("an issue needs --title-zh (or --title-en)")
    if not args.due:
        raise InvalidInput("an issue needs --due YYYY-MM-DD")
    source = {"kind": "comment", "ref": args.from_comment} if args.from_comment \
        else {"kind": "manual", "ref": ""}
    return {"issue": uuid7(), "title_zh": args.title_zh or "", "title_en": args.title_en,
            "owner": args.owner or party, "due": parse_date(args.due, "--due").isoformat(),
            "level": args.level, "item": args.item, "source": source}


def _from_check(project) -> list[dict]:
    """One issue per open conflict the copy's checks keep (app.analysis.lifecycle) that is not
    raised yet; titled with the rule's and the features' names (the issue id is derived from the
    conflict's)."""
    from app.analysis.lifecycle import statuses
    from app.analysis.rules import load_rules
    from app.implement.issues import feature_names, new_conflict_issues
    from app.implement.outbox import local_state, pending
    found = statuses(project.db)
    names: dict[str, str | tuple[str, str]] = {r.id: (r.name_zh, r.name_en) for r in load_rules().rules}
    names.update(feature_names(project, found))
    queued = {item["data"].get("issue") for state in ("queued", "draft")
              for item in pending(project, state) if item["kind"] == "issue"}
    rows = [row for row in new_conflict_issues(local_state(project), found, names)
            if row["issue"] not in queued]
    if not rows:
        raise NotFound("no open conflict without an issue in this copy: run `coplan check` "
                       "first")
    return rows


def _issues(args) -> int:
    _, state = local(args.project)
    today = today_or(args.today)
    if args.overdue:
        from app.implement.issues import overdue
        found = overdue(state, today)
    else:
        found = [i for i in state.issues.values() if not args.open or i.state == "open"]
    found = sorted((i for i in found if args.level is None or i.level == args.level),
                   key=lambda i: (i.state != "open", -i.level, i.due, i.id))
    return listing(found, args.json, lambda issue: issue_line(issue, today), "issue")


def _show(args) -> int:
    _, state = local(args.project)
    issue = find_issue(state, args.issue)
    out(f"{title(issue)}  [{issue.id}]")
    out(f"  {word(issue.state)}, {level_name(issue.level)}, due {issue.due}, owner "
        f"{party_name(issue.owner)}, raised by {party_name(issue.raised_by)}")
    out(f"  item: {item_label(state, issue.item)}; from {issue.source.get('kind', '-')} "
        f"{short(issue.source.get('ref') or '-')}")
    for step in issue.history:
        memo = f" memo {step.memo}" if step.memo else ""
        meeting = state.meetings.get(step.meeting or "")
        where = f" at {meeting.date} {title(meeting)}" if meeting else ""
        out(f"  {step.at[:10]}  {step.action:<9} L{step.level}  {step.by}{where}{memo}"
            f"{'  ' + step.note if step.note else ''}")
    return 0


def _escalate(args) -> int:
    if bool(args.issue) == bool(args.overdue):
        raise InvalidInput("name an issue (with --reason), or give --overdue")
    if args.issue and not (args.reason or "").strip():
        raise InvalidInput("escalating an issue needs --reason")
    with online(args.project, coordinator=True) as (project, api):
        state = fresh(project, api)
        if args.overdue:
            from app.implement.issues import due_escalations
            todo = due_escalations(state, today_or(args.today))
        else:
            todo = [(find_issue(state, args.issue).id, args.reason.strip())]
        for issue_id, reason in todo:
            state = post(project, api, "escalate", {"issue": issue_id, "reason": reason})
    for issue_id, reason in todo:
        issue = state.issues[issue_id]
        out(f"escalated {short(issue_id)} to {level_name(issue.level)} ({reason}): "
            f"{title(issue)}")
    out(f"{len(todo)} issue(s) escalated")
    return 0


# --- meetings --------------------------------------------------------------------------------

def find_meeting(state, ref: str) -> M.Meeting:
    """A meeting by id prefix, or by its date when one meeting falls on it."""
    if M.DATE.match(ref):
        on = [m for m in state.meetings.values() if m.date == ref]
        if len(on) == 1:
            return on[0]
        if len(on) > 1:
            raise InvalidInput(f"{len(on)} meetings on {ref}: name one by its id")
        raise NotFound(f"no meeting on {ref}")
    return state.meetings[pick([ref], list(state.meetings), "meeting")[0]]


def _plan(args) -> int:
    from app.model.ids import uuid7
    day = parse_date(args.date, "--date")
    with online(args.project, coordinator=True) as (project, api):
        state = fresh(project, api)
        if args.agenda == "auto":
            from app.implement.issues import agenda_for
            agenda = agenda_for(state, args.level, day)
        else:
            refs = [r for r in args.agenda.split(",") if r.strip()]
            agenda = pick(refs, list(state.issues), "issue")
        attendees = args.attendee or sorted({project.party, *(state.issues[i].owner
                                                              for i in agenda)})
        data = {"meeting": uuid7(), "level": args.level, "date": day.isoformat(),
                "title_zh": args.title_zh, "title_en": args.title_en,
                "attendees": attendees, "agenda": agenda}
        state = post(project, api, "meeting", data)
    out(f"planned {level_name(args.level)} {short(data['meeting'])} on {data['date']}: "
        f"{args.title_zh}; {len(attendees)} attendee(s), {len(agenda)} issue(s) on the agenda")
    for issue_id in agenda:
        out("  " + issue_line(state.issues[issue_id]))
    return 0


def _memo(args) -> int:
    due = parse_date(args.due, "--due").isoformat() if args.due else None
    with online(args.project, coordinator=True) as (project, api):
        state = fresh(project, api)
        meeting = find_meeting(state, args.meeting)
        if meeting.memo is not None:
            raise ConflictError(f"the meeting of {meeting.date} already has memo "
                                f"{meeting.memo.number}")
        decisions = []
        for action in M.DECISIONS:
            for issue_id in pick(getattr(args, action), list(meeting.agenda), "agenda issue"):
                decisions.append({"issue": issue_id, "action": action, "note": "",
                                  "due": due if action != "close" else None})
        state = post(project, api, "memo", {"meeting": meeting.id, "number": args.number,
                                            "text_zh": args.text_zh, "text_en": args.text_en,
                                            "decisions": decisions})
    out(f"memo {args.number} of {meeting.date} {title(meeting)}: {len(decisions)} decision(s)")
    for d in decisions:
        issue = state.issues[d["issue"]]
        out(f"  {d['action']:<8} {short(issue.id)} now {issue.state} L{issue.level}: "
            f"{title(issue)}")
    return 0


def _meetings(args) -> int:
    _, state = local(args.project)
    found = sorted(state.meetings.values(), key=lambda m: (m.date, m.id), reverse=True)

    def line(m) -> str:
        memo = f"memo {m.memo.number}" if m.memo else "no memo yet"
        return f"{short(m.id)}  {m.date}  L{m.level}  {len(m.agenda)} issue(s)  {memo}  {title(m)}"
    return listing(found, args.json, line, "meeting")


def _meeting_show(args) -> int:
    _, state = local(args.project)
    m = find_meeting(state, args.meeting)
    out(f"{m.date} {level_name(m.level)}: {title(m)}  [{m.id}]")
    out("  attendees: " + ", ".join(party_name(p) for p in m.attendees))
    decided = {d.issue: d for d in (m.memo.decisions if m.memo else ())}
    for issue_id in m.agenda:
        issue = state.issues.get(issue_id)
        action = decided[issue_id].action if issue_id in decided else "-"
        out(f"  {action:<8} " + (issue_line(issue) if issue else short(issue_id)))
    if m.memo:
        out(f"  memo {m.memo.number} ({m.memo.at[:10]}): "
            f"{m.memo.text_zh if lang() == 'zh' or not m.memo.text_en else m.memo.text_en}")
    return 0


def _meeting_pdf(args) -> int:
    from app.implement.memo import memo_pdf
    _, state = local(args.project)
    meeting = find_meeting(state, args.meeting)
    write_file(args.out, memo_pdf(state, meeting.id, lang=args.lang, names=template_json()))
    return 0


ISSUE = {"open": _open, "list": _issues, "show": _show, "escalate": _escalate}
MEETING = {"plan": _plan, "memo": _memo, "list": _meetings, "show": _meeting_show,
           "pdf": _meeting_pdf}
