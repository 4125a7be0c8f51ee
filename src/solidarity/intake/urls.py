from django.urls import path

from solidarity.intake import views

app_name = "intake"
urlpatterns = [
    path("", views.intake_new, name="new"),
    path("batches/<uuid:code>/", views.batch_detail, name="batch"),
    path("<uuid:code>/", views.review, name="review"),
    path("<uuid:code>/reject/", views.reject, name="reject"),
    path("<uuid:code>/attach/<uuid:incident_code>/", views.attach, name="attach"),
]
