"""Every read and write of responses, through the access, disclosure and audit seams."""

import difflib
import re
from datetime import datetime
from uuid import UUID

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from solidarity import audit
from solidarity.accounts import access
from solidarity.accounts.models import MemberOrganisation, Membership, Role, User, Visibility
from solidarity.audit.models import Action
from solidarity.incidents.models import Incident
from solidarity.people.disclosure import Audience, names_not_allowed
from solidarity.people.models import Organisation, Person
from solidarity.responses.drafting import draft_statement
from solidarity.responses.models import (
    Comment,
    Invitation,
    InvitationStatus,
    Notification,
    PublicationNote,
    Response,
    Status,
    Version,
)
from solidarity.vocab.models import Term

MENTION = re.compile(r"@([\w.+-]+)")


def get_response_for_user(user, code: UUID | str, *, write: bool = False) -> Response:
    try:
        response = access.visible_to(user, Response.objects.all()).get(code=code)
    except (Response.DoesNotExist, ValueError) as exc:
        raise Http404 from exc
    if write and not access.can_edit(user, response):
        raise PermissionDenied
    return response


def list_responses(*, user) -> QuerySet[Response]:
    return access.visible_to(user, Response.objects.select_related("response_type", "owner"))


def draft_from_incident(
    *,
    user,
    incident: Incident,
    language: str,
    response_type: Term,
    requests: list[str],
    title: str,
) -> Response:
    """A new response linked to the incident, with a first draft in the language chosen."""
    access.get_incident_for_user(user, incident.code)
    owner = owner_for(user=user, incident=incident)
    text = draft_statement(incident=incident, language=language, requests=requests)
    with transaction.atomic():
        response = Response.objects.create(
            title=title,
            response_type=response_type,
            owner=owner,
            requests="\n".join(requests),
            created_by=user,
        )
        response.incidents.add(incident)
        response.acts.add(*incident.acts.all())
        Version.objects.create(
            response=response, language=language, number=1, text=text, author=user
        )
        audit.record(
            actor=user,
            action=Action.CREATE,
            obj=response,
            changes=[{"field": "version", "old": None, "new": f"{language} 1"}],
        )
    return response


def owner_for(*, user, incident: Incident) -> MemberOrganisation:
    """Who owns a document drafted from an incident: the incident's owner when the user
    writes for it, else an organisation the incident is shared with for editing."""
    writers = list(access.writer_organisations(user))
    shared_edit = set(incident.shared_edit.values_list("pk", flat=True))
    for candidate in (
        [o for o in writers if o.pk == incident.owner_id],
        [o for o in writers if o.pk in shared_edit],
        writers,
    ):
        if candidate:
            return candidate[0]
    raise PermissionDenied


LOCKED = (Status.PUBLISHED, Status.WITHDRAWN)


def add_language(*, user, response: Response, language: str) -> Version:
    """A first draft in another language, from the same records."""
    get_response_for_user(user, response.code, write=True)
    if response.latest(language):
        raise ValidationError(_("This language version exists already."))
    incident = response.incidents.first()
    text = (
        draft_statement(incident=incident, language=language, requests=response.request_list)
        if incident
        else ""
    )
    return save_version(user=user, response=response, language=language, text=text)


def save_version(*, user, response: Response, language: str, text: str) -> Version:
    """Save the text as a new version; signatories of an older text are asked to reconfirm."""
    get_response_for_user(user, response.code, write=True)
    if response.status in LOCKED:
        raise ValidationError(
            _("A published text is not changed silently: publish a correction instead.")
        )
    latest = response.latest(language)
    if latest and latest.text == text:
        return latest
    with transaction.atomic():
        version = Version.objects.create(
            response=response,
            language=language,
            number=(latest.number + 1) if latest else 1,
            text=text,
            author=user,
        )
        for invitation in response.invitations.filter(status=InvitationStatus.SIGNED):
            invitation.status = InvitationStatus.RECONFIRM
            invitation.save(update_fields=["status", "updated_at"])
            _notify_coordinators(
                invitation.organisation,
                _("The text of “%(title)s” changed after you signed: please reconfirm.")
                % {"title": response.title},
                response.get_absolute_url(),
            )
        if response.status == Status.APPROVED:
            response.status = Status.SIGN_ON if response.invitations.exists() else Status.DRAFT
            response.approved_at = None
            response.save(update_fields=["status", "approved_at", "updated_at"])
        audit.record(
            actor=user,
            action=Action.UPDATE,
            obj=response,
            changes=[{"field": "version", "old": None, "new": f"{language} {version.number}"}],
        )
    return version


def update_details(*, user, response: Response, **fields) -> Response:
    """Change a response's title, type, targets, requests, priority, reply received, impact."""
    get_response_for_user(user, response.code, write=True)
    stored = Response.objects.get(pk=response.pk)
    if stored.status in LOCKED and fields.get("title", stored.title) != stored.title:
        raise ValidationError(
            _("A published title is not changed silently: publish a correction instead.")
        )
    before = audit.snapshot(stored)
    for name, value in fields.items():
        setattr(response, name, value)
    with transaction.atomic():
        response.save()
        audit.record(
            actor=user,
            action=Action.UPDATE,
            obj=response,
            changes=audit.changed_fields(before, audit.snapshot(response)),
        )
    return response


def diff_versions(*, older: Version, newer: Version) -> str:
    """An HTML table of the changes between two versions of one language."""
    return difflib.HtmlDiff(wrapcolumn=70).make_table(
        older.text.splitlines(),
        newer.text.splitlines(),
        fromdesc=_("version %(n)s") % {"n": older.number},
        todesc=_("version %(n)s") % {"n": newer.number},
        context=True,
        numlines=2,
    )


# ------------------------------------------------------------------ comments


def add_comment(*, user, version: Version, paragraph: int, body: str) -> Comment:
    """Anyone who may see the response may comment on a paragraph; @name notifies."""
    response = get_response_for_user(user, version.response.code)
    if not 0 <= paragraph < len(version.paragraphs):
        raise ValidationError(_("There is no such paragraph."))
    with transaction.atomic():
        comment = Comment.objects.create(
            response=response, version=version, paragraph=paragraph, body=body, author=user
        )
        for username in set(MENTION.findall(body)):
            mentioned = User.objects.filter(username=username, is_active=True).first()
            if mentioned and access.visible_to(mentioned, Response.objects.filter(pk=response.pk)):
                notify(
                    mentioned,
                    _("%(user)s mentioned you on “%(title)s”.")
                    % {"user": user.get_username(), "title": response.title},
                    response.get_absolute_url() + f"#comment-{comment.code}",
                )
        audit.record(actor=user, action=Action.CREATE, obj=comment)
    return comment


def set_comment_resolved(*, user, code: UUID | str, resolved: bool) -> Comment:
    comment = Comment.objects.select_related("response").filter(code=code).first()
    if comment is None:
        raise Http404
    get_response_for_user(user, comment.response.code)
    if not (comment.author_id == user.pk or access.can_edit(user, comment.response)):
        raise PermissionDenied
    comment.resolved_at = timezone.now() if resolved else None
    comment.save(update_fields=["resolved_at", "updated_at"])
    audit.record(
        actor=user,
        action=Action.UPDATE,
        obj=comment,
        changes=[{"field": "resolved", "old": str(not resolved), "new": str(resolved)}],
    )
    return comment


# ------------------------------------------------------------------ notifications


def notify(user: User, text: str, url: str) -> Notification:
    """An in-app notification, and an email when the user has an address."""
    notification = Notification.objects.create(user=user, text=text, url=url)
    if user.email:
        # The message itself stays on the platform: an email says only where to look.
        send_mail(
            subject=_("Solidarity: you have a new notification"),
            message=_("Sign in to read it: %(url)s") % {"url": url},
            from_email=None,
            recipient_list=[user.email],
            fail_silently=True,
        )
    return notification


def _notify_coordinators(organisation: MemberOrganisation, text: str, url: str) -> None:
    for membership in Membership.objects.filter(
        organisation=organisation, role=Role.COORDINATOR
    ).select_related("user"):
        notify(membership.user, text, url)


def unread_notifications(*, user) -> QuerySet[Notification]:
    return Notification.objects.filter(user=user, read_at__isnull=True)


# ------------------------------------------------------------------ sign-on


def invite(
    *, user, response: Response, organisations: list[MemberOrganisation], deadline: datetime
) -> list[Invitation]:
    """Invite member organisations to sign; they may then see the response and comment."""
    if not access.can_coordinate(user, response):
        raise PermissionDenied
    if deadline <= timezone.now():
        raise ValidationError(_("The deadline must be in the future."))
    invitations = []
    with transaction.atomic():
        for organisation in organisations:
            if organisation.pk == response.owner_id:
                continue
            invitation, created = Invitation.objects.get_or_create(
                response=response, organisation=organisation, defaults={"deadline": deadline}
            )
            if not created:
                continue
            invitations.append(invitation)
            response.shared_read.add(organisation)
            _notify_coordinators(
                organisation,
                _("You are invited to sign “%(title)s” by %(deadline)s.")
                % {"title": response.title, "deadline": f"{deadline:%Y-%m-%d}"},
                response.get_absolute_url(),
            )
            audit.record(actor=user, action=Action.CREATE, obj=invitation)
        before = response.visibility
        if response.visibility == Visibility.OWNER:
            response.visibility = Visibility.SHARED
        if response.status == Status.DRAFT:
            response.status = Status.SIGN_ON
        response.save(update_fields=["visibility", "status", "updated_at"])
        audit.record(
            actor=user,
            action=Action.UPDATE,
            obj=response,
            changes=[
                {"field": "visibility", "old": before, "new": response.visibility},
                {
                    "field": "shared_read",
                    "old": None,
                    "new": ",".join(str(i.organisation_id) for i in invitations),
                },
            ],
        )
    return invitations


def answer_invitation(*, user, code: UUID | str, answer: str) -> Invitation:
    """A coordinator of the invited organisation signs, declines or withdraws."""
    invitation = (
        Invitation.objects.select_related("response", "organisation").filter(code=code).first()
    )
    if invitation is None:
        raise Http404
    get_response_for_user(user, invitation.response.code)
    if access.roles(user).get(invitation.organisation_id) != Role.COORDINATOR:
        raise PermissionDenied
    response = invitation.response
    if response.status in LOCKED:
        raise ValidationError(_("The statement is published: its signatories are final."))
    if answer in (InvitationStatus.SIGNED, InvitationStatus.DECLINED):
        if timezone.now() > invitation.deadline and invitation.status != InvitationStatus.RECONFIRM:
            raise ValidationError(_("The deadline for signing has passed."))
        if answer == InvitationStatus.SIGNED and not response.languages():
            raise ValidationError(_("There is no text to sign yet."))
    elif answer != InvitationStatus.WITHDRAWN:
        raise ValidationError(_("Unknown answer."))
    before = invitation.status
    invitation.status = answer
    invitation.decided_by = user
    invitation.decided_at = timezone.now()
    invitation.signed_versions = (
        {language: response.latest(language).number for language in response.languages()}
        if answer == InvitationStatus.SIGNED
        else {}
    )
    invitation.save()
    audit.record(
        actor=user,
        action=Action.UPDATE,
        obj=invitation,
        changes=[{"field": "status", "old": before, "new": answer}],
    )
    return invitation


def signatories(response: Response) -> list[MemberOrganisation]:
    """The lead organisation, then the organisations that signed the current text."""
    signed = [
        inv.organisation
        for inv in response.invitations.select_related("organisation")
        if inv.status == InvitationStatus.SIGNED
    ]
    return [response.owner, *signed]


# ------------------------------------------------------------------ approval and publication


def approve(*, user, response: Response) -> None:
    if not access.can_coordinate(user, response):
        raise PermissionDenied
    if response.status not in (Status.DRAFT, Status.SIGN_ON):
        raise ValidationError(_("Only a draft can be approved."))
    if not response.languages():
        raise ValidationError(_("There is no text to approve."))
    response.status = Status.APPROVED
    response.approved_at = timezone.now()
    response.save(update_fields=["status", "approved_at", "updated_at"])
    audit.record(
        actor=user,
        action=Action.UPDATE,
        obj=response,
        changes=[{"field": "status", "old": None, "new": Status.APPROVED}],
    )


def linked_parties(response: Response) -> list[Person | Organisation]:
    parties: dict[tuple[str, int], Person | Organisation] = {}
    for incident in response.incidents.all():
        for party in incident.parties():
            parties[(type(party).__name__, party.pk)] = party
    for act in response.acts.select_related("victim_person", "victim_organisation"):
        if act.victim:
            parties[(type(act.victim).__name__, act.victim.pk)] = act.victim
    return list(parties.values())


def publication_problems(response: Response) -> list[str]:
    """Names in the title or any language's latest text that consent does not allow."""
    texts = [response.title] + [response.latest(lang).text for lang in response.languages()]
    texts += [note.text for note in response.notes.all()]
    problems = names_not_allowed(
        "\n".join(texts), linked_parties(response), audience=Audience.PUBLIC
    )
    return [str(problem) for problem in problems]


def publish(*, user, response: Response) -> None:
    """Publish an approved response, after checking every name against consent."""
    if not access.can_coordinate(user, response):
        raise PermissionDenied
    if response.status != Status.APPROVED:
        raise ValidationError(_("Approve the final text before publishing it."))
    problems = publication_problems(response)
    if problems:
        raise ValidationError(problems)
    with transaction.atomic():
        # The public site reads published responses itself; the drafting history
        # (versions, diffs, comments) stays with the owner and the invited.
        response.status = Status.PUBLISHED
        response.published_at = timezone.now()
        response.save(update_fields=["status", "published_at", "updated_at"])
        audit.record(actor=user, action=Action.PUBLISH, obj=response)


def add_publication_note(*, user, response: Response, kind: str, text: str) -> PublicationNote:
    """A correction or a withdrawal of a published response, shown on its public page."""
    if not access.can_coordinate(user, response):
        raise PermissionDenied
    if response.status not in (Status.PUBLISHED, Status.WITHDRAWN):
        raise ValidationError(_("Only a published response can be corrected or withdrawn."))
    problems = names_not_allowed(text, linked_parties(response), audience=Audience.PUBLIC)
    if problems:
        raise ValidationError([str(problem) for problem in problems])
    with transaction.atomic():
        note = PublicationNote.objects.create(response=response, kind=kind, text=text)
        if kind == PublicationNote.Kind.WITHDRAWAL:
            response.status = Status.WITHDRAWN
            response.save(update_fields=["status", "updated_at"])
        audit.record(
            actor=user,
            action=Action.UPDATE,
            obj=response,
            changes=[{"field": "publication_note", "old": None, "new": kind}],
        )
    return note


def published_responses() -> QuerySet[Response]:
    return Response.objects.filter(
        status__in=[Status.PUBLISHED, Status.WITHDRAWN], published_at__isnull=False
    ).order_by("-published_at")


def safe_published(*, limit: int) -> list[Response]:
    """The latest published responses whose texts are still safe to show."""
    return [r for r in published_responses()[:limit] if not publication_problems(r)]


def get_published(code: UUID | str) -> Response:
    """A published response whose texts are still safe to show (consent is re-checked)."""
    response = published_responses().filter(code=code).first()
    if response is None or publication_problems(response):
        raise Http404
    return response
