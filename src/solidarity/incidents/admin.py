from django.contrib import admin

from solidarity.incidents.models import Incident


@admin.register(Incident)
class IncidentAdmin(admin.ModelAdmin):
    """Read-only here: incidents are documented through the incident pages and services."""

    list_display = ["title", "country", "date_from", "code"]
    search_fields = ["title"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
