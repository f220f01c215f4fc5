"""Private data is encrypted at rest: a raw dump of the database holds no canary; the key
rotates without losing anything."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.db import connection

from accord.service.crypto import KeyProblem, Sealer, generate_key

from .world import CANARY, World


def _raw_dump() -> bytes:
    """Every byte of the database: the SQLite files, or every table's rows as text."""
    if connection.vendor == "sqlite":
        name = Path(connection.settings_dict["NAME"])
        return b"".join(p.read_bytes() for p in name.parent.glob(name.name + "*"))
    from django.apps import apps

    out = []
    with connection.cursor() as cur:
        for model in apps.get_models(include_auto_created=True):
            cur.execute(f"SELECT * FROM {connection.ops.quote_name(model._meta.db_table)}")
            out.extend(repr(row).encode() for row in cur.fetchall())
    return b"\n".join(out)


@pytest.mark.django_db
def test_a_raw_dump_of_the_database_holds_no_private_value(world: World) -> None:
    # The world was committed before this test began, so it is in the file (or its WAL).
    dump = _raw_dump()
    assert b"Cairo talks" in dump, (connection.vendor, len(dump))  # the shared part, in clear
    assert b"gAAAAA" in dump  # and the private part too, as Fernet tokens
    for name, canary in CANARY.items():
        assert canary.encode() not in dump, name


def test_sealed_values_open_only_with_the_key() -> None:
    key = generate_key()
    token = Sealer([key]).seal({"notes": CANARY["b_prefs"]})
    assert CANARY["b_prefs"] not in token
    assert Sealer([key]).open(token) == {"notes": CANARY["b_prefs"]}
    with pytest.raises(KeyProblem, match="does not belong to this database"):
        Sealer([generate_key()]).open(token)
    rotated = Sealer([generate_key(), key]).rotate(token)
    assert Sealer([key, generate_key()]).open(token)
    with pytest.raises(KeyProblem):
        Sealer([key]).open(rotated)


@pytest.mark.django_db
def test_rotation_reencrypts_every_private_value(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    from django.conf import settings

    from accord.service.cases import models
    from accord.service.cases.access import view_of_case
    from accord.service.crypto import sealed_models, sealer

    old = settings.ACCORD_KEYS[0]
    new = generate_key()
    monkeypatch.setattr(settings, "ACCORD_KEYS", (new, old))
    box = sealer()
    private = sealed_models()
    for model in (models.Bid, models.OfferResponse, models.Answer, models.Message):
        assert model in private
    for model in private:
        for pk, token in model.objects.values_list("pk", "sealed"):
            model.objects.filter(pk=pk).update(sealed=box.rotate(token))
    monkeypatch.setattr(settings, "ACCORD_KEYS", (new,))
    b = view_of_case(world.people["delegate_b"], world.case_x)
    sheet = b.own_preferences()
    assert sheet is not None and sheet.notes == CANARY["b_prefs"]
    monkeypatch.setattr(settings, "ACCORD_KEYS", (old,))
    with pytest.raises(KeyProblem):
        view_of_case(world.people["delegate_b"], world.case_x).own_preferences()


def test_the_key_file_is_private(tmp_path: Path) -> None:
    from accord.service.crypto import read_key_file, write_key_file

    path = tmp_path / "secret.key"
    write_key_file(path, [generate_key()])
    assert oct(os.stat(path).st_mode & 0o777) == "0o600"
    assert len(read_key_file(path)) == 1
    path.write_text("not a key\n")
    with pytest.raises(KeyProblem, match="key 1 is not a Fernet key"):
        read_key_file(path)
