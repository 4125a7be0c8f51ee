from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.generic import RedirectView
from django.views.i18n import set_language

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="incidents:list"), name="home"),
    path("incidents/", include("solidarity.incidents.urls")),
    path("intake/", include("solidarity.intake.urls")),
    path("people/", include("solidarity.people.urls")),
    path("responses/", include("solidarity.responses.urls")),
    path("context/", include("solidarity.context.urls")),
    path("un/", include("solidarity.un.urls")),
    path("public/", include("solidarity.public.urls")),
    path("accounts/", include("allauth.urls")),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("admin/", admin.site.urls),
]
