"""The access seam: who may see and who may change which record.

Every list, search, count and export goes through :func:`visible_to`; every
single-object view goes through a ``get_<thing>_for_user`` function, which
answers 404 to those who may not see the record and 403 to those who may see
but not change it.

Foundation rules: every active, signed-in user may see every record; changing
a record needs the model's Django ``change`` (or ``add``) permission, which the
"Documenters" group carries and readers lack. Member organisations, per-record
visibility and sharing replace the visibility rule here, in this one place.
"""

from typing import TypeVar
from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404

M = TypeVar("M", bound=Model)


def can_use(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def visible_to(user, queryset: QuerySet[M]) -> QuerySet[M]:
    """The part of ``queryset`` that ``user`` may see."""
    if not can_use(user):
        return queryset.none()
    return queryset


def can_change(user, model: type[Model]) -> bool:
    meta = model._meta
    return can_use(user) and user.has_perm(f"{meta.app_label}.change_{meta.model_name}")


def can_add(user, model: type[Model]) -> bool:
    meta = model._meta
    return can_use(user) and user.has_perm(f"{meta.app_label}.add_{meta.model_name}")


def require_add(user, model: type[Model]) -> None:
    if not can_add(user, model):
        raise PermissionDenied


def _get_for_user(user, queryset: QuerySet[M], code: UUID | str, *, write: bool) -> M:
    try:
        obj = visible_to(user, queryset).get(code=code)
    except (queryset.model.DoesNotExist, ValueError) as exc:
        raise Http404 from exc
    if write and not can_change(user, queryset.model):
        raise PermissionDenied
    return obj


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
