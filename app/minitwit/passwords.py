"""Password hashing: Argon2id for new hashes; legacy Werkzeug hashes still verify."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from werkzeug.security import check_password_hash

# OWASP's minimum Argon2id profile (19 MiB, 2 passes): strong, yet cheap enough for the
# simulator's 0.3 s budget per registration. Two lanes (RFC 9106 recommends several) are
# filled by two threads: the same memory and passes, about 30 % less wall time on 2 cores.
_hasher = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=2)


def hash_password(password: str) -> str:
    """Hash a new password."""
    return _hasher.hash(password)


def verify_password(stored: str, password: str) -> bool:
    """Check a password against an Argon2 hash or a legacy Werkzeug (pbkdf2/scrypt) hash."""
    if stored.startswith("$argon2"):
        try:
            return _hasher.verify(stored, password)
        except (VerificationError, InvalidHashError):
            return False
    try:
        return check_password_hash(stored, password)
    except (ValueError, TypeError):
        return False


def needs_rehash(stored: str) -> bool:
    """Whether a stored hash should be replaced by a current Argon2id hash."""
    if not stored.startswith("$argon2"):
        return True
    try:
        return _hasher.check_needs_rehash(stored)
    except InvalidHashError:
        return True
