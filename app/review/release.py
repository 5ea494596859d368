"""A release for joint signature (会签): the deliverable text of a frozen draft, the map data
version and the comment ledger frozen into files, with one manifest naming each file's SHA-256.

The release hash is the SHA-256 of `manifest.json` as stored, so changing any byte of any file
changes it. The log `signatures.jsonl` (not part of the manifest) holds signatures, withdrawals
and re-joins as a hash chain: each entry names the SHA-256 of the previous entry's canonical
JSON in "prev" (the first names the release hash) and is signed including it, so removing or
reordering a line breaks the chain. `verify` needs only the release folder and the keyring
exported from the server.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from app.errors import ConflictError, InvalidInput, NotFound
from app.model.feature import utc_now
from app.review.events import digest
from app.review.signing import Keyring, PublicKey, SigningKey
from app.review.times import beijing

FORMAT = "coplan.release/v1"
TEXT_FORMAT = "coplan.text/v1"
SIGNATURE_FORMAT = "coplan.signature/v2"  # v2: chained ("prev")
MANIFEST, LOG, KEYRING = "manifest.json", "signatures.jsonl", "keyring.json"
FILES = {"text": "text.json", "data": "data-version.json", "ledger": "ledger.json"}
ACTIONS = ("sign", "withdraw", "rejoin")
# Problem codes of a verification, each a different kind of failure.
PROBLEMS = ("tampered", "missing_signature", "unknown_key", "revoked_key", "broken_chain",
            "bad_signature", "wrong_party")


class ReleaseDamaged(InvalidInput):
    """A release folder or upload whose manifest cannot be read."""


def _dump(value: object) -> bytes:
    """Deterministic, readable JSON bytes."""
    return (json.dumps(value, ensure_ascii=False, sort_keys=True, indent=1) + "\n").encode()


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def freeze(folder: str | Path, *, project: str, title: str, sections: dict[str, str],
           data_version: dict, ledger: dict, parties: list[dict], quorum: dict,
           round: int | None = None, draft_hash: str | None = None,
           created: str | None = None) -> str:
    """Write a release into an empty `folder`; returns its hash (the manifest's SHA-256)."""
    folder = Path(folder)
    if folder.exists() and any(folder.iterdir()):
        raise ConflictError(f"{folder} is not empty: a release is never overwritten")
    _check_quorum(quorum, parties)
    folder.mkdir(parents=True, exist_ok=True)
    text = {"format": TEXT_FORMAT, "sections": sections, "round": round, "draft_hash": draft_hash}
    contents = {"text": text, "data": data_version, "ledger": ledger}
    files = {}
    for key, name in FILES.items():
        data = _dump(contents[key])
        (folder / name).write_bytes(data)
        files[key] = {"path": name, "sha256": _sha(data), "bytes": len(data)}
    manifest = {"format": FORMAT, "project": project, "title": title, "created": created or utc_now(),
                "files": files, "data_version": data_version.get("version"), "round": round,
                "draft_hash": draft_hash, "parties": parties, "quorum": quorum}
    raw = _dump(manifest)
    (folder / MANIFEST).write_bytes(raw)
    (folder / LOG).touch()
    return _sha(raw)


def _check_quorum(quorum: dict, parties: list[dict]) -> None:
    if quorum.get("rule") == "all":
        return
    if quorum.get("rule") == "at_least" and isinstance(quorum.get("n"), int) \
            and 1 <= quorum["n"] <= len(parties):
        return
    raise InvalidInput("the quorum is all signatories, or a number from 1 to the number of "
                       "signatories")


def parse_manifest(raw: bytes, where: str = MANIFEST) -> tuple[dict, str]:
    """(manifest, release hash) of a manifest's bytes; ReleaseDamaged if it is not one."""
    try:
        data = json.loads(raw)
    except ValueError as exc:
        raise ReleaseDamaged(f"{where} is damaged: {exc}") from exc
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ReleaseDamaged(f"{where} is not a {FORMAT} manifest")
    return data, _sha(raw)


def manifest(folder: str | Path) -> tuple[dict, str]:
    """(manifest, release hash) of a release folder."""
    path = Path(folder) / MANIFEST
    try:
        raw = path.read_bytes()
    except FileNotFoundError as exc:
        raise NotFound(f"no {MANIFEST} in {folder}: not a release") from exc
    return parse_manifest(raw, str(path))


def release_files(folder: str | Path) -> dict[str, bytes]:
    """The manifest and the files it names, as bytes (what is uploaded; not the log)."""
    folder = Path(folder)
    manifest(folder)  # a clear error when the folder is not a release
    try:
        return {name: (folder / name).read_bytes() for name in (MANIFEST, *FILES.values())}
    except FileNotFoundError as exc:
        raise NotFound(f"{exc.filename} is missing: the release is incomplete") from exc


def check_files(files: dict[str, bytes]) -> tuple[dict, str, dict[str, object]]:
    """(manifest, release hash, parsed contents by key) of a release given as bytes;
    InvalidInput when a file is missing or does not match the manifest."""
    if MANIFEST not in files:
        raise ReleaseDamaged(f"a release needs its {MANIFEST}")
    unexpected = sorted(set(files) - {MANIFEST, *FILES.values()})
    if unexpected:
        raise ReleaseDamaged(f"a release has no file {unexpected[0]!r}")
    data, release = parse_manifest(files[MANIFEST])
    contents: dict[str, object] = {}
    for key, name in FILES.items():
        entry = data.get("files", {}).get(key, {})
        body = files.get(name)
        if entry.get("path") != name or body is None or _sha(body) != entry.get("sha256"):
            raise ReleaseDamaged(f"{name} does not match the manifest")
        try:
            contents[key] = json.loads(body)
        except ValueError as exc:
            raise ReleaseDamaged(f"{name} is damaged: {exc}") from exc
    _check_quorum(data.get("quorum") or {}, data.get("parties") or [])
    return data, release, contents


# --- the signature chain ------------------------------------------------------------------

def read_log(folder: str | Path) -> list[dict]:
    """The entries of the signature log, in order."""
    path = Path(folder) / LOG
    if not path.exists():
        return []
    try:
        return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()
                if line.strip()]
    except ValueError as exc:
        raise InvalidInput(f"{path} is damaged: {exc}") from exc


def write_log(folder: str | Path, entries: list[dict]) -> None:
    """Replace the signature log with `entries` (e.g. the chain as the server holds it)."""
    text = "".join(json.dumps(e, ensure_ascii=False, sort_keys=True) + "\n" for e in entries)
    (Path(folder) / LOG).write_text(text, encoding="utf-8")


def entry_hash(entry: dict) -> str:
    """SHA-256 of an entry's canonical JSON (signature included): the next entry's "prev"."""
    return digest(entry)


def chain_head(entries: list[dict], release: str) -> str:
    """The hash the next entry must name as "prev"."""
    return entry_hash(entries[-1]) if entries else release


def next_action(entries: list[dict], party: str, action: str) -> str:
    """The action a party may take now (sign after a withdrawal is a rejoin); ConflictError
    when it cannot (sign twice, withdraw unsigned)."""
    active = _active(entries).get(party, False)
    withdrew = any(e.get("party") == party and e.get("action") == "withdraw" for e in entries)
    if action == "sign" and not active and withdrew:
        action = "rejoin"
    if action not in ACTIONS or (action == "withdraw") != active or \
            (action == "rejoin" and not withdrew):
        raise ConflictError(f"party {party} cannot {action} now (signed: {active})")
    return action


def new_entry(key: SigningKey, release: str, prev: str, action: str, reason: str = "",
              at: str | None = None) -> dict:
    """A signed log entry of the key's party on the chain whose head is `prev`."""
    statement = {"format": SIGNATURE_FORMAT, "release": release, "action": action,
                 "party": key.public.party, "signer": key.public.signer,
                 "key_id": key.public.key_id, "at": at or utc_now(), "reason": reason,
                 "prev": prev}
    return {**statement, "signature": key.sign(statement)}


def sign(folder: str | Path, key: SigningKey, action: str = "sign", reason: str = "",
         at: str | None = None) -> dict:
    """Append a signed sign / withdraw / rejoin entry for the key's party; returns it."""
    data, release = manifest(folder)
    party = key.public.party
    if party not in {p["code"] for p in data["parties"]}:
        raise InvalidInput(f"party {party} is not a signatory of this release")
    entries = read_log(folder)
    entry = new_entry(key, release, chain_head(entries, release),
                      next_action(entries, party, action), reason, at)
    with open(Path(folder) / LOG, "a", encoding="utf-8") as fh:
        fh.write(json.dumps(entry, ensure_ascii=False, sort_keys=True) + "\n")
    return entry


def _active(entries: list[dict]) -> dict[str, bool]:
    """Per party: whether its latest entry is a signature (not a withdrawal)."""
    return {e["party"]: e.get("action") != "withdraw" for e in entries if "party" in e}


def active_parties(entries: list[dict]) -> list[str]:
    """The parties whose latest entry is a signature (as logged, before any check)."""
    return sorted(p for p, on in _active(entries).items() if on)


def check_signature(entry: dict, key: PublicKey | None) -> bool:
    """Whether `entry` is signed by `key` (over everything but its signature)."""
    statement = {k: v for k, v in entry.items() if k != "signature"}
    return key is not None and key.verify(statement, str(entry.get("signature", "")))


# --- verification -------------------------------------------------------------------------

class Problem(str):
    """One thing verification found wrong: the message, with its kind in `code` (one of
    PROBLEMS). A str, so callers that show problems as lines of text keep working."""

    code: str

    def __new__(cls, code: str, message: str) -> Problem:
        problem = super().__new__(cls, message)
        problem.code = code
        return problem

    @property
    def message(self) -> str:
        return str(self)

    def to_json(self) -> dict:
        return {"code": self.code, "message": str(self)}


@dataclass
class Verification:
    """What `verify` found: ok only if the files match, the chain is whole, every entry is
    signed by a trusted, unrevoked key of its party, and the quorum is met."""

    release: str  # the recomputed release hash (SHA-256 of manifest.json)
    problems: list[Problem] = field(default_factory=list)
    signed: dict[str, dict] = field(default_factory=dict)  # party -> its latest valid sign entry
    log: list[dict] = field(default_factory=list)  # every entry with its "check" result
    quorum_met: bool = False
    missing: list[str] = field(default_factory=list)  # signatory parties not (validly) signed

    @property
    def ok(self) -> bool:
        return not self.problems and self.quorum_met

    @property
    def codes(self) -> list[str]:
        """The kinds of problem found, each once, in the order found."""
        return list(dict.fromkeys(p.code for p in self.problems))

    def add(self, code: str, message: str) -> None:
        self.problems.append(Problem(code, message))

    def to_json(self) -> dict:
        return {"ok": self.ok, "release": self.release, "quorum_met": self.quorum_met,
                "signed": sorted(self.signed), "missing": self.missing, "codes": self.codes,
                "problems": [p.to_json() for p in self.problems]}


def verify(folder: str | Path, keyring: Keyring | dict[str, PublicKey]) -> Verification:
    """Recompute the files' and the release's hashes, walk the signature chain, check every
    signature against the trusted keyring, and the quorum."""
    if not isinstance(keyring, Keyring):
        keyring = Keyring.of(keyring)
    try:
        data, release = manifest(folder)
    except ReleaseDamaged as exc:  # a manifest that no longer parses was tampered with too
        result = Verification(_sha((Path(folder) / MANIFEST).read_bytes()))
        result.add("tampered", exc.message)
        return result
    result = Verification(release)
    for key, entry in sorted(data.get("files", {}).items()):
        _check_file(result, Path(folder), key, entry)
    entries = read_log(folder)
    signed_release = _signed_release(result, entries)
    _check_chain(result, entries, signed_release, keyring)
    codes = {p["code"] for p in data.get("parties", [])}
    for number, entry in enumerate(entries, 1):
        status = _check_entry(result, number, entry, signed_release, keyring, codes)
        result.log.append({**entry, "check": status})
        if status == "valid":
            if entry["action"] == "withdraw":
                result.signed.pop(entry["party"], None)
            else:
                result.signed[entry["party"]] = entry
    result.quorum_met = _quorum(data.get("quorum", {}), codes, set(result.signed))
    result.missing = sorted(codes - set(result.signed))
    if not result.quorum_met:
        result.add("missing_signature", f"quorum {_quorum_text(data.get('quorum', {}))} not "
                   f"met; not signed by: {', '.join(result.missing) or '-'}")
    return result


def _check_file(result: Verification, folder: Path, key: str, entry: dict) -> None:
    name = entry.get("path", "")
    if key not in FILES or name != FILES[key]:  # only the known names: no path from the manifest
        result.add("tampered", f"the manifest names an unexpected file {name!r} for {key!r}")
        return
    try:
        actual = _sha((folder / name).read_bytes())
    except OSError:
        result.add("tampered", f"{name} is missing")
        return
    if actual != entry.get("sha256"):
        result.add("tampered", f"{name} has been changed: its SHA-256 differs from the manifest's")


def _signed_release(result: Verification, entries: list[dict]) -> str:
    """The release the signatures sign: when they all name another hash than the files give,
    the manifest was changed after signing (tampering, not a missing signature)."""
    named = {e.get("release") for e in entries}
    if len(named) == 1 and result.release not in named:
        other = named.pop()
        result.add("tampered", f"manifest.json has been changed: the signatures sign release "
                   f"{other}, the files give {result.release}")
        return str(other)
    return result.release


def _check_chain(result: Verification, entries: list[dict], release: str,
                 keyring: Keyring) -> None:
    expected = release
    for number, entry in enumerate(entries, 1):
        if entry.get("prev") != expected:
            result.add("broken_chain", f"{LOG} line {number} does not follow line {number - 1}: "
                       "a line was removed, inserted or moved")
        expected = entry_hash(entry)
    known = keyring.chains.get(release)
    if known and not _holds(entries, known):
        result.add("broken_chain", f"{LOG} lacks entries the server holds: the server's chain "
                   f"had {known.get('length')} entries ending in {known.get('head')}")


def _holds(entries: list[dict], known: dict) -> bool:
    """Whether the chain contains the server's head at its position (later entries may follow)."""
    length = int(known.get("length", 0))
    if length == 0:
        return True
    return len(entries) >= length and entry_hash(entries[length - 1]) == known.get("head")


def _check_entry(result: Verification, number: int, entry: dict, release: str,
                 keyring: Keyring, codes: set[str]) -> str:
    """valid, or the code of what is wrong with a log entry (recorded as a problem)."""
    where = f"{LOG} line {number}"
    trusted = keyring.get(str(entry.get("key_id", "")))
    if trusted is None:
        return _fail(result, "unknown_key", f"{where}: key {entry.get('key_id')!r} is not in the "
                     "trusted keyring")
    if not check_signature(entry, trusted.key):
        return _fail(result, "bad_signature", f"{where}: the signature does not verify")
    if entry.get("release") != result.release:  # signs other files: it counts for nothing
        if release != result.release:
            return "tampered"  # the changed manifest is reported once, not on every line
        return _fail(result, "tampered", f"{where} signs another release {entry.get('release')}")
    if trusted.key.party != entry.get("party") or entry["party"] not in codes:
        return _fail(result, "wrong_party", f"{where}: key {trusted.key.key_id} does not speak "
                     f"for party {entry.get('party')}")
    if not trusted.valid_at(release, number - 1):
        return _fail(result, "revoked_key", f"{where}: key {trusted.key.key_id} of party "
                     f"{trusted.key.party} was revoked at {beijing(trusted.revoked_at, 'en')}")
    if entry.get("action") not in ACTIONS:
        return _fail(result, "bad_signature", f"{where}: unknown action {entry.get('action')!r}")
    return "valid"


def _fail(result: Verification, code: str, message: str) -> str:
    result.add(code, message)
    return code


def _quorum(quorum: dict, parties: set[str], signed: set[str]) -> bool:
    if quorum.get("rule") == "all":
        return bool(parties) and parties <= signed
    if quorum.get("rule") == "at_least":
        return len(parties & signed) >= int(quorum.get("n", len(parties)))
    return False


def _quorum_text(quorum: dict) -> str:
    return "all parties" if quorum.get("rule") == "all" else f"at least {quorum.get('n')}"
