"""`coplan` subcommands for the ledger and the handling reports: ledger, handling-report."""

from __future__ import annotations

import json
import logging
from pathlib import Path

from app.cli_support import command, out, out_json
from app.errors import ConflictError, InvalidInput

log = logging.getLogger(__name__)


def add_parsers(sub) -> None:
    """Register ledger and handling-report."""
    s = sub.add_parser("ledger", help="adoption ledger of a review archive (events.jsonl)")
    s.add_argument("events")
    s.add_argument("--csv", type=Path, help="one row per comment (UTF-8 with BOM, for Excel)")
    s.add_argument("--xlsx", type=Path, help="a workbook: summary, ledger, breakdowns, responses")
    s.add_argument("--chart", type=Path, help="a PNG of the adoption charts")
    s.add_argument("--json", action="store_true")
    _report_parser(sub)


def _report_parser(sub) -> None:
    s = sub.add_parser("handling-report", help="handling reports (PDF): summary + one per party")
    s.add_argument("events")
    s.add_argument("--out", type=Path, required=True, help="folder (created when missing)")
    s.add_argument("--party", help="only this party's report (an invited party that sent no "
                                   "comments gets a report saying so)")
    s.add_argument("--lang", choices=["zh", "en"], default="zh")
    s.add_argument("--round", type=int, dest="number", metavar="N",
                   help="only round N: its comments (with all answers since) and invitations")
    s.add_argument("--plan", default="上海大都市圈空间协同规划", help="the plan's name")
    s.add_argument("--release", type=Path, help="a signed release: fills the signature page "
                                                "only if it verifies and its ledger is this one")
    s.add_argument("--keyring", "--keys", dest="keyring", type=Path,
                   help="the trusted keyring exported from the server (with --release)")


def _state(path: str):
    from app.review.events import read_jsonl
    from app.review.state import fold
    return fold(read_jsonl(path))


def _folder(path: Path) -> Path:
    """An output folder, created when missing; a one-line error when it cannot be."""
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InvalidInput(f"cannot create the folder {path}: {exc.strerror or exc}") from exc
    return path


@command("ledger")
def cmd_ledger(args) -> int:
    from app.review import export
    from app.review.ledger import compute
    ledger = compute(_state(args.events))
    for target in (args.csv, args.xlsx, args.chart):
        if target:
            _folder(target.parent)
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
    groups, members = ledger.duplicate_groups
    if groups:
        out(f"{groups} duplicate group(s) of {members} comments count once each: "
            f"{ledger.total.counted} item(s) in the adoption tallies")
    out(f"{len(ledger.open_items)} open item(s), {len(ledger.non_responses)} invitation(s) "
        "unanswered")
    return 0


@command("handling-report")
def cmd_handling_report(args) -> int:
    from app.review import report
    from app.review.ledger import compute
    from app.review.state import of_round
    state = _state(args.events)
    if args.number and args.number not in state.rounds:
        raise InvalidInput(f"the events hold no round {args.number}")
    scoped = of_round(state, args.number) if args.number else state
    signatures = _signatures(args, compute(scoped).hash())
    folder = _folder(args.out)
    tag = f"r{args.number}-" if args.number else ""
    if args.party:
        paths = [report.party_report(state, args.party, folder / f"party-{args.party}-{tag}"
                                     f"{args.lang}.pdf", plan=args.plan, lang=args.lang,
                                     signatures=signatures, number=args.number)]
    else:
        paths = report.write_reports(state, folder, plan=args.plan, lang=args.lang,
                                     signatures=signatures, number=args.number)
    out(f"wrote {len(paths)} report(s) to {folder}")
    return 0


def verify_release(folder: Path, keyring: Path):
    """The one place the reports ask whether a release verifies (release.verify decides)."""
    from app.review import release
    from app.review.signing import load_keyring
    return release.verify(folder, load_keyring(keyring))


def release_ledger_hash(folder: Path) -> str:
    """The digest of the ledger a release froze, comparable with `Ledger.hash()`."""
    from app.review.events import digest
    path = Path(folder) / "ledger.json"
    try:
        return digest(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError) as exc:
        raise InvalidInput(f"cannot read the release's ledger {path}: {exc}") from exc


def _signatures(args, ledger_hash: str):
    """The signature page's input, only from a release that verifies AND froze this ledger."""
    if not args.release:
        return None
    if not args.keyring:
        raise InvalidInput("--release needs --keyring to check the signatures it shows")
    from app.review import release
    from app.review.report import Signatures
    result = verify_release(args.release, args.keyring)
    if not result.ok:
        problems = "; ".join(str(p) for p in result.problems) or "quorum not met"
        raise ReleaseRefused(f"release {args.release} does not verify ({problems}): no "
                             "signature page is printed for it")
    frozen = release_ledger_hash(args.release)
    if frozen != ledger_hash:
        raise ReleaseRefused(f"release {args.release} froze another ledger (SHA-256 "
                             f"{frozen[:12]}…) than these events give ({ledger_hash[:12]}…): "
                             "its signatures do not cover this report")
    data, _ = release.manifest(args.release)
    return Signatures(result.release, data["parties"], result.signed, frozen)


class ReleaseRefused(ConflictError):
    """A release that cannot back a signature page (fails verification, or another ledger)."""
