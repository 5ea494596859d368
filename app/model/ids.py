"""Feature and change-set identity: UUIDv7 (time-ordered, random, collision-free across replicas)."""

from __future__ import annotations

import os
import time
import uuid


def uuid7() -> str:
    """A new RFC 9562 UUIDv7 as a canonical lowercase string."""
    ms = time.time_ns() // 1_000_000
    rand = int.from_bytes(os.urandom(10), "big")
    value = (ms & ((1 << 48) - 1)) << 80
    value |= 0x7 << 76  # version
    value |= ((rand >> 62) & 0xFFF) << 64  # rand_a, 12 bits
    value |= 0b10 << 62  # variant
    value |= rand & ((1 << 62) - 1)  # rand_b, 62 bits
    return str(uuid.UUID(int=value))


def is_uuid(text: str) -> bool:
    """True if `text` is a canonical UUID string."""
    try:
        return str(uuid.UUID(text)) == text
    except (ValueError, TypeError, AttributeError):
        return False
