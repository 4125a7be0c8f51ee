"""Building blocks shared by the domain apps: UUID codes and uncertain dates."""

import uuid
from datetime import date

from django.db import models
from django.utils.translation import gettext_lazy as _

from solidarity.lib.fuzzydate import FuzzyDate, Precision


class Coded(models.Model):
    """A record addressed by a UUID code in URLs, never by its integer id."""

    code = models.UUIDField(_("code"), default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


class FuzzyDateColumns:
    """Declares an uncertain date on a model as four columns and one attribute.

    ``date = FuzzyDateColumns(_("date"))`` adds ``date_from``, ``date_to`` (the
    earliest and latest day it may stand for), ``date_precision`` and
    ``date_estimated``; ``obj.date`` reads and writes a :class:`FuzzyDate`.
    """

    def __init__(self, verbose_name: str, *, db_index: bool = False) -> None:
        self.verbose_name = verbose_name
        self.db_index = db_index

    def contribute_to_class(self, cls: type[models.Model], name: str) -> None:
        self.name = name
        cls.add_to_class(
            f"{name}_from",
            models.DateField(null=True, blank=True, editable=False, db_index=self.db_index),
        )
        cls.add_to_class(f"{name}_to", models.DateField(null=True, blank=True, editable=False))
        cls.add_to_class(
            f"{name}_precision",
            models.CharField(
                max_length=8,
                choices=[(p.value, p.value) for p in Precision],
                default=Precision.UNKNOWN,
                editable=False,
            ),
        )
        cls.add_to_class(f"{name}_estimated", models.BooleanField(default=False, editable=False))
        setattr(cls, name, self)

    def __get__(self, instance: models.Model | None, owner: type) -> "FuzzyDate | FuzzyDateColumns":
        if instance is None:
            return self
        return FuzzyDate.from_stored(
            precision=getattr(instance, f"{self.name}_precision"),
            date_from=getattr(instance, f"{self.name}_from"),
            estimated=getattr(instance, f"{self.name}_estimated"),
        )

    def __set__(self, instance: models.Model, value: FuzzyDate | None) -> None:
        value = value or FuzzyDate()
        low, high = value.bounds()
        setattr(instance, f"{self.name}_from", low)
        setattr(instance, f"{self.name}_to", high)
        setattr(instance, f"{self.name}_precision", value.precision.value)
        setattr(instance, f"{self.name}_estimated", value.estimated)


def fuzzy_columns(value: FuzzyDate, name: str = "date") -> dict[str, date | str | bool | None]:
    """The stored columns of a fuzzy date, for bulk inserts and raw queries."""
    low, high = value.bounds()
    return {
        f"{name}_from": low,
        f"{name}_to": high,
        f"{name}_precision": value.precision.value,
        f"{name}_estimated": value.estimated,
    }
