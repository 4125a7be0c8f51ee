"""Telling an account's owner that signing in with her username was paused.

Like the platform's other emails, the message names no record and carries no
link (a link in an unexpected security email is what phishing looks like): it
says what happened and what to do. The audit log keeps the event, which is also
what her next sign-in shows her.
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.utils import translation

from solidarity import audit
from solidarity.accounts.lockout import AccountLock, normalise_username
from solidarity.audit.models import Action, AuditEvent
from solidarity.audit.signals import attempted_name_digest

LOCKOUT = "account"  # AuditEvent.detail["lockout"]


def owners(username: str) -> list:
    """The accounts a typed name stands for (names match without regard to case)."""
    User = get_user_model()
    wanted = normalise_username(username)
    candidates = User._default_manager.filter(**{f"{User.USERNAME_FIELD}__iexact": username})
    return [user for user in candidates if normalise_username(user.get_username()) == wanted]


def account_paused(lock: AccountLock) -> None:
    """Record the pause in the audit log and email the owner, if the name is an account's."""
    detail = {
        "lockout": LOCKOUT,
        "username_digest": attempted_name_digest(lock.username),
        "failures": lock.failures,
        "addresses": lock.addresses,
        "minutes": lock.seconds // 60,
    }
    users = owners(lock.username)
    if not users:
        audit.record(actor=None, action=Action.LOGIN_FAILED, detail={**detail, "user_id": None})
        return
    for user in users:
        audit.record(actor=None, action=Action.LOGIN_FAILED, detail={**detail, "user_id": user.pk})
        if user.email:
            # In the platform's language, not in the one the guesser's browser asked for.
            with translation.override(settings.LANGUAGE_CODE):
                context = {"minutes": lock.seconds // 60}
                subject = render_to_string("account/email/sign_in_paused_subject.txt", context)
                message = render_to_string("account/email/sign_in_paused_message.txt", context)
            send_mail(
                subject=" ".join(subject.split()),
                message=message,
                from_email=None,
                recipient_list=[user.email],
                fail_silently=True,
            )


def pauses_since(user, since: datetime | None) -> QuerySet[AuditEvent]:
    """The pauses of the user's username recorded after ``since`` (her previous sign-in)."""
    events = AuditEvent.objects.filter(
        action=Action.LOGIN_FAILED, detail__lockout=LOCKOUT, detail__user_id=user.pk
    )
    if since is not None:
        events = events.filter(at__gt=since)
    return events.order_by("-seq")
