"""Sign-ins, sign-outs and failed sign-ins in the site's audit chain."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from accord.service.audit.chain import Kind, append


@receiver(user_logged_in)
def _logged_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    append(Kind.LOGIN, actor=user)


@receiver(user_logged_out)
def _logged_out(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is not None:
        append(Kind.LOGOUT, actor=user)


@receiver(user_login_failed)
def _login_failed(sender: Any, credentials: dict[str, Any], **kwargs: Any) -> None:
    # Name the account only when it exists: a mistyped email box may hold anything.
    email = str(credentials.get("username") or credentials.get("email") or "").lower()
    person = get_user_model().objects.filter(email=email).first()
    append(Kind.LOGIN_FAILED, subject=f"account {person.email}" if person else "unknown account")
