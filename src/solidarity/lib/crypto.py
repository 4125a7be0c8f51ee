"""Authenticated encryption with a ring of keys: encrypt with the first, decrypt with any.

A :class:`Keyring` holds one or more Fernet keys (AES-128-CBC with HMAC-SHA256,
from ``cryptography``). The first key is the primary: everything new is
encrypted with it. The others are older keys kept only to read values that
have not been rotated yet. Nothing here ever puts key material into a
``repr``, a message or an exception.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

# Fernet keys are url-safe base64, so none of these can occur inside a key.
_SEPARATORS = re.compile(r"[\s,]+")
_COMMENT = "#"


class KeyringError(ValueError):
    """The keys are missing or malformed; the message never contains key material."""


class DecryptionError(Exception):
    """No configured key can decrypt a value; the message never contains the value."""


def generate_key() -> str:
    """A new random Fernet key, as text."""
    return Fernet.generate_key().decode("ascii")


def _load_key(key: str | bytes, position: int) -> Fernet:
    try:
        return Fernet(key)
    except (TypeError, ValueError):
        # "from None": the original exception may quote the malformed key.
        raise KeyringError(
            f"encryption key {position} (counting from 1, the first being the primary) "
            "is not a valid Fernet key: it must be 32 bytes in url-safe base64, "
            "44 characters ending in '='; generate one with `solidarity keys generate`"
        ) from None


def _fingerprint(key: str | bytes) -> str:
    raw = key.encode("ascii") if isinstance(key, str) else key
    return hashlib.sha256(b"solidarity-key-fingerprint:" + raw.strip()).hexdigest()[:12]


class Keyring:
    """Fernet keys, primary first; encrypts with the primary, decrypts with any of them."""

    __slots__ = ("_fernets", "_fingerprints", "_multi")

    def __init__(self, keys: Iterable[str | bytes]) -> None:
        keys = list(keys)
        if not keys:
            raise KeyringError(
                "no encryption key was given; generate one with `solidarity keys generate`"
            )
        self._fernets = tuple(_load_key(key, n) for n, key in enumerate(keys, start=1))
        self._fingerprints = tuple(_fingerprint(key) for key in keys)
        self._multi = MultiFernet(self._fernets)

    @classmethod
    def parse(cls, text: str) -> Keyring:
        """Keys separated by commas, spaces or newlines; ``#`` starts a comment."""
        keys: list[str] = []
        for line in text.splitlines():
            keys.extend(key for key in _SEPARATORS.split(line.split(_COMMENT, 1)[0]) if key)
        return cls(keys)

    generate_key = staticmethod(generate_key)

    def __len__(self) -> int:
        return len(self._fernets)

    def __repr__(self) -> str:
        count = len(self._fernets)
        return f"Keyring({count} key{'' if count == 1 else 's'})"

    __str__ = __repr__

    def fingerprints(self) -> list[str]:
        """Short one-way fingerprints of the keys, primary first, to tell them apart."""
        return list(self._fingerprints)

    def encrypt(self, data: bytes) -> bytes:
        """A Fernet token for ``data`` under the primary key."""
        return self._multi.encrypt(data)

    def decrypt(self, token: bytes) -> bytes:
        """The plaintext of a token made with any of the keys."""
        try:
            return self._multi.decrypt(token)
        except InvalidToken:
            raise DecryptionError(_UNREADABLE) from None

    def rotate(self, token: bytes) -> bytes:
        """The same plaintext, re-encrypted under the primary key."""
        try:
            return self._multi.rotate(token)
        except InvalidToken:
            raise DecryptionError(_UNREADABLE) from None

    def needs_rotation(self, token: bytes) -> bool:
        """Whether the primary key cannot decrypt the token (an older key, or none, can)."""
        try:
            self._fernets[0].decrypt(token)
        except InvalidToken:
            return True
        return False


_UNREADABLE = (
    "no configured key can decrypt this value (it is corrupt, or it was encrypted "
    "with a key that is not configured); was a retired key removed too early?"
)
