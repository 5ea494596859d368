"""A release for joint signature (会签): the deliverable text, the map data version and the
comment ledger frozen into files, with one manifest naming each file's SHA-256.

The release hash is the SHA-256 of `manifest.json` as stored, so changing any byte of any file
changes it. Signatories sign a statement naming that hash; the log `signatures.jsonl` (not part
of the manifest) holds signatures, withdrawals and re-joins, each signed. `verify` needs only
the release folder and the trusted public keys.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from app.errors import ConflictError, InvalidInput, NotFound
from app.model.feature import utc_now
from app.review.signing import PublicKey, SigningKey

FORMAT = "coplan.release/v1"
SIGNATURE_FORMAT = "coplan.signature/v1"
MANIFEST, LOG = "manifest.json", "signatures.jsonl"
FILES = {"text": "text.json", "data": "data-version.json", "ledger": "ledger.json"}
ACTIONS = ("sign", "withdraw", "rejoin")


def _dump(value: object) -> bytes:
    """Deterministic, readable JSON bytes."""
    return (json.dumps(value, ensure_ascii=False, sort_keys=True, indent=1) + "\n").encode()


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def freeze(folder: str | Path, *, project: str, title: str, sections: dict[str, str],
           data_version: dict, ledger: dict, parties: list[dict], quorum: dict,
           created: str | None = None) -> str:
    """Write a release into an empty `folder`; returns its hash (the manifest's SHA-256)."""
    folder = Path(folder)
    if folder.exists() and any(folder.iterdir()):
        raise ConflictError(f"{folder} is not empty: a release is never overwritten")
    _check_quorum(quorum, parties)
    folder.mkdir(parents=True, exist_ok=True)
    contents = {"text": {"format": "coplan.text/v1", "sections": sections},
                "data": data_version, "ledger": ledger}
    files = {}
    for key, name in FILES.items():
        data = _dump(contents[key])
        (folder / name).write_bytes(data)
        files[key] = {"path": name, "sha256": _sha(data), "bytes": len(data)}
    manifest = {"format": FORMAT, "project": project, "title": title, "created": created or utc_now(),
                "files": files, "data_version": data_version.get("version"),
                "parties": parties, "quorum": quorum}
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
    raise InvalidInput("quorum is {\"rule\": \"all\"} or {\"rule\": \"at_least\", \"n\": N}")


def manifest(folder: str | Path) -> tuple[dict, str]:
    """(manifest, release hash) of a release folder."""
    path = Path(folder) / MANIFEST
    try:
        raw = path.read_bytes()
        data = json.loads(raw)
    except FileNotFoundError as exc:
        raise NotFound(f"no {MANIFEST} in {folder}: not a release") from exc
    except ValueError as exc:
        raise InvalidInput(f"{path} is damaged: {exc}") from exc
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise InvalidInput(f"{path} is not a {FORMAT} manifest")
    return data, _sha(raw)


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


def sign(folder: str | Path, key: SigningKey, action: str = "sign", reason: str = "",
         at: str | None = None) -> dict:
    """Append a signed sign / withdraw / rejoin entry for the key's party; returns it."""
    data, release = manifest(folder)
    party = key.public.party
    if party not in {p["code"] for p in data["parties"]}:
        raise InvalidInput(f"party {party} is not a signatory of this release")
    active = _active(read_log(folder), release).get(party, False)
    if action == "sign" and not active and _withdrew(read_log(folder), release, party):
        action = "rejoin"
    if action not in ACTIONS or (action == "withdraw") != active:
        raise ConflictError(f"party {party} cannot {action} now (signed: {active})")
    statement = {"format": SIGNATURE_FORMAT, "release": release, "action": action,
                 "party": party, "signer": key.public.signer, "key_id": key.public.key_id,
                 "at": at or utc_now(), "reason": reason}
    entry = {**statement, "signature": key.sign(statement)}
    with open(Path(folder) / LOG, "a", encoding="utf-8") as fh:
        fh.write(json.dumps(entry, ensure_ascii=False, sort_keys=True) + "\n")
    return entry


def _active(entries: list[dict], release: str) -> dict[str, bool]:
    """Per party: whether its latest entry for `release` is a signature (not a withdrawal)."""
    state: dict[str, bool] = {}
    for e in entries:
        if e.get("release") == release:
            state[e["party"]] = e["action"] != "withdraw"
    return state


def _withdrew(entries: list[dict], release: str, party: str) -> bool:
    return any(e.get("release") == release and e["party"] == party and e["action"] == "withdraw"
               for e in entries)


@dataclass
class Verification:
    """What `verify` found: ok only if every file matches and the quorum is met."""

    release: str  # the recomputed release hash
    problems: list[str] = field(default_factory=list)
    signed: dict[str, dict] = field(default_factory=dict)  # party -> its latest valid sign entry
    log: list[dict] = field(default_factory=list)  # every entry with its check result
    quorum_met: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems and self.quorum_met


def verify(folder: str | Path, keys: dict[str, PublicKey]) -> Verification:
    """Recompute every file hash and the release hash, check every signature and the quorum."""
    data, release = manifest(folder)
    result = Verification(release)
    for key, entry in sorted(data.get("files", {}).items()):
        result.problems += _check_file(Path(folder), key, entry)
    codes = {p["code"] for p in data.get("parties", [])}
    for number, entry in enumerate(read_log(folder), 1):
        status = _check_entry(entry, release, keys, codes)
        result.log.append({**entry, "check": status})
        if status == "valid":
            if entry["action"] == "withdraw":
                result.signed.pop(entry["party"], None)
            else:
                result.signed[entry["party"]] = entry
        elif status != "other release":
            result.problems.append(f"{LOG} line {number}: {status}")
    result.quorum_met = _quorum(data.get("quorum", {}), codes, set(result.signed))
    if not result.quorum_met:
        missing = sorted(codes - set(result.signed))
        result.problems.append(f"quorum {data.get('quorum')} not met; not signed: "
                               f"{', '.join(missing) or '-'}")
    return result


def _check_file(folder: Path, key: str, entry: dict) -> list[str]:
    name = entry.get("path", "")
    if key not in FILES or name != FILES[key]:  # only the known names: no path from the manifest
        return [f"manifest names an unexpected file {name!r} for {key!r}"]
    try:
        actual = _sha((folder / name).read_bytes())
    except OSError:
        return [f"{name} is missing"]
    return [] if actual == entry.get("sha256") else [f"{name} has changed (SHA-256 differs)"]


def _check_entry(entry: dict, release: str, keys: dict[str, PublicKey], codes: set[str]) -> str:
    """valid, other release, or what is wrong with a log entry."""
    statement = {k: v for k, v in entry.items() if k != "signature"}
    key = keys.get(entry.get("key_id", ""))
    if key is None:
        return f"unknown key {entry.get('key_id')!r}"
    if not key.verify(statement, entry.get("signature", "")):
        return "signature does not verify"
    if entry.get("release") != release:
        return "other release"  # signed an earlier state of the release: it does not count
    if key.party != entry.get("party") or entry["party"] not in codes:
        return f"key {key.key_id} does not speak for party {entry.get('party')}"
    if entry.get("action") not in ACTIONS:
        return f"unknown action {entry.get('action')!r}"
    return "valid"


def _quorum(quorum: dict, parties: set[str], signed: set[str]) -> bool:
    if quorum.get("rule") == "all":
        return bool(parties) and parties <= signed
    if quorum.get("rule") == "at_least":
        return len(parties & signed) >= int(quorum.get("n", len(parties)))
    return False
