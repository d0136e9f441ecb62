"""Passwords (argon2id, argon2-cffi) and random tokens stored only as SHA-256 hashes."""

from __future__ import annotations

import hashlib
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

__all__ = ["hash_password", "hash_token", "new_token", "verify_password"]

_HASHER = PasswordHasher()

#: The shortest password accepted.
MIN_PASSWORD_LENGTH = 10


def hash_password(password: str) -> str:
    """The argon2id hash of ``password``.

    :raises ValueError: the password is shorter than :data:`MIN_PASSWORD_LENGTH`.
    """
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValueError(f"Пароль должен содержать не менее {MIN_PASSWORD_LENGTH} символов.")
    return _HASHER.hash(password)


def verify_password(password: str, hashed: str) -> bool:
    """Whether ``password`` matches ``hashed``."""
    try:
        return _HASHER.verify(hashed, password)
    except (VerificationError, InvalidHashError):
        return False


def new_token(prefix: str = "pp") -> tuple[str, str]:
    """A fresh random token (256 bits) and the hash to store: ``(token, sha256)``."""
    token = f"{prefix}_{secrets.token_urlsafe(32)}"
    return token, hash_token(token)


def hash_token(token: str) -> str:
    """The SHA-256 of ``token`` (hex): tokens are random, so no salt or slow hash is needed."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()
