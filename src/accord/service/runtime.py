"""Preparing a data directory and running the service: what ``accord serve`` does before and
while it serves.

``prepare`` creates the data directory (mode 0700), the key file (mode 0600) unless
``ACCORD_SECRET_KEY`` is set, the SQLite database in WAL mode (or connects to PostgreSQL),
applies the migrations, and proves that the key opens this database's private data. ``serve``
then runs gunicorn with the configured number of worker processes.
"""

from __future__ import annotations

import os
import stat
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = ["ServiceError", "Settings", "prepare", "rotate_key", "serve"]


class ServiceError(Exception):
    """Something the operator must fix (a database that cannot be reached, a wrong key)."""


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    database: str | None = None
    public_url: str | None = None


def _mask(url: str) -> str:
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    if parts.password:
        netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
        return parts._replace(netloc=netloc).geturl()
    return url


def _key_file(data_dir: Path) -> None:
    from accord.service.crypto import KEY_FILE_NAME, generate_key, write_key_file

    if os.environ.get("ACCORD_SECRET_KEY", "").strip():
        return
    path = data_dir / KEY_FILE_NAME
    if not path.exists():
        write_key_file(path, [generate_key()])
    elif stat.S_IMODE(path.stat().st_mode) & 0o077:
        print(f"warning: {path} is readable by other users; run: chmod 600 {path}", file=sys.stderr)


def _configure(settings: Settings) -> None:
    settings.data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    os.environ["ACCORD_DATA_DIR"] = str(settings.data_dir.resolve())
    if settings.database:
        os.environ["ACCORD_DATABASE_URL"] = settings.database
    if settings.public_url:
        os.environ["ACCORD_PUBLIC_URL"] = settings.public_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "accord.service.settings"
    _key_file(settings.data_dir)
    import django

    django.setup()


def check_key() -> None:
    """Prove that the configured key opens this database's sealed values (or seal a first)."""
    from accord.service.cases.models import KeyCheck
    from accord.service.crypto import sealer

    row = KeyCheck.objects.order_by("pk").first()
    if row is None:
        KeyCheck.objects.create(sealed=sealer().seal({"check": "accord serve"}))
    else:
        sealer().open(row.sealed)


def prepare(settings: Settings, *, migrate: bool = True) -> None:
    """Configure Django for ``settings``, migrate the database and check the key."""
    from accord.service.crypto import KeyProblem

    try:
        _configure(settings)
    except KeyProblem as e:
        raise ServiceError(str(e)) from None
    from django.core.management import call_command
    from django.db import DatabaseError, connections

    where = _mask(settings.database or os.environ.get("ACCORD_DATABASE_URL", "")) or str(
        settings.data_dir / "accord.sqlite3"
    )
    try:
        connections["default"].ensure_connection()
        if migrate:
            call_command("migrate", interactive=False, verbosity=0)
        check_key()
    except DatabaseError as e:
        raise ServiceError(f"the database at {where} cannot be used: {e}") from None
    except KeyProblem as e:
        raise ServiceError(str(e)) from None
    finally:
        connections.close_all()


def rotate_key(settings: Settings) -> str:
    """Re-encrypt every private value with a new key; returns where the new key is kept.

    With the key file: a new key is generated and put first, every sealed value is
    re-encrypted in one transaction, then the old keys are removed from the file. With
    ``ACCORD_SECRET_KEY``: the operator puts the new key first (``NEW,OLD``), this re-encrypts
    with it, and the operator then drops the old key from the variable.
    """
    from accord.service.crypto import KEY_FILE_NAME, generate_key, read_key_file, write_key_file

    env = os.environ.get("ACCORD_SECRET_KEY", "").strip()
    path = settings.data_dir / KEY_FILE_NAME
    if not env:
        if not path.exists():
            raise ServiceError(f"no key file at {path}: nothing to rotate")
        old = read_key_file(path)
        new = generate_key()
        write_key_file(path, [new, *old])
    prepare(settings)
    from django.db import transaction

    from accord.service.audit.chain import Kind, append
    from accord.service.crypto import sealed_models, sealer

    box = sealer()
    with transaction.atomic():
        for model in sealed_models():
            for pk, token in model.objects.values_list("pk", "sealed").iterator():
                model.objects.filter(pk=pk).update(sealed=box.rotate(token))
        append(Kind.KEY_ROTATED)
    from django.db import connections

    connections.close_all()
    if env:
        return "ACCORD_SECRET_KEY: every value is now encrypted with its first key; drop the others"
    write_key_file(path, [new])
    return str(path)


def serve(*, host: str, port: int, workers: int) -> None:
    """Run gunicorn (``workers`` processes) on ``host:port`` until interrupted."""
    from gunicorn.app.base import BaseApplication

    from accord.service.wsgi import application

    bind = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"

    class Server(BaseApplication):  # type: ignore[misc]
        def load_config(self) -> None:
            options: dict[str, Any] = {
                "bind": [bind],
                "workers": workers,
                "accesslog": "-",
                "errorlog": "-",
                "timeout": 120,
                "graceful_timeout": 10,
                "proc_name": "accord-serve",
                # gunicorn >= 24 opens a control socket in the home directory: not wanted.
                "control_socket_disable": True,
            }
            for key, value in options.items():
                if key in self.cfg.settings:
                    self.cfg.set(key, value)

        def load(self) -> Any:
            return application

    Server().run()
