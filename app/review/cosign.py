"""The joint signature (会签) on the server: signer keys registered per party by a coordinator,
releases built from a round's frozen draft, and each release's signature chain, all recorded
as review events ("key.register", "key.revoke", "release.register", "signature") and folded
here (ReviewState ignores them).

Commands take the `Review` of a write transaction (ReviewServer.run), so they share the review
log's versions, idempotency and locks: a signature is checked against the chain head as it is
inside the lock. Who owns a key and who signs for a party come from server state (the
membership's party), never from what an upload claims."""

from __future__ import annotations

import base64
import hashlib
import io
import json
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from app.errors import ConflictError, InvalidInput, NotFound, PermissionDenied
from app.review import release as R
from app.review.access import Actor, require_coordinator, require_party_role
from app.review.commands import Review
from app.review.events import COSIGN_KINDS, Event, digest
from app.review.signing import Keyring, TrustedKey, fingerprint, public_key
from app.review.times import beijing

ENTRY_KEYS = {"format", "release", "action", "party", "signer", "key_id", "at", "reason", "prev",
              "signature"}
BUNDLE_FILES = (R.MANIFEST, *R.FILES.values(), R.LOG, R.KEYRING)


class ChainMoved(ConflictError):
    """A signature names a chain head that is no longer the head (another party signed first)."""


@dataclass
class ReleaseRecord:
    """A registered release: its manifest, files and the signature chain accepted so far."""

    release: str  # the release hash
    manifest: dict
    files: dict[str, dict]  # file name -> {"sha256", "bytes"}
    registered_at: str  # server time
    chain: list[dict] = field(default_factory=list)  # the signature log, in order

    @property
    def head(self) -> str:
        return R.chain_head(self.chain, self.release)

    @property
    def parties(self) -> list[str]:
        return [p["code"] for p in self.manifest.get("parties", [])]

    def summary(self) -> dict:
        signed = R.active_parties(self.chain)
        return {"release": self.release, "title": self.manifest.get("title", ""),
                "round": self.manifest.get("round"), "draft_hash": self.manifest.get("draft_hash"),
                "data_version": self.manifest.get("data_version"), "parties": self.parties,
                "quorum": self.manifest.get("quorum"), "registered_at": self.registered_at,
                "head": self.head, "length": len(self.chain), "signed": signed}


@dataclass
class CosignState:
    """Keys and releases of one project's joint signature, folded from its review events."""

    keys: dict[str, TrustedKey] = field(default_factory=dict)
    releases: dict[str, ReleaseRecord] = field(default_factory=dict)

    def apply(self, e: Event) -> None:
        d = e.data
        if e.kind == "key.register":
            key = public_key(d["party"], d["signer"], d["public_key"])
            self.keys[key.key_id] = TrustedKey(key, e.at)
        elif e.kind == "key.revoke" and d["key_id"] in self.keys:
            old = self.keys[d["key_id"]]
            self.keys[d["key_id"]] = TrustedKey(old.key, old.registered_at, e.at,
                                                d.get("reason", ""), d.get("chains", {}))
        elif e.kind == "release.register":
            self.releases[d["release"]] = ReleaseRecord(d["release"], d["manifest"], d["files"],
                                                        e.at)
        elif e.kind == "signature" and d["release"] in self.releases:
            self.releases[d["release"]].chain.append(d["entry"])

    def keyring(self, project: str, exported: str) -> Keyring:
        """The trusted set as the server holds it now: every key, and every chain's head."""
        chains = {h: {"head": r.head, "length": len(r.chain)} for h, r in self.releases.items()}
        return Keyring(dict(self.keys), chains, project, exported)

    def release(self, release: str) -> ReleaseRecord:
        found = self.releases.get(release)
        if found is None:
            raise NotFound(f"no release {release}")
        return found


def fold(events: Iterable[Event]) -> CosignState:
    """The joint-signature state of a review's events (other kinds are ignored)."""
    state = CosignState()
    for event in sorted(events, key=lambda e: e.key):
        if event.kind in COSIGN_KINDS:
            state.apply(event)
    return state


def _state(review: Review) -> CosignState:
    """The state of the log the command writes to, inside its transaction."""
    return fold(review.log.events())


# --- commands -----------------------------------------------------------------------------

def register_key(review: Review, actor: Actor, party: str, signer: str, encoded: str, *,
                 event_id: str) -> Event:
    """A coordinator registers a signatory's public key for a party (a party may hold several:
    a new key rotates; the old stays valid until revoked)."""
    request = {"party": party, "signer": signer, "public_key": encoded}

    def build() -> dict:
        require_coordinator(actor, "register signer keys")
        if review.directory.party(party) is None:
            raise NotFound(f"no party {party} in this project")
        if not isinstance(signer, str) or not 0 < len(signer.strip()) <= 100:
            raise InvalidInput("a signer's name is 1–100 characters")
        key = public_key(party, signer, encoded)
        if key.key_id in _state(review).keys:
            raise ConflictError(f"key {key.key_id} is already registered")
        return {"key_id": key.key_id, "fingerprint": fingerprint(key.raw), "party": party,
                "signer": signer, "public_key": base64.b64encode(key.raw).decode()}
    return review._once(actor, "key.register", 0, event_id, request, build)


def revoke_key(review: Review, actor: Actor, key_id: str, reason: str, *, event_id: str) -> Event:
    """A coordinator revokes a key: it signs nothing more; its entries already in a chain
    keep counting (their place in the chain shows they came before the revocation)."""
    def build() -> dict:
        require_coordinator(actor, "revoke signer keys")
        found = _state(review).keys.get(key_id)
        if found is None:
            raise NotFound(f"no registered key {key_id}")
        if found.revoked_at:
            raise ConflictError(f"key {key_id} was already revoked at "
                                f"{beijing(found.revoked_at, 'en')}")
        # Where each chain stood: signatures before this point were made while the key was good.
        chains = {h: len(r.chain) for h, r in _state(review).releases.items()}
        return {"key_id": key_id, "party": found.key.party, "reason": str(reason)[:500],
                "chains": chains}
    return review._once(actor, "key.revoke", 0, event_id, {"key_id": key_id, "reason": reason},
                        build)


def register_release(review: Review, actor: Actor, files: dict[str, bytes],
                     data_version: Callable[[int], bool], *, event_id: str) -> Event:
    """A coordinator registers a release: the server checks the manifest's hashes, that the
    data version exists on the server and that the text is exactly a round's frozen draft."""
    manifest, release, contents = R.check_files(files)
    request = {"release": release}

    def build() -> dict:
        require_coordinator(actor, "register releases")
        if release in _state(review).releases:
            raise ConflictError(f"release {release} is already registered")
        _check_data_version(manifest, contents["data"], data_version)
        _check_text(review, manifest, contents["text"])
        for p in manifest.get("parties", []):
            if review.directory.party(str(p.get("code"))) is None:
                raise NotFound(f"no party {p.get('code')} in this project")
        return {"release": release, "manifest": manifest,
                "files": {name: {"sha256": digest_bytes(body), "bytes": len(body)}
                          for name, body in sorted(files.items())}}
    return review._once(actor, "release.register", int(manifest.get("round") or 0), event_id,
                        request, build)


def digest_bytes(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()


def _check_data_version(manifest: dict, data: object, exists: Callable[[int], bool]) -> None:
    version = manifest.get("data_version")
    if not isinstance(version, int) or not isinstance(data, dict) or data.get("version") != version:
        raise InvalidInput("the release's data version is missing or differs from "
                           "data-version.json")
    if not exists(version):
        raise InvalidInput(f"data version {version} does not exist on the server")


def _check_text(review: Review, manifest: dict, text: object) -> None:
    number, draft_hash = manifest.get("round"), manifest.get("draft_hash")
    r = review.state.rounds.get(number) if isinstance(number, int) else None
    if r is None or not r.stages:
        raise InvalidInput(f"a release names the round whose frozen draft it releases; no round "
                           f"{number}")
    if not r.draft_hash or r.draft_hash != draft_hash:
        raise InvalidInput(f"the release's text is not round {number}'s frozen draft")
    if not isinstance(text, dict) or text.get("draft_hash") != draft_hash or \
            digest(text.get("sections")) != draft_hash or review.directory.draft(draft_hash) is None:
        raise InvalidInput(f"the release's text is not exactly round {number}'s frozen draft "
                           f"{draft_hash}")


def add_signature(review: Review, actor: Actor, release: str, entry: dict, *,
                  event_id: str) -> Event:
    """Append a party's signed entry to a release's chain: the key must be registered, active
    and the acting member's party's; the signature must verify; "prev" must be the head."""
    request = {"release": release, "entry": digest(entry)}

    def build() -> dict:
        require_party_role(actor, "sign releases")
        record = _state(review).release(release)
        key = _signing_key(_state(review), actor, entry)
        if actor.party not in record.parties:
            raise PermissionDenied(f"party {actor.party} is not a signatory of release {release}")
        if entry.get("release") != release or entry.get("format") != R.SIGNATURE_FORMAT \
                or set(entry) != ENTRY_KEYS:
            raise InvalidInput(f"not a {R.SIGNATURE_FORMAT} entry for release {release}")
        if not R.check_signature(entry, key.key):
            raise InvalidInput("the signature does not verify with the registered key")
        if entry.get("prev") != record.head:
            raise ChainMoved(f"the signature log has moved on: its head is now {record.head}; "
                             "fetch it and sign again")
        if R.next_action(record.chain, actor.party, str(entry.get("action"))) != entry["action"]:
            raise ConflictError(f"party {actor.party} cannot {entry['action']} now")
        return {"release": release, "entry": entry, "hash": R.entry_hash(entry)}
    return review._once(actor, "signature", 0, event_id, request, build)


def _signing_key(state: CosignState, actor: Actor, entry: dict) -> TrustedKey:
    found = state.keys.get(str(entry.get("key_id", "")))
    if found is None:
        raise PermissionDenied(f"key {entry.get('key_id')} is not registered on the server")
    if found.key.party != actor.party or entry.get("party") != actor.party:
        raise PermissionDenied(f"key {found.key.key_id} is registered for party "
                               f"{found.key.party}; you sign for party {actor.party}")
    if found.revoked_at:
        raise PermissionDenied(f"key {found.key.key_id} was revoked at "
                               f"{beijing(found.revoked_at, 'en')}")
    return found


# --- the bundle ---------------------------------------------------------------------------

def bundle_files(record: ReleaseRecord, blobs: dict[str, bytes], keyring: Keyring) -> dict:
    """Every file of a verifiable bundle: the release files, the chain and the keyring."""
    log = "".join(json.dumps(e, ensure_ascii=False, sort_keys=True) + "\n" for e in record.chain)
    ring = json.dumps(keyring.to_json(), ensure_ascii=False, indent=1) + "\n"
    return {**blobs, R.LOG: log.encode(), R.KEYRING: ring.encode()}


def zip_bundle(files: dict[str, bytes]) -> bytes:
    """A zip of the bundle's files (fixed times: the same bundle gives the same bytes)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for name in BUNDLE_FILES:
            if name in files:
                z.writestr(zipfile.ZipInfo(name, (2020, 1, 1, 0, 0, 0)), files[name])
    return buffer.getvalue()
