"""Clerk PINs: hashed with argon2id, and a lockout after repeated wrong PINs.

A 4-6 digit PIN is weak on its own; what protects it is the slow hash (an
offline guesser gets few tries per second) and the lockout (an online guesser
gets ``max_failures`` tries per lockout period).
"""

from __future__ import annotations

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


def pin_matches(pin_hash: str, pin: str) -> bool:
    try:
        return _hasher.verify(pin_hash, pin)
    except (VerificationError, InvalidHashError):
        return False
