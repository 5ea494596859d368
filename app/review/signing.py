"""Ed25519 keys of the parties' signatories. A private key is made and kept on the signer's
machine (a file readable by its owner only); only the public key file travels."""

from __future__ import annotations

import base64
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from app.errors import InvalidInput, NotFound
from app.model.feature import utc_now
from app.review.events import canonical

PRIVATE_FORMAT = "coplan.signing-key/v1"
PUBLIC_FORMAT = "coplan.public-key/v1"


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
    return hashlib.sha256(raw).hexdigest()[:16]


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
    """Trusted public keys by key id, from one `.pub.json` file or a folder of them."""
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
