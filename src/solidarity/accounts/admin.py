from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from solidarity import audit
from solidarity.accounts.models import MemberOrganisation, Membership, User
from solidarity.audit.models import Action
from solidarity.core.forms import BoundedModelMultipleChoiceField

# Inline rows a posted form may ask for (Django's default builds up to 2,000).
INLINE_MAX_ROWS = 50


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    max_num = INLINE_MAX_ROWS

    def get_formset(self, request, obj=None, **kwargs):
        kwargs.setdefault("absolute_max", INLINE_MAX_ROWS)
        return super().get_formset(request, obj, **kwargs)


def _audit_memberships(request, formsets, *, on) -> None:
    """Membership changes decide who sees what: each one goes into the audit trail."""
    for formset in formsets:
        if formset.model is not Membership or not formset.has_changed():
            continue
        changes = [
            {
                "field": "membership",
                "old": None,
                "new": f"user {m.user_id} {m.organisation_id} {m.role}",
            }
            for m in formset.new_objects + [obj for obj, _fields in formset.changed_objects]
        ] + [
            {
                "field": "membership",
                "old": f"user {m.user_id} {m.organisation_id} {m.role}",
                "new": None,
            }
            for m in formset.deleted_objects
        ]
        audit.record(
            actor=request.user,
            action=Action.UPDATE,
            obj=on,
            changes=changes,
            detail={"via": "admin"},
        )


@admin.register(User)
class SolidarityUserAdmin(UserAdmin):
    inlines = [MembershipInline]

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        # A key beyond the column's range is an invalid choice, not a driver error.
        kwargs.setdefault("form_class", BoundedModelMultipleChoiceField)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        audit.record(
            actor=request.user,
            action=Action.UPDATE if change else Action.CREATE,
            detail={"user": obj.pk, "fields": sorted(form.changed_data)},
        )

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        _audit_memberships(request, formsets, on=None)

    def delete_model(self, request, obj):
        audit.record(actor=request.user, action=Action.DELETE, detail={"user": obj.pk})
        super().delete_model(request, obj)


@admin.register(MemberOrganisation)
class MemberOrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "code"]
    search_fields = ["name"]
    inlines = [MembershipInline]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        audit.record(
            actor=request.user,
            action=Action.UPDATE if change else Action.CREATE,
            obj=obj,
            changes=[{"field": name, "sensitive": True} for name in sorted(form.changed_data)],
        )

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        _audit_memberships(request, formsets, on=form.instance)
