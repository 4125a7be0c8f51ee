"""Coalition responses: joint statements and appeals, their versions, comments,
sign-on and publication."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from solidarity.accounts.models import MemberOrganisation, Owned
from solidarity.core.models import Coded
from solidarity.incidents.models import Act, Incident
from solidarity.vocab.models import term_field

LANGUAGES = [("en", _("English")), ("zh-hans", _("Simplified Chinese"))]


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SIGN_ON = "sign_on", _("Open for sign-on")
    APPROVED = "approved", _("Approved")
    PUBLISHED = "published", _("Published")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Priority(models.TextChoices):
    URGENT = "urgent", _("Urgent")
    HIGH = "high", _("High")
    MEDIUM = "medium", _("Medium")
    LOW = "low", _("Low")


class Response(Owned, Coded):
    """One coalition action: a joint statement, an urgent appeal, an open letter..."""

    title = models.CharField(_("title"), max_length=300)
    response_type = term_field("response_types", _("type"), null=False, blank=False)
    incidents = models.ManyToManyField(Incident, blank=True, related_name="responses")
    acts = models.ManyToManyField(Act, blank=True, related_name="responses")
    targets = models.TextField(
        _("targets"),
        blank=True,
        help_text=_("Authorities, UN bodies, embassies, media; one per line."),
    )
    requests = models.TextField(
        _("requests"), blank=True, help_text=_("What the coalition asks for; one per line.")
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    priority = models.CharField(
        _("priority"), max_length=16, choices=Priority.choices, default=Priority.MEDIUM
    )
    response_received = models.TextField(_("response received"), blank=True)
    impact = models.TextField(_("impact"), blank=True)
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("response")
        verbose_name_plural = _("responses")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("responses:detail", args=[self.code])

    @property
    def request_list(self) -> list[str]:
        return [line.strip() for line in self.requests.splitlines() if line.strip()]

    @property
    def target_list(self) -> list[str]:
        return [line.strip() for line in self.targets.splitlines() if line.strip()]

    def latest(self, language: str) -> "Version | None":
        return self.versions.filter(language=language).order_by("-number").first()

    def languages(self) -> list[str]:
        present = set(self.versions.values_list("language", flat=True))
        return [code for code, _label in LANGUAGES if code in present]


class Version(models.Model):
    """A saved text of a response in one language; every save is a new version."""

    access_parent = "response"

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="versions")
    language = models.CharField(_("language"), max_length=16, choices=LANGUAGES)
    number = models.PositiveIntegerField(_("version"))
    text = models.TextField(
        _("text"), help_text=_("Markdown. Paragraphs are separated by a blank line.")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["response", "language", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["response", "language", "number"], name="version_unique_number"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.response} · {self.language} v{self.number}"

    @property
    def paragraphs(self) -> list[str]:
        return [p.strip() for p in self.text.replace("\r\n", "\n").split("\n\n") if p.strip()]


class Comment(Coded):
    """A member's remark on one paragraph of one version."""

    access_parent = "response"

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="comments")
    version = models.ForeignKey(Version, on_delete=models.CASCADE, related_name="comments")
    paragraph = models.PositiveIntegerField(_("paragraph"))
    body = models.TextField(_("comment"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"{self.version} ¶{self.paragraph + 1}"


class InvitationStatus(models.TextChoices):
    INVITED = "invited", _("Invited")
    SIGNED = "signed", _("Signed")
    DECLINED = "declined", _("Declined")
    RECONFIRM = "reconfirm", _("Asked to reconfirm after a change")
    WITHDRAWN = "withdrawn", _("Withdrew")


class Invitation(Coded):
    """A member organisation invited to sign on, and its answer."""

    access_parent = "response"

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="invitations")
    organisation = models.ForeignKey(
        MemberOrganisation, on_delete=models.CASCADE, related_name="invitations"
    )
    deadline = models.DateTimeField(_("deadline"))
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=InvitationStatus.choices,
        default=InvitationStatus.INVITED,
    )
    signed_versions = models.JSONField(
        default=dict, blank=True, help_text=_("The version of each language that was signed.")
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["response", "organisation"], name="invitation_one_per_organisation"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} · {self.get_status_display()}"


class PublicationNote(models.Model):
    """A visible correction or withdrawal of a published response: never a silent change."""

    class Kind(models.TextChoices):
        CORRECTION = "correction", _("Correction")
        WITHDRAWAL = "withdrawal", _("Withdrawal")

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="notes")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    text = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.created_at:%Y-%m-%d}"


class Notification(models.Model):
    """An in-app message: a mention in a comment, a sign-on request, a request to reconfirm."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    text = models.CharField(max_length=500)
    url = models.CharField(max_length=500)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.text
