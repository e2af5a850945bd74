"""Encryption at rest for personal data (applications, consent details).

Fernet (AES-128-CBC with HMAC-SHA256, from the ``cryptography`` package) with the key from
``VEIVISER_ENCRYPTION_KEY``. Older keys in ``VEIVISER_ENCRYPTION_OLD_KEYS`` (comma-separated)
still decrypt, so a key can be rotated without losing stored applications. Production refuses to
start without a key (see config.py); development and tests use a key file under var/ that is
created once, so `make run` works on a fresh machine.
"""
from __future__ import annotations

import hashlib
import hmac
import json
import os
from functools import lru_cache
from pathlib import Path
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from sqlalchemy.types import Text, TypeDecorator

from knowledge.config import REPO_ROOT, ConfigError, Settings, load_settings

DEV_KEY_FILE = REPO_ROOT / "var" / "dev-encryption.key"


def new_key() -> str:
    return Fernet.generate_key().decode()


def _dev_key(path: Path = DEV_KEY_FILE) -> str:
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as handle:
            handle.write(new_key())
    return path.read_text().strip()


def _primary_key(settings: Settings) -> str:
    """The key in use: the configured one, or (outside production) the development key file's."""
    if settings.encryption_key:
        return settings.encryption_key
    if settings.production:
        raise ConfigError("VEIVISER_ENCRYPTION_KEY must be set in production")
    return _dev_key()


def make_cipher(settings: Settings, old_keys: str = "") -> MultiFernet:
    keys = [_primary_key(settings), *(k.strip() for k in old_keys.split(",") if k.strip())]
    try:
        return MultiFernet([Fernet(k.encode()) for k in keys])
    except ValueError as exc:
        raise ConfigError("VEIVISER_ENCRYPTION_KEY must be a Fernet key (create one with `python -m knowledge key`)") from exc


def pseudonym(purpose: str, value: str) -> str:
    """A keyed hash of ``value`` for one ``purpose``: the same value gives the same pseudonym within
    that purpose, and nothing links it to the value, or to another purpose's pseudonym (a plain
    hash, as consents use for the sender id, could be joined with them), without the key."""
    return hmac.new(_pseudonym_key(load_settings(), purpose), value.encode(), hashlib.sha256).hexdigest()[:32]


@lru_cache(maxsize=8)
def _pseudonym_key(settings: Settings, purpose: str) -> bytes:
    """Resolved once per settings and purpose: pseudonyms are made on every turn (the development
    key would otherwise be read from its file each time)."""
    return f"{purpose}\0{_primary_key(settings)}".encode()


def cipher() -> MultiFernet:
    settings = load_settings()
    return _cipher_for(settings, os.environ.get("VEIVISER_ENCRYPTION_OLD_KEYS", ""))


@lru_cache(maxsize=8)
def _cipher_for(settings: Settings, old_keys: str) -> MultiFernet:
    """Building the cipher costs more than using it; the conversation store uses it every turn."""
    return make_cipher(settings, old_keys)


def encrypt_json(value: Any) -> str:
    return cipher().encrypt(json.dumps(value, ensure_ascii=False).encode()).decode()


def decrypt_json(token: str) -> Any:
    try:
        return json.loads(cipher().decrypt(token.encode()))
    except InvalidToken as exc:
        raise ConfigError("stored data cannot be decrypted with the configured key(s)") from exc


def encrypt_bytes(value: bytes) -> bytes:
    return cipher().encrypt(value)


def decrypt_bytes(token: bytes) -> bytes:
    return cipher().decrypt(token)


class EncryptedJSON(TypeDecorator):
    """A JSON value stored as a Fernet token: the database only ever sees ciphertext."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: Any, dialect) -> str | None:
        return None if value is None else encrypt_json(value)

    def process_result_value(self, value: str | None, dialect) -> Any:
        return None if value is None else decrypt_json(value)
