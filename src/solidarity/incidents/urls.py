from django.urls import path

from solidarity.incidents import views

app_name = "incidents"
urlpatterns = [
    path("", views.incident_list, name="list"),
    path("new/", views.incident_create, name="create"),
    path("<uuid:code>/", views.incident_detail, name="detail"),
    path("<uuid:code>/edit/", views.incident_edit, name="edit"),
    path("<uuid:code>/evidence/", views.evidence_upload, name="evidence-upload"),
    path("<uuid:code>/sharing/", views.incident_sharing, name="sharing"),
    path("evidence/<uuid:code>/", views.evidence_download, name="evidence-download"),
]
