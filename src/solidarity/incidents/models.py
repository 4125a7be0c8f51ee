"""Incidents and what they are made of: acts, involvements, sources, evidence files.

An incident is an event; an act is one victim suffering one type of violation
in it; an involvement names a perpetrator of an act. Who did what to whom,
when and where.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from solidarity.accounts.models import Owned
from solidarity.core.encryption import EncryptedCharField, EncryptedTextField, get_evidence_storage
from solidarity.core.models import Coded, FuzzyDateColumns
from solidarity.people.models import Organisation, Person
from solidarity.vocab.models import term_field, terms_field


class Confidentiality(models.TextChoices):
    STANDARD = "standard", _("Standard: members of the documenting organisation")
    CONFIDENTIAL = "confidential", _("Confidential: named staff only")
    STRICT = "strict", _("Strictly confidential: never leaves the platform")


class Incident(Owned, Coded):
    title = models.CharField(_("title"), max_length=300)
    narrative = models.TextField(_("narrative"), blank=True)
    public_summary = models.TextField(
        _("public summary"),
        blank=True,
        help_text=_(
            "Shown on the public site once a coordinator publishes the incident. "
            "Name only those whose consent allows it: publishing checks."
        ),
    )
    date = FuzzyDateColumns(_("date"))
    end_date = FuzzyDateColumns(_("end date"))
    country = models.CharField(_("country"), max_length=2, blank=True)
    admin_area = models.CharField(_("administrative area"), max_length=200, blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    location_type = term_field("location_types", _("location type"))
    context_tags = terms_field("context_tags", _("context"))
    confidential_notes = EncryptedTextField(
        _("confidential notes"),
        blank=True,
        help_text=_("Encrypted at rest; never shown outside the owning organisation's records."),
    )
    related_laws = models.TextField(
        _("related laws"), blank=True, help_text=_("One law or policy per line.")
    )
    laws = models.ManyToManyField(
        "context.Law",
        blank=True,
        related_name="incidents",
        verbose_name=_("laws and policies invoked"),
        help_text=_("Recorded laws and policies; add new ones under Laws."),
    )
    verification_status = term_field("verification_statuses", _("verification status"))
    confidentiality = models.CharField(
        _("confidentiality"),
        max_length=16,
        choices=Confidentiality.choices,
        default=Confidentiality.STANDARD,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("incident")
        verbose_name_plural = _("incidents")
        indexes = [
            # The list is newest first; the id makes the order total for pagination.
            # date_to, owner and visibility ride along so that the date range and the
            # access rule are checked from the index alone (docs/performance.md).
            models.Index(
                fields=["-date_from", "-id", "date_to", "owner", "visibility"],
                name="incident_date_order",
            ),
            models.Index(
                fields=["country", "-date_from", "-id", "date_to", "owner", "visibility"],
                name="incident_country_date",
            ),
            models.Index(fields=["owner", "visibility"], name="incident_owner_visibility"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("incidents:detail", args=[self.code])

    def parties(self) -> list[Person | Organisation]:
        """Every person and organisation named as a victim or a perpetrator."""
        found: dict[tuple[str, int], Person | Organisation] = {}
        for act in self.acts.select_related("victim_person", "victim_organisation"):
            if act.victim:
                found[(type(act.victim).__name__, act.victim.pk)] = act.victim
            for involvement in act.involvements.select_related(
                "perpetrator_person", "perpetrator_organisation"
            ):
                if involvement.perpetrator:
                    party = involvement.perpetrator
                    found[(type(party).__name__, party.pk)] = party
        return list(found.values())

    @property
    def related_law_list(self) -> list[str]:
        return [line.strip() for line in self.related_laws.splitlines() if line.strip()]


class VictimKind(models.TextChoices):
    PERSON = "person", _("Person")
    ORGANISATION = "organisation", _("Organisation")
    GROUP = "group", _("Unnamed group")


class Act(models.Model):
    """One victim (person, organisation or unnamed group) by one violation type."""

    access_parent = "incident"

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="acts")
    position = models.PositiveIntegerField(default=0)
    victim_kind = models.CharField(_("victim kind"), max_length=16, choices=VictimKind.choices)
    victim_person = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="acts"
    )
    victim_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="acts"
    )
    victim_group = models.CharField(
        _("group description"),
        max_length=300,
        blank=True,
        help_text=_("For an unnamed group, e.g. 'staff of the centre'."),
    )
    victim_count = models.PositiveIntegerField(_("number of victims"), null=True, blank=True)
    violation_type = term_field("violation_types", _("violation type"), null=False, blank=False)
    date = FuzzyDateColumns(_("date"))
    end_date = FuzzyDateColumns(_("end date"))
    sphere = term_field("spheres", _("sphere"))
    gender_dimensions = terms_field("gender_dimensions", _("gender dimensions"))
    consequences = models.TextField(_("consequences"), blank=True)

    class Meta:
        ordering = ["incident", "position", "id"]
        verbose_name = _("act")
        verbose_name_plural = _("acts")
        indexes = [
            models.Index(fields=["violation_type", "incident"], name="act_type_incident"),
            models.Index(fields=["victim_kind", "incident"], name="act_kind_incident"),
            # For EXISTS probes from an incident row.
            models.Index(fields=["incident", "violation_type"], name="act_incident_type"),
            models.Index(fields=["incident", "victim_kind"], name="act_incident_kind"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(
                        victim_kind="person",
                        victim_person__isnull=False,
                        victim_organisation__isnull=True,
                    )
                    | Q(
                        victim_kind="organisation",
                        victim_organisation__isnull=False,
                        victim_person__isnull=True,
                    )
                    | Q(
                        victim_kind="group",
                        victim_person__isnull=True,
                        victim_organisation__isnull=True,
                    )
                ),
                name="act_victim_matches_kind",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.violation_type} — {self.victim_label}"

    @property
    def victim(self) -> Person | Organisation | None:
        return self.victim_person or self.victim_organisation

    @property
    def victim_label(self) -> str:
        victim = self.victim
        return str(victim) if victim else self.victim_group or str(_("unnamed group"))


class PerpetratorKind(models.TextChoices):
    PERSON = "person", _("Person")
    ORGANISATION = "organisation", _("Organisation")
    UNKNOWN = "unknown", _("Unknown or unnamed actor")


class Involvement(models.Model):
    """A perpetrator's part in an act."""

    act = models.ForeignKey(Act, on_delete=models.CASCADE, related_name="involvements")
    perpetrator_kind = models.CharField(
        _("perpetrator kind"), max_length=16, choices=PerpetratorKind.choices
    )
    perpetrator_person = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="involvements"
    )
    perpetrator_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="involvements",
    )
    perpetrator_description = models.CharField(
        _("description"),
        max_length=300,
        blank=True,
        help_text=_("For an unnamed actor, e.g. 'relevant authorities'."),
    )
    perpetrator_type = term_field("perpetrator_types", _("perpetrator type"))
    state_relation = term_field("state_relations", _("relation to the State"))
    degree = term_field("degrees_of_involvement", _("degree of involvement"))

    class Meta:
        ordering = ["act", "id"]
        verbose_name = _("involvement")
        verbose_name_plural = _("involvements")
        indexes = [
            models.Index(fields=["perpetrator_type", "act"], name="involvement_type_act"),
            models.Index(fields=["act", "perpetrator_type"], name="involvement_act_type"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(
                        perpetrator_kind="person",
                        perpetrator_person__isnull=False,
                        perpetrator_organisation__isnull=True,
                    )
                    | Q(
                        perpetrator_kind="organisation",
                        perpetrator_organisation__isnull=False,
                        perpetrator_person__isnull=True,
                    )
                    | Q(
                        perpetrator_kind="unknown",
                        perpetrator_person__isnull=True,
                        perpetrator_organisation__isnull=True,
                    )
                ),
                name="involvement_perpetrator_matches_kind",
            ),
        ]

    def __str__(self) -> str:
        return self.perpetrator_label

    @property
    def perpetrator(self) -> Person | Organisation | None:
        return self.perpetrator_person or self.perpetrator_organisation

    @property
    def perpetrator_label(self) -> str:
        perpetrator = self.perpetrator
        if perpetrator:
            return str(perpetrator)
        return self.perpetrator_description or str(_("unknown actor"))


class Source(models.Model):
    """Who or what told us, how reliable it is, and whether it stands on its own."""

    access_parent = "incident"

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="sources")
    name = models.CharField(_("source"), max_length=300, help_text=_("Who or what."))
    material_type = term_field("source_material_types", _("material type"))
    reliability = term_field("reliability", _("reliability"))
    date = FuzzyDateColumns(_("date"))
    language = models.CharField(_("language"), max_length=16, blank=True)
    url = models.URLField(_("address"), max_length=1000, blank=True)
    independent = models.BooleanField(
        _("independent of the other sources"),
        default=True,
        help_text=_("Untick if it repeats another source (a copy, a re-post)."),
    )
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["incident", "id"]
        verbose_name = _("source")
        verbose_name_plural = _("sources")

    def __str__(self) -> str:
        return self.name


def evidence_path(instance: "EvidenceFile", filename: str) -> str:
    # Content-addressed: the stored name reveals nothing of the original name.
    return f"evidence/{instance.sha256[:2]}/{instance.sha256}"


class EvidenceFile(Coded):
    access_parent = "incident"

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="evidence")
    source = models.ForeignKey(
        Source, on_delete=models.SET_NULL, null=True, blank=True, related_name="evidence"
    )
    file = models.FileField(upload_to=evidence_path, max_length=200, storage=get_evidence_storage)
    # The name a file came with often names someone ("statement_of_Ana.pdf"): encrypted.
    original_name = EncryptedCharField(_("file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    description = EncryptedCharField(_("description"), max_length=500, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["incident", "created_at"]
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")

    def __str__(self) -> str:
        return self.original_name
