"""Error pages: plain, and never carrying anything from the request but its path."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.template import loader


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return HttpResponse(loader.render_to_string("403.html", {}, request), status=403)


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return HttpResponse(loader.render_to_string("404.html", {}, request), status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    # No request context: the page must render even when what broke is the context itself.
    return HttpResponse(loader.render_to_string("500.html", {}), status=500)
