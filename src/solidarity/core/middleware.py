"""Request bodies are refused by their announced size, before anything reads them.

Django's ``DATA_UPLOAD_MAX_MEMORY_SIZE`` does not cover uploaded files, and
``CsrfViewMiddleware`` reads ``request.POST`` (so the whole body) in its
``process_view``. This middleware's ``process_view`` runs before it (it is
listed before it in ``MIDDLEWARE``), when the view is known: a body larger than
the view's allowance is refused with 413 without a byte of it being read.

Every view may take ``SOLIDARITY_REQUEST_MAX_BYTES``; the upload views named in
``SOLIDARITY_REQUEST_MAX_BYTES_BY_VIEW`` (by URL name) may take more, and only
from a signed-in user: an anonymous visitor never gets the larger allowance.
A request that carries a body without saying how long it is gets 411, and one
whose ``Content-Length`` is not a plain number gets 400.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.html import escape
from django.utils.translation import get_language
from django.utils.translation import gettext as _

MIB = 1024 * 1024
METHODS_WITH_A_BODY = frozenset({"POST", "PUT", "PATCH"})
_DIGITS = re.compile(r"[0-9]+")


def largest_allowance() -> int:
    """The largest body any view accepts: what the web server in front must let through."""
    by_view = getattr(settings, "SOLIDARITY_REQUEST_MAX_BYTES_BY_VIEW", {})
    return max([settings.SOLIDARITY_REQUEST_MAX_BYTES, *by_view.values()])


def allowance(request: HttpRequest) -> int:
    """The largest body this request's view accepts from this user."""
    default = settings.SOLIDARITY_REQUEST_MAX_BYTES
    match = getattr(request, "resolver_match", None)
    larger = settings.SOLIDARITY_REQUEST_MAX_BYTES_BY_VIEW.get(match.view_name if match else None)
    if larger is None:
        return default
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return default
    return max(default, larger)


def refusal(status: int, message: str) -> HttpResponse:
    """A short page, no template (nothing that could fail or read the body)."""
    page = (
        f'<!doctype html><html lang="{escape(get_language() or "en")}"><head>'
        f'<meta charset="utf-8"><title>{status}</title></head>'
        f"<body><h1>{escape(message)}</h1></body></html>"
    )
    return HttpResponse(page, status=status, content_type="text/html; charset=utf-8")


class RequestSizeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs):
        announced = request.META.get("CONTENT_LENGTH")
        if announced is None or announced == "":
            if request.method in METHODS_WITH_A_BODY:
                return refusal(411, _("The request did not say how long it is (Content-Length)."))
            return None
        if not _DIGITS.fullmatch(announced):
            return refusal(400, _("The request's length (Content-Length) is not a number."))
        limit = allowance(request)
        # Compared as text first: int() refuses numbers of thousands of digits.
        if len(announced.lstrip("0")) > len(str(limit)) or int(announced) > limit:
            return refusal(
                413,
                _("The request is too large: at most %(mb)s MB may be sent here.")
                % {"mb": _megabytes(limit)},
            )
        return None


def _megabytes(size: int) -> str:
    return f"{size / MIB:.1f}".removesuffix(".0")
