"""The policy environment: laws and policies per country, and civic-space ratings.

Laws and ratings are public reference data: every member sees them. What links
them to incidents is seen through the access seam (the incidents are filtered).
"""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from solidarity.core.models import Coded, FuzzyDateColumns


class LawType(models.TextChoices):
    LAW = "law", _("Law")
    REGULATION = "regulation", _("Regulation")
    POLICY = "policy", _("Policy")


class LawStatus(models.TextChoices):
    DRAFT_PUBLISHED = "draft_published", _("Draft published")
    ADOPTED = "adopted", _("Adopted")
    IN_FORCE = "in_force", _("In force")
    AMENDED = "amended", _("Amended")
    REPEALED = "repealed", _("Repealed")


class Law(Coded):
    country = models.CharField(_("country"), max_length=2)
    title = models.CharField(_("title"), max_length=300)
    law_type = models.CharField(_("type"), max_length=16, choices=LawType.choices)
    summary = models.TextField(
        _("summary"), blank=True, help_text=_("How it restricts civil society, in a few lines.")
    )

    class Meta:
        ordering = ["country", "title"]
        verbose_name = _("law or policy")
        verbose_name_plural = _("laws and policies")
        constraints = [
            models.UniqueConstraint(fields=["country", "title"], name="law_unique_title"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("context:law", args=[self.code])

    @property
    def current_status(self) -> "LawStatusEvent | None":
        events = sorted(self.history.all(), key=lambda e: e.date.sort_key())
        return events[-1] if events else None


class LawStatusEvent(models.Model):
    """One dated step: draft published, adopted, in force, amended, repealed."""

    law = models.ForeignKey(Law, on_delete=models.CASCADE, related_name="history")
    status = models.CharField(_("status"), max_length=16, choices=LawStatus.choices)
    date = FuzzyDateColumns(_("date"))
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["law", "date_from", "id"]
        verbose_name = _("status of a law")
        verbose_name_plural = _("history of a law")

    def __str__(self) -> str:
        return f"{self.law} · {self.get_status_display()} ({self.date.iso() or '?'})"


class Rating(models.TextChoices):
    OPEN = "open", _("Open")
    NARROWED = "narrowed", _("Narrowed")
    OBSTRUCTED = "obstructed", _("Obstructed")
    REPRESSED = "repressed", _("Repressed")
    CLOSED = "closed", _("Closed")


class CivicSpaceRating(models.Model):
    country = models.CharField(_("country"), max_length=2)
    rating = models.CharField(_("rating"), max_length=16, choices=Rating.choices)
    as_of = FuzzyDateColumns(_("as of"))
    source = models.CharField(_("source"), max_length=200, blank=True)

    class Meta:
        ordering = ["country", "-as_of_from"]
        verbose_name = _("civic-space rating")
        verbose_name_plural = _("civic-space ratings")

    def __str__(self) -> str:
        return f"{self.country} · {self.get_rating_display()} ({self.as_of.iso() or '?'})"
