"""Every API operation declares who may use it, exactly as pages do.

``endpoint`` registers a django-ninja operation whose rule is applied before the handler
runs (the handler receives the per-role view of the case as ``view``), and records the rule
under the operation's id in :data:`API_RULES`, which the access matrix test reads next to the
OpenAPI description: an operation without a rule fails that test.
"""

import hashlib
import inspect
import typing
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import NinjaAPI
from ninja.errors import HttpError
from ninja.security import HttpBearer, django_auth

from accord.service.cases.access import NotSignedIn, Rule, require
from accord.service.errors import Denied, NotFound

__all__ = ["API_RULES", "BearerToken", "endpoint"]

API_RULES: dict[str, Rule] = {}


class BearerToken(HttpBearer):
    """``Authorization: Bearer <token>`` with a personal token (only its hash is stored)."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        from accord.service.accounts.models import ApiToken

        digest = hashlib.sha256(token.encode("utf-8")).hexdigest()
        row = (
            ApiToken.objects.select_related("person")
            .filter(token_hash=digest, revoked_at__isnull=True, person__is_active=True)
            .first()
        )
        if row is None:
            return None
        ApiToken.objects.filter(pk=row.pk).update(last_used_at=timezone.now())
        request.user = row.person
        return row.person


AUTH = [BearerToken(), django_auth]


def endpoint(
    api: NinjaAPI, method: str, path: str, rule: Rule, **options: Any
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register ``handler`` as ``METHOD path`` under ``rule`` (its operation id: its name)."""

    def decorate(handler: Callable[..., Any]) -> Callable[..., Any]:
        hints = typing.get_type_hints(handler)
        signature = inspect.signature(handler)
        params = [
            p.replace(annotation=hints.get(p.name, p.annotation))
            for p in signature.parameters.values()
            if p.name != "view"
        ]
        wants_view = "view" in signature.parameters

        @wraps(handler)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
            try:
                view = require(rule, request.user, kwargs.get("case"))
            except NotSignedIn:
                raise HttpError(401, "sign in, or send a personal API token") from None
            except NotFound as e:
                raise HttpError(404, str(e)) from None
            except Denied as e:
                raise HttpError(403, str(e)) from None
            if wants_view:
                kwargs["view"] = view
            return handler(request, *args, **kwargs)

        wrapper.__signature__ = signature.replace(  # type: ignore[attr-defined]
            parameters=params, return_annotation=inspect.Signature.empty
        )
        del wrapper.__wrapped__  # type: ignore[attr-defined]
        wrapper.access_rule = rule  # type: ignore[attr-defined]
        API_RULES[handler.__name__] = rule
        auth = None if rule is Rule.PUBLIC else AUTH
        api.api_operation([method], path, operation_id=handler.__name__, auth=auth, **options)(
            wrapper
        )
        return handler

    return decorate
