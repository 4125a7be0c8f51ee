"""Incident pages: thin views that parse input, call services and render."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from solidarity.accounts import access
from solidarity.accounts.forms import SharingForm
from solidarity.audit.services import history_for
from solidarity.core.pagination import COUNT_CAP, CappedPaginator
from solidarity.incidents import services
from solidarity.incidents.forms import EvidenceForm, IncidentEditor, IncidentFilterForm
from solidarity.incidents.models import Incident


@require_GET
def incident_list(request: HttpRequest) -> HttpResponse:
    form = IncidentFilterForm(request.GET or None)
    page = None
    if form.is_bound and not form.is_valid():
        incidents = Incident.objects.none()
    else:
        filters = form.filters() if form.is_bound else services.IncidentFilters()
        incidents = services.search_incidents(user=request.user, filters=filters)
    page = CappedPaginator(incidents, per_page=25).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "can_add": access.can_add(request.user),
        "count_cap": COUNT_CAP,
    }
    if request.htmx and not request.htmx.boosted:
        return render(request, "incidents/_results.html", context)
    return render(request, "incidents/list.html", context)


@require_GET
def incident_detail(request: HttpRequest, code) -> HttpResponse:
    incident = services.get_incident_detail(user=request.user, code=code)
    return _render_detail(request, incident)


def _render_detail(request, incident, *, evidence_form=None, sharing_form=None, status=200):
    coordinator = access.can_coordinate(request.user, incident)
    return render(
        request,
        "incidents/detail.html",
        {
            "incident": incident,
            "record": incident,
            "can_change": access.can_edit(request.user, incident),
            "evidence_form": evidence_form or EvidenceForm(incident=incident),
            "sharing_form": sharing_form or (SharingForm(record=incident) if coordinator else None),
            "sharing_url": reverse("incidents:sharing", args=[incident.code]),
            "events": history_for(incident),
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
def incident_create(request: HttpRequest) -> HttpResponse:
    access.require_add(request.user)
    return _edit(request, Incident())


@require_http_methods(["GET", "POST"])
def incident_edit(request: HttpRequest, code) -> HttpResponse:
    incident = access.get_incident_for_user(request.user, code, write=True)
    return _edit(request, incident)


def _edit(request: HttpRequest, incident: Incident) -> HttpResponse:
    editor = IncidentEditor(
        instance=incident,
        data=request.POST if request.method == "POST" else None,
        organisations=access.writer_organisations(request.user),
        user=request.user,
    )
    if editor.is_valid():
        try:
            services.save_incident(
                user=request.user,
                incident=editor.form.instance,
                context_tags=editor.context_tags(),
                acts=editor.act_inputs(),
                sources=editor.source_inputs(),
                owner=editor.owner(),
                laws=editor.laws(),
            )
        except ValidationError as exc:
            editor.form.add_error(None, exc)
        else:
            messages.success(request, _("The incident was saved."))
            return redirect(editor.form.instance)
    status = 400 if request.method == "POST" and not editor.adding_row else 200
    return render(request, "incidents/edit.html", {"editor": editor}, status=status)


@require_POST
def evidence_upload(request: HttpRequest, code) -> HttpResponse:
    incident = access.get_incident_for_user(request.user, code, write=True)
    form = EvidenceForm(request.POST, request.FILES, incident=incident)
    if form.is_valid():
        try:
            services.add_evidence(
                user=request.user,
                incident=incident,
                upload=form.cleaned_data["file"],
                description=form.cleaned_data["description"],
                source=form.cleaned_data["source"],
            )
        except ValidationError as exc:
            form.add_error("file", exc)
    if form.errors:
        incident = services.get_incident_detail(user=request.user, code=code)
        return _render_detail(request, incident, evidence_form=form, status=400)
    messages.success(request, _("The file was added."))
    return redirect(incident)


@require_POST
def incident_sharing(request: HttpRequest, code) -> HttpResponse:
    incident = access.get_incident_for_user(request.user, code)
    form = SharingForm(request.POST, record=incident)
    if not form.is_valid():
        incident = services.get_incident_detail(user=request.user, code=code)
        return _render_detail(request, incident, sharing_form=form, status=400)
    try:
        services.set_visibility(user=request.user, record=incident, **form.cleaned_data)
    except ValidationError as exc:
        form.add_error(None, exc)
        incident = services.get_incident_detail(user=request.user, code=code)
        return _render_detail(request, incident, sharing_form=form, status=400)
    messages.success(request, _("Sharing was saved."))
    return redirect(incident)


@require_GET
def evidence_download(request: HttpRequest, code) -> FileResponse:
    evidence = services.open_evidence(user=request.user, code=code)
    response = FileResponse(
        evidence.file.open("rb"),
        as_attachment=True,
        filename=evidence.original_name,
        content_type=evidence.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
