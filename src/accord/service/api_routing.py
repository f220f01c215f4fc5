"""Every API operation declares who may use it, exactly as pages do.

``endpoint`` registers a django-ninja operation whose authentication step also applies the
operation's rule (:func:`accord.service.cases.access.require`), before the request body is even
read: an anonymous caller gets 401, a role that may not use the operation 403, a case the
caller has no role in 404. The handler receives the per-role view of the case as ``view``.
Each rule is recorded under the operation's id in :data:`API_RULES`, which the access matrix
test reads beside the OpenAPI description: an operation without a rule fails that test.
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
from ninja.security import HttpBearer, django_auth

from accord.service.cases.access import NotSignedIn, Rule, require
from accord.service.errors import NotFound

__all__ = ["API_RULES", "RuleAuth", "endpoint"]

API_RULES: dict[str, Rule] = {}


def _token_person(token: str) -> Any:
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
    return row.person


class RuleAuth(HttpBearer):
    """Who is asking (a personal token, or the session with its CSRF token for changes), and
    may they use this operation at all."""

    def __init__(self, rule: Rule) -> None:
        super().__init__()
        self.rule = rule

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        return _token_person(token)

    def __call__(self, request: HttpRequest) -> Any:
        if request.headers.get("Authorization"):
            person = super().__call__(request)
            if person is not None:
                request.user = person
        else:
            person = django_auth(request)
        if not person:
            return None
        case = (request.resolver_match.kwargs if request.resolver_match else {}).get("case")
        try:
            case_id = int(case) if case is not None else None
        except ValueError:
            raise NotFound("no such case") from None
        try:
            request.accord_view = require(self.rule, person, case_id)  # type: ignore[attr-defined]
        except NotSignedIn:
            return None
        return person


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
            if wants_view:
                kwargs["view"] = request.accord_view  # type: ignore[attr-defined]
            return handler(request, *args, **kwargs)

        wrapper.__signature__ = signature.replace(  # type: ignore[attr-defined]
            parameters=params, return_annotation=inspect.Signature.empty
        )
        del wrapper.__wrapped__
        wrapper.access_rule = rule  # type: ignore[attr-defined]
        API_RULES[handler.__name__] = rule
        api.api_operation(
            [method], path, operation_id=handler.__name__, auth=RuleAuth(rule), **options
        )(wrapper)
        return handler

    return decorate
