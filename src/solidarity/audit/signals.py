"""Sign-ins, sign-outs and failed sign-ins, from django.contrib.auth's signals."""

from typing import Any

from django.contrib.auth import get_user_model, user_logged_in, user_logged_out, user_login_failed
from django.db.models import Q
from django.utils.crypto import salted_hmac

from solidarity.audit.models import Action
from solidarity.audit.services import record


def attempted_name_digest(username: str) -> str:
    """A keyed digest of a name typed at sign-in, so repeated attempts can be matched.

    Keyed (with SECRET_KEY), not a bare SHA-256: people sometimes type their
    password into the name box, and a bare hash of a common password is
    reversed by looking it up in a list.
    """
    return salted_hmac("solidarity.audit.login_failed", username, algorithm="sha256").hexdigest()


def on_login(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    record(actor=user, action=Action.LOGIN)


def on_logout(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    # ``user`` is None when nobody was signed in; nothing happened then.
    if user is not None:
        record(actor=user, action=Action.LOGOUT)


def on_login_failed(
    sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any
) -> None:
    User = get_user_model()
    keys = (User.USERNAME_FIELD, "username", "email", "login")
    typed = str(next((credentials[key] for key in keys if credentials.get(key)), ""))
    record(
        actor=None,
        action=Action.LOGIN_FAILED,
        detail={"username_digest": attempted_name_digest(typed), "user_exists": _exists(typed)},
    )


def _exists(typed: str) -> bool:
    if not typed:
        return False
    User = get_user_model()
    matches = Q(**{User.USERNAME_FIELD: typed})
    if any(field.name == "email" for field in User._meta.get_fields()):
        matches |= Q(email__iexact=typed)
    return User._default_manager.filter(matches).exists()


def connect() -> None:
    user_logged_in.connect(on_login, dispatch_uid="solidarity-audit-login")
    user_logged_out.connect(on_logout, dispatch_uid="solidarity-audit-logout")
    user_login_failed.connect(on_login_failed, dispatch_uid="solidarity-audit-login-failed")
