"""Every page declares who may use it: the ``page`` decorator applies its rule.

The decorator resolves the rule with :func:`accord.service.cases.access.require` before the
page's own code runs, and hands a case page the per-role view of the case (never a database
object). It also marks the page with its rule (``access_rule``), which the access matrix test
reads from the URL configuration: a page without one fails that test.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import wraps
from typing import Any, TypeVar

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.http.response import HttpResponseBase
from django.shortcuts import render

from accord.service.cases.access import NotSignedIn, Rule, require
from accord.service.errors import Denied, NotFound

__all__ = ["denied_page", "page"]

Handler = TypeVar("Handler", bound=Callable[..., HttpResponseBase])


def denied_page(request: HttpRequest, reason: str) -> HttpResponse:
    return render(request, "403.html", {"reason": reason}, status=403)


def page(rule: Rule, methods: Sequence[str] = ("GET",)) -> Callable[[Handler], Handler]:
    """Mark a page with its rule and apply it: case pages get ``view`` as second argument."""
    allowed = list(methods)

    def decorate(handler: Handler) -> Handler:
        @wraps(handler)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if request.method not in allowed and not (
                request.method == "HEAD" and "GET" in allowed
            ):
                return HttpResponseNotAllowed(allowed)
            try:
                view = require(rule, request.user, kwargs.get("case"))
                if rule.needs_case:
                    kwargs.pop("case")
                    return handler(request, view, *args, **kwargs)
                return handler(request, *args, **kwargs)
            except NotSignedIn:
                return redirect_to_login(request.get_full_path())
            except NotFound as e:
                raise Http404(str(e)) from None
            except Denied as e:
                return denied_page(request, str(e))

        wrapper.access_rule = rule  # type: ignore[attr-defined]
        wrapper.access_methods = tuple(allowed)  # type: ignore[attr-defined]
        return wrapper  # type: ignore[return-value]

    return decorate
