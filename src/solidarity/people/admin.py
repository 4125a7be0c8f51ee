from django import forms
from django.contrib import admin

from solidarity.core.forms import FuzzyDateField, FuzzyDateModelFormMixin

from solidarity.people.models import LegalStatusEvent, Organisation, Person, Relationship


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["display_name", "nationality", "code"]
    search_fields = ["display_name", "legal_name", "aliases"]


class LegalStatusForm(FuzzyDateModelFormMixin, forms.ModelForm):
    fuzzy_dates = ("date",)
    date = FuzzyDateField()

    class Meta:
        model = LegalStatusEvent
        fields = ["status", "note"]


class LegalStatusInline(admin.TabularInline):
    model = LegalStatusEvent
    form = LegalStatusForm
    extra = 0


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "country", "org_type", "code"]
    search_fields = ["name", "other_names"]
    inlines = [LegalStatusInline]


@admin.register(Relationship)
class RelationshipAdmin(admin.ModelAdmin):
    list_display = ["__str__", "type"]
