"""Intake documents: a pasted text or an uploaded file on its way to a reviewed incident.

Everything a document says is encrypted at rest: its text, the original file
(in the encrypted evidence storage), its name, the proposed extraction (it
holds names) and even the reason it could not be read. Only the state, the
hash, dates and who did what stay in clear. An intake document belongs to one
member organisation (the uploader's) and is never shared: its members alone
see it, through the access seam.
"""

import json
import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _

from solidarity.accounts.models import Owned
from solidarity.core.encryption import (
    EncryptedCharField,
    EncryptedTextField,
    get_evidence_storage,
)
from solidarity.core.models import Coded


class State(models.TextChoices):
    QUEUED = "queued", _("Queued")
    READING = "reading", _("Reading")
    EXTRACTED = "extracted", _("Ready for review")
    FAILED = "failed", _("Failed")
    REVIEWED = "reviewed", _("Reviewed")
    REJECTED = "rejected", _("Rejected")


# States in which a document's work is over (for a batch's progress).
DONE_STATES = (State.EXTRACTED, State.FAILED, State.REVIEWED, State.REJECTED)
REVIEWABLE_STATES = (State.EXTRACTED,)


def intake_path(instance: "IntakeDocument", filename: str) -> str:
    # Content-addressed like evidence: the stored name says nothing of the original.
    return f"intake/{instance.sha256[:2]}/{instance.sha256}"


class IntakeDocument(Owned, Coded):
    batch = models.UUIDField(_("batch"), default=uuid.uuid4, db_index=True, editable=False)
    position = models.PositiveIntegerField(default=0)
    name = EncryptedCharField(_("file name"), max_length=255, blank=True)
    file = models.FileField(
        upload_to=intake_path, max_length=200, storage=get_evidence_storage, blank=True
    )
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    size = models.PositiveBigIntegerField(_("size"), default=0)
    content_type = models.CharField(_("content type"), max_length=100, blank=True)
    title = EncryptedCharField(_("title"), max_length=500, blank=True)
    text = EncryptedTextField(_("text"), blank=True)
    published = models.DateField(_("publication date"), null=True, blank=True)
    source_name = EncryptedCharField(_("source"), max_length=300, blank=True)
    source_url = EncryptedCharField(_("address"), max_length=1000, blank=True)
    language = models.CharField(_("language"), max_length=16, blank=True)
    extraction_json = EncryptedTextField(_("proposed record"), blank=True)
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.QUEUED)
    error = EncryptedTextField(_("reason"), blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    incident = models.ForeignKey(
        "incidents.Incident",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("incident"),
    )

    class Meta:
        ordering = ["-created_at", "position", "id"]
        verbose_name = _("intake document")
        verbose_name_plural = _("intake documents")
        indexes = [models.Index(fields=["owner", "state"], name="intake_owner_state")]

    def __str__(self) -> str:
        return self.title or self.name or str(_("pasted text"))

    def get_absolute_url(self) -> str:
        return reverse("intake:review", args=[self.code])

    @property
    def label(self) -> str:
        """The file name or the title read from it, else "Pasted text" and its date.

        Made from short fields only: a list of documents does not decrypt their texts.
        """
        if self.name or self.title:
            return self.name or self.title
        pasted = capfirst(str(_("pasted text")))
        if self.created_at is None:
            return pasted
        return f"{pasted}, {date_format(localtime(self.created_at), 'SHORT_DATE_FORMAT')}"

    @property
    def is_done(self) -> bool:
        return self.state in DONE_STATES

    def extraction(self):
        """The proposed record (``extraction.types.Extraction``), or None before extraction."""
        if not self.extraction_json:
            return None
        from solidarity.intake.extraction.types import Extraction

        return Extraction.from_dict(json.loads(self.extraction_json))
