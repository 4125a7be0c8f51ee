from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from django import forms
from django.contrib import messages
from django.utils import formats, timezone
from django.utils.translation import gettext

from solidarity.accounts import lockout, notices
from solidarity.core.encryption import get_keyring


def typed_username(credentials: dict[str, Any]) -> str:
    return str(credentials.get("username") or credentials.get("email") or "")


class AccountAdapter(DefaultAccountAdapter):
    """Accounts are created by administrators; nobody signs themself up.

    Failed sign-ins are limited by ``accounts/lockout.py`` instead of allauth's
    per-username lock (which let anyone lock anyone out): allauth calls
    ``pre_authenticate`` before it checks a password, ``authentication_failed``
    after a wrong one, and ``login`` once every step (password, then TOTP) passed.
    """

    def is_open_for_signup(self, request) -> bool:
        return False

    def get_client_ip(self, request) -> str:
        # allauth's own rate limits (e.g. sign-in requests per address) see the
        # same address as ours, through the trusted proxies only.
        return lockout.client_address(request)

    def pre_authenticate(self, request, **credentials: Any) -> None:
        try:
            self._attempt = lockout.begin(request, typed_username(credentials))
        except lockout.Refused as refused:
            raise forms.ValidationError(
                refused.message, code="too_many_login_attempts"
            ) from refused

    def authenticate(self, request, **credentials: Any):
        self._attempt = None
        user = super().authenticate(request, **credentials)
        if user is not None and self._attempt is not None:
            lockout.succeeded(self._attempt)
        return user

    def authentication_failed(self, request, **credentials: Any) -> None:
        attempt = getattr(self, "_attempt", None)
        if attempt is None:
            return
        lock = lockout.failed(attempt)
        if lock is not None:
            notices.account_paused(lock)

    def login(self, request, user) -> None:
        previous = user.last_login
        super().login(request, user)
        lockout.remember_address(request, user.get_username())
        pauses = list(notices.pauses_since(user, previous)[:1])
        if pauses:
            when = formats.date_format(timezone.localtime(pauses[0].at), "DATETIME_FORMAT")
            messages.warning(
                request,
                gettext(
                    "Since you last signed in, signing in with your username was paused "
                    "(most recently on %(when)s) after many wrong passwords from many places. "
                    "If that was not you, tell your coordinator, and choose a new password if "
                    "yours is short or used anywhere else."
                )
                % {"when": when},
            )


class MFAAdapter(DefaultMFAAdapter):
    """TOTP secrets and recovery-code seeds are encrypted at rest with our keys."""

    def encrypt(self, text: str) -> str:
        return get_keyring().encrypt(text.encode()).decode("ascii")

    def decrypt(self, encrypted_text: str) -> str:
        return get_keyring().decrypt(encrypted_text.encode("ascii")).decode()
