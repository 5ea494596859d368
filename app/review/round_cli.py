"""`coplan round …`: a coordinator runs comment rounds and a party answers them, over the
project's server (no raw HTTP, no request ids: each write makes its own). Comments are named
by their id or a unique prefix of at least 8 characters. A party's actions are in party_cli."""

from __future__ import annotations

import json
import logging
from pathlib import Path

from app.cli_support import command, out, out_json
from app.errors import ConflictError, InvalidInput, NotFound
from app.review import model as M
from app.review.cli import online, pad, resolve_ids, short
from app.review.times import beijing, parse_due

log = logging.getLogger(__name__)
SUGGESTIONS_KEY = "review_suggestions"  # coplan_meta: the groups `round suggest` last showed
ANCHOR_MARK = {"moved": "~", "orphaned": "!"}  # how a migrated anchor is flagged in lists


def add_parsers(sub) -> None:
    """Register `coplan round` and its subcommands."""
    from app.review import party_cli
    s = sub.add_parser("round", help="run comment rounds on the project's server "
                                     "(coordinators) and answer them (parties)")
    actions = s.add_subparsers(dest="action", required=True, metavar="ACTION")
    _round_parsers(actions)
    _triage_parsers(actions)
    _answer_parsers(actions)
    _record_parsers(actions)
    party_cli.add_actions(actions)


def action(actions, name: str, text: str, number: bool = True):
    """A `coplan round NAME PROJECT [N]` parser."""
    a = actions.add_parser(name, help=text)
    a.add_argument("project", help="the local copy (cloned from the server)")
    if number:
        a.add_argument("number", type=int, help="the round's number")
    return a


def _round_parsers(actions) -> None:
    a = action(actions, "open", "open a round (coordinator)")
    a.add_argument("--title-zh", required=True)
    a.add_argument("--title-en")
    a.add_argument("--visibility", choices=M.VISIBILITY, default="sealed")
    a.add_argument("--team", action="append", metavar="DELIVERABLE=PARTY,PARTY",
                   help="the drafting team of a deliverable, e.g. S1=310000,320500")
    a.add_argument("--due", help="due date of the comments, YYYY-MM-DD")
    a = action(actions, "freeze", "freeze the draft the round comments on (coordinator)")
    source = a.add_mutually_exclusive_group(required=True)
    source.add_argument("--from-project", action="store_true",
                        help="the plan text of this copy (coplan content)")
    source.add_argument("--text", type=Path, metavar="SECTIONS.json",
                        help="a JSON file mapping section ids to text")
    a = action(actions, "invite", "invite parties to comment (coordinator)")
    a.add_argument("parties", nargs="+", metavar="PARTY")
    a.add_argument("--due", required=True, help="YYYY-MM-DD")
    a = action(actions, "advance", "move the round to a stage (coordinator)")
    a.add_argument("stage", choices=M.STAGES[2:])
    action(actions, "next", "move the round to its next stage (coordinator)")
    action(actions, "status", "stages, invitations, answers, reminders")
    a = action(actions, "remind", "remind invited parties (default: those that have not "
                                  "answered) (coordinator)")
    a.add_argument("parties", nargs="*", metavar="PARTY")
    a.add_argument("--note", default="")
    action(actions, "overdue", "invitations past their due date with no answer")


def _triage_parsers(actions) -> None:
    action(actions, "suggest", "suggested groups of duplicate comments, numbered (coordinator)")
    a = action(actions, "group", "group comments: accept suggestion K or name the members "
                                 "(coordinator)", number=False)
    a.add_argument("comments", nargs="*", metavar="COMMENT")
    a.add_argument("--accept", type=int, metavar="K", help="accept suggestion K of "
                                                           "`coplan round suggest`")
    a.add_argument("--kind", choices=["duplicate", "concern"], default="duplicate")
    a.add_argument("--title-zh")
    a = action(actions, "assign", "assign comments to a drafting team (coordinator)",
               number=False)
    a.add_argument("deliverable", choices=M.DELIVERABLES)
    a.add_argument("comments", nargs="+", metavar="COMMENT")


def _answer_parsers(actions) -> None:
    for name, text in (("recommend", "the drafting team's recommended answer"),
                       ("decide", "the coordinator's decision (embargoed until published)")):
        a = action(actions, name, text, number=False)
        a.add_argument("comments", nargs="+", metavar="COMMENT")
        a.add_argument("--disposition", required=True, choices=M.DISPOSITIONS)
        a.add_argument("--reason", choices=sorted(M.REASONS))
        a.add_argument("--answer-zh", help="the answer in Chinese")
        a.add_argument("--answer-en")
        a.add_argument("--changeset", action="append", default=[], metavar="ID",
                       help="a change set that implements it (id or unique prefix)")
        a.add_argument("--text-revision", action="append", default=[],
                       metavar="SECTION@DRAFT", help="a section as revised in a frozen draft: "
                       "the draft's hash (or 8+ characters of it) or a round number")
        if name == "decide":
            a.add_argument("--memo", help="the meeting memo the decision cites")
    a = action(actions, "publish", "publish the decided answers (coordinator)")
    a.add_argument("comments", nargs="*", metavar="COMMENT", help="default: every decided one")


def _record_parsers(actions) -> None:
    a = action(actions, "comments", "list comments with short ids", number=False)
    a.add_argument("--round", type=int)
    a.add_argument("--status", choices=M.STATUSES)
    a.add_argument("--party")
    a.add_argument("--json", action="store_true")
    a = action(actions, "log", "export the review's event log (coordinator)", number=False)
    a.add_argument("--out", type=Path, required=True, metavar="EVENTS.jsonl")
    a = action(actions, "report", "fetch the event log and write the handling reports "
                                  "(coordinator)", number=False)
    a.add_argument("--out", type=Path, required=True, metavar="DIR")
    a.add_argument("--party", help="only this party's report")
    a.add_argument("--round", type=int, metavar="N", help="only round N's comments")
    a.add_argument("--lang", choices=["zh", "en"], default="zh")


@command("round")
def cmd_round(args) -> int:
    """Dispatch `coplan round ACTION`."""
    from app.review.party_cli import PARTY_ACTIONS
    return {**ACTIONS, **PARTY_ACTIONS}[args.action](args)


# --- rounds ----------------------------------------------------------------------------------

def _open(args) -> int:
    title = {"zh": args.title_zh, **({"en": args.title_en} if args.title_en else {})}
    teams = dict(_team(t) for t in args.team or [])
    due = parse_due(args.due)
    with online(args.project) as (_, api):
        api.open_round(args.number, title, args.visibility, teams, due)
    out(f"opened round {args.number} {args.title_zh} ({args.visibility}"
        f"{', due ' + due if due else ''}; {len(teams)} drafting team(s))")
    return 0


def _team(text: str) -> tuple[str, list[str]]:
    deliverable, _, parties = text.partition("=")
    codes = [p.strip() for p in parties.split(",") if p.strip()]
    if deliverable not in M.DELIVERABLES or not codes:
        raise InvalidInput(f"--team takes DELIVERABLE=PARTY,PARTY (deliverable one of "
                           f"{', '.join(M.DELIVERABLES)}), got {text!r}")
    return deliverable, codes


def _freeze(args) -> int:
    with online(args.project) as (project, api):
        sections = _read_sections(args.text) if args.text else plan_sections(project)
        event = api.freeze(args.number, sections)
        moved = _migrations(api, args.number)
    empty = sum(1 for text in sections.values() if not text.strip())
    out(f"froze round {args.number} on draft {event['data']['draft_hash'][:12]} "
        f"({len(sections)} section(s){f', {empty} without text' if empty else ''})")
    if moved:
        out("anchors of earlier comments: " + ", ".join(f"{n} {s}" for s, n in moved.items()))
    return 0


def plan_sections(project) -> dict[str, str]:
    """The plan text of a copy as a draft: section id -> Chinese body, in reading order."""
    from app.content.store import load_content
    content = load_content(project.db)
    if not len(content):
        raise InvalidInput("this copy has no plan text: add it with `coplan content import`, "
                           "or freeze a file with --text")
    return {s.id: s.body_zh for s in content}


def _read_sections(path: Path) -> dict[str, str]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise InvalidInput(f"cannot read {path}: {exc}") from exc
    data = data.get("sections", data) if isinstance(data, dict) else data
    if not isinstance(data, dict) or not all(isinstance(v, str) for v in data.values()):
        raise InvalidInput(f"{path} must map section ids to text")
    return data


def _migrations(api, number: int) -> dict[str, int]:
    """How many anchors of earlier rounds' comments this round's freeze marked, by status."""
    counts: dict[str, int] = {}
    for view in api.comments(full=True):
        for state in view.get("anchor_states", {}).values():
            if state.get("round") == number:
                counts[state["status"]] = counts.get(state["status"], 0) + 1
    return counts


def _invite(args) -> int:
    due = parse_due(args.due)
    with online(args.project) as (_, api):
        for party in args.parties:
            event = api.invite(args.number, party, due)
            out(f"invited {party} {event['data'].get('name', '')} to round {args.number}, "
                f"due {due}")
    return 0


def _advance(args) -> int:
    with online(args.project) as (_, api):
        api.advance(args.number, args.stage)
    out(f"round {args.number} is now {args.stage} ({M.label(M.STAGE_LABELS, args.stage)})")
    return 0


def _next(args) -> int:
    with online(args.project) as (_, api):
        stage = _round_row(api, args.number)["stage"]
        following = M.NEXT_STAGES.get(stage, ())
        if not following:
            raise ConflictError(f"round {args.number} is {stage}: it has no next stage")
        api.advance(args.number, following[0])
    out(f"round {args.number} is now {following[0]} "
        f"({M.label(M.STAGE_LABELS, following[0])})")
    return 0


def _round_row(api, number: int) -> dict:
    found = next((r for r in api.rounds() if r["number"] == number), None)
    if found is None:
        raise NotFound(f"no round {number}")
    return found


def _status(args) -> int:
    with online(args.project) as (_, api):
        r = api.round(args.number)
    title = r["title"].get("zh") or r["title"].get("en", "")
    out(f"round {r['number']} {title}: {r['stage']} ({M.label(M.STAGE_LABELS, r['stage'])}), "
        f"{r['visibility']}, due {r.get('due') or '-'}, draft {(r.get('draft_hash') or '-')[:12]}")
    teams = "; ".join(f"{d} {', '.join(p)}" for d, p in sorted(r.get("teams", {}).items()))
    out(f"drafting teams: {teams or '-'}")
    for step in r.get("stages", []):
        out(f"  {step['stage']:<11} {beijing(step['at'], 'en')}")
    _invitations(r.get("invitations", []))
    return 0


def _invitations(rows: list[dict]) -> None:
    out(f"{'party':<10} {pad('name', 16)} {'due':<10} {'response':<10} {'received':<29} "
        f"{'flags':<8} reminded")
    for i in rows:
        flags = ",".join(f for f in ("late", "overdue") if i.get(f)) or "-"
        reminded = "; ".join(beijing(at, "en") for at in i.get("reminded", [])) or "-"
        out(f"{i['party']:<10} {pad(i.get('name', ''), 16)} {i.get('due') or '-':<10} "
            f"{i.get('response', 'none'):<10} {beijing(i.get('received'), 'en') or '-':<29} "
            f"{flags:<8} {reminded}")
    out(f"{len(rows)} invitation(s)")


def _remind(args) -> int:
    with online(args.project) as (_, api):
        event = api.remind(args.number, args.parties or None, args.note)
    parties = event["data"].get("parties", [])
    out(f"reminded {len(parties)} party(ies) of round {args.number}: "
        f"{', '.join(parties) or 'none'}")
    return 0


def _overdue(args) -> int:
    with online(args.project) as (_, api):
        late = [i for i in api.round(args.number).get("invitations", []) if i.get("overdue")]
    for i in late:
        out(f"{i['party']:<10} {pad(i.get('name', ''), 16)} due {i['due']}  reminded "
            f"{len(i.get('reminded', []))} time(s)")
    out(f"{len(late)} invitation(s) overdue")
    return 0


# --- triage ----------------------------------------------------------------------------------

def _suggest(args) -> int:
    with online(args.project) as (project, api):
        groups = api.suggestions(args.number)
        rows = {r["id"]: r for r in api.comments(full=False, round=args.number)}
        project.set_meta(SUGGESTIONS_KEY, json.dumps({"round": args.number, "groups": groups}))
    for k, members in enumerate(groups, 1):
        out(f"{k}. {len(members)} comments")
        for cid in members:
            row = rows.get(cid, {})
            out(f"   {short(cid)} {pad(row.get('party_name', ''), 16)} "
                f"{row.get('excerpt', '')[:40]}")
    out(f"{len(groups)} suggested group(s); accept one with `coplan round group "
        f"{args.project} --accept K`")
    return 0


def _group(args) -> int:
    with online(args.project) as (project, api):
        if args.accept is not None:
            members = _suggestion(project, args.accept)
        elif len(args.comments) >= 2:
            members = comment_ids(api, args.comments)
        else:
            raise InvalidInput("name at least two comments, or --accept K")
        title = {"zh": args.title_zh} if args.title_zh else None
        event = api.group(members, args.kind, title)
    out(f"grouped {len(members)} comments as {args.kind} (group {short(event['data']['group'])})")
    return 0


def _suggestion(project, k: int) -> list[str]:
    saved = json.loads(project.meta(SUGGESTIONS_KEY) or "null")
    if not saved:
        raise NotFound("no suggestions here: run `coplan round suggest PROJECT N` first")
    if not 1 <= k <= len(saved["groups"]):
        raise InvalidInput(f"--accept must be 1–{len(saved['groups'])}")
    return saved["groups"][k - 1]


def comment_ids(api, refs: list[str]) -> list[str]:
    """Full ids of the comments named by ids or prefixes (among those the user may see)."""
    return resolve_ids(refs, [r["id"] for r in api.comments(full=False)])


def _assign(args) -> int:
    with online(args.project) as (_, api):
        ids = comment_ids(api, args.comments)
        api.assign(ids, args.deliverable)
    out(f"assigned {len(ids)} comment(s) to deliverable {args.deliverable}")
    return 0


# --- answers ---------------------------------------------------------------------------------

def _dispose(args) -> int:
    with online(args.project) as (project, api):
        ids = comment_ids(api, args.comments)
        fields = {"reason": args.reason, "answer": _answer(args),
                  "changes": _changes(project, api, args)}
        if args.action == "decide":
            event = api.decide(ids, args.disposition, memo=args.memo, **fields)
        else:
            event = api.recommend(ids, args.disposition, **fields)
    verb = "decided" if args.action == "decide" else "recommended"
    out(f"{verb} {args.disposition} ({M.label(M.DISPOSITION_LABELS, args.disposition)}) for "
        f"{len(ids)} comment(s)")
    own = event["data"].get("own_party") or []
    if own:
        out(f"flagged: {len(own)} comment(s) come from the team's own party")
    return 0


def _answer(args) -> dict:
    answer = {}
    if args.answer_zh:
        answer["zh"] = args.answer_zh
    if args.answer_en:
        answer["en"] = args.answer_en
    return answer


def _changes(project, api, args) -> list[dict]:
    refs = [{"kind": "changeset", "id": _changeset(project, c)} for c in args.changeset]
    drafts = None
    for text in args.text_revision:
        section, _, draft = text.rpartition("@")
        if not section or not draft:
            raise InvalidInput(f"--text-revision takes SECTION@DRAFT, got {text!r}")
        drafts = drafts if drafts is not None else api.rounds()
        refs.append({"kind": "text", "section": section, "revision": _draft_hash(drafts, draft)})
    return refs


def _draft_hash(rounds: list[dict], ref: str) -> str:
    """A frozen draft's hash from a round number, a hash or a unique prefix of one."""
    hashes = {r["number"]: r["draft_hash"] for r in rounds if r.get("draft_hash")}
    if ref.isdigit() and len(ref) < 8:
        if int(ref) not in hashes:
            raise NotFound(f"round {ref} has no frozen draft")
        return hashes[int(ref)]
    return resolve_ids([ref], list(hashes.values()), "draft")[0]


def _changeset(project, ref: str) -> str:
    """A change set id from an id or a unique prefix of one this copy knows."""
    if M.UUID.match(ref):
        return ref
    from app.project.history import log as history_log
    known = [e.changeset.id for e in history_log(project)]
    if len(ref) >= 8 and not any(k.startswith(ref.strip().lower()) for k in known):
        raise NotFound(f"this copy does not know change set {ref}: pull first "
                       "(`coplan pull`), or give its full id")
    return resolve_ids([ref], known, "change set")[0]


def _publish(args) -> int:
    with online(args.project) as (_, api):
        ids = comment_ids(api, args.comments) if args.comments else None
        event = api.publish(args.number, ids)
    out(f"published {len(event['data']['answers'])} answer(s) of round {args.number}")
    return 0


# --- records ---------------------------------------------------------------------------------

def _comments(args) -> int:
    with online(args.project) as (_, api):
        views = api.comments(full=True, round=args.round, status=args.status, party=args.party)
    if args.json:
        out_json(views)
        return 0
    for v in views:
        out(comment_line(v))
    out(f"{len(views)} comment(s)")
    return 0


def comment_line(view: dict) -> str:
    """One comment as a table row: short id, round, party, status, team, flags, text."""
    c = view["comment"]
    marks = "".join(ANCHOR_MARK.get(s.get("status"), "") for s in
                    view.get("anchor_states", {}).values())
    flags = " ".join(f for f in ("late" if view.get("late") else "", marks and "anchor" + marks,
                                 view.get("group") and "group " + short(view["group"])) if f)
    body = c["body"].get("zh") or c["body"].get("en", "")
    return (f"{short(c['id'])}  r{c['round']}  {pad(view.get('party_name', c['party']), 16)} "
            f"{view['status']:<9} {view.get('deliverable') or '-':<3} {body[:30]}"
            f"{'  [' + flags + ']' if flags else ''}")


def _log(args) -> int:
    with online(args.project) as (_, api):
        n = export_log(api, args.out)
    out(f"wrote {n} event(s) to {args.out}")
    return 0


def export_log(api, path: Path) -> int:
    """Write the review's whole event log as JSON lines; how many events."""
    from app.review.events import write_jsonl
    path.parent.mkdir(parents=True, exist_ok=True)
    return write_jsonl(api.events(), path)


def _report(args) -> int:
    from app.cli import COMMANDS, parser
    with online(args.project) as (_, api):
        events = args.out / "events.jsonl"
        export_log(api, events)
    argv = ["handling-report", str(events), "--out", str(args.out), "--lang", args.lang]
    argv += ["--party", args.party] if args.party else []
    argv += ["--round", str(args.round)] if args.round else []
    # `coplan handling-report` itself (report_cli), with its own defaults (plan name, ...).
    return COMMANDS["handling-report"](parser().parse_args(argv))


ACTIONS = {"open": _open, "freeze": _freeze, "invite": _invite, "advance": _advance,
           "next": _next, "status": _status, "remind": _remind, "overdue": _overdue,
           "suggest": _suggest, "group": _group, "assign": _assign, "recommend": _dispose,
           "decide": _dispose, "publish": _publish, "comments": _comments, "log": _log,
           "report": _report}
