from django import forms
from django.contrib import admin

from solidarity.core.forms import FuzzyDateField, FuzzyDateModelFormMixin
from solidarity.people.models import LegalStatusEvent, Organisation, Person, Relationship


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["display_name", "nationality", "code"]
    search_fields = ["display_name", "legal_name", "aliases"]
    filter_horizontal = ["roles", "areas_of_work"]


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


class OrganisationForm(FuzzyDateModelFormMixin, forms.ModelForm):
    fuzzy_dates = ("founded",)
    founded = FuzzyDateField()

    class Meta:
        model = Organisation
        fields = [
            "name",
            "other_names",
            "org_type",
            "country",
            "admin_area",
            "areas_of_work",
            "head",
            "notes",
        ]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    form = OrganisationForm
    list_display = ["name", "country", "org_type", "code"]
    search_fields = ["name", "other_names"]
    filter_horizontal = ["areas_of_work"]
    raw_id_fields = ["head"]
    inlines = [LegalStatusInline]


class RelationshipForm(FuzzyDateModelFormMixin, forms.ModelForm):
    fuzzy_dates = ("start", "end")
    start = FuzzyDateField()
    end = FuzzyDateField()

    class Meta:
        model = Relationship
        fields = [
            "from_person",
            "from_organisation",
            "to_person",
            "to_organisation",
            "type",
            "position",
        ]


@admin.register(Relationship)
class RelationshipAdmin(admin.ModelAdmin):
    form = RelationshipForm
    list_display = ["__str__", "type"]
    raw_id_fields = ["from_person", "from_organisation", "to_person", "to_organisation"]
