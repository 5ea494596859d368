"""`coplan` subcommands of the joint signature (会签): release, keygen, sign, verify."""

from __future__ import annotations

import json
import logging
from pathlib import Path

from app.cli import command, out, out_json
from app.errors import InvalidInput

log = logging.getLogger(__name__)


def add_parsers(sub) -> None:
    """Register release, keygen, sign and verify."""
    _release_parsers(sub)


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


def _state(path: str):
    from app.review.report_cli import _state as state
    return state(path)


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
