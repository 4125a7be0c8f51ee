from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from solidarity.accounts.models import MemberOrganisation, Membership, User


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0


@admin.register(User)
class SolidarityUserAdmin(UserAdmin):
    inlines = [MembershipInline]


@admin.register(MemberOrganisation)
class MemberOrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "code"]
    search_fields = ["name"]
    inlines = [MembershipInline]
