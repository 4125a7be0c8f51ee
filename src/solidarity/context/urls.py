from django.urls import path

from solidarity.context import views

app_name = "context"
urlpatterns = [
    path("laws/", views.law_list, name="laws"),
    path("laws/new/", views.law_edit, name="law-create"),
    path("laws/<uuid:code>/", views.law_detail, name="law"),
    path("laws/<uuid:code>/edit/", views.law_edit, name="law-edit"),
    path("laws/<uuid:code>/status/", views.law_status, name="law-status"),
    path("countries/<str:code>/", views.country, name="country"),
]
