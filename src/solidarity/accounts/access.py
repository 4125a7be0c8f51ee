"""The access seam: who may see and who may change which record.

Every list, search, count and export goes through :func:`visible_to`; every
single-object view goes through a ``get_<thing>_for_user`` function, which
answers 404 to those who may not see the record and 403 to those who may see
but not change it.

The rules:

- A user sees a record when one of their member organisations owns it, when it
  is shared with one of them (read or edit), or when its visibility is
  coalition-wide or public. Users without a membership see nothing, and so do
  anonymous visitors (the public site shows published records through the
  disclosure seam, never through this one).
- A user changes a record when they are a coordinator or documenter of its
  owning organisation, or of an organisation it is shared with for editing.
  Readers change nothing.
- Only a coordinator of the owning organisation changes its visibility and
  sharing, and only a coordinator may make it public.
- Platform administrators (superusers) manage accounts and vocabularies; they
  see records only through their memberships like everyone else.
- Acts, sources and evidence files follow their incident.
"""

from typing import TypeVar
from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.db.models import Model, Q, QuerySet
from django.http import Http404

from solidarity.accounts.models import MemberOrganisation, Membership, Owned, Role, Visibility

M = TypeVar("M", bound=Model)

WRITER_ROLES = frozenset({Role.COORDINATOR, Role.DOCUMENTER})
_CACHE = "_solidarity_roles"


def can_use(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def roles(user) -> dict[int, str]:
    """The user's role in each member organisation, by organisation id (cached per request)."""
    if not can_use(user):
        return {}
    if not hasattr(user, _CACHE):
        setattr(
            user,
            _CACHE,
            dict(Membership.objects.filter(user=user).values_list("organisation_id", "role")),
        )
    return getattr(user, _CACHE)


def writer_organisation_ids(user) -> set[int]:
    return {org for org, role in roles(user).items() if role in WRITER_ROLES}


def writer_organisations(user) -> QuerySet[MemberOrganisation]:
    """The organisations in whose name the user may document."""
    return MemberOrganisation.objects.filter(pk__in=writer_organisation_ids(user))


def _shared_with(model: type[Owned], organisations: list[int]) -> Q:
    # "pk IN (subquery)" is evaluated once (SQLite builds a small temporary
    # index, PostgreSQL a hashed subplan), where a correlated EXISTS would be
    # probed once per row of a million-row list.
    shared = [
        getattr(model, relation)
        .through.objects.filter(memberorganisation_id__in=organisations)
        .values(f"{model._meta.model_name}_id")
        for relation in ("shared_read", "shared_edit")
    ]
    return Q(pk__in=shared[0]) | Q(pk__in=shared[1])


def _visible(model: type[Owned], user) -> Q:
    organisations = list(roles(user))
    if not organisations:
        return Q(pk__in=[])
    return (
        Q(owner_id__in=organisations)
        | Q(visibility__in=[Visibility.COALITION, Visibility.PUBLIC])
        | _shared_with(model, organisations)
    )


def visible_to(user, queryset: QuerySet[M]) -> QuerySet[M]:
    """The part of ``queryset`` that ``user`` may see."""
    if not can_use(user):
        return queryset.none()
    model = queryset.model
    if issubclass(model, Owned):
        return queryset.filter(_visible(model, user))
    parent = getattr(model, "access_parent", None)
    if parent:
        related = model._meta.get_field(parent).related_model
        return queryset.filter(**{f"{parent}__in": visible_to(user, related.objects.all())})
    return queryset


def can_edit(user, obj: Owned) -> bool:
    writers = writer_organisation_ids(user)
    if not writers:
        return False
    return obj.owner_id in writers or obj.shared_edit.filter(pk__in=writers).exists()


def can_coordinate(user, obj: Owned) -> bool:
    """Whether the user may change the record's visibility and sharing."""
    return roles(user).get(obj.owner_id) == Role.COORDINATOR


def can_add(user) -> bool:
    return bool(writer_organisation_ids(user))


def require_add(user) -> None:
    if not can_add(user):
        raise PermissionDenied


def _get_for_user(user, queryset: QuerySet[M], code: UUID | str, *, write: bool) -> M:
    try:
        obj = visible_to(user, queryset).get(code=code)
    except (queryset.model.DoesNotExist, ValueError) as exc:
        raise Http404 from exc
    if write and not can_edit(user, _owned(obj)):
        raise PermissionDenied
    return obj


def _owned(obj: Model) -> Owned:
    parent = getattr(obj, "access_parent", None)
    return getattr(obj, parent) if parent else obj


def get_incident_for_user(user, code: UUID | str, *, write: bool = False):
    from solidarity.incidents.models import Incident

    return _get_for_user(user, Incident.objects.all(), code, write=write)


def get_person_for_user(user, code: UUID | str, *, write: bool = False):
    from solidarity.people.models import Person

    return _get_for_user(user, Person.objects.all(), code, write=write)


def get_organisation_for_user(user, code: UUID | str, *, write: bool = False):
    from solidarity.people.models import Organisation

    return _get_for_user(user, Organisation.objects.all(), code, write=write)


def get_evidence_for_user(user, code: UUID | str, *, write: bool = False):
    from solidarity.incidents.models import EvidenceFile

    return _get_for_user(user, EvidenceFile.objects.select_related("incident"), code, write=write)
