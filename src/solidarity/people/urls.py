from django.urls import path

from solidarity.people import views

app_name = "people"
urlpatterns = [
    path("persons/", views.person_list, name="persons"),
    path("persons/<uuid:code>/", views.person_detail, name="person"),
    path("organisations/", views.organisation_list, name="organisations"),
    path("organisations/<uuid:code>/", views.organisation_detail, name="organisation"),
    path("suggestions/", views.party_suggestions, name="suggestions"),
]
