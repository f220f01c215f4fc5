"""Private data encrypted at rest, with the key kept outside the database.

Private preferences, consistency-check answers, answers to drafts and messages are stored as
Fernet tokens (AES-128-CBC with HMAC-SHA256, from the ``cryptography`` package). The keys come
from ``ACCORD_SECRET_KEY`` (one key, or several separated by commas, the first one encrypting)
or from the key file ``secret.key`` in the data directory (one key a line, the first one
encrypting; created with mode 0600 by ``accord serve``). A dump of the database alone therefore
reveals no party's private data.

Rotation (``accord serve --rotate-key``): a new key is put first, every token is re-encrypted
with it in one transaction (:func:`rotate_tokens`), and only then are the old keys dropped.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

__all__ = [
    "KEY_FILE_NAME",
    "KeyProblem",
    "Sealer",
    "django_secret_from",
    "generate_key",
    "keys_from_environment",
    "read_key_file",
    "sealed_models",
    "sealer",
    "write_key_file",
]

KEY_FILE_NAME = "secret.key"


class KeyProblem(Exception):
    """The keys are missing, malformed, or do not open this database's private data."""


def generate_key() -> str:
    """A new random Fernet key (32 random bytes, url-safe base64)."""
    return Fernet.generate_key().decode("ascii")


def _parse_keys(text: str, where: str) -> tuple[str, ...]:
    keys = []
    for n, raw in enumerate(text.replace(",", "\n").splitlines(), start=1):
        key = raw.strip()
        if not key or key.startswith("#"):
            continue
        try:
            Fernet(key.encode("ascii"))
        except (ValueError, UnicodeEncodeError):
            raise KeyProblem(
                f"{where}: key {n} is not a Fernet key (expected 44 characters of url-safe "
                "base64, as `accord serve` writes; found something else)"
            ) from None
        keys.append(key)
    if not keys:
        raise KeyProblem(f"{where}: expected at least one key; found none")
    return tuple(keys)


def keys_from_environment(value: str) -> tuple[str, ...]:
    """The keys given in ``ACCORD_SECRET_KEY`` (comma-separated, the first one encrypting)."""
    return _parse_keys(value, "ACCORD_SECRET_KEY")


def read_key_file(path: Path) -> tuple[str, ...]:
    """The keys in a key file, the first one encrypting."""
    return _parse_keys(path.read_text(encoding="ascii"), str(path))


def write_key_file(path: Path, keys: Sequence[str]) -> None:
    """Write ``keys`` to ``path`` with mode 0600, atomically (a crash leaves the old file)."""
    tmp = path.with_name(path.name + ".new")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as out:
        out.write("# accord serve: encryption keys of this data directory; the first encrypts.\n")
        out.write("# Keep a copy with your backups: without it the private data cannot be read.\n")
        out.writelines(k + "\n" for k in keys)
        out.flush()
        os.fsync(out.fileno())
    os.chmod(tmp, 0o600)
    os.replace(tmp, path)


def django_secret_from(key: str) -> str:
    """Django's SECRET_KEY (sessions, CSRF, one-time tokens), derived from the encrypting key.

    HMAC-SHA256 with a fixed label, so the Fernet key itself is never used for signing;
    rotating the key therefore also ends every session.
    """
    return hmac.new(
        key.encode("ascii"), b"accord serve: django SECRET_KEY", hashlib.sha256
    ).hexdigest()


class Sealer:
    """Encrypts JSON-shaped values into text tokens and opens them again."""

    def __init__(self, keys: Sequence[str]) -> None:
        if not keys:
            raise KeyProblem("no encryption key is configured (ACCORD_SECRET_KEY or the key file)")
        self._fernet = MultiFernet([Fernet(k.encode("ascii")) for k in keys])

    def seal(self, value: Any) -> str:
        data = json.dumps(value, ensure_ascii=False, sort_keys=True).encode("utf-8")
        return self._fernet.encrypt(data).decode("ascii")

    def open(self, token: str) -> Any:
        try:
            data = self._fernet.decrypt(token.encode("ascii"))
        except InvalidToken:
            raise KeyProblem(
                "a private record cannot be decrypted with the configured keys: the key file "
                "or ACCORD_SECRET_KEY does not belong to this database (restore the key from "
                "the backup you took with the database)"
            ) from None
        return json.loads(data.decode("utf-8"))

    def rotate(self, token: str) -> str:
        """The same plaintext, encrypted with the first key."""
        try:
            return self._fernet.rotate(token.encode("ascii")).decode("ascii")
        except InvalidToken:
            raise KeyProblem(
                "a private record cannot be decrypted with the configured keys; nothing was rotated"
            ) from None


_SEALERS: dict[tuple[str, ...], Sealer] = {}


def sealer() -> Sealer:
    """The sealer of the running service: the keys of ``settings.ACCORD_KEYS``."""
    from django.conf import settings

    keys = tuple(settings.ACCORD_KEYS)
    found = _SEALERS.get(keys)
    if found is None:
        found = _SEALERS[keys] = Sealer(keys)
    return found


def sealed_models() -> list[Any]:
    """Every table with a ``sealed`` column (encrypted private content), for key rotation."""
    from django.apps import apps

    return [
        model
        for model in apps.get_models()
        if any(f.name == "sealed" for f in model._meta.get_fields())
    ]
