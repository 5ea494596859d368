"""`coplan` subcommands of co-confirm: comment, review-sync, ledger, handling-report, release,
keygen, sign, verify. Thin wrappers over app.review."""

from __future__ import annotations

import json
import logging
from pathlib import Path

from app.cli import command, out, out_json
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
    s = sub.add_parser("ledger", help="adoption ledger of a review archive (events.jsonl)")
    s.add_argument("events")
    s.add_argument("--csv", type=Path)
    s.add_argument("--xlsx", type=Path)
    s.add_argument("--chart", type=Path, help="a PNG of the adoption charts")
    s.add_argument("--json", action="store_true")
    _report_parser(sub)
    _release_parsers(sub)


def _report_parser(sub) -> None:
    s = sub.add_parser("handling-report", help="handling reports (PDF): summary + one per party")
    s.add_argument("events")
    s.add_argument("--out", type=Path, required=True)
    s.add_argument("--party", help="only this party's report")
    s.add_argument("--lang", choices=["zh", "en"], default="zh")
    s.add_argument("--plan", default="上海大都市圈空间协同规划", help="the plan's name")
    s.add_argument("--release", type=Path, help="a signed release: fills the signature page")
    s.add_argument("--keys", type=Path, help="trusted public keys (with --release)")


def _release_parsers(sub) -> None:
    s = sub.add_parser("release", help="freeze text + data version + ledger for joint signature")
    s.add_argument("events")
    s.add_argument("--text", type=Path, required=True, help="JSON: section id -> text")
    s.add_argument("--data-version", type=int, required=True, help="server version of the map data")
    s.add_argument("--project", required=True)
    s.add_argument("--title", default="")
    s.add_argument("--signatory", action="append", required=True, metavar="CODE=NAME")
    s.add_argument("--quorum", default="all", help="'all' or the number of parties needed")
    s.add_argument("--out", type=Path, required=True)
    s = sub.add_parser("keygen", help="make an Ed25519 signing key for a party's signatory")
    s.add_argument("--party", required=True)
    s.add_argument("--signer", required=True)
    s.add_argument("--out", type=Path, default=Path("."))
    s = sub.add_parser("sign", help="sign a release (or --withdraw the signature)")
    s.add_argument("release", type=Path)
    s.add_argument("--key", type=Path, required=True)
    s.add_argument("--withdraw", action="store_true")
    s.add_argument("--reason", default="")
    s = sub.add_parser("verify", help="check a release's files, signatures and quorum offline")
    s.add_argument("release", type=Path)
    s.add_argument("--keys", type=Path, required=True, help="a .pub.json file or a folder")
    s.add_argument("--json", action="store_true")


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


def _state(path: str):
    from app.review.events import read_jsonl
    from app.review.state import fold
    return fold(read_jsonl(path))


@command("ledger")
def cmd_ledger(args) -> int:
    from app.review import export
    from app.review.ledger import compute
    ledger = compute(_state(args.events))
    if args.csv:
        export.write_csv(ledger, args.csv)
    if args.xlsx:
        export.write_xlsx(ledger, args.xlsx)
    if args.chart:
        from app.review.charts import ledger_figure, png_bytes
        args.chart.write_bytes(png_bytes(ledger_figure(ledger)))
    if args.json:
        out_json(ledger.to_json())
        return 0
    for kind, t in [*sorted(ledger.by_party_type.items()), ("total", ledger.total)]:
        rate = "-" if t.rate is None else f"{100 * t.rate:.1f}%"
        out(f"{kind:<12} {t.comments:>6} comments  {t.adopted:>6} adopted  rate {rate}")
    out(f"{len(ledger.open_items)} open item(s), {len(ledger.non_responses)} invitation(s) "
        "unanswered")
    return 0


@command("handling-report")
def cmd_handling_report(args) -> int:
    from app.review import report
    state, signatures = _state(args.events), _signatures(args)
    if args.party:
        paths = [report.party_report(state, args.party, args.out / f"party-{args.party}-"
                                     f"{args.lang}.pdf", plan=args.plan, lang=args.lang,
                                     signatures=signatures)]
    else:
        paths = report.write_reports(state, args.out, plan=args.plan, lang=args.lang,
                                     signatures=signatures)
    out(f"wrote {len(paths)} report(s) to {args.out}")
    return 0


def _signatures(args):
    if not args.release:
        return None
    if not args.keys:
        raise InvalidInput("--release needs --keys to check the signatures it shows")
    from app.review import release
    from app.review.report import Signatures
    from app.review.signing import load_public_keys
    result = release.verify(args.release, load_public_keys(args.keys))
    data, _ = release.manifest(args.release)
    return Signatures(result.release, data["parties"], result.signed)


@command("release")
def cmd_release(args) -> int:
    from app.review import release
    from app.review.ledger import compute
    try:
        sections = json.loads(args.text.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise InvalidInput(f"cannot read the text {args.text}: {exc}") from exc
    parties = [dict(zip(("code", "name"), s.split("=", 1), strict=False)) for s in args.signatory]
    quorum = {"rule": "all"} if args.quorum == "all" else {"rule": "at_least",
                                                            "n": int(args.quorum)}
    digest = release.freeze(args.out, project=args.project, title=args.title,
                            sections=sections.get("sections", sections),
                            data_version={"project": args.project, "version": args.data_version},
                            ledger=compute(_state(args.events)).to_json(),
                            parties=[{"code": p["code"], "name": p.get("name", p["code"])}
                                     for p in parties], quorum=quorum)
    out(f"release {digest} written to {args.out}")
    return 0


@command("keygen")
def cmd_keygen(args) -> int:
    from app.review.signing import keygen
    key, pub = keygen(args.out, args.party, args.signer)
    out(f"private key {key} (keep it on this machine); public key {pub} (send it to the office)")
    return 0


@command("sign")
def cmd_sign(args) -> int:
    from app.review import release
    from app.review.signing import load_signing_key
    entry = release.sign(args.release, load_signing_key(args.key),
                         "withdraw" if args.withdraw else "sign", args.reason)
    out(f"{entry['action']}: party {entry['party']} on release {entry['release']}")
    return 0


@command("verify")
def cmd_verify(args) -> int:
    from app.review import release
    from app.review.signing import load_public_keys
    result = release.verify(args.release, load_public_keys(args.keys))
    if args.json:
        out_json({"ok": result.ok, "release": result.release, "problems": result.problems,
                  "signed": sorted(result.signed), "quorum_met": result.quorum_met})
    else:
        out(f"release {result.release}")
        for party, entry in sorted(result.signed.items()):
            out(f"  signed  {party} by {entry['signer']} (key {entry['key_id']}) at {entry['at']}")
        for problem in result.problems:
            out(f"  PROBLEM {problem}")
        out("verified" if result.ok else "NOT verified")
    return 0 if result.ok else 1
