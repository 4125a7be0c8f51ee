"""The public site: published incidents for anonymous visitors, shown through disclosure."""

from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from solidarity.public import services


@login_not_required
@require_GET
def incident_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(services.safe_published_incidents(), per_page=25).get_page(
        request.GET.get("page")
    )
    return render(request, "public/list.html", {"page": page})


@login_not_required
@require_GET
def incident_detail(request: HttpRequest, code) -> HttpResponse:
    incident = services.get_published_incident(code)
    return render(
        request,
        "public/detail.html",
        {"incident": incident, "acts": services.public_acts(incident)},
    )
