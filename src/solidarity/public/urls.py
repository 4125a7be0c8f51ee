from django.urls import path

from solidarity.public import views

app_name = "public"
urlpatterns = [
    path("", views.incident_list, name="list"),
    path("incidents/<uuid:code>/", views.incident_detail, name="detail"),
    path("statements/feed/", views.statement_feed, name="statement-feed"),
    path("statements/<uuid:code>/<str:language>/", views.statement, name="statement"),
    path("statements/<uuid:code>/<str:language>/pdf/", views.statement_pdf, name="statement-pdf"),
]
