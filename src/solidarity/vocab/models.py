"""Controlled vocabularies: versioned terms loaded from the data files in ``data/``."""

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class Vocabulary(models.Model):
    code = models.SlugField(_("code"), max_length=64, unique=True)
    title_en = models.CharField(_("title (English)"), max_length=200)
    title_zh_hans = models.CharField(_("title (Simplified Chinese)"), max_length=200)
    title_es = models.CharField(_("title (Spanish)"), max_length=200, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    hierarchical = models.BooleanField(_("hierarchical"), default=False)

    class Meta:
        ordering = ["code"]
        verbose_name = _("vocabulary")
        verbose_name_plural = _("vocabularies")

    def __str__(self) -> str:
        return localised(self, "title")


class TermQuerySet(models.QuerySet["Term"]):
    def of(self, vocabulary: str) -> "TermQuerySet":
        return self.filter(vocabulary__code=vocabulary)

    def active(self) -> "TermQuerySet":
        return self.filter(deprecated=False)

    def subtree(self, term: "Term") -> "TermQuerySet":
        """The term and every term below it."""
        return self.filter(vocabulary_id=term.vocabulary_id, path__startswith=term.path)


class Term(models.Model):
    vocabulary = models.ForeignKey(
        Vocabulary, on_delete=models.PROTECT, related_name="terms", verbose_name=_("vocabulary")
    )
    code = models.CharField(_("code"), max_length=64)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent"),
    )
    # Materialised path of codes, "/parent/child/", so that a subtree is one
    # indexed prefix match.
    path = models.CharField(max_length=512, editable=False, db_index=True)
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    position = models.PositiveIntegerField(default=0, editable=False)
    label_en = models.CharField(_("label (English)"), max_length=200)
    label_zh_hans = models.CharField(_("label (Simplified Chinese)"), max_length=200)
    label_es = models.CharField(_("label (Spanish)"), max_length=200, blank=True)
    source = models.CharField(_("source"), max_length=200)
    deprecated = models.BooleanField(
        _("deprecated"),
        default=False,
        help_text=_("Retired terms stay so that old records keep their meaning."),
    )

    objects = TermQuerySet.as_manager()

    class Meta:
        ordering = ["vocabulary", "position"]
        constraints = [
            models.UniqueConstraint(fields=["vocabulary", "code"], name="term_unique_code"),
        ]
        verbose_name = _("term")
        verbose_name_plural = _("terms")

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return localised(self, "label")

    @property
    def indented_label(self) -> str:
        return "\u2003" * self.depth + self.label


def localised(obj: models.Model, prefix: str) -> str:
    """The ``prefix_<language>`` attribute for the active language, falling back to English."""
    language = (get_language() or "en").replace("-", "_").lower()
    return getattr(obj, f"{prefix}_{language}", "") or getattr(obj, f"{prefix}_en")


def term_field(vocabulary: str, verbose_name: str, **kwargs: object) -> models.ForeignKey:
    """A nullable reference to a term of one vocabulary."""
    kwargs.setdefault("null", True)
    kwargs.setdefault("blank", True)
    return models.ForeignKey(
        Term,
        on_delete=models.PROTECT,
        limit_choices_to={"vocabulary__code": vocabulary},
        related_name="+",
        verbose_name=verbose_name,
        **kwargs,
    )


def terms_field(vocabulary: str, verbose_name: str) -> models.ManyToManyField:
    """Several terms of one vocabulary."""
    return models.ManyToManyField(
        Term,
        blank=True,
        limit_choices_to={"vocabulary__code": vocabulary},
        related_name="+",
        verbose_name=verbose_name,
    )
