"""Account hardening that applies to every request."""

from allauth.mfa.models import Authenticator
from django.shortcuts import redirect
from django.urls import reverse

from solidarity.accounts.access import roles
from solidarity.accounts.models import Role

# Pages a user must reach to set up MFA or to leave.
MFA_SETUP_PREFIXES = ("/accounts/", "/static/", "/i18n/")


def mfa_required(user) -> bool:
    """Coordinators and administrators must use a second factor."""
    return user.is_superuser or Role.COORDINATOR in roles(user).values()


def has_totp(user) -> bool:
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


class RequireMFAMiddleware:
    """Sends a coordinator or administrator without TOTP to set it up first."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and not request.path.startswith(MFA_SETUP_PREFIXES)
            and mfa_required(user)
            and not has_totp(user)
        ):
            return redirect(reverse("mfa_activate_totp"))
        return self.get_response(request)


class SecurityHeadersMiddleware:
    """Headers Django does not set: no caching of signed-in pages, no powerful features."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault(
            "Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()"
        )
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            response["Cache-Control"] = "no-store, private"
        return response
