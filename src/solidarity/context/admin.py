from django import forms
from django.contrib import admin

from solidarity.context.models import CivicSpaceRating
from solidarity.core.forms import FuzzyDateField, FuzzyDateModelFormMixin


class RatingForm(FuzzyDateModelFormMixin, forms.ModelForm):
    fuzzy_dates = ("as_of",)
    as_of = FuzzyDateField(required=True)

    class Meta:
        model = CivicSpaceRating
        fields = ["country", "rating", "source"]


@admin.register(CivicSpaceRating)
class CivicSpaceRatingAdmin(admin.ModelAdmin):
    """Ratings are published facts (e.g. the CIVICUS Monitor), kept as reference data."""

    form = RatingForm
    list_display = ["country", "rating", "as_of_from", "source"]
    list_filter = ["rating"]
