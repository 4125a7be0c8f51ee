from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from solidarity import audit
from solidarity.accounts.access import can_edit, visible_to, writer_organisations
from solidarity.audit.models import Action
from solidarity.core.forms import (
    BoundedModelMultipleChoiceField,
    FuzzyDateField,
    FuzzyDateModelFormMixin,
)
from solidarity.people.models import LegalStatusEvent, Organisation, Person, Relationship

# Inline rows a posted form may ask for (Django's default builds up to 2,000).
INLINE_MAX_ROWS = 50


def _visible_choices(admin_super, db_field, request, **kwargs):
    # A raw id typed into the admin must not reach a record the user may not see.
    if db_field.related_model in (Person, Organisation):
        kwargs["queryset"] = visible_to(request.user, db_field.related_model.objects.all())
    return admin_super.formfield_for_foreignkey(db_field, request, **kwargs)


class VisibleOnlyAdmin(admin.ModelAdmin):
    """The admin goes through the seams too: it shows only what the access seam lets
    the user see, changes only what it lets them change, and audits every save."""

    # Owner, visibility and sharing change through the coordinators' sharing forms.
    exclude = ["owner", "visibility", "shared_read", "shared_edit"]

    # Django's admin log would keep each record's name outside the audit trail.
    def log_addition(self, request, obj, message):
        return None

    def log_change(self, request, obj, message):
        return None

    def log_deletion(self, request, obj, object_repr):
        return None

    def log_deletions(self, request, queryset):
        return None

    def get_queryset(self, request):
        return visible_to(request.user, super().get_queryset(request))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        return _visible_choices(super(), db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        # A key beyond the column's range is an invalid choice, not a driver error.
        kwargs.setdefault("form_class", BoundedModelMultipleChoiceField)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or can_edit(request.user, obj))

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or can_edit(request.user, obj))

    def save_model(self, request, obj, form, change):
        before = audit.snapshot(type(obj).objects.get(pk=obj.pk)) if change else {}
        if not change:
            obj.owner = next(iter(writer_organisations(request.user)), None)
            if obj.owner is None:
                raise PermissionDenied
        super().save_model(request, obj, form, change)
        self._changes = audit.changed_fields(before, audit.snapshot(obj))
        self._action = Action.UPDATE if change else Action.CREATE

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        changes = self._changes + [
            {"field": formset.model._meta.model_name, "sensitive": True}
            for formset in formsets
            if formset.has_changed()
        ]
        audit.record(actor=request.user, action=self._action, obj=form.instance, changes=changes)

    def delete_model(self, request, obj):
        audit.record(actor=request.user, action=Action.DELETE, obj=obj)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)


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
    max_num = INLINE_MAX_ROWS

    def get_formset(self, request, obj=None, **kwargs):
        kwargs.setdefault("absolute_max", INLINE_MAX_ROWS)
        return super().get_formset(request, obj, **kwargs)


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

    def clean(self):
        cleaned = super().clean()
        if not (cleaned.get("from_person") or cleaned.get("from_organisation")):
            raise forms.ValidationError(_("Choose the person or organisation it is from."))
        if not (cleaned.get("to_person") or cleaned.get("to_organisation")):
            raise forms.ValidationError(_("Choose the person or organisation it is to."))
        return cleaned

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
    """Relationships between visible records; a change is audited on the first party."""

    form = RelationshipForm

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        return _visible_choices(super(), db_field, request, **kwargs)

    def _may_edit(self, request, obj) -> bool:
        # Decided on the stored relationship: the posted one may have lost its source.
        stored = Relationship.objects.filter(pk=obj.pk).first() if obj.pk else None
        source = (stored or obj).source
        return source is not None and can_edit(request.user, source)

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or self._may_edit(request, obj))

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or self._may_edit(request, obj))

    def save_model(self, request, obj, form, change):
        if obj.source is None or not can_edit(request.user, obj.source):
            raise PermissionDenied
        super().save_model(request, obj, form, change)
        audit.record(
            actor=request.user,
            action=Action.UPDATE,
            obj=obj.source,
            changes=[{"field": "relationships", "sensitive": True}],
        )

    def delete_model(self, request, obj):
        audit.record(
            actor=request.user,
            action=Action.UPDATE,
            obj=obj.source,
            changes=[{"field": "relationships", "sensitive": True}],
        )
        super().delete_model(request, obj)

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
