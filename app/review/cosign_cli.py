"""`coplan` subcommands of the joint signature (会签): release (build from the server and
register; `release fetch`), keygen, sign, signatures upload, verify, keys register / revoke /
list / export. Thin wrappers over app.review.release, cosign and cosign_client."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path

from app.cli_support import command, out, out_json
from app.errors import InvalidInput, NotFound
from app.review.signing import UntrustedKeys

log = logging.getLogger(__name__)
PROBLEM_LABELS = {"tampered": "TAMPERED", "missing_signature": "MISSING SIGNATURE",
                  "unknown_key": "UNKNOWN KEY", "revoked_key": "REVOKED KEY",
                  "broken_chain": "BROKEN CHAIN", "bad_signature": "BAD SIGNATURE",
                  "wrong_party": "WRONG PARTY"}


class OpenItems(InvalidInput):
    """`coplan release --strict` with comments still open."""


def add_parsers(sub) -> None:
    """Register release, keygen, sign, signatures, verify and keys."""
    s = sub.add_parser("release", help="build a release for joint signature from the server "
                       "and register it; or `release fetch PROJECT HASH --out DIR`")
    s.add_argument("target", nargs="+", metavar="PROJECT | fetch PROJECT HASH")
    s.add_argument("--round", type=int, help="the round whose frozen draft is released")
    s.add_argument("--data-version", type=int, help="server version of the map data")
    s.add_argument("--title", default="")
    s.add_argument("--signatory", action="append", metavar="CODE=NAME")
    s.add_argument("--quorum", default="all", help="'all' or the number of parties needed")
    s.add_argument("--strict", action="store_true", help="refuse while comments are open")
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
    s.add_argument("--upload", metavar="PROJECT", help="sign on the server's chain and upload")
    s = sub.add_parser("signatures", help="send a release's local signatures to the server")
    s.add_argument("action", choices=["upload"])
    s.add_argument("project")
    s.add_argument("release", type=Path)
    s = sub.add_parser("verify", help="check a release's files, signature chain and quorum "
                       "offline against the server's keyring")
    s.add_argument("release", type=Path)
    s.add_argument("--keyring", type=Path, help="keyring.json exported from the server")
    s.add_argument("--keys", type=Path, help=argparse.SUPPRESS)  # the old folder trust
    s.add_argument("--json", action="store_true")
    _keys_parsers(sub)


def _keys_parsers(sub) -> None:
    s = sub.add_parser("keys", help="signer keys registered on the server")
    keys = s.add_subparsers(dest="keys_command", required=True, metavar="ACTION")
    k = keys.add_parser("register", help="register a party's public key (coordinators)")
    k.add_argument("project")
    k.add_argument("--pub", type=Path, required=True, help="the signer's .pub.json file")
    k = keys.add_parser("revoke", help="revoke a key (coordinators)")
    k.add_argument("project")
    k.add_argument("key_id")
    k.add_argument("--reason", default="")
    k = keys.add_parser("list", help="list the registered keys")
    k.add_argument("project")
    k.add_argument("--json", action="store_true")
    k = keys.add_parser("export", help="write the trusted keyring for offline verification")
    k.add_argument("project")
    k.add_argument("--out", type=Path, required=True)


def _apis(path: str):
    """(ReviewRemote, CosignRemote, Remote, server project id) of a local project."""
    from app.review.client import ReviewRemote
    from app.review.cosign_client import CosignRemote
    from app.sync.cli import _project_remote
    project, remote = _project_remote(path)
    with project:
        pid = project.meta("remote_project")
    if not pid:
        raise NotFound(f"{path} is not linked to a server project")
    return ReviewRemote(remote, pid), CosignRemote(remote, pid), remote, pid


# --- release --------------------------------------------------------------------------------

@command("release")
def cmd_release(args) -> int:
    if args.target[0] == "fetch":
        return _fetch(args)
    if len(args.target) != 1 or args.round is None or args.data_version is None \
            or not args.signatory:
        raise InvalidInput("usage: coplan release PROJECT --round N --data-version V "
                           "--signatory CODE=NAME ... --out DIR")
    from app.review import release
    from app.review.cosign_client import build
    review, cosign, remote, pid = _apis(args.target[0])
    built = build(review, remote, pid, args.round, args.data_version, args.signatory,
                  args.quorum)
    _warn_open(built.open_lines, built.silent, args.strict)
    digest = release.freeze(args.out, project=pid, title=args.title or built.title,
                            sections=built.sections, round=args.round,
                            draft_hash=built.draft_hash, data_version=built.data_version,
                            ledger=built.ledger, parties=built.parties, quorum=built.quorum)
    cosign.register_release(release.release_files(args.out))
    out(f"release {digest} written to {args.out} and registered on the server")
    return 0


def _warn_open(lines: list[str], silent: list[str], strict: bool) -> None:
    if lines:
        print(f"coplan: warning: {len(lines)} comment(s) still open:", file=sys.stderr)
        for line in lines:
            print(f"  {line}", file=sys.stderr)
    if silent:
        print(f"coplan: warning: invited parties that never answered: {', '.join(silent)}",
              file=sys.stderr)
    if strict and lines:
        raise OpenItems(f"{len(lines)} comment(s) are still open: no release with --strict")


def _fetch(args) -> int:
    from app.review import release
    from app.review.cosign_client import fetch
    if len(args.target) != 3:
        raise InvalidInput("usage: coplan release fetch PROJECT HASH --out DIR")
    _, cosign, _, _ = _apis(args.target[1])
    folder = fetch(cosign, args.target[2], args.out)
    count = len(release.read_log(folder))
    out(f"release {args.target[2]} with {count} signature entr{'y' if count == 1 else 'ies'} "
        f"written to {folder}")
    return 0


# --- keys, signing, verifying --------------------------------------------------------------

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
    key = load_signing_key(args.key)
    action = "withdraw" if args.withdraw else "sign"
    if args.upload:
        from app.review.cosign_client import sign_and_upload
        entry = sign_and_upload(_apis(args.upload)[1], args.release, key, action, args.reason)
    else:
        entry = release.sign(args.release, key, action, args.reason)
    where = "uploaded" if args.upload else "logged here; send it with `coplan signatures upload`"
    out(f"{entry['action']}: party {entry['party']} on release {entry['release']} ({where})")
    return 0


@command("signatures")
def cmd_signatures(args) -> int:
    from app.review.cosign_client import upload_pending
    sent = upload_pending(_apis(args.project)[1], args.release)
    out(f"sent {sent} signature entr{'y' if sent == 1 else 'ies'}")
    return 0


@command("verify")
def cmd_verify(args) -> int:
    from app.review import release
    from app.review.signing import load_keyring
    if args.keys is not None:
        raise UntrustedKeys("--keys trusted any key file in a folder, and anyone can write one "
                            "claiming any party: use --keyring with the keyring exported from "
                            "the server (`coplan keys export PROJECT --out keyring.json`) or a "
                            "fetched bundle's keyring.json")
    if args.keyring is None:
        raise InvalidInput("verify needs --keyring: the keyring exported from the server")
    result = release.verify(args.release, load_keyring(args.keyring))
    if args.json:
        out_json(result.to_json())
        return 0 if result.ok else 1
    from app.review.times import beijing
    out(f"release {result.release}")
    for party, entry in sorted(result.signed.items()):  # "at": the signer's clock
        out(f"  signed  {party} by {entry['signer']} (key {entry['key_id']}) at "
            f"{beijing(entry['at'], 'en')}")
    for problem in result.problems:
        out(f"  {PROBLEM_LABELS.get(problem.code, problem.code.upper())}: {problem}")
    out("verified" if result.ok else "NOT verified: " + ", ".join(
        PROBLEM_LABELS.get(c, c).lower() for c in result.codes))
    return 0 if result.ok else 1


@command("keys")
def cmd_keys(args) -> int:
    _, cosign, _, pid = _apis(args.project)
    if args.keys_command == "register":
        from app.review.signing import read_public_file
        pub = read_public_file(args.pub)
        k = cosign.register_key(pub["party"], pub["signer"], pub["public_key"])
        out(f"registered key {k['key_id']} for party {k['party']} ({k['signer']}); "
            f"fingerprint {k['fingerprint']}")
    elif args.keys_command == "revoke":
        k = cosign.revoke_key(args.key_id, args.reason)
        out(f"revoked key {k['key_id']} of party {k['party']}")
    elif args.keys_command == "list":
        _list_keys(cosign.keyring()["keys"], args.json)
    else:
        ring = cosign.keyring()
        args.out.write_text(json.dumps(ring, ensure_ascii=False, indent=1) + "\n",
                            encoding="utf-8")
        out(f"keyring of {pid}: {len(ring['keys'])} key(s) written to {args.out}")
    return 0


def _list_keys(keys: list[dict], as_json: bool) -> None:
    from app.review.times import beijing
    if as_json:
        out_json(keys)
        return
    for k in keys:
        state = f"revoked {beijing(k['revoked_at'], 'en')}" if k["revoked_at"] else "active"
        out(f"{k['party']:<10} {k['signer']:<12} {k['key_id']}  registered "
            f"{beijing(k['registered_at'], 'en')}  {state}  fingerprint {k['fingerprint']}")
