"""Response pages: draft, edit, compare, comment, sign on, approve, publish."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from solidarity.accounts import access
from solidarity.audit.services import history_for
from solidarity.responses import services
from solidarity.responses.forms import (
    CommentForm,
    DetailsForm,
    DraftForm,
    InviteForm,
    LanguageForm,
    NoteForm,
    VersionForm,
)
from solidarity.responses.models import LANGUAGES, Invitation, InvitationStatus, Status, Version
from solidarity.responses.rendering import markdown_to_html


@require_GET
def response_list(request: HttpRequest) -> HttpResponse:
    return render(
        request, "responses/list.html", {"responses": services.list_responses(user=request.user)}
    )


@require_http_methods(["GET", "POST"])
def draft(request: HttpRequest, incident_code) -> HttpResponse:
    incident = access.get_incident_for_user(request.user, incident_code)
    access.require_add(request.user)
    form = DraftForm(request.POST or None, initial={"title": incident.title})
    if request.method == "POST" and form.is_valid():
        response = services.draft_from_incident(
            user=request.user,
            incident=incident,
            language=form.cleaned_data["language"],
            response_type=form.cleaned_data["response_type"],
            requests=form.request_list(),
            title=form.cleaned_data["title"],
        )
        messages.success(request, _("A first draft was written from the records."))
        return redirect(response)
    status = 400 if form.is_bound else 200
    return render(
        request, "responses/draft.html", {"form": form, "incident": incident}, status=status
    )


def _language(request, response) -> str:
    languages = response.languages()
    wanted = request.GET.get("lang") or request.POST.get("lang")
    return wanted if wanted in languages else (languages[0] if languages else LANGUAGES[0][0])


@require_GET
def response_detail(request: HttpRequest, code) -> HttpResponse:
    response = services.get_response_for_user(request.user, code)
    return _render_detail(request, response)


def _render_detail(request, response, *, status=200, **forms) -> HttpResponse:
    language = _language(request, response)
    version = response.latest(language)
    comments = list(
        response.comments.filter(version__language=language).select_related("version", "author")
    )
    paragraphs = []
    if version:
        for index, paragraph in enumerate(version.paragraphs):
            paragraphs.append(
                {
                    "index": index,
                    "html": mark_safe(markdown_to_html(paragraph)),  # noqa: S308 (sanitised)
                    "comments": [
                        c for c in comments if c.paragraph == index and c.version_id == version.pk
                    ],
                }
            )
    coordinator = access.can_coordinate(request.user, response)
    my_roles = access.roles(request.user)
    invitations = list(response.invitations.select_related("organisation"))
    for invitation in invitations:
        invitation.mine = my_roles.get(invitation.organisation_id) == "coordinator"
    context = {
        "response": response,
        "record": response,
        "language": language,
        "languages": [(c, label) for c, label in LANGUAGES if c in response.languages()],
        "missing_languages": [
            (c, label) for c, label in LANGUAGES if c not in response.languages()
        ],
        "version": version,
        "versions": response.versions.filter(language=language).order_by("-number"),
        "paragraphs": paragraphs,
        "old_comments": [c for c in comments if version and c.version_id != version.pk],
        "can_edit": access.can_edit(request.user, response),
        "coordinator": coordinator,
        "invitations": invitations,
        "signatories": services.signatories(response),
        "invite_form": forms.get("invite_form")
        or (InviteForm(response=response) if coordinator else None),
        "note_form": forms.get("note_form") or (NoteForm() if coordinator else None),
        "comment_form": CommentForm(),
        "language_form": LanguageForm(),
        "problems": forms.get("problems", []),
        "events": history_for(response),
        "incidents": access.visible_to(request.user, response.incidents.all()),
        "Status": Status,
        "InvitationStatus": InvitationStatus,
    }
    return render(request, "responses/detail.html", context, status=status)


@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, code) -> HttpResponse:
    response = services.get_response_for_user(request.user, code, write=True)
    language = _language(request, response)
    latest = response.latest(language)
    form = VersionForm(request.POST or None, initial={"text": latest.text if latest else ""})
    if request.method == "POST" and form.is_valid():
        try:
            services.save_version(
                user=request.user,
                response=response,
                language=language,
                text=form.cleaned_data["text"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Saved as a new version."))
            return redirect(f"{response.get_absolute_url()}?lang={language}")
    status = 400 if form.is_bound else 200
    return render(
        request,
        "responses/edit.html",
        {"response": response, "form": form, "language": language},
        status=status,
    )


@require_http_methods(["GET", "POST"])
def details(request: HttpRequest, code) -> HttpResponse:
    response = services.get_response_for_user(request.user, code, write=True)
    form = DetailsForm(request.POST or None, instance=response)
    if request.method == "POST" and form.is_valid():
        services.update_details(user=request.user, response=response, **form.cleaned_data)
        messages.success(request, _("The details were saved."))
        return redirect(response)
    status = 400 if form.is_bound else 200
    return render(
        request, "responses/details.html", {"response": response, "form": form}, status=status
    )


@require_POST
def add_language(request: HttpRequest, code) -> HttpResponse:
    response = services.get_response_for_user(request.user, code, write=True)
    form = LanguageForm(request.POST)
    if form.is_valid():
        try:
            services.add_language(
                user=request.user, response=response, language=form.cleaned_data["language"]
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            return redirect(f"{response.get_absolute_url()}?lang={form.cleaned_data['language']}")
    return redirect(response)


@require_GET
def diff(request: HttpRequest, code) -> HttpResponse:
    response = services.get_response_for_user(request.user, code)
    language = _language(request, response)
    versions = response.versions.filter(language=language)
    try:
        older = get_object_or_404(versions, number=int(request.GET.get("a", 0)))
        newer = get_object_or_404(versions, number=int(request.GET.get("b", 0)))
    except ValueError:
        return HttpResponse(status=400)
    table = services.diff_versions(older=older, newer=newer)
    return render(
        request,
        "responses/diff.html",
        {"response": response, "older": older, "newer": newer, "table": mark_safe(table)},  # noqa: S308
    )


@require_POST
def comment(request: HttpRequest, code, number: int) -> HttpResponse:
    response = services.get_response_for_user(request.user, code)
    language = _language(request, response)
    version = get_object_or_404(Version, response=response, language=language, number=number)
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            services.add_comment(
                user=request.user,
                version=version,
                paragraph=form.cleaned_data["paragraph"],
                body=form.cleaned_data["body"],
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    else:
        messages.error(request, _("The comment was empty."))
    return redirect(f"{response.get_absolute_url()}?lang={language}")


@require_POST
def comment_resolve(request: HttpRequest, code) -> HttpResponse:
    resolved = request.POST.get("resolved") == "1"
    comment = services.set_comment_resolved(user=request.user, code=code, resolved=resolved)
    return redirect(f"{comment.response.get_absolute_url()}?lang={comment.version.language}")


@require_POST
def invite(request: HttpRequest, code) -> HttpResponse:
    response = services.get_response_for_user(request.user, code)
    if not access.can_coordinate(request.user, response):
        raise PermissionDenied
    form = InviteForm(request.POST, response=response)
    if form.is_valid():
        try:
            services.invite(user=request.user, response=response, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error("deadline", exc)
    if form.errors:
        return _render_detail(request, response, status=400, invite_form=form)
    messages.success(request, _("The invitations were sent."))
    return redirect(response)


@require_POST
def answer(request: HttpRequest, code) -> HttpResponse:
    try:
        invitation = services.answer_invitation(
            user=request.user, code=code, answer=request.POST.get("answer", "")
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        invitation = get_object_or_404(Invitation, code=code)
        return redirect(invitation.response)
    messages.success(request, _("Your answer was recorded."))
    return redirect(invitation.response)


@require_POST
def approve(request: HttpRequest, code) -> HttpResponse:
    response = services.get_response_for_user(request.user, code)
    try:
        services.approve(user=request.user, response=response)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(response)


@require_POST
def publish(request: HttpRequest, code) -> HttpResponse:
    response = services.get_response_for_user(request.user, code)
    try:
        services.publish(user=request.user, response=response)
    except ValidationError as exc:
        return _render_detail(request, response, status=400, problems=exc.messages)
    messages.success(request, _("The statement was published."))
    return redirect(response)


@require_POST
def note(request: HttpRequest, code) -> HttpResponse:
    response = services.get_response_for_user(request.user, code)
    if not access.can_coordinate(request.user, response):
        raise PermissionDenied
    form = NoteForm(request.POST)
    if form.is_valid():
        try:
            services.add_publication_note(user=request.user, response=response, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error("text", exc)
    if form.errors:
        return _render_detail(request, response, status=400, note_form=form)
    return redirect(response)


@require_http_methods(["GET", "POST"])
def notifications(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        services.unread_notifications(user=request.user).update(read_at=timezone.now())
        return redirect("responses:notifications")
    return render(
        request,
        "responses/notifications.html",
        {"notifications": request.user.notifications.all()[:100]},
    )
