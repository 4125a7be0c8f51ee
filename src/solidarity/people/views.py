"""Person and organisation pages, and name suggestions for the incident form."""

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from solidarity.accounts import access
from solidarity.incidents.services import incidents_concerning
from solidarity.people import services
from solidarity.people.refs import party_reference


@require_GET
def person_list(request: HttpRequest) -> HttpResponse:
    text = request.GET.get("q", "").strip()
    persons = services.search_persons(user=request.user, text=text)
    page = Paginator(persons, per_page=50).get_page(request.GET.get("page"))
    return render(request, "people/person_list.html", {"page": page, "q": text})


@require_GET
def organisation_list(request: HttpRequest) -> HttpResponse:
    text = request.GET.get("q", "").strip()
    organisations = services.search_organisations(user=request.user, text=text)
    page = Paginator(organisations, per_page=50).get_page(request.GET.get("page"))
    return render(request, "people/organisation_list.html", {"page": page, "q": text})


@require_GET
def person_detail(request: HttpRequest, code) -> HttpResponse:
    person = access.get_person_for_user(request.user, code)
    incidents = incidents_concerning(user=request.user, party=person)
    page = Paginator(incidents, per_page=25).get_page(request.GET.get("page"))
    return render(request, "people/person.html", {"person": person, "page": page})


@require_GET
def organisation_detail(request: HttpRequest, code) -> HttpResponse:
    organisation = access.get_organisation_for_user(request.user, code)
    incidents = incidents_concerning(user=request.user, party=organisation)
    page = Paginator(incidents, per_page=25).get_page(request.GET.get("page"))
    return render(request, "people/organisation.html", {"organisation": organisation, "page": page})


@require_GET
def party_suggestions(request: HttpRequest) -> HttpResponse:
    """The <option>s of the name suggestion list, refreshed by htmx as the user types."""
    text = next((v for k, v in request.GET.items() if k.endswith(("victim", "perpetrator"))), "")
    parties = services.suggest_parties(user=request.user, text=request.GET.get("q", text))
    options = [party_reference(p) for p in parties]
    return render(request, "people/_suggestions.html", {"options": options})
