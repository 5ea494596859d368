"""`coplan` subcommands of co-confirm. This module: comment, review-sync; the others live in
round_cli (coordinators' and parties' round work), report_cli (ledger, handling reports) and
cosign_cli (release, keys, signatures). Thin wrappers over app.review."""

from __future__ import annotations

import logging
from pathlib import Path

from app.cli import command, out
from app.errors import InvalidInput

log = logging.getLogger(__name__)


def add_parsers(sub) -> None:
    """Register the review subcommands on the `coplan` parser."""
    s = sub.add_parser("comment", help="write a comment offline (sent by review-sync)")
    s.add_argument("project")
    s.add_argument("--round", type=int, required=True)
    s.add_argument("--text", required=True, help="the comment in Chinese (or --lang en)")
    s.add_argument("--lang", choices=["zh", "en"], default="zh")
    s.add_argument("--section", help="anchor: stable section id, e.g. Z1.strategy.2")
    s.add_argument("--quote", help="anchor: the quoted text of the clause")
    s.add_argument("--position", type=int, default=0, help="anchor: character offset")
    s.add_argument("--feature", action="append", metavar="LAYER/UUID", help="anchor a map feature")
    s.add_argument("--attach", action="append", type=Path, help="attach a PDF or image")
    s.add_argument("--draft", action="store_true", help="keep as a draft, do not queue")
    sub.add_parser("review-sync", help="send comments written offline and pull the answers"
                   ).add_argument("project")
    from app.review import cosign_cli, report_cli, round_cli
    for module in (round_cli, report_cli, cosign_cli):
        module.add_parsers(sub)


@command("comment")
def cmd_comment(args) -> int:
    from app.project.project import Project
    from app.review.outbox import write_comment
    with Project.open(args.project) as project:
        anchors = _anchors(project, args)
        cid = write_comment(project, args.round, {args.lang: args.text}, anchors,
                            files=args.attach or [], queued=not args.draft)
    out(f"{'drafted' if args.draft else 'queued'} comment {cid} ({len(anchors)} anchor(s))")
    return 0


def _anchors(project, args) -> list[dict]:
    import shapely

    from app.project.features import get_feature
    anchors = []
    if args.section or args.quote:
        if not (args.section and args.quote):
            raise InvalidInput("a clause anchor needs both --section and --quote")
        anchors.append({"type": "clause", "section": args.section, "quote": args.quote,
                        "position": args.position})
    for ref in args.feature or []:
        layer, _, uuid = ref.partition("/")
        feature = get_feature(project, layer, uuid)
        anchors.append({"type": "feature", "layer": project.layer(layer).code, "uuid": uuid,
                        "geometry": shapely.to_wkb(feature.geometry, hex=True)})
    return anchors


@command("review-sync")
def cmd_review_sync(args) -> int:
    from app.review.client import ReviewRemote
    from app.review.outbox import pending, sync_steps
    from app.sync.cli import _progress, _project_remote
    project, remote = _project_remote(args.project)
    with project:
        api = ReviewRemote(remote, project.meta("remote_project"))
        sent, pulled = _progress(sync_steps(project, api))
        refused, party = pending(project, "refused"), project.party
    out(f"sent {sent} item(s); {len(refused)} refused; {pulled} comment(s) visible to {party}")
    for item in refused:
        out(f"  refused {item['kind']} {item['id']}: {item['answer']['error']}")
    return 0
