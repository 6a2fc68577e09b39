"""Password hashing, opaque tokens, signed access tokens and encryption at rest."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import jwt
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

# argon2id with the library's RFC 9106 "low memory" profile: strong, ~50 ms on a small machine.
_hasher = PasswordHasher()

# A hash of a password nobody has, checked when the account does not exist so that a
# missing account and a wrong password take the same time.
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def new_token(nbytes: int = 32) -> str:
    """An unguessable URL-safe token (refresh tokens, email tokens, API keys)."""
    return secrets.token_urlsafe(nbytes)


def token_digest(token: str) -> str:
    """What the database stores of a token: a SHA-256 hex digest (tokens have full entropy)."""
    return hashlib.sha256(token.encode()).hexdigest()


def constant_time_equal(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode(), b.encode())


def _derive(secret_key: str, purpose: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=b"appwright", info=purpose).derive(
        secret_key.encode()
    )


def derive_key(secret_key: str, purpose: str) -> bytes:
    """A 32-byte key for one purpose, derived from ``APPWRIGHT_SECRET_KEY`` (HKDF-SHA256)."""
    return _derive(secret_key, purpose.encode())


class AccessTokens:
    """Short-lived signed access tokens (HS256 JWT) naming the user and the session family."""

    def __init__(self, secret_key: str, lifetime: timedelta) -> None:
        self._key = derive_key(secret_key, "access-token")
        self._lifetime = lifetime

    @property
    def lifetime(self) -> timedelta:
        return self._lifetime

    def issue(self, user_id: uuid.UUID, family_id: uuid.UUID) -> str:
        now = datetime.now(UTC)
        claims = {
            "sub": str(user_id),
            "fam": str(family_id),
            "iat": now,
            "exp": now + self._lifetime,
        }
        return jwt.encode(claims, self._key, algorithm="HS256")

    def verify(self, token: str) -> tuple[uuid.UUID, uuid.UUID] | None:
        try:
            claims: dict[str, Any] = jwt.decode(token, self._key, algorithms=["HS256"])
            return uuid.UUID(claims["sub"]), uuid.UUID(claims["fam"])
        except (jwt.PyJWTError, KeyError, ValueError, TypeError):
            return None


class SecretBox:
    """Authenticated encryption of secrets at rest (Fernet: AES-128-CBC + HMAC-SHA256)."""

    def __init__(self, secret_key: str, purpose: str = "secrets-at-rest") -> None:
        self._fernet = Fernet(base64.urlsafe_b64encode(derive_key(secret_key, purpose)))

    def encrypt(self, plaintext: str) -> str:
        return self._fernet.encrypt(plaintext.encode()).decode()

    def decrypt(self, ciphertext: str) -> str:
        try:
            return self._fernet.decrypt(ciphertext.encode()).decode()
        except InvalidToken as exc:
            raise ValueError(
                "secret cannot be decrypted with the current APPWRIGHT_SECRET_KEY"
            ) from exc


def mask_secret(value: str) -> str:
    """Show only enough of a secret for a person to recognise it."""
    if len(value) <= 8:
        return "•" * len(value)
    return value[:2] + "•" * 6 + value[-2:]
