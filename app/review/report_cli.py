"""`coplan` subcommands for the ledger and the handling reports: ledger, handling-report."""

from __future__ import annotations

import logging
from pathlib import Path

from app.cli import command, out, out_json
from app.errors import InvalidInput

log = logging.getLogger(__name__)


def add_parsers(sub) -> None:
    """Register ledger and handling-report."""
    s = sub.add_parser("ledger", help="adoption ledger of a review archive (events.jsonl)")
    s.add_argument("events")
    s.add_argument("--csv", type=Path)
    s.add_argument("--xlsx", type=Path)
    s.add_argument("--chart", type=Path, help="a PNG of the adoption charts")
    s.add_argument("--json", action="store_true")
    _report_parser(sub)


def _report_parser(sub) -> None:
    s = sub.add_parser("handling-report", help="handling reports (PDF): summary + one per party")
    s.add_argument("events")
    s.add_argument("--out", type=Path, required=True)
    s.add_argument("--party", help="only this party's report")
    s.add_argument("--lang", choices=["zh", "en"], default="zh")
    s.add_argument("--plan", default="上海大都市圈空间协同规划", help="the plan's name")
    s.add_argument("--release", type=Path, help="a signed release: fills the signature page")
    s.add_argument("--keys", type=Path, help="trusted public keys (with --release)")


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
