"""Feature and change-set identity: UUIDv7 (time-ordered, random, collision-free across replicas)."""

from __future__ import annotations

import os
import time
import uuid

import numpy as np


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


def uuid7_many(n: int) -> list[str]:
    """`n` new UUIDv7 strings at once (bulk imports), time-ordered like `uuid7`."""
    if n <= 0:
        return []
    ms = (time.time_ns() // 1_000_000) & ((1 << 48) - 1)
    raw = np.frombuffer(os.urandom(16 * n), dtype=np.uint8).reshape(n, 16).copy()
    raw[:, :6] = np.frombuffer(ms.to_bytes(6, "big"), dtype=np.uint8)
    raw[:, 6] = 0x70 | (raw[:, 6] & 0x0F)  # version 7
    raw[:, 8] = 0x80 | (raw[:, 8] & 0x3F)  # RFC 9562 variant
    hexed = raw.tobytes().hex()
    return [f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"
            for h in (hexed[i:i + 32] for i in range(0, 32 * n, 32))]


def is_uuid(text: str) -> bool:
    """True if `text` is a canonical UUID string."""
    try:
        return str(uuid.UUID(text)) == text
    except (ValueError, TypeError, AttributeError):
        return False
