from django.urls import path

from solidarity.un import views

app_name = "un"
urlpatterns = [
    path("cycles/", views.cycle_list, name="cycles"),
    path("cycles/new/", views.cycle_create, name="cycle-create"),
    path("cycles/<uuid:code>/", views.cycle_detail, name="cycle"),
    path("cycles/<uuid:code>/milestones/", views.milestone_add, name="milestone-add"),
    path(
        "cycles/<uuid:code>/recommendations/", views.recommendation_add, name="recommendation-add"
    ),
    path("cycles/<uuid:code>/submissions/", views.submission_add, name="submission-add"),
    path("calendar/", views.calendar_token, name="calendar"),
    path("calendar/<str:token>.ics", views.calendar_feed, name="calendar-feed"),
    path("persons/<uuid:code>/", views.person_engagements, name="person-engagements"),
    path(
        "organisations/<uuid:code>/",
        views.organisation_engagements,
        name="organisation-engagements",
    ),
    path("incidents/<uuid:code>/reprisals/", views.incident_reprisals, name="incident-reprisals"),
    path(
        "acts/<int:act_id>/reprisals/<uuid:engagement>/",
        views.reprisal_decide,
        name="reprisal-decide",
    ),
    path("reprisals/", views.reprisal_overview, name="reprisals"),
    path("communications/", views.communication_list, name="communications"),
    path("communications/sg-input/", views.sg_input_new, name="sg-input-new"),
    path(
        "incidents/<uuid:code>/communication/",
        views.communication_new,
        name="communication-new",
    ),
    path("communications/<uuid:code>/", views.communication_detail, name="communication"),
    path(
        "communications/<uuid:code>/export/<str:kind>/",
        views.communication_export,
        name="communication-export",
    ),
]
