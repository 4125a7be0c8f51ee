from django import forms
from django.contrib import admin
from django.db.models import Q

from solidarity.accounts.access import visible_to
from solidarity.core.forms import FuzzyDateField, FuzzyDateModelFormMixin
from solidarity.people.models import LegalStatusEvent, Organisation, Person, Relationship


class VisibleOnlyAdmin(admin.ModelAdmin):
    """The admin shows only what the access seam lets the administrator see."""

    def get_queryset(self, request):
        return visible_to(request.user, super().get_queryset(request))


@admin.register(Person)
class PersonAdmin(VisibleOnlyAdmin):
    list_display = ["display_name", "nationality", "code"]
    search_fields = ["display_name"]  # encrypted fields cannot be searched
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
            "owner",
            "visibility",
        ]


@admin.register(Organisation)
class OrganisationAdmin(VisibleOnlyAdmin):
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

    def get_queryset(self, request):
        persons = visible_to(request.user, Person.objects.all())
        organisations = visible_to(request.user, Organisation.objects.all())
        return (
            super()
            .get_queryset(request)
            .filter(Q(from_person__in=persons) | Q(from_organisation__in=organisations))
            .filter(Q(to_person__in=persons) | Q(to_organisation__in=organisations))
        )

    list_display = ["__str__", "type"]
    raw_id_fields = ["from_person", "from_organisation", "to_person", "to_organisation"]
