"""`coplan round …` for an invited party: no-comment, answers, confirm, history.

A party's writes go through the copy's outbox, as comments do, and are sent at once when the
server can be reached; offline they wait for `coplan review-sync`."""

from __future__ import annotations

import logging

from app.cli_support import out
from app.errors import ConflictError, InvalidInput, SyncError
from app.review import model as M
from app.review.cli import online, resolve_ids, short, unreachable
from app.review.times import beijing

log = logging.getLogger(__name__)


def add_actions(actions) -> None:
    """Register the party's actions under `coplan round`."""
    from app.review.round_cli import action
    action(actions, "no-comment", "answer the invitation to a round with \"no comment\"")
    a = action(actions, "answers", "read the published answers to this party's comments",
               number=False)
    a.add_argument("--round", type=int)
    a.add_argument("--all", action="store_true", help="every answer this party may read")
    a = action(actions, "confirm", "reply to a published answer", number=False)
    a.add_argument("comment", help="comment id or unique prefix (8+ characters)")
    verdict = a.add_mutually_exclusive_group(required=True)
    verdict.add_argument("--satisfied", action="store_true")
    verdict.add_argument("--not-satisfied", action="store_true")
    a.add_argument("--note", default="", help="why not (required with --not-satisfied)")
    a = action(actions, "history", "what happened to one of this party's comments",
               number=False)
    a.add_argument("comment", help="comment id or unique prefix (8+ characters)")


def deliver(project, api, item_id: str, what: str) -> int:
    """Send the outbox now when the server answers; else leave `item_id` queued."""
    from app.review.outbox import item_state, sync_steps
    from app.sync.cli import _progress
    if api is None:
        out(f"{what}: queued; this copy is offline, `coplan review-sync` sends it")
        return 0
    try:
        _progress(sync_steps(project, api))
    except SyncError as exc:
        if not unreachable(exc):
            raise
        out(f"{what}: queued; {exc.message}; `coplan review-sync` sends it later")
        return 0
    state, answer = item_state(project, item_id)
    if state == "refused":
        raise ConflictError(f"the server refused it: {(answer or {}).get('error')}")
    out(f"{what}: sent")
    return 0


def _refresh(project, api) -> None:
    """Pull this party's comments and answers when online (sending what waits first)."""
    from app.review.outbox import sync_steps
    from app.sync.cli import _progress
    if api is None:
        return
    try:
        _progress(sync_steps(project, api))
    except SyncError as exc:
        if not unreachable(exc):
            raise
        log.info("offline, showing the answers last pulled: %s", exc.message)


def _no_comment(args) -> int:
    from app.review.outbox import write_no_comment
    with online(args.project, required=False) as (project, api):
        item = write_no_comment(project, args.number)
        return deliver(project, api, item, f"no comment on round {args.number}")


def _answers(args) -> int:
    from app.review.outbox import local_comments
    with online(args.project, required=False) as (project, api):
        _refresh(project, api)
        party = project.party
        views = [v for v in local_comments(project)
                 if (args.all or v["comment"]["party"] == party)
                 and (args.round is None or v["comment"]["round"] == args.round)]
    answered = [v for v in views if v.get("answer")]
    for view in answered:
        for line in answer_lines(view):
            out(line)
    out(f"{len(answered)} answer(s); {len(views) - len(answered)} comment(s) not answered yet")
    return 0


def answer_lines(view: dict) -> list[str]:
    """A published answer as a party reads it: disposition, text, evidence, times, reply."""
    c, a = view["comment"], view["answer"]
    text = a["answer"].get("zh") or a["answer"].get("en", "")
    lines = [f"{short(c['id'])}  round {c['round']}  {view['status']}  "
             f"{M.label(M.DISPOSITION_LABELS, a['disposition'])} "
             f"({M.label(M.DISPOSITION_LABELS, a['disposition'], 'en')})",
             f"  comment: {c['body'].get('zh') or c['body'].get('en', '')}",
             f"  answer:  {text}"]
    if a.get("reason"):
        lines.append(f"  reason:  {M.label(M.REASONS, a['reason'])}")
    lines += [f"  evidence: {evidence(ref)}" for ref in a.get("changes", [])]
    lines.append(f"  decided {beijing(a.get('decided_at'), 'en')} by {a.get('by_party', '')}")
    reply = view.get("confirmation")
    if reply:
        verdict = "satisfied" if reply["satisfied"] else "not satisfied"
        lines.append(f"  reply: {verdict} {reply.get('note', '')} "
                     f"({beijing(reply.get('at'), 'en')})".rstrip())
    return lines


def evidence(ref: dict) -> str:
    """A change reference as resolved by the server, in one line."""
    if ref.get("kind") == "changeset":
        version = f" version {ref['version']}" if ref.get("version") else ""
        return f"change set {short(ref['id'])}{version} ({ref.get('party', '')})"
    after = (ref.get("after") or "")[:40]
    return f"section {ref.get('section')} revised in draft {ref.get('revision', '')[:8]}: {after}"


def _confirm(args) -> int:
    from app.review.outbox import local_comments, write_confirmation
    if args.not_satisfied and not args.note.strip():
        raise InvalidInput("say why the answer is not satisfactory: --note")
    with online(args.project, required=False) as (project, api):
        _refresh(project, api)
        views = {v["comment"]["id"]: v for v in local_comments(project)
                 if v["comment"]["party"] == project.party}
        [cid] = resolve_ids([args.comment], list(views))
        publication = views[cid].get("publication")
        if not publication:
            raise ConflictError(f"comment {short(cid)} has no published answer yet")
        item = write_confirmation(project, cid, publication, bool(args.satisfied), args.note)
        verdict = "satisfied" if args.satisfied else "not satisfied"
        return deliver(project, api, item, f"{verdict} with the answer to {short(cid)}")


def _history(args) -> int:
    with online(args.project) as (_, api):
        [cid] = resolve_ids([args.comment], [r["id"] for r in api.comments(full=False)])
        view = api.comment(cid)
    history = view.get("history", [])
    for event in history:
        out(f"{beijing(event['at'], 'en')}  {event['kind']:<14} {event['user']:<10} "
            f"{_summary(event)}".rstrip())
    out(f"{len(history)} event(s) of comment {short(cid)}; now {view['status']}")
    return 0


def _summary(entry: dict) -> str:
    """What one entry of a comment's history (GET /comments/{id}) says about the comment."""
    kind = entry["kind"]
    if kind == "comment":
        return f"by {entry.get('author', '')}, written {beijing(entry.get('written'), 'en')}"
    if kind in ("publish", "recommend", "decide"):
        answer = entry.get("answer") or {}
        disposition = answer.get("disposition") or entry.get("disposition")
        return M.label(M.DISPOSITION_LABELS, disposition)
    if kind == "confirm":
        verdict = "satisfied" if entry.get("satisfied") else "not satisfied"
        return f"{verdict} {entry.get('note', '')}".rstrip()
    if kind == "anchor.migrate":
        return "anchor " + ", ".join(r["status"] for r in entry.get("results", []))
    if kind == "anchor.review":
        return f"anchor reviewed: {entry.get('status', '')}"
    if kind == "assign":
        return f"to deliverable {entry.get('deliverable', '')}"
    return entry.get("group_kind", "")


PARTY_ACTIONS = {"no-comment": _no_comment, "answers": _answers, "confirm": _confirm,
                 "history": _history}
