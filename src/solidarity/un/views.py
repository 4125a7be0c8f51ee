"""UN engagement pages: thin views that parse input, call services and render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from solidarity.accounts import access
from solidarity.lib.markup import markdown_to_html
from solidarity.un import communications, services
from solidarity.un.forms import (
    CommunicationForm,
    CycleForm,
    EngagementForm,
    MilestoneForm,
    RecommendationForm,
    SGInputForm,
    SPCommunicationForm,
    SubmissionForm,
)

# ---------------------------------------------------------------- engagements


@require_http_methods(["GET", "POST"])
def person_engagements(request: HttpRequest, code) -> HttpResponse:
    party = access.get_person_for_user(request.user, code, write=request.method == "POST")
    return _engagements(request, party)


@require_http_methods(["GET", "POST"])
def organisation_engagements(request: HttpRequest, code) -> HttpResponse:
    party = access.get_organisation_for_user(request.user, code, write=request.method == "POST")
    return _engagements(request, party)


def _engagements(request: HttpRequest, party) -> HttpResponse:
    cycles = services.visible_cycles(request.user)
    form = EngagementForm(request.POST or None, cycles=cycles)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            services.add_engagement(user=request.user, party=party, **form.cleaned_data)
            messages.success(request, _("The engagement was recorded."))
            return redirect(request.path)
        status = 400
    context = services.reprisals_for_party(request.user, party)
    context["form"] = form if context["can_add"] else None
    return render(request, "un/engagements.html", context, status=status)


# ---------------------------------------------------------------- reprisals


@require_GET
def incident_reprisals(request: HttpRequest, code) -> HttpResponse:
    incident = access.get_incident_for_user(request.user, code)
    context = services.reprisals_for_incident(request.user, incident)
    return render(request, "un/incident_reprisals.html", context)


@require_POST
def reprisal_decide(request: HttpRequest, act_id: int, engagement) -> HttpResponse:
    """404 unless the user sees the act and the engagement; 403 unless they may edit
    the incident; 400 for an invalid decision; otherwise back to the incident's reprisals."""
    try:
        link = services.decide_reprisal(
            user=request.user,
            act_id=act_id,
            engagement=engagement,
            status=request.POST.get("status", ""),
            note=request.POST.get("note", ""),
        )
    except ValidationError as exc:
        return HttpResponse(" ".join(exc.messages), status=400, content_type="text/plain")
    messages.success(request, _("The decision was recorded."))
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = reverse("un:incident-reprisals", args=[link.act.incident.code])
    return HttpResponseRedirect(target)


@require_GET
def reprisal_overview(request: HttpRequest) -> HttpResponse:
    rows = services.reprisal_overview(user=request.user)
    return render(
        request,
        "un/reprisal_overview.html",
        {"rows": rows, "total": sum(r.count for r in rows)},
    )


# ---------------------------------------------------------------- review cycles


@require_GET
def cycle_list(request: HttpRequest) -> HttpResponse:
    can_add = access.can_add(request.user)
    return render(
        request,
        "un/cycle_list.html",
        {
            "cycles": services.visible_cycles(request.user),
            "upcoming": services.upcoming_milestones(request.user)[:20],
            "form": CycleForm() if can_add else None,
        },
    )


@require_POST
def cycle_create(request: HttpRequest) -> HttpResponse:
    access.require_add(request.user)
    form = CycleForm(request.POST)
    if not form.is_valid():
        return render(
            request,
            "un/cycle_list.html",
            {
                "cycles": services.visible_cycles(request.user),
                "upcoming": services.upcoming_milestones(request.user)[:20],
                "form": form,
            },
            status=400,
        )
    try:
        cycle = services.add_cycle(user=request.user, **form.cleaned_data)
    except IntegrityError:
        form.add_error("label", _("This State and mechanism already have a cycle so named."))
        return render(
            request,
            "un/cycle_list.html",
            {"cycles": services.visible_cycles(request.user), "upcoming": [], "form": form},
            status=400,
        )
    return redirect(cycle)


def _cycle_context(request, cycle, **forms) -> dict:
    can_add = access.can_add(request.user)
    writers = access.writer_organisations(request.user)
    return {
        "cycle": cycle,
        "milestones": cycle.milestones.all(),
        "recommendations": cycle.recommendations.all(),
        "submissions": services.visible_submissions(request.user, cycle),
        "milestone_form": forms.get("milestone_form") or (MilestoneForm() if can_add else None),
        "recommendation_form": forms.get("recommendation_form")
        or (RecommendationForm() if can_add else None),
        "submission_form": forms.get("submission_form")
        or (SubmissionForm(organisations=writers) if can_add else None),
    }


@require_GET
def cycle_detail(request: HttpRequest, code) -> HttpResponse:
    cycle = services.get_cycle_for_user(request.user, code)
    return render(request, "un/cycle_detail.html", _cycle_context(request, cycle))


def _add_to_cycle(request, code, form_class, form_name, add, **form_kwargs) -> HttpResponse:
    cycle = services.get_cycle_for_user(request.user, code)
    access.require_add(request.user)
    form = form_class(request.POST, **form_kwargs)
    if not form.is_valid():
        context = _cycle_context(request, cycle, **{form_name: form})
        return render(request, "un/cycle_detail.html", context, status=400)
    add(user=request.user, cycle=cycle, **form.cleaned_data)
    return redirect(cycle)


@require_POST
def milestone_add(request: HttpRequest, code) -> HttpResponse:
    return _add_to_cycle(request, code, MilestoneForm, "milestone_form", services.add_milestone)


@require_POST
def recommendation_add(request: HttpRequest, code) -> HttpResponse:
    return _add_to_cycle(
        request, code, RecommendationForm, "recommendation_form", services.add_recommendation
    )


@require_POST
def submission_add(request: HttpRequest, code) -> HttpResponse:
    return _add_to_cycle(
        request,
        code,
        SubmissionForm,
        "submission_form",
        services.add_submission,
        organisations=access.writer_organisations(request.user),
    )


# ---------------------------------------------------------------- calendar feed


@require_http_methods(["GET", "POST"])
def calendar_token(request: HttpRequest) -> HttpResponse:
    """Issue (shown once) or revoke the user's secret calendar feed address."""
    token = None
    if request.method == "POST":
        if request.POST.get("action") == "revoke":
            services.revoke_calendar_tokens(user=request.user)
            messages.success(request, _("The calendar address no longer works."))
            return redirect("un:calendar")
        token = services.issue_calendar_token(user=request.user)
    feed_url = (
        request.build_absolute_uri(f"{_feed_prefix()}{token}.ics") if token is not None else None
    )
    return render(
        request,
        "un/calendar.html",
        {"feed_url": feed_url, "active": services.active_calendar_token(user=request.user)},
    )


def _feed_prefix() -> str:
    return reverse("un:calendar-feed", args=["x"])[: -len("x.ics")]


@login_not_required
@require_GET
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    user = services.user_for_calendar_token(token)
    response = HttpResponse(
        services.calendar_for_user(user), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = 'inline; filename="un-deadlines.ics"'
    return response


# ------------------------------------------------------------------ documents for the UN


@require_http_methods(["GET", "POST"])
def communication_new(request: HttpRequest, code) -> HttpResponse:
    """From an incident: a communication to the Special Procedures, drafted for review."""
    incident = access.get_incident_for_user(request.user, code, write=True)
    form = SPCommunicationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            communication = communications.draft_sp_communication(
                user=request.user, incident=incident, mandates=list(form.cleaned_data["mandates"])
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return redirect(communication)
    return render(
        request,
        "un/communication_new.html",
        {"form": form, "incident": incident},
        status=400 if form.is_bound else 200,
    )


@require_http_methods(["GET", "POST"])
def sg_input_new(request: HttpRequest) -> HttpResponse:
    access.require_add(request.user)
    start, end = communications.reporting_period(timezone.localdate())
    form = SGInputForm(request.POST or None, initial={"period_start": start, "period_end": end})
    if request.method == "POST" and form.is_valid():
        try:
            communication = communications.draft_sg_input(user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return redirect(communication)
    return render(
        request, "un/sg_input_new.html", {"form": form}, status=400 if form.is_bound else 200
    )


@require_GET
def communication_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "un/communication_list.html",
        {"communications": communications.communications_for(user=request.user)},
    )


@require_http_methods(["GET", "POST"])
def communication_detail(request: HttpRequest, code) -> HttpResponse:
    communication = communications.get_communication_for_user(request.user, code)
    can_edit = access.can_edit(request.user, communication)
    form = CommunicationForm(request.POST or None, instance=communication)
    if request.method == "POST":
        communications.get_communication_for_user(request.user, code, write=True)
        if form.is_valid():
            communications.update_communication(
                user=request.user, communication=communication, **form.cleaned_data
            )
            messages.success(request, _("Saved."))
            return redirect(communication)
    return render(
        request,
        "un/communication.html",
        {
            "communication": communication,
            "form": form if can_edit else None,
            "preview": mark_safe(markdown_to_html(communication.text)),  # noqa: S308 (sanitised)
        },
        status=400 if form.is_bound else 200,
    )


@require_GET
def communication_export(request: HttpRequest, code, kind: str) -> HttpResponse:
    communication = communications.get_communication_for_user(request.user, code)
    if kind not in ("txt", "pdf"):
        raise Http404
    try:
        content, content_type, name = communications.export(
            user=request.user, communication=communication, kind=kind
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect(communication)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
