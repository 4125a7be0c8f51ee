"""Person and organisation pages, consent, sharing, and name suggestions."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from solidarity.accounts import access
from solidarity.accounts.forms import SharingForm
from solidarity.audit.services import history_for
from solidarity.incidents.services import incidents_concerning, set_visibility
from solidarity.people import services
from solidarity.people.disclosure import Audience, Shown, disclose, shown_to
from solidarity.people.forms import ConsentForm
from solidarity.people.models import Organisation, Person
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
    return _render_party(request, access.get_person_for_user(request.user, code))


@require_GET
def organisation_detail(request: HttpRequest, code) -> HttpResponse:
    return _render_party(request, access.get_organisation_for_user(request.user, code))


def _kind(party: Person | Organisation) -> str:
    return "person" if isinstance(party, Person) else "organisation"


def _render_party(
    request, party, *, consent_form=None, sharing_form=None, status=200
) -> HttpResponse:
    kind = _kind(party)
    incidents = incidents_concerning(user=request.user, party=party)
    can_edit = access.can_edit(request.user, party)
    coordinator = access.can_coordinate(request.user, party)
    context = {
        "related": _related(request.user, party),
        kind: party,
        "record": party,
        "page": Paginator(incidents, per_page=25).get_page(request.GET.get("page")),
        "can_edit": can_edit,
        "disclosures": [(a.label, disclose(party, audience=a)) for a in Audience],
        "consents": party.consents.prefetch_related("scopes"),
        "consent_form": consent_form or (ConsentForm() if can_edit else None),
        "consent_url": reverse(f"people:{kind}-consent", args=[party.code]),
        "sharing_form": sharing_form or (SharingForm(record=party) if coordinator else None),
        "sharing_url": reverse(f"people:{kind}-sharing", args=[party.code]),
        "events": history_for(party),
    }
    return render(request, f"people/{kind}.html", context, status=status)


def _related(user, party) -> list[tuple[str, Shown, str]]:
    """(relation, how the other party is shown to this user, position) for the page."""
    pairs = []
    if isinstance(party, Organisation) and party.head:
        pairs.append((_("Head"), party.head, ""))
    if isinstance(party, Person):
        pairs += [(_("Heads"), org, "") for org in party.organisations_headed.all()]
    pairs += [(str(r.type), r.target, r.position) for r in party.relationships_from.all()]
    pairs += [(str(r.type), r.source, r.position) for r in party.relationships_to.all()]
    shown = shown_to(user, [other for _label, other, _position in pairs])
    return [
        (label, shown[(type(other).__name__, other.pk)], position)
        for label, other, position in pairs
    ]


@require_POST
def person_consent(request: HttpRequest, code) -> HttpResponse:
    return _add_consent(request, access.get_person_for_user(request.user, code, write=True))


@require_POST
def organisation_consent(request: HttpRequest, code) -> HttpResponse:
    return _add_consent(request, access.get_organisation_for_user(request.user, code, write=True))


def _add_consent(request, party) -> HttpResponse:
    form = ConsentForm(request.POST)
    if not form.is_valid():
        return _render_party(request, party, consent_form=form, status=400)
    services.add_consent(user=request.user, party=party, **form.cleaned_data)
    messages.success(request, _("The consent was recorded."))
    return redirect(party)


@require_POST
def consent_revoke(request: HttpRequest, code) -> HttpResponse:
    consent = services.revoke_consent(user=request.user, code=code)
    messages.success(request, _("The consent was revoked."))
    return redirect(consent.subject)


@require_POST
def person_sharing(request: HttpRequest, code) -> HttpResponse:
    return _sharing(request, access.get_person_for_user(request.user, code))


@require_POST
def organisation_sharing(request: HttpRequest, code) -> HttpResponse:
    return _sharing(request, access.get_organisation_for_user(request.user, code))


def _sharing(request, party) -> HttpResponse:
    form = SharingForm(request.POST, record=party)
    if form.is_valid():
        try:
            set_visibility(user=request.user, record=party, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
    if form.errors:
        return _render_party(request, party, sharing_form=form, status=400)
    messages.success(request, _("Sharing was saved."))
    return redirect(party)


@require_GET
def party_suggestions(request: HttpRequest) -> HttpResponse:
    """The <option>s of the name suggestion list, refreshed by htmx as the user types."""
    text = next((v for k, v in request.GET.items() if k.endswith(("victim", "perpetrator"))), "")
    parties = services.suggest_parties(user=request.user, text=request.GET.get("q", text))
    options = [party_reference(p) for p in parties]
    return render(request, "people/_suggestions.html", {"options": options})
