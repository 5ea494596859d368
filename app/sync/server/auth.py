"""Passwords (argon2id) and API tokens ('<id>.<secret>', 256 random bits, SHA-256 stored)."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_hasher = PasswordHasher()  # argon2id with the library's current defaults
TOKEN_DAYS = 30


def hash_password(password: str) -> str:
    """An argon2id hash of `password`."""
    return _hasher.hash(password)


def check_password(stored: str | None, password: str) -> bool:
    """True when `password` matches the stored hash (constant-time inside argon2)."""
    if not stored:
        _hasher.hash(password)  # spend the same time whether or not the user exists
        return False
    try:
        return _hasher.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


def new_token() -> tuple[str, str, str]:
    """(token to hand out, token id, hash of its secret to store)."""
    token_id, secret = secrets.token_hex(8), secrets.token_urlsafe(32)
    return f"{token_id}.{secret}", token_id, secret_hash(secret)


def secret_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def split_token(token: str) -> tuple[str, str] | None:
    """(id, secret) of a well-formed token, else None."""
    token_id, _, secret = (token or "").partition(".")
    if not token_id or not secret or len(token) > 200:
        return None
    return token_id, secret


def secret_matches(stored_hash: str, secret: str) -> bool:
    """Constant-time comparison of a presented secret with the stored hash."""
    return hmac.compare_digest(stored_hash, secret_hash(secret))


def expiry(days: int = TOKEN_DAYS) -> str:
    """ISO time `days` from now."""
    return (dt.datetime.now(dt.UTC) + dt.timedelta(days=days)).isoformat()


def expired(when: str) -> bool:
    return dt.datetime.fromisoformat(when) <= dt.datetime.now(dt.UTC)
