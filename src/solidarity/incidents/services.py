"""Every read and write of incidents goes through here (keyword-only functions).

Views and any API parse input, call these, and render. Permission checks go
through the access seam.
"""

import hashlib
from dataclasses import dataclass, field
from datetime import date, timedelta
from uuid import UUID

import filetype
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Case, Exists, F, OuterRef, Q, QuerySet, Value, When
from django.utils.translation import gettext as _

from solidarity import audit
from solidarity.accounts import access
from solidarity.accounts.models import MemberOrganisation, Visibility
from solidarity.audit.models import Action
from solidarity.incidents.models import (
    Act,
    EvidenceFile,
    Incident,
    Involvement,
    PerpetratorKind,
    Source,
    VictimKind,
)
from solidarity.lib.fuzzydate import FuzzyDate, Match
from solidarity.people.disclosure import (
    Audience,
    NameProblem,
    Shown,
    names_not_allowed,
    shown_to,
)
from solidarity.people.models import Organisation, Person
from solidarity.vocab.models import Term

# ---------------------------------------------------------------- search

# Unknown dates last on every database (PostgreSQL puts NULLs first in DESC).
NEWEST_FIRST = (F("date_from").desc(nulls_last=True), "-id")
# Below this many matching acts, a type filter starts from the acts (docs/performance.md).
RARE = 20_000
# The widest span a fuzzy date can have (a year), to bound a range filter from below.
WIDEST_SPAN = timedelta(days=366)


@dataclass(frozen=True)
class IncidentFilters:
    country: str = ""
    violation_type: Term | None = None
    perpetrator_type: Term | None = None
    victim_kind: str = ""
    date_from: date | None = None
    date_to: date | None = None
    certain_only: bool = False
    verification_status: Term | None = None
    text: str = ""

    @property
    def has_date_range(self) -> bool:
        return self.date_from is not None or self.date_to is not None


def search_incidents(*, user, filters: IncidentFilters) -> QuerySet[Incident]:
    """Incidents the user may see that match the filters, newest first.

    With a date range, ``date_match`` tells each row whether its (possibly
    uncertain) date is certainly in the range or only possibly so.
    """
    incidents = access.visible_to(user, Incident.objects.all())
    if filters.country:
        incidents = incidents.filter(country=filters.country)
    if filters.verification_status:
        incidents = incidents.filter(verification_status=filters.verification_status)
    if filters.text:
        incidents = incidents.filter(title__icontains=filters.text)
    acts = Act.objects.filter(incident=OuterRef("pk"))
    if filters.violation_type:
        subtree = Term.objects.subtree(filters.violation_type).values("pk")
        matching = Act.objects.filter(violation_type__in=subtree)
        if matching.order_by()[:RARE].count() < RARE:
            # A rare type: start from its few acts rather than probe every incident.
            incidents = incidents.filter(pk__in=matching.values("incident_id"))
        else:
            incidents = incidents.filter(Exists(acts.filter(violation_type__in=subtree)))
    if filters.victim_kind:
        incidents = incidents.filter(Exists(acts.filter(victim_kind=filters.victim_kind)))
    if filters.perpetrator_type:
        subtree = Term.objects.subtree(filters.perpetrator_type).values("pk")
        involvements = Involvement.objects.filter(
            act__incident=OuterRef("pk"), perpetrator_type__in=subtree
        )
        incidents = incidents.filter(Exists(involvements))
    if filters.has_date_range:
        incidents = _filter_by_date(incidents, filters)
    return (
        incidents.order_by(*NEWEST_FIRST)
        .select_related("verification_status")
        .defer("narrative", "related_laws")
    )


def _filter_by_date(incidents: QuerySet[Incident], filters: IncidentFilters) -> QuerySet[Incident]:
    # Same rule as lib.fuzzydate.match_bounds, written as SQL.
    inside = Q()
    overlaps = Q(date_from__isnull=False)
    if filters.date_from:
        inside &= Q(date_from__gte=filters.date_from)
        # date_from >= start - one year adds nothing to the rule (no value spans more
        # than a year) but lets the date index bound the scan.
        overlaps &= Q(
            date_to__gte=filters.date_from, date_from__gte=filters.date_from - WIDEST_SPAN
        )
    if filters.date_to:
        inside &= Q(date_to__lte=filters.date_to)
        overlaps &= Q(date_from__lte=filters.date_to)
    if filters.certain_only:
        return incidents.filter(overlaps & inside).annotate(date_match=Value(Match.IN_RANGE.value))
    return incidents.filter(overlaps).annotate(
        date_match=Case(
            When(inside, then=Value(Match.IN_RANGE.value)),
            default=Value(Match.POSSIBLY_IN_RANGE.value),
        )
    )


def incidents_concerning(*, user, party: Person | Organisation) -> QuerySet[Incident]:
    """Incidents in which the person or organisation is a victim or a perpetrator."""
    field = "person" if isinstance(party, Person) else "organisation"
    as_victim = Act.objects.filter(incident=OuterRef("pk"), **{f"victim_{field}": party})
    as_perpetrator = Involvement.objects.filter(
        act__incident=OuterRef("pk"), **{f"perpetrator_{field}": party}
    )
    incidents = access.visible_to(user, Incident.objects.all())
    return incidents.filter(Exists(as_victim) | Exists(as_perpetrator)).order_by(*NEWEST_FIRST)


def get_incident_detail(*, user, code: UUID | str) -> Incident:
    """One incident with its acts, involvements, sources and evidence loaded.

    Each act gets ``victim_shown`` and each involvement ``perpetrator_shown``:
    the party by name where the user may see its record, otherwise as the
    disclosure seam shows it to coalition members.
    """
    incident = access.get_incident_for_user(user, code)
    incident = (
        Incident.objects.filter(pk=incident.pk)
        .select_related("location_type", "verification_status")
        .prefetch_related(
            "context_tags",
            "acts__violation_type",
            "acts__victim_person",
            "acts__victim_organisation",
            "acts__sphere",
            "acts__gender_dimensions",
            "acts__involvements__perpetrator_person",
            "acts__involvements__perpetrator_organisation",
            "acts__involvements__perpetrator_type",
            "acts__involvements__state_relation",
            "acts__involvements__degree",
            "sources__material_type",
            "sources__reliability",
            "evidence",
        )
        .get()
    )
    acts = list(incident.acts.all())
    parties = [a.victim for a in acts if a.victim] + [
        i.perpetrator for a in acts for i in a.involvements.all() if i.perpetrator
    ]
    shown = shown_to(user, parties)
    for act in acts:
        act.victim_shown = shown[_key(act.victim)] if act.victim else Shown(act.victim_label)
        for involvement in act.involvements.all():
            who = involvement.perpetrator
            involvement.perpetrator_shown = (
                shown[_key(who)] if who else Shown(involvement.perpetrator_label)
            )
    return incident


def _key(party: Person | Organisation) -> tuple[str, int]:
    return (type(party).__name__, party.pk)


# ---------------------------------------------------------------- writing


@dataclass
class PartyRef:
    """A person or organisation: an existing one by code, or a new one by name.

    For an unnamed group victim or an unknown perpetrator, ``name`` describes it.
    """

    kind: str
    code: UUID | None = None
    name: str = ""
    # A party already linked to the incident that the editing user may not see:
    # looked up on the server, kept as it is.
    existing: Person | Organisation | None = None
    # For a new person only: what is known of them (e.g. accepted at intake review).
    sex: Term | None = None
    roles: list[Term] = field(default_factory=list)


@dataclass
class InvolvementInput:
    perpetrator: PartyRef
    perpetrator_type: Term | None = None
    state_relation: Term | None = None
    degree: Term | None = None


@dataclass
class ActInput:
    victim: PartyRef
    violation_type: Term
    id: int | None = None
    victim_count: int | None = None
    date: FuzzyDate = field(default_factory=FuzzyDate)
    end_date: FuzzyDate = field(default_factory=FuzzyDate)
    sphere: Term | None = None
    gender_dimensions: list[Term] = field(default_factory=list)
    consequences: str = ""
    involvements: list[InvolvementInput] = field(default_factory=list)


@dataclass
class SourceInput:
    name: str
    id: int | None = None
    material_type: Term | None = None
    reliability: Term | None = None
    date: FuzzyDate = field(default_factory=FuzzyDate)
    language: str = ""
    url: str = ""
    independent: bool = True
    notes: str = ""


class PartyResolver:
    """Turns PartyRefs into persons and organisations, creating new ones in bulk.

    New records belong to the incident's owner and are visible to it alone.
    """

    def __init__(self, *, user, owner: MemberOrganisation) -> None:
        self.user = user
        self.owner = owner
        self._new: dict[tuple[str, str], Person | Organisation] = {}
        self._roles: dict[tuple[str, str], list[Term]] = {}

    def resolve(self, ref: PartyRef) -> Person | Organisation | None:
        if ref.kind not in (VictimKind.PERSON, VictimKind.ORGANISATION):
            return None
        if ref.existing is not None:
            return ref.existing
        model = Person if ref.kind == VictimKind.PERSON else Organisation
        if ref.code:
            try:
                return access.visible_to(self.user, model.objects.all()).get(code=ref.code)
            except model.DoesNotExist as exc:
                raise ValidationError(
                    _("No such %(kind)s.") % {"kind": VictimKind(ref.kind).label}
                ) from exc
        key = (ref.kind, ref.name.strip())
        if key not in self._new:
            if model is Person:
                self._new[key] = Person(
                    owner=self.owner, display_name=ref.name.strip(), sex=ref.sex
                )
                self._roles[key] = list(ref.roles)
            else:
                self._new[key] = Organisation(owner=self.owner, name=ref.name.strip())
        return self._new[key]

    def save_new(self) -> None:
        persons = [p for p in self._new.values() if isinstance(p, Person)]
        organisations = [o for o in self._new.values() if isinstance(o, Organisation)]
        Person.objects.bulk_create(persons)
        Organisation.objects.bulk_create(organisations)
        entries = []
        for key, party in self._new.items():
            changes = audit.changed_fields({}, audit.snapshot(party))
            roles = self._roles.get(key)
            if roles:
                party.roles.set(roles)
                changes.append(
                    {"field": "roles", "old": None, "new": ",".join(t.code for t in roles)}
                )
            entries.append(audit.Entry(Action.CREATE, party, changes))
        audit.record_many(actor=self.user, entries=entries)


def save_incident(
    *,
    user,
    incident: Incident,
    context_tags: list[Term],
    acts: list[ActInput],
    sources: list[SourceInput],
    owner: MemberOrganisation | None = None,
    laws: list | None = None,
) -> Incident:
    """Create or update an incident with all its acts, involvements and sources at once.

    A new incident belongs to ``owner`` (or, when omitted, to the user's only
    organisation in which they may document). Acts and sources not listed are
    removed; listed ones are created or updated in place. Everything is saved
    in one transaction, or nothing is.
    """
    creating = incident.pk is None
    if creating:
        incident.owner = owner_for_new_record(user=user, owner=owner)
        incident.created_by = user
        before, counts_before = {}, (0, 0)
    else:
        stored = access.get_incident_for_user(user, incident.code, write=True)
        before = audit.snapshot(stored)
        counts_before = (stored.acts.count(), stored.sources.count())
    with transaction.atomic():
        parties = PartyResolver(user=user, owner=incident.owner)
        resolved = [
            (
                parties.resolve(act.victim),
                [parties.resolve(inv.perpetrator) for inv in act.involvements],
            )
            for act in acts
        ]
        parties.save_new()
        incident.save()
        incident.context_tags.set(context_tags)
        if laws is not None:
            incident.laws.set(laws)
        _save_acts(incident, acts, resolved)
        _save_sources(incident, sources)
        changes = audit.changed_fields(before, audit.snapshot(incident))
        # Acts and sources hold names and free text: only their numbers are logged.
        for name, old, new in zip(
            ("acts", "sources"), counts_before, (len(acts), len(sources)), strict=True
        ):
            if old != new or not creating:
                changes.append({"field": name, "old": str(old), "new": str(new)})
        audit.record(
            actor=user,
            action=Action.CREATE if creating else Action.UPDATE,
            obj=incident,
            changes=changes,
        )
    return incident


def owner_for_new_record(*, user, owner: MemberOrganisation | None) -> MemberOrganisation:
    """The organisation a new record belongs to: the one given, or the user's only one."""
    writers = list(access.writer_organisations(user))
    if not writers:
        raise PermissionDenied
    if owner is None:
        if len(writers) > 1:
            raise ValidationError(_("Choose the organisation that owns this record."))
        return writers[0]
    if owner not in writers:
        raise PermissionDenied
    return owner


def set_visibility(
    *,
    user,
    record: Incident | Person | Organisation,
    visibility: str,
    shared_read: list[MemberOrganisation],
    shared_edit: list[MemberOrganisation],
) -> None:
    """Change who may see and edit a record; only a coordinator of its owner may."""
    if not access.can_coordinate(user, record):
        raise PermissionDenied
    if visibility == Visibility.PUBLIC and isinstance(record, Incident):
        problems = publication_problems(record)
        if problems:
            raise ValidationError([str(problem) for problem in problems])
    if visibility == Visibility.OWNER:
        shared_read, shared_edit = [], []
    before = _sharing_snapshot(record)
    record.visibility = visibility
    with transaction.atomic():
        record.save(update_fields=["visibility", "updated_at"])
        record.shared_read.set([org for org in shared_read if org.pk != record.owner_id])
        record.shared_edit.set([org for org in shared_edit if org.pk != record.owner_id])
        changes = audit.changed_fields(before, _sharing_snapshot(record))
        audit.record(actor=user, action=Action.UPDATE, obj=record, changes=changes)
        if visibility == Visibility.PUBLIC and before["visibility"] != Visibility.PUBLIC:
            audit.record(actor=user, action=Action.PUBLISH, obj=record)


def _sharing_snapshot(record) -> dict[str, str]:
    return {
        "visibility": record.visibility,
        "shared_read": ",".join(str(pk) for pk in sorted(o.pk for o in record.shared_read.all())),
        "shared_edit": ",".join(str(pk) for pk in sorted(o.pk for o in record.shared_edit.all())),
    }


def public_texts(incident: Incident) -> list[str]:
    """Every free text of the incident that the public site shows."""
    texts = [incident.title, incident.public_summary, incident.admin_area]
    for act in incident.acts.all():
        texts.append(act.victim_group)
        texts += [inv.perpetrator_description for inv in act.involvements.all()]
    return [text for text in texts if text]


def publication_problems(incident: Incident) -> list[NameProblem]:
    """Names in the public texts that the consent of the people involved does not allow."""
    return names_not_allowed(
        "\n".join(public_texts(incident)),
        incident.parties(),
        audience=Audience.PUBLIC,
    )


def _save_acts(incident: Incident, acts: list[ActInput], resolved: list) -> None:
    kept_ids = {act.id for act in acts if act.id}
    incident.acts.exclude(pk__in=kept_ids).delete()
    existing = {act.pk: act for act in incident.acts.filter(pk__in=kept_ids)}
    new_rows: list[Act] = []
    changed_rows: list[Act] = []
    for position, (data, (victim, _perpetrators)) in enumerate(zip(acts, resolved, strict=True)):
        row = existing.get(data.id) if data.id else None
        if row is None:
            row = Act(incident=incident)
            new_rows.append(row)
        else:
            changed_rows.append(row)
        row.position = position
        row.victim_kind = data.victim.kind
        row.victim_person = victim if isinstance(victim, Person) else None
        row.victim_organisation = victim if isinstance(victim, Organisation) else None
        row.victim_group = data.victim.name if data.victim.kind == VictimKind.GROUP else ""
        row.victim_count = data.victim_count
        row.violation_type = data.violation_type
        row.date = data.date
        row.end_date = data.end_date
        row.sphere = data.sphere
        row.consequences = data.consequences
    Act.objects.bulk_create(new_rows)
    # One UPDATE per act is several times faster than bulk_update's CASE expressions.
    fields = [f.attname for f in Act._meta.concrete_fields if f.name not in ("id", "incident")]
    for row in changed_rows:
        Act.objects.filter(pk=row.pk).update(**{name: getattr(row, name) for name in fields})
    rows = [row for row in (*new_rows, *changed_rows)]
    rows.sort(key=lambda r: r.position)

    # Gender dimensions and involvements are replaced wholesale for every act.
    Through = Act.gender_dimensions.through
    Through.objects.filter(act__in=changed_rows).delete()
    Through.objects.bulk_create(
        Through(act_id=row.pk, term_id=term.pk)
        for row, data in zip(rows, acts, strict=True)
        for term in data.gender_dimensions
    )
    Involvement.objects.filter(act__in=changed_rows).delete()
    Involvement.objects.bulk_create(
        Involvement(
            act=row,
            perpetrator_kind=inv.perpetrator.kind,
            perpetrator_person=who if isinstance(who, Person) else None,
            perpetrator_organisation=who if isinstance(who, Organisation) else None,
            perpetrator_description=(
                inv.perpetrator.name if inv.perpetrator.kind == PerpetratorKind.UNKNOWN else ""
            ),
            perpetrator_type=inv.perpetrator_type,
            state_relation=inv.state_relation,
            degree=inv.degree,
        )
        for row, data, (_victim, perpetrators) in zip(rows, acts, resolved, strict=True)
        for inv, who in zip(data.involvements, perpetrators, strict=True)
    )


def _save_sources(incident: Incident, sources: list[SourceInput]) -> None:
    kept_ids = {source.id for source in sources if source.id}
    incident.sources.exclude(pk__in=kept_ids).delete()
    existing = {source.pk: source for source in incident.sources.filter(pk__in=kept_ids)}
    for data in sources:
        row = existing.get(data.id) if data.id else None
        _fill_source(row or Source(incident=incident), data).save()


def _fill_source(row: Source, data: SourceInput) -> Source:
    row.name = data.name[:300]
    row.material_type = data.material_type
    row.reliability = data.reliability
    row.date = data.date
    row.language = data.language
    row.url = data.url
    row.independent = data.independent
    row.notes = data.notes
    return row


def add_source(*, user, incident: Incident, data: SourceInput) -> Source:
    """Add one source to an incident the user may edit, leaving the rest of it as it is."""
    incident = access.get_incident_for_user(user, incident.code, write=True)
    with transaction.atomic():
        count = incident.sources.count()
        row = _fill_source(Source(incident=incident), data)
        row.save()
        audit.record(
            actor=user,
            action=Action.UPDATE,
            obj=incident,
            changes=[{"field": "sources", "old": str(count), "new": str(count + 1)}],
        )
    return row


# ---------------------------------------------------------------- evidence

ACCEPTED_CONTENT_TYPES = {
    "application/pdf",
    "image/jpeg",
    "image/png",
    "image/gif",
    "image/webp",
    "audio/mpeg",
    "audio/ogg",
    "audio/x-wav",
    "video/mp4",
    "video/webm",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.oasis.opendocument.text",
    "text/plain",
}


def sniff_content_type(head: bytes) -> str | None:
    """The content type the bytes show, not the one the browser claimed."""
    kind = filetype.guess(head)
    if kind is not None:
        return kind.mime
    if b"\x00" in head:
        return None
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        # A multi-byte character may be cut at the end of the sniffed window.
        if exc.start < len(head) - 4:
            return None
    return "text/plain"


def add_evidence(
    *,
    user,
    incident: Incident,
    upload: UploadedFile,
    description: str = "",
    source: Source | None = None,
) -> EvidenceFile:
    """Store an evidence file with its SHA-256 after checking its size and content type."""
    access.get_incident_for_user(user, incident.code, write=True)
    if upload.size is None or upload.size > settings.EVIDENCE_MAX_BYTES:
        raise ValidationError(
            _("The file is larger than the limit of %(mb)s MB.")
            % {"mb": settings.EVIDENCE_MAX_BYTES // (1024 * 1024)}
        )
    if upload.size == 0:
        raise ValidationError(_("The file is empty."))
    digest = hashlib.sha256()
    head = b""
    for chunk in upload.chunks():
        if len(head) < 8192:
            head += chunk[: 8192 - len(head)]
        digest.update(chunk)
    content_type = sniff_content_type(head)
    if content_type not in ACCEPTED_CONTENT_TYPES:
        raise ValidationError(
            _("This kind of file is not accepted (%(type)s).")
            % {"type": content_type or _("unrecognised")}
        )
    if source is not None and source.incident_id != incident.pk:
        raise ValidationError(_("The source belongs to another incident."))
    evidence = EvidenceFile(
        incident=incident,
        source=source,
        original_name=upload.name or "evidence",
        content_type=content_type,
        size=upload.size,
        sha256=digest.hexdigest(),
        description=description,
        uploaded_by=user,
    )
    upload.seek(0)
    with transaction.atomic():
        evidence.file.save("evidence", ContentFile(upload.read()), save=False)
        evidence.save()
        audit.record(
            actor=user,
            action=Action.CREATE,
            obj=evidence,
            changes=audit.changed_fields({}, audit.snapshot(evidence)),
        )
    return evidence


def open_evidence(*, user, code: UUID | str) -> EvidenceFile:
    """An evidence file for download; every download is logged as an export."""
    evidence = access.get_evidence_for_user(user, code)
    audit.record(actor=user, action=Action.EXPORT, obj=evidence, detail={"kind": "download"})
    return evidence
