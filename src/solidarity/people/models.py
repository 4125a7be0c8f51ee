"""Defenders (persons), organisations, their legal-status history and relationships."""

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from solidarity.accounts.models import Owned
from solidarity.core.encryption import EncryptedCharField, EncryptedDateField, EncryptedTextField
from solidarity.core.models import Coded, FuzzyDateColumns
from solidarity.vocab.models import term_field, terms_field


class Person(Owned, Coded):
    display_name = models.CharField(
        _("display name"),
        max_length=200,
        help_text=_("How the person is known inside the platform. Public outputs use disclosure."),
    )
    # Sensitive fields are encrypted at rest and cannot be searched.
    legal_name = EncryptedCharField(_("legal name"), max_length=200, blank=True)
    aliases = EncryptedTextField(_("aliases"), blank=True, help_text=_("One per line."))
    pseudonym = models.CharField(
        _("pseudonym"), max_length=200, blank=True, help_text=_("Used where consent requires.")
    )
    sex = term_field("sex", _("sex"))
    gender_identity = EncryptedCharField(_("gender identity"), max_length=200, blank=True)
    sexual_orientation = EncryptedCharField(_("sexual orientation"), max_length=200, blank=True)
    date_of_birth = EncryptedDateField(_("date of birth"), null=True, blank=True)
    contact = EncryptedTextField(
        _("contact details"), blank=True, help_text=_("Never exported or shown outside.")
    )
    health = EncryptedTextField(_("health"), blank=True)
    confidential_notes = EncryptedTextField(_("confidential notes"), blank=True)
    nationality = models.CharField(_("nationality"), max_length=2, blank=True)
    roles = terms_field("defender_roles", _("roles"))
    areas_of_work = terms_field("areas_of_work", _("areas of work"))
    occupation = models.CharField(_("occupation"), max_length=200, blank=True)
    notes = models.TextField(
        _("notes"),
        blank=True,
        help_text=_("Never type contact details, health or sexual orientation here."),
    )

    class Meta:
        ordering = ["display_name"]
        verbose_name = _("person")
        verbose_name_plural = _("persons")

    def __str__(self) -> str:
        return self.display_name

    def get_absolute_url(self) -> str:
        return reverse("people:person", args=[self.code])


class Organisation(Owned, Coded):
    name = models.CharField(_("name"), max_length=300)
    other_names = models.TextField(_("other names"), blank=True, help_text=_("One per line."))
    org_type = term_field("organisation_types", _("type"))
    country = models.CharField(_("country"), max_length=2, blank=True)
    admin_area = models.CharField(_("administrative area"), max_length=200, blank=True)
    areas_of_work = terms_field("areas_of_work", _("areas of work"))
    founded = FuzzyDateColumns(_("founded"))
    head = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="organisations_headed",
        verbose_name=_("head"),
    )
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("people:organisation", args=[self.code])

    @property
    def current_legal_status(self) -> "LegalStatusEvent | None":
        events = sorted(self.legal_status_history.all(), key=lambda e: e.date.sort_key())
        return events[-1] if events else None


class LegalStatusEvent(models.Model):
    """One dated step in an organisation's legal life: registered, affiliated, closed, ..."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="legal_status_history"
    )
    status = term_field("legal_statuses", _("legal status"), null=False, blank=False)
    date = FuzzyDateColumns(_("date"))
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        ordering = ["organisation", "date_from", "id"]
        verbose_name = _("legal status")
        verbose_name_plural = _("legal-status history")

    def __str__(self) -> str:
        return f"{self.status} ({self.date.iso() or '?'})"


class Relationship(models.Model):
    """Person to organisation, person to person (a relative), organisation to organisation."""

    from_person = models.ForeignKey(
        Person, on_delete=models.CASCADE, null=True, blank=True, related_name="relationships_from"
    )
    from_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="relationships_from",
    )
    to_person = models.ForeignKey(
        Person, on_delete=models.CASCADE, null=True, blank=True, related_name="relationships_to"
    )
    to_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="relationships_to",
    )
    type = term_field("relationship_types", _("type"), null=False, blank=False)
    position = models.CharField(_("position"), max_length=200, blank=True)
    start = FuzzyDateColumns(_("start"))
    end = FuzzyDateColumns(_("end"))

    class Meta:
        verbose_name = _("relationship")
        verbose_name_plural = _("relationships")
        constraints = [
            models.CheckConstraint(
                condition=Q(from_person__isnull=False, from_organisation__isnull=True)
                | Q(from_person__isnull=True, from_organisation__isnull=False),
                name="relationship_one_from",
            ),
            models.CheckConstraint(
                condition=Q(to_person__isnull=False, to_organisation__isnull=True)
                | Q(to_person__isnull=True, to_organisation__isnull=False),
                name="relationship_one_to",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source} → {self.target} ({self.type})"

    @property
    def source(self) -> Person | Organisation | None:
        return self.from_person or self.from_organisation

    @property
    def target(self) -> Person | Organisation | None:
        return self.to_person or self.to_organisation


class ConsentGivenBy(models.TextChoices):
    SELF = "self", _("The person themself")
    REPRESENTATIVE = "representative", _("A representative")
    FAMILY = "family", _("A family member")


class ConsentMethod(models.TextChoices):
    WRITTEN = "written", _("Written")
    ORAL = "oral", _("Oral")
    ELECTRONIC = "electronic", _("Electronic message")
    PUBLIC_RECORD = "public_record", _("Already public by their own choice")


class Consent(Coded):
    """What a person (or an organisation, through its representative) agreed to, and when.

    Scopes come from the consent vocabulary and are stored as a set: a wider
    scope implies nothing that was not explicitly granted. A revoked or expired
    consent counts for nothing from that moment on.
    """

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, null=True, blank=True, related_name="consents"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, null=True, blank=True, related_name="consents"
    )
    scopes = terms_field("consent_scopes", _("scopes"))
    given_by = models.CharField(_("given by"), max_length=16, choices=ConsentGivenBy.choices)
    method = models.CharField(_("method"), max_length=16, choices=ConsentMethod.choices)
    given_on = models.DateField(_("given on"))
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    obtained_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    notes = models.CharField(_("notes"), max_length=500, blank=True)

    class Meta:
        ordering = ["-given_on", "-id"]
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        constraints = [
            models.CheckConstraint(
                condition=Q(person__isnull=False, organisation__isnull=True)
                | Q(person__isnull=True, organisation__isnull=False),
                name="consent_one_subject",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.subject} · {self.given_on}"

    @property
    def subject(self) -> "Person | Organisation":
        return self.person or self.organisation

    def is_active(self, on: date) -> bool:
        if self.revoked_at is not None and self.revoked_at.date() <= on:
            return False
        return self.given_on <= on and (self.expires_on is None or on <= self.expires_on)
