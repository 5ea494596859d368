"""Ed25519 keys of the parties' signatories. A private key is made and kept on the signer's
machine (a file readable by its owner only); only the public key file travels, to a
coordinator who registers it on the server for its party.

Trust comes from the server only: `Keyring` is the set of registered keys (with revocations
and the signature chains' heads) exported by the server, never a folder of loose key files,
which anyone can write claiming any party."""

from __future__ import annotations

import base64
import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from app.errors import InvalidInput, NotFound
from app.model.feature import utc_now
from app.review.events import canonical

PRIVATE_FORMAT = "coplan.signing-key/v1"
PUBLIC_FORMAT = "coplan.public-key/v1"
KEYRING_FORMAT = "coplan.keyring/v1"


class UntrustedKeys(InvalidInput):
    """Key files that are not a keyring exported from the server (no trust source)."""


@dataclass(frozen=True)
class PublicKey:
    """A signatory's public key and whom it speaks for."""

    key_id: str  # first 16 hex digits of SHA-256 of the raw key
    party: str
    signer: str
    raw: bytes  # 32 bytes

    def verify(self, statement: dict, signature: str) -> bool:
        """Whether `signature` (base64) signs the canonical JSON of `statement`."""
        try:
            Ed25519PublicKey.from_public_bytes(self.raw).verify(base64.b64decode(signature),
                                                                canonical(statement))
            return True
        except (InvalidSignature, ValueError):
            return False


@dataclass(frozen=True)
class SigningKey:
    """A signatory's private key (never leaves the signer's machine)."""

    public: PublicKey
    private: Ed25519PrivateKey

    def sign(self, statement: dict) -> str:
        """Base64 Ed25519 signature over the canonical JSON of `statement`."""
        return base64.b64encode(self.private.sign(canonical(statement))).decode()


def key_id(raw: bytes) -> str:
    """The short id of a raw public key: the first 16 hex digits of its fingerprint."""
    return fingerprint(raw)[:16]


def fingerprint(raw: bytes) -> str:
    """SHA-256 (hex) of the raw 32-byte public key: what signers compare by phone."""
    return hashlib.sha256(raw).hexdigest()


def public_key(party: str, signer: str, encoded: str) -> PublicKey:
    """A public key from its base64 raw form; InvalidInput if it is not 32 bytes."""
    try:
        raw = base64.b64decode(encoded, validate=True)
        Ed25519PublicKey.from_public_bytes(raw)
    except (ValueError, TypeError) as exc:
        raise InvalidInput("public_key must be a base64 raw Ed25519 key (32 bytes)") from exc
    return PublicKey(key_id(raw), party, signer, raw)


def read_public_file(path: str | Path) -> dict:
    """The fields of a `.pub.json` file (party, signer, public_key), its key id checked."""
    data = _load_json(Path(path), PUBLIC_FORMAT)
    key = public_key(str(data.get("party", "")), str(data.get("signer", "")),
                     str(data.get("ed25519_public", "")))
    if data.get("key_id") != key.key_id:
        raise InvalidInput(f"{path}: key id does not match the key")
    return {"party": key.party, "signer": key.signer,
            "public_key": base64.b64encode(key.raw).decode()}


def _raw_public(private: Ed25519PrivateKey) -> bytes:
    from cryptography.hazmat.primitives import serialization as s
    return private.public_key().public_bytes(s.Encoding.Raw, s.PublicFormat.Raw)


def _raw_private(private: Ed25519PrivateKey) -> bytes:
    from cryptography.hazmat.primitives import serialization as s
    return private.private_bytes(s.Encoding.Raw, s.PrivateFormat.Raw, s.NoEncryption())


def keygen(folder: str | Path, party: str, signer: str) -> tuple[Path, Path]:
    """Make a key pair in `folder`: (private key file, mode 600; public key file)."""
    private = Ed25519PrivateKey.generate()
    raw = _raw_public(private)
    kid = key_id(raw)
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    meta = {"party": party, "signer": signer, "key_id": kid, "created": utc_now()}
    secret = {"format": PRIVATE_FORMAT, **meta,
              "ed25519_private": base64.b64encode(_raw_private(private)).decode()}
    key_path, pub_path = folder / f"{party}-{kid}.key", folder / f"{party}-{kid}.pub.json"
    fd = os.open(key_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump(secret, fh, ensure_ascii=False, indent=1)
    public = {"format": PUBLIC_FORMAT, **meta, "ed25519_public": base64.b64encode(raw).decode()}
    pub_path.write_text(json.dumps(public, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return key_path, pub_path


def _load_json(path: Path, fmt: str) -> dict:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise NotFound(f"no key file {path}") from exc
    except (OSError, ValueError) as exc:
        raise InvalidInput(f"{path} is not a key file: {exc}") from exc
    if not isinstance(data, dict) or data.get("format") != fmt:
        raise InvalidInput(f"{path} is not a {fmt} file")
    return data


def load_signing_key(path: str | Path) -> SigningKey:
    """A private key file made by `keygen`."""
    data = _load_json(Path(path), PRIVATE_FORMAT)
    try:
        private = Ed25519PrivateKey.from_private_bytes(base64.b64decode(data["ed25519_private"]))
    except (KeyError, ValueError) as exc:
        raise InvalidInput(f"{path}: damaged private key") from exc
    raw = _raw_public(private)
    return SigningKey(PublicKey(key_id(raw), data["party"], data["signer"], raw), private)


def load_public_keys(path: str | Path) -> dict[str, PublicKey]:
    """Public keys by key id, from one `.pub.json` file or a folder of them. Not a source of
    trust (anyone can write such a file): verify against `load_keyring`."""
    path = Path(path)
    files = sorted(path.glob("*.pub.json")) if path.is_dir() else [path]
    keys = {}
    for file in files:
        data = _load_json(file, PUBLIC_FORMAT)
        raw = base64.b64decode(data["ed25519_public"])
        if len(raw) != 32 or key_id(raw) != data["key_id"]:
            raise InvalidInput(f"{file}: key id does not match the key")
        keys[data["key_id"]] = PublicKey(data["key_id"], data["party"], data["signer"], raw)
    if not keys:
        raise NotFound(f"no public keys (*.pub.json) in {path}")
    return keys


@dataclass(frozen=True)
class TrustedKey:
    """A key the server registered for a party, and when (if ever) it was revoked."""

    key: PublicKey
    registered_at: str  # server time, ISO 8601 UTC
    revoked_at: str | None = None
    reason: str = ""  # why it was revoked
    # release hash -> entries its chain held at the revocation: entries signed before it
    # (their place fixed by the chain) still count, later ones do not
    before_revocation: dict[str, int] = field(default_factory=dict, compare=False, hash=False)

    def valid_at(self, release: str, index: int) -> bool:
        """Whether an entry at `index` (0-based) of `release`'s chain may use this key."""
        return not self.revoked_at or index < self.before_revocation.get(release, 0)


@dataclass(frozen=True)
class Keyring:
    """The trusted set exported by the server: registered keys (revoked ones kept, marked) and,
    per release, the head and length of its signature chain when exported."""

    keys: dict[str, TrustedKey]  # by key id
    chains: dict[str, dict]  # release hash -> {"head": entry hash, "length": entries}
    project: str = ""
    exported: str = ""

    def get(self, kid: str) -> TrustedKey | None:
        return self.keys.get(kid)

    def to_json(self) -> dict:
        return {"format": KEYRING_FORMAT, "project": self.project, "exported": self.exported,
                "keys": [key_json(t) for _, t in sorted(self.keys.items())],
                "chains": dict(sorted(self.chains.items()))}

    @classmethod
    def from_json(cls, data: object, where: str = "keyring") -> Keyring:
        """A keyring from its JSON; InvalidInput names what is wrong."""
        if not isinstance(data, dict) or data.get("format") != KEYRING_FORMAT:
            raise UntrustedKeys(f"{where} is not a {KEYRING_FORMAT} file: export the keyring "
                                "from the server with `coplan keys export`")
        keys = {}
        for item in data.get("keys", []):
            key = public_key(str(item.get("party")), str(item.get("signer")),
                             str(item.get("public_key")))
            if item.get("key_id") != key.key_id:
                raise InvalidInput(f"{where}: key id does not match the key")
            keys[key.key_id] = TrustedKey(key, str(item.get("registered_at", "")),
                                          item.get("revoked_at"), str(item.get("reason", "")),
                                          dict(item.get("before_revocation") or {}))
        return cls(keys, dict(data.get("chains", {})), str(data.get("project", "")),
                   str(data.get("exported", "")))

    @classmethod
    def of(cls, keys: dict[str, PublicKey]) -> Keyring:
        """A keyring of keys the caller already trusts (no revocations, no chain heads)."""
        return cls({k: TrustedKey(v, "") for k, v in keys.items()}, {})


def key_json(t: TrustedKey) -> dict:
    """The public record of a registered key (what GET /keys and a keyring list)."""
    return {"key_id": t.key.key_id, "fingerprint": fingerprint(t.key.raw), "party": t.key.party,
            "signer": t.key.signer, "public_key": base64.b64encode(t.key.raw).decode(),
            "registered_at": t.registered_at, "revoked_at": t.revoked_at, "reason": t.reason,
            "before_revocation": dict(sorted(t.before_revocation.items()))}


def load_keyring(path: str | Path) -> Keyring:
    """The trusted keyring file; UntrustedKeys for a folder or loose `.pub.json` files."""
    path = Path(path)
    if path.is_dir() or path.name.endswith(".pub.json"):
        raise UntrustedKeys(f"{path}: loose public key files are not trusted (anyone can write "
                            "one claiming any party); use --keyring with the keyring exported "
                            "from the server (`coplan keys export`) or the release bundle's")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise NotFound(f"no keyring {path}") from exc
    except (OSError, ValueError) as exc:
        raise InvalidInput(f"{path} is not a keyring: {exc}") from exc
    return Keyring.from_json(data, str(path))
