from django.urls import path

from solidarity.public import views

app_name = "public"
urlpatterns = [
    path("", views.incident_list, name="list"),
    path("incidents/<uuid:code>/", views.incident_detail, name="detail"),
]
