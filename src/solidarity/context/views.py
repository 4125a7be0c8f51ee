"""Laws and policies, and the country page: laws on a timeline beside the incidents."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from solidarity.accounts import access
from solidarity.audit.services import history_for
from solidarity.context import services
from solidarity.context.forms import LawForm, StatusForm
from solidarity.context.models import Law
from solidarity.core.countries import country_name, is_country_code


@require_GET
def law_list(request: HttpRequest) -> HttpResponse:
    country = request.GET.get("country", "").upper()
    laws = services.list_laws(user=request.user, country=country)
    return render(
        request,
        "context/law_list.html",
        {"laws": laws, "country": country, "can_add": access.can_add(request.user)},
    )


@require_GET
def law_detail(request: HttpRequest, code) -> HttpResponse:
    law = services.get_law(user=request.user, code=code)
    return _render_law(request, law)


def _render_law(request, law, *, status_form=None, status=200) -> HttpResponse:
    can_add = access.can_add(request.user)
    return render(
        request,
        "context/law_detail.html",
        {
            "law": law,
            "history": sorted(law.history.all(), key=lambda e: e.date.sort_key()),
            "incidents": services.incidents_invoking(user=request.user, law=law),
            "communications": services.communications_about(user=request.user, law=law),
            "status_form": status_form or (StatusForm() if can_add else None),
            "can_add": can_add,
            "events": history_for(law),
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
def law_edit(request: HttpRequest, code=None) -> HttpResponse:
    access.require_add(request.user)
    law = services.get_law(user=request.user, code=code) if code else Law()
    form = LawForm(request.POST or None, instance=law)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_law(user=request.user, law=form.instance)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The law was saved."))
            return redirect(form.instance)
    status = 400 if form.is_bound else 200
    return render(request, "context/law_form.html", {"form": form, "law": law}, status=status)


@require_POST
def law_status(request: HttpRequest, code) -> HttpResponse:
    law = services.get_law(user=request.user, code=code)
    access.require_add(request.user)
    form = StatusForm(request.POST)
    if not form.is_valid():
        return _render_law(request, law, status_form=form, status=400)
    services.add_status(user=request.user, law=law, **form.cleaned_data)
    return redirect(law)


@require_GET
def country(request: HttpRequest, code: str) -> HttpResponse:
    code = code.upper()
    if not is_country_code(code):
        raise Http404
    return render(
        request,
        "context/country.html",
        {
            "country": code,
            "name": country_name(code),
            "timeline": services.country_timeline(user=request.user, country=code),
            "laws": services.list_laws(user=request.user, country=code),
            "ratings": services.ratings(country=code),
        },
    )
