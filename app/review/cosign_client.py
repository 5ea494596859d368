"""The joint-signature API seen from a client: thin calls over `app.sync.client.Remote`, plus
the steps the CLI runs on a signer's or coordinator's machine (fetch a bundle into a folder,
sign and upload on the server's chain head)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from app.errors import ConflictError, InvalidInput, NotFound
from app.model.ids import uuid7
from app.review import release as R
from app.review.client import ReviewRemote
from app.review.events import digest
from app.review.ledger import compute
from app.review.signing import SigningKey
from app.review.state import fold
from app.sync.client import Remote

DATA_VERSION_FORMAT = "coplan.data-version/v1"


class DataVersionMissing(InvalidInput):
    """A release names a map data version the server does not have."""


class CosignRemote:
    """The joint-signature endpoints of one project on a server."""

    def __init__(self, remote: Remote, project: str):
        self.remote, self.project = remote, project
        self.base = f"/api/v1/projects/{project}/review"

    def _post(self, path: str, payload: dict, request_id: str | None = None) -> dict:
        return self.remote.request("POST", self.base + path,
                                   payload={"id": request_id or uuid7(), **payload})

    def keyring(self) -> dict:
        """The trusted set (coplan.keyring/v1): every registered key and every chain head."""
        return self.remote.request("GET", self.base + "/keys")

    def register_key(self, party: str, signer: str, public_key: str) -> dict:
        """Register a party's public key (coordinators); the key's record with its fingerprint."""
        return self._post("/keys", {"party": party, "signer": signer, "public_key": public_key})

    def revoke_key(self, key_id: str, reason: str = "") -> dict:
        return self._post(f"/keys/{key_id}/revoke", {"reason": reason})

    def register_release(self, files: dict[str, bytes], request_id: str | None = None) -> dict:
        """Upload a release's manifest and files (coordinators); the server checks them."""
        return self._post("/releases", {"files": {n: b.decode("utf-8") for n, b in files.items()}},
                          request_id)

    def releases(self) -> list[dict]:
        return self.remote.request("GET", self.base + "/releases")

    def release(self, release: str, files: bool = False) -> dict:
        """A release: summary, manifest and chain (and its files' text when `files`)."""
        return self.remote.request("GET", f"{self.base}/releases/{release}",
                                   params={"files": str(files).lower()})

    def upload_signature(self, release: str, entry: dict, request_id: str | None = None) -> dict:
        """Append a signed entry to the release's chain; ConflictError when the head moved."""
        return self._post(f"/releases/{release}/signatures", {"entry": entry}, request_id)


def fetch(api: CosignRemote, release: str, folder: str | Path) -> Path:
    """Write the server's bundle of a release into `folder`: its files, the signature chain and
    the keyring, enough for `verify` offline."""
    # The keyring first: the chain read after it holds at least the head it names.
    keyring = json.dumps(api.keyring(), ensure_ascii=False, indent=1) + "\n"
    found = api.release(release, files=True)
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in found["files"].items():
        if name in (R.MANIFEST, *R.FILES.values()):  # only known names: no path from the server
            (folder / name).write_text(text, encoding="utf-8")
    R.write_log(folder, found["chain"])
    (folder / R.KEYRING).write_text(keyring, encoding="utf-8")
    return folder


def sign_and_upload(api: CosignRemote, folder: str | Path, key: SigningKey, action: str = "sign",
                    reason: str = "", attempts: int = 3) -> dict:
    """Sign on the server's chain head and upload; the local log becomes the server's chain
    plus this entry. When another party signed meanwhile (409), sign again on the new head."""
    _, release = R.manifest(folder)
    for attempt in range(attempts):
        try:
            chain = api.release(release)["chain"]
        except NotFound as exc:
            raise NotFound(f"release {release} is not on the server: the coordinator uploads it "
                           "with `coplan release`") from exc
        R.write_log(folder, chain)
        entry = R.sign(folder, key, action, reason)
        try:
            api.upload_signature(release, entry)
            return entry
        except ConflictError:
            if attempt == attempts - 1:
                raise
    raise AssertionError("unreachable")


def upload_pending(api: CosignRemote, folder: str | Path) -> int:
    """Send the local log's entries the server does not hold yet, in order; how many were sent.
    ConflictError when the server's chain has moved on (sign again with --upload)."""
    _, release = R.manifest(folder)
    chain = api.release(release)["chain"]
    local = R.read_log(folder)
    if chain[:len(local)] == local:
        return 0  # nothing here the server lacks
    if local[:len(chain)] != chain:
        raise ConflictError("the local signature log differs from the server's chain: sign again "
                            "with `coplan sign DIR --key K --upload PROJECT`")
    for entry in local[len(chain):]:
        api.upload_signature(release, entry)
    return len(local) - len(chain)


@dataclass(frozen=True)
class Built:
    """What a release is made of, read from the server (not from files given by hand)."""

    title: str
    sections: dict[str, str]  # exactly the round's frozen draft
    draft_hash: str
    data_version: dict  # {"format", "project", "version"}: a version the server holds
    ledger: dict  # ledger.compute of the server's events, as JSON
    parties: list[dict]  # signatories {"code", "name"}
    quorum: dict
    open_lines: list[str]  # one line per comment still open
    silent: list[str]  # invited parties that never answered


def build(review: ReviewRemote, remote: Remote, project: str, number: int, version: int,
          signatories: list[str], quorum: str = "all") -> Built:
    """Gather a release from the server: the events (coordinators), round `number`'s frozen
    draft, a data version that exists, the ledger and its open items."""
    state = fold(review.events())
    r = state.rounds.get(number)
    if r is None or not r.stages:
        raise NotFound(f"no round {number} on the server")
    if not r.draft_hash:
        raise InvalidInput(f"round {number} has no frozen draft: only a frozen draft's text "
                           "can be released")
    sections = review.draft(r.draft_hash)
    if digest(sections) != r.draft_hash:
        raise InvalidInput(f"the server's draft does not match round {number}'s frozen hash")
    info = remote.project(project)
    if not 1 <= version <= int(info["head"]):
        raise DataVersionMissing(f"data version {version} does not exist on the server "
                                 f"(its latest is {info['head']})")
    names = {p["code"]: p["name"] for p in info.get("parties", [])}
    ledger = compute(state)
    return Built(r.title.get("zh") or r.title.get("en", ""), dict(sections), r.draft_hash,
                 {"format": DATA_VERSION_FORMAT, "project": project, "version": version},
                 ledger.to_json(), _signatories(signatories, names), _quorum(quorum),
                 _open_lines(state, ledger.open_items),
                 sorted({f"{x['party']} (round {x['round']})" for x in ledger.non_responses}))


def _signatories(specs: list[str], names: dict[str, str]) -> list[dict]:
    parties = []
    for spec in specs:
        code, _, name = spec.partition("=")
        if code not in names:
            raise NotFound(f"no party {code} in this project")
        parties.append({"code": code, "name": name or names[code]})
    return parties


def _quorum(text: str) -> dict:
    if text == "all":
        return {"rule": "all"}
    if not text.isdigit():
        raise InvalidInput("--quorum is 'all' or the number of parties needed")
    return {"rule": "at_least", "n": int(text)}


def _open_lines(state, ids: tuple[str, ...]) -> list[str]:
    lines = []
    for cid in ids:
        c = state.comments[cid]
        text = (c.comment.get("body", {}).get("zh") or c.comment.get("body", {}).get("en", ""))
        lines.append(f"{cid} {c.party} round {c.round} {c.status}: {text[:40]}")
    return lines
