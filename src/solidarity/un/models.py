"""UN engagement: review cycles, their milestones and recommendations, submissions,
the engagement of defenders with UN mechanisms, and possible reprisals.

Review cycles, milestones and recommendations are reference data that every
member sees. Submissions are owned by the member organisation that made them
and go through the access seam. An engagement follows its party (a person or
an organisation); a reprisal link follows both its act and its engagement.

Who cooperated with the UN, what they said and where it is filed is encrypted at
rest: every free text typed about an engagement, a submission, a reprisal
decision, a communication or a review cycle. In clear stay what SQL must filter,
join or sort (parties, dates, mechanisms, statuses, owners) and what is copied
from published UN documents (cycle labels, document symbols of milestones,
recommendations and their paragraph numbers).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from solidarity.accounts.models import Owned
from solidarity.core.encryption import EncryptedCharField, EncryptedTextField
from solidarity.core.models import Coded, FuzzyDateColumns
from solidarity.people.models import Organisation, Person
from solidarity.vocab.models import term_field

MECHANISMS = "un_mechanisms"


class ReviewCycle(Coded):
    """One review of one State by one mechanism (a CEDAW report, a UPR cycle)."""

    country = models.CharField(_("State"), max_length=2)
    mechanism = term_field(MECHANISMS, _("mechanism"), null=False, blank=False)
    label = models.CharField(
        _("cycle"), max_length=200, help_text=_("For example '7th–8th combined' or '4th cycle'.")
    )
    notes = EncryptedTextField(_("notes"), blank=True)

    class Meta:
        ordering = ["country", "mechanism", "label"]
        verbose_name = _("review cycle")
        verbose_name_plural = _("review cycles")
        constraints = [
            models.UniqueConstraint(
                fields=["country", "mechanism", "label"], name="un_cycle_unique_label"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.country} · {self.mechanism} · {self.label}"

    def get_absolute_url(self) -> str:
        return reverse("un:cycle", args=[self.code])


class MilestoneType(models.TextChoices):
    STATE_REPORT_DUE = "state_report_due", _("State report due")
    LIST_OF_ISSUES = "list_of_issues", _("List of issues")
    NGO_SUBMISSION_DEADLINE = "ngo_submission_deadline", _("NGO submission deadline")
    SESSION = "session", _("Session")
    CONCLUDING_OBSERVATIONS = "concluding_observations", _("Concluding observations")
    FOLLOW_UP_DUE = "follow_up_due", _("Follow-up due")


class Milestone(Coded):
    cycle = models.ForeignKey(ReviewCycle, on_delete=models.CASCADE, related_name="milestones")
    type = models.CharField(_("type"), max_length=32, choices=MilestoneType.choices)
    due_date = models.DateField(_("due date"), db_index=True)
    actual_date = models.DateField(_("actual date"), null=True, blank=True)
    document_symbol = models.CharField(
        _("document symbol"), max_length=100, blank=True, help_text=_("E.g. CEDAW/C/CHN/9.")
    )

    class Meta:
        ordering = ["due_date", "id"]
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")

    def __str__(self) -> str:
        return f"{self.get_type_display()} ({self.due_date.isoformat()})"


class Recommendation(Coded):
    cycle = models.ForeignKey(ReviewCycle, on_delete=models.CASCADE, related_name="recommendations")
    paragraph = models.CharField(
        _("paragraph"), max_length=32, help_text=_("As numbered in the document, e.g. 186.88.")
    )
    text = models.TextField(_("text"))
    follow_up_requested = models.BooleanField(_("follow-up requested"), default=False)

    class Meta:
        ordering = ["cycle", "paragraph", "id"]
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")

    def __str__(self) -> str:
        return self.paragraph


class Submission(Owned, Coded):
    """A report a member organisation submitted to a review; its owner is the submitter."""

    cycle = models.ForeignKey(ReviewCycle, on_delete=models.CASCADE, related_name="submissions")
    title = EncryptedCharField(_("title"), max_length=300)
    date = models.DateField(_("date"))
    document_reference = EncryptedCharField(_("document reference"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["cycle", "date", "id"]
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")

    def __str__(self) -> str:
        return self.title

    @property
    def organisation(self):
        """The submitting member organisation (the owner)."""
        return self.owner


class CalendarToken(Coded):
    """A secret that lets a calendar program read one user's deadline feed.

    Only a SHA-256 hash of the token is stored; the token is shown once.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="un_calendar_tokens"
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("calendar feed token")
        verbose_name_plural = _("calendar feed tokens")

    def __str__(self) -> str:
        return f"{self.user} · {self.created_at:%Y-%m-%d}"


class PartyKind(models.TextChoices):
    PERSON = "person", _("Person")
    ORGANISATION = "organisation", _("Organisation")


class EngagementType(models.TextChoices):
    SUBMITTED_REPORT = "submitted_report", _("Submitted a report")
    ATTENDED_SESSION = "attended_session", _("Attended a session")
    MET_MANDATE_HOLDER = "met_mandate_holder", _("Met a mandate holder")
    SENT_COMMUNICATION = "sent_communication", _("Sent a communication")
    GAVE_TESTIMONY = "gave_testimony", _("Gave testimony")
    OTHER = "other", _("Other")


class Engagement(Coded):
    """A person or organisation engaged with a UN mechanism; visible with its party."""

    party_kind = models.CharField(_("engaged party"), max_length=16, choices=PartyKind.choices)
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, null=True, blank=True, related_name="un_engagements"
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="un_engagements",
    )
    engagement_type = models.CharField(
        _("engagement"), max_length=32, choices=EngagementType.choices
    )
    date = FuzzyDateColumns(_("date"))
    mechanism = term_field(MECHANISMS, _("mechanism"), null=False, blank=False)
    cycle = models.ForeignKey(
        ReviewCycle,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="engagements",
        verbose_name=_("review cycle"),
    )
    document_reference = EncryptedCharField(_("document reference"), max_length=300, blank=True)
    notes = EncryptedTextField(_("notes"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["date_from", "id"]
        verbose_name = _("UN engagement")
        verbose_name_plural = _("UN engagements")
        indexes = [
            models.Index(fields=["person", "date_to"], name="un_engagement_person_date"),
            models.Index(fields=["organisation", "date_to"], name="un_engagement_org_date"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(party_kind="person", person__isnull=False, organisation__isnull=True)
                    | Q(party_kind="organisation", organisation__isnull=False, person__isnull=True)
                ),
                name="un_engagement_party_matches_kind",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_engagement_type_display()} · {self.mechanism}"

    @property
    def party(self) -> Person | Organisation:
        return self.person or self.organisation


class ReprisalStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    ALLEGED = "alleged", _("Alleged")
    LIKELY = "likely", _("Likely")
    ESTABLISHED = "established", _("Established")
    DISMISSED = "dismissed", _("Dismissed")


CONFIRMED = (ReprisalStatus.ALLEGED, ReprisalStatus.LIKELY, ReprisalStatus.ESTABLISHED)


class ReprisalLink(Coded):
    """A documenter's judgement that an act was (or was not) a reprisal for an engagement."""

    act = models.ForeignKey(
        "incidents.Act", on_delete=models.CASCADE, related_name="reprisal_links"
    )
    engagement = models.ForeignKey(
        Engagement, on_delete=models.CASCADE, related_name="reprisal_links"
    )
    status = models.CharField(
        _("status"), max_length=16, choices=ReprisalStatus.choices, default=ReprisalStatus.PROPOSED
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    note = EncryptedTextField(_("note"), blank=True)

    class Meta:
        ordering = ["act", "id"]
        verbose_name = _("reprisal link")
        verbose_name_plural = _("reprisal links")
        constraints = [
            models.UniqueConstraint(fields=["act", "engagement"], name="un_reprisal_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.act} ← {self.engagement} ({self.get_status_display()})"

    @property
    def is_confirmed(self) -> bool:
        return self.status in CONFIRMED


class CommunicationKind(models.TextChoices):
    SP_COMMUNICATION = "sp_communication", _("Communication to the Special Procedures")
    SG_REPRISALS_INPUT = (
        "sg_reprisals_input",
        _("Input to the Secretary-General's reprisals report"),
    )


class Communication(Owned, Coded):
    """A document for the UN drafted from the records, reviewed, exported, and followed up."""

    kind = models.CharField(_("kind"), max_length=24, choices=CommunicationKind.choices)
    title = EncryptedCharField(_("title"), max_length=300)
    incident = models.ForeignKey(
        "incidents.Incident",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="communications",
    )
    mandates = models.ManyToManyField(
        "vocab.Term", blank=True, related_name="+", verbose_name=_("mandates")
    )
    laws = models.ManyToManyField(
        "context.Law", blank=True, related_name="communications", verbose_name=_("laws concerned")
    )
    period_start = models.DateField(_("reporting period from"), null=True, blank=True)
    period_end = models.DateField(_("reporting period to"), null=True, blank=True)
    text = EncryptedTextField(_("text"))
    # What happened next.
    reference = EncryptedCharField(
        _("UN reference"), max_length=100, blank=True, help_text=_("For example 'AL CHN 4/2021'.")
    )
    sent_on = models.DateField(_("sent on"), null=True, blank=True)
    state_reply_on = models.DateField(_("State replied on"), null=True, blank=True)
    state_reply = EncryptedTextField(_("State's reply"), blank=True)
    sg_report_reference = EncryptedCharField(
        _("in the Secretary-General's report"),
        max_length=200,
        blank=True,
        help_text=_("Symbol, annex and paragraph, e.g. 'A/HRC/33/19, annex, para. 12'."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("UN communication")
        verbose_name_plural = _("UN communications")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("un:communication", args=[self.code])
