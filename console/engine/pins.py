"""Clerk PINs: hashed with argon2id, and a lockout after repeated wrong PINs.

A 4-6 digit PIN is weak on its own; what protects it is the slow hash (an
offline guesser gets few tries per second) and the lockout (an online guesser
gets ``max_failures`` tries per lockout period).
"""

from __future__ import annotations

import functools

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from console.domain.errors import BadInput

_hasher = PasswordHasher()


def check_pin_format(pin: str) -> str:
    if not (pin.isascii() and pin.isdigit() and 4 <= len(pin) <= 12):
        raise BadInput(reason="auth.bad_pin_format")
    return pin


def hash_pin(pin: str) -> str:
    return _hasher.hash(check_pin_format(pin))


@functools.cache
def _nobodys_hash() -> str:
    return _hasher.hash("00000000")


def pin_matches(pin_hash: str | None, pin: str) -> bool:
    """Whether ``pin`` is the one hashed. Without a hash (no such clerk) a hash of nobody's
    PIN is checked all the same, so an unknown staff number costs what a wrong PIN costs
    and staff numbers cannot be told by how long a refusal takes."""
    try:
        if pin_hash is None:
            _hasher.verify(_nobodys_hash(), pin)
            return False
        return _hasher.verify(pin_hash, pin)
    except (VerificationError, InvalidHashError):
        return False
