from django.urls import path

from solidarity.people import views

app_name = "people"
urlpatterns = [
    path("persons/", views.person_list, name="persons"),
    path("persons/<uuid:code>/", views.person_detail, name="person"),
    path("persons/<uuid:code>/consent/", views.person_consent, name="person-consent"),
    path("persons/<uuid:code>/sharing/", views.person_sharing, name="person-sharing"),
    path("organisations/", views.organisation_list, name="organisations"),
    path("organisations/<uuid:code>/", views.organisation_detail, name="organisation"),
    path(
        "organisations/<uuid:code>/consent/",
        views.organisation_consent,
        name="organisation-consent",
    ),
    path(
        "organisations/<uuid:code>/sharing/",
        views.organisation_sharing,
        name="organisation-sharing",
    ),
    path("consents/<uuid:code>/revoke/", views.consent_revoke, name="consent-revoke"),
    path("suggestions/", views.party_suggestions, name="suggestions"),
]
