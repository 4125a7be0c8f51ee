"""Users, the member organisations of the coalition, and who owns which record."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from solidarity.core.models import Coded


class User(AbstractUser):
    """A person who works in Solidarity (researcher, documenter, coordinator)."""


class MemberOrganisation(Coded):
    """A member organisation of the coalition: it owns records and employs users."""

    name = models.CharField(_("name"), max_length=300, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("member organisation")
        verbose_name_plural = _("member organisations")

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    COORDINATOR = "coordinator", _("Coordinator")
    DOCUMENTER = "documenter", _("Documenter")
    READER = "reader", _("Reader")


class Membership(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(
        MemberOrganisation, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="membership_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.organisation} · {self.get_role_display()}"


class Visibility(models.TextChoices):
    OWNER = "owner", _("Owning organisation only")
    SHARED = "shared", _("Shared with named member organisations")
    COALITION = "coalition", _("Coalition-wide")
    PUBLIC = "public", _("Public")


class Owned(models.Model):
    """A record owned by one member organisation and visible as its visibility says.

    Named member organisations may be given read or edit access (``shared_read``,
    ``shared_edit``); the access seam (``accounts/access.py``) applies the rules.
    """

    owner = models.ForeignKey(
        MemberOrganisation,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("owning organisation"),
    )
    visibility = models.CharField(
        _("visibility"), max_length=16, choices=Visibility.choices, default=Visibility.OWNER
    )
    shared_read = models.ManyToManyField(
        MemberOrganisation, blank=True, related_name="+", verbose_name=_("shared with (read)")
    )
    shared_edit = models.ManyToManyField(
        MemberOrganisation, blank=True, related_name="+", verbose_name=_("shared with (edit)")
    )

    class Meta:
        abstract = True
