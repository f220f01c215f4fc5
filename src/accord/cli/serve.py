"""`accord serve`: host a confidential negotiation in the browser (the service extra).

Django and the rest of the service are imported inside the command, so that the rest of the
CLI starts as fast without them (and works where the service extra is not installed).
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

__all__ = ["serve"]


def _base_url(host: str, port: int, public_url: str | None) -> str:
    if public_url:
        return public_url.rstrip("/")
    shown = "127.0.0.1" if host in {"0.0.0.0", "::", ""} else host
    shown = f"[{shown}]" if ":" in shown else shown
    return f"http://{shown}:{port}"


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option(
    "--workers", default=2, show_default=True, type=click.IntRange(1, 64), help="Server processes."
)
@click.option(
    "--data-dir",
    default="./accord-data",
    show_default=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Where the SQLite database and the key file live (created if missing).",
)
@click.option(
    "--database",
    envvar="ACCORD_DATABASE_URL",
    default=None,
    help="A database URL instead of SQLite, e.g. postgresql://user@host/db "
    "(or ACCORD_DATABASE_URL).",
)
@click.option(
    "--public-url",
    envvar="ACCORD_PUBLIC_URL",
    default=None,
    help="The address people use, e.g. https://talks.example.org behind a reverse proxy: "
    "https turns on secure cookies and HSTS (or ACCORD_PUBLIC_URL).",
)
@click.option(
    "--demo", is_flag=True, help="Create a demo case from cairo-2024, print links, serve."
)
@click.option(
    "--create-mediator", metavar="EMAIL", help="Create a mediator's account, print its link, exit."
)
@click.option(
    "--create-admin", metavar="EMAIL", help="Create a site administrator, print its link, exit."
)
@click.option(
    "--verify-audit", is_flag=True, help="Verify every audit chain and exit (1 when broken)."
)
@click.option("--rotate-key", is_flag=True, help="Re-encrypt private data with a new key and exit.")
def serve(
    host: str,
    port: int,
    workers: int,
    data_dir: Path,
    database: str | None,
    public_url: str | None,
    demo: bool,
    create_mediator: str | None,
    create_admin: str | None,
    verify_audit: bool,
    rotate_key: bool,
) -> None:
    """Host a confidential negotiation in the browser.

    A mediator opens a case, invites each party's delegates, and runs rounds of a single
    negotiating text; each party enters its preferences privately. Creates the data directory,
    the database and the encryption key file on first use, and applies migrations.
    """
    try:
        from accord.service import runtime
    except ImportError as e:  # the service extra is missing
        raise click.ClickException(
            f"accord serve needs the service extra ({e.name} is missing): "
            "pip install 'accord[service]'"
        ) from None
    settings = runtime.Settings(data_dir=data_dir, database=database, public_url=public_url)
    base = _base_url(host, port, public_url)
    try:
        if rotate_key:
            where = runtime.rotate_key(settings)
            click.echo(f"every private value is re-encrypted with the new key ({where})")
            return
        runtime.prepare(settings)
        if verify_audit:
            sys.exit(_verify())
        from accord.service import bootstrap

        if create_mediator or create_admin:
            for email, admin in ((create_mediator, False), (create_admin, True)):
                if email:
                    link = bootstrap.create_account(email, base, mediator=not admin, admin=admin)
                    role = "site administrator" if admin else "mediator"
                    click.echo(f"{role} {email}: set a password at {link}")
            return
        if demo:
            case, links = bootstrap.demo(base)
            click.echo(f"demo case {case.title!r}: one-time sign-in links")
            for item in links:
                click.echo(f"  {item.who} ({item.email}): {item.link}")
        from django.db import connections

        connections.close_all()
    except runtime.ServiceError as e:
        raise click.ClickException(str(e)) from None
    click.echo(f"accord serve: {base}/ with {workers} worker{'s' if workers != 1 else ''}")
    runtime.serve(host=host, port=port, workers=workers)


def _verify() -> int:
    from accord.service.audit.chain import verify_all

    broken = 0
    for status in verify_all():
        if status.finding is None:
            click.echo(
                f"{status.chain}: {status.records} records verified; head {status.head_hash}"
            )
        else:
            broken += 1
            click.echo(str(status.finding))
    if broken:
        click.echo(f"{broken} audit chain{'s are' if broken != 1 else ' is'} broken", err=True)
        return 1
    click.echo("every audit chain verifies")
    return 0
