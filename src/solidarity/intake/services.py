"""Intake: from a pasted text or uploaded files to a reviewed incident (keyword-only functions).

Every read goes through the access seam (an intake document is seen by the
members of its owning organisation alone, changed by its coordinators and
documenters); every write is audited without any text or name. Nothing is
created in the incident records before a documenter reviews the proposal and
accepts it (:func:`accept`) or attaches the document to an existing incident
(:func:`attach`).
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from uuid import UUID, uuid4

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from solidarity import audit
from solidarity.accounts import access
from solidarity.accounts.models import MemberOrganisation
from solidarity.audit.models import Action
from solidarity.context.models import Law
from solidarity.incidents import services as incidents
from solidarity.incidents.models import Incident, Source, VictimKind
from solidarity.intake.models import IntakeDocument, State
from solidarity.lib.fuzzydate import FuzzyDate
from solidarity.people.models import Organisation, Person
from solidarity.vocab.models import Term

logger = logging.getLogger(__name__)

PASTED_NAME = "pasted-text.txt"
# Reading and extracting takes well under a second a document: ten minutes means the worker died.
STALE_READING = timedelta(minutes=10)


# ---------------------------------------------------------------- reading


def documents_for(*, user) -> QuerySet[IntakeDocument]:
    """The intake documents the user may see (their organisations'), newest first."""
    return access.visible_to(user, IntakeDocument.objects.all()).order_by(
        "-created_at", "position", "id"
    )


def get_document_for_user(user, code: UUID | str, *, write: bool = False) -> IntakeDocument:
    """One intake document: 404 for those who may not see it, 403 for those who may not act."""
    try:
        document = documents_for(user=user).select_related("incident").get(code=code)
    except (IntakeDocument.DoesNotExist, ValueError, ValidationError) as exc:
        raise Http404 from exc
    if write and not access.can_edit(user, document):
        raise PermissionDenied
    return document


@dataclass
class BatchProgress:
    code: UUID
    documents: list[IntakeDocument]

    @property
    def total(self) -> int:
        return len(self.documents)

    @property
    def done(self) -> int:
        return sum(1 for d in self.documents if d.is_done)

    @property
    def finished(self) -> bool:
        return self.done == self.total

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 100


def batch_progress(*, user, code: UUID | str) -> BatchProgress:
    """The documents of one upload as the user may see them; 404 when none."""
    try:
        documents = list(
            documents_for(user=user)
            .filter(batch=code)
            .select_related("incident")
            .order_by("position", "id")
        )
    except (ValueError, ValidationError) as exc:
        raise Http404 from exc
    if not documents:
        raise Http404
    for document in documents:
        if document.state == State.READING and timezone.now() - document.updated_at > STALE_READING:
            # The worker stopped mid-way (killed, restarted): say so rather than wait forever.
            _fail(
                document,
                audit.snapshot(document),
                _("Reading stopped before the end: upload the file again."),
            )
    return BatchProgress(code=documents[0].batch, documents=documents)


# ---------------------------------------------------------------- input


def _audit_created(user, documents: list[IntakeDocument]) -> None:
    audit.record_many(
        actor=user,
        entries=[
            audit.Entry(Action.CREATE, d, audit.changed_fields({}, audit.snapshot(d)))
            for d in documents
        ],
    )


def _state_change(actor, document: IntakeDocument, before: dict, **detail) -> None:
    audit.record(
        actor=actor,
        action=Action.UPDATE,
        obj=document,
        changes=audit.changed_fields(before, audit.snapshot(document)),
        detail=detail or None,
    )


def paste(
    *,
    user,
    text: str,
    published: date | None = None,
    source_name: str = "",
    source_url: str = "",
    owner: MemberOrganisation | None = None,
) -> IntakeDocument:
    """Keep a pasted text and extract its proposed record at once (it takes milliseconds)."""
    owner = incidents.owner_for_new_record(user=user, owner=owner)
    if not text.strip():
        raise ValidationError(_("Paste the text of a report or statement."))
    data = text.encode("utf-8")
    document = IntakeDocument(
        owner=owner,
        uploaded_by=user,
        name="",
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
        content_type="text/plain",
        published=published,
        source_name=source_name.strip(),
        source_url=source_url.strip(),
        state=State.READING,
    )
    with transaction.atomic():
        # The text as pasted is the original, kept (encrypted) for the evidence.
        document.file.save("intake", ContentFile(data), save=False)
        document.save()
        _audit_created(user, [document])
    _read_and_extract(document, data=None, pasted=text)
    return document


def upload(
    *,
    user,
    files: Iterable[tuple[str, bytes]],
    published: date | None = None,
    source_name: str = "",
    source_url: str = "",
    owner: MemberOrganisation | None = None,
) -> UUID:
    """Keep uploaded files (zips expanded) and queue one background job per readable file.

    A file that cannot be read is kept as a failed document with the reason;
    the rest of the batch goes on. Returns the batch's code.
    """
    from solidarity.intake.readers import UnreadableDocument, expand_batch

    owner = incidents.owner_for_new_record(user=user, owner=owner)
    batch = uuid4()
    documents = []
    with transaction.atomic():
        for position, (name, content) in enumerate(expand_batch(list(files))):
            document = IntakeDocument(
                owner=owner,
                uploaded_by=user,
                batch=batch,
                position=position,
                name=name[:255],
                published=published,
                source_name=source_name.strip(),
                source_url=source_url.strip(),
            )
            if isinstance(content, UnreadableDocument):
                document.state = State.FAILED
                document.error = str(content) or _("This file could not be read.")
            else:
                # Size and emptiness are the reader's to judge, with its reasons.
                document.sha256 = hashlib.sha256(content).hexdigest()
                document.size = len(content)
                document.file.save("intake", ContentFile(content), save=False)
            document.save()
            documents.append(document)
        if not documents:
            raise ValidationError(_("Choose one or more files."))
        _audit_created(user, documents)
    from solidarity.intake.tasks import read_document

    for document in documents:
        if document.state == State.QUEUED:
            # Only the record's code goes into the job queue: never a name or a text.
            read_document.enqueue(str(document.code))
    return batch


def process(code: UUID | str) -> None:
    """The background job: read one queued document and extract its proposed record."""
    document = IntakeDocument.objects.filter(code=code, state=State.QUEUED).first()
    if document is None:
        return
    try:
        before = _claim(document, actor=None, to=State.READING, allowed=(State.QUEUED,))
    except ValidationError:
        return  # another worker took it
    try:
        with document.file.open("rb") as handle:
            data = handle.read()
    except Exception as exc:  # noqa: BLE001 - the reason is shown, the details are not logged
        logger.warning("intake document %s: stored file unreadable (%s)", code, type(exc).__name__)
        _fail(document, before, _("The stored file could not be opened."))
        return
    _read_and_extract(document, data=data, before=before)


def _fail(document: IntakeDocument, before: dict, reason: str) -> None:
    document.state = State.FAILED
    document.error = reason
    with transaction.atomic():
        document.save(update_fields=["state", "error", "updated_at"])
        _state_change(None, document, before, by="intake job")


def fail_job(code: UUID | str) -> None:
    """A job that broke off: the document says so (audited) instead of waiting forever."""
    document = IntakeDocument.objects.filter(
        code=code, state__in=[State.QUEUED, State.READING]
    ).first()
    if document is not None:
        _fail(document, audit.snapshot(document), _("This file could not be read."))


def _claim(document: IntakeDocument, *, actor, to: str, allowed=(State.EXTRACTED,)) -> dict:
    """Move the document on from one of the ``allowed`` states, once.

    A conditional UPDATE, so that a second click, a second tab or a second
    worker finds the document already taken and does nothing. Audited.
    Returns the snapshot from before, for the caller's own audit entry.
    """
    before = audit.snapshot(document)
    moved = IntakeDocument.objects.filter(pk=document.pk, state__in=allowed).update(
        state=to, updated_at=timezone.now()
    )
    if moved != 1:
        raise ValidationError(_("This document has already been reviewed or could not be read."))
    document.state = to
    _state_change(actor, document, before, by="intake job" if actor is None else "review")
    return audit.snapshot(document)


def _read_and_extract(
    document: IntakeDocument,
    *,
    data: bytes | None,
    pasted: str | None = None,
    before: dict | None = None,
) -> None:
    """Read (file bytes or pasted text), extract, store; failures become a stated reason."""
    from solidarity.intake import readers
    from solidarity.intake.extraction import extract

    before = before if before is not None else audit.snapshot(document)
    try:
        if pasted is not None:
            read = readers.read_text(pasted, name=document.name)
        else:
            read = readers.read_document(document.name, data)
    except readers.UnreadableDocument as exc:
        _fail(document, before, str(exc) or _("This file could not be read."))
        return
    except Exception as exc:  # noqa: BLE001
        # Never log the message: it may quote the document.
        logger.warning("intake document %s: reader failed (%s)", document.code, type(exc).__name__)
        _fail(document, before, _("This file could not be read."))
        return
    if not read.text.strip():
        _fail(document, before, _("No text was found in this file."))
        return
    published = document.published or read.published
    try:
        extraction = extract(read.text, published=published)
    except Exception as exc:  # noqa: BLE001
        logger.warning(
            "intake document %s: extraction failed (%s)", document.code, type(exc).__name__
        )
        _fail(document, before, _("No record could be proposed from this text."))
        return
    document.text = read.text
    document.title = (read.title or headline(read.text))[:500]
    document.published = published
    if read.content_type and pasted is None:
        document.content_type = read.content_type[:100]
    document.language = extraction.language or ""
    document.extraction_json = json.dumps(extraction.to_dict(), ensure_ascii=False)
    document.state = State.EXTRACTED
    document.error = ""
    with transaction.atomic():
        document.save()
        _state_change(
            None if pasted is None else document.uploaded_by,
            document,
            before,
            by="intake job" if pasted is None else "paste",
        )


# ---------------------------------------------------------------- review


@dataclass
class VictimDecision:
    name: str
    kind: str  # VictimKind
    sex: Term | None = None
    roles: list[Term] = field(default_factory=list)


@dataclass
class Decisions:
    """What the documenter accepted, as edited on the review page."""

    title: str
    country: str = ""
    admin_area: str = ""
    place: str = ""
    date: FuzzyDate = field(default_factory=FuzzyDate)
    narrative: str = ""
    violation_types: list[Term] = field(default_factory=list)
    victims: list[VictimDecision] = field(default_factory=list)
    perpetrator_type: Term | None = None
    perpetrator_description: str = ""
    laws: list[Law] = field(default_factory=list)
    other_laws: list[str] = field(default_factory=list)
    un_mechanisms: list[Term] = field(default_factory=list)
    organisations: list[str] = field(default_factory=list)
    source: incidents.SourceInput | None = None


def normalise(text: str) -> str:
    """Lower case, accents and punctuation off, spaces collapsed (for comparing names)."""
    text = unicodedata.normalize("NFKC", text or "").casefold()
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    text = re.sub(r"[^\w]+", " ", text)
    return " ".join(text.split())


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def match_party(*, user, name: str, kind: str) -> Person | Organisation | None:
    """An existing person or organisation the user may see, by exact (normalised) name.

    Organisations match their name or one of their other names. Persons match
    their display name, or (compared after decryption, over the few persons of
    that display name only) nothing else: legal names and aliases are encrypted
    and never searched.
    """
    wanted = normalise(name)
    if not wanted:
        return None
    if kind == VictimKind.ORGANISATION:
        candidates = access.visible_to(
            user,
            Organisation.objects.filter(
                Q(name__iexact=name.strip()) | Q(other_names__icontains=name.strip())
            ),
        )
        matches = [
            organisation
            for organisation in candidates.order_by("pk")[:20]
            if any(
                normalise(n) == wanted
                for n in [organisation.name, *_lines(organisation.other_names)]
            )
        ]
        return matches[0] if len(matches) == 1 else None
    if kind == VictimKind.PERSON:
        # Linked only when exactly one person answers to the name: two namesakes are the
        # documenter's to tell apart, not ours.
        persons = list(
            access.visible_to(user, Person.objects.filter(display_name__iexact=name.strip()))[:2]
        )
        return persons[0] if len(persons) == 1 else None
    return None


_LAW_NOISE = {"the", "draft", "recent", "new", "of", "on", "and", "s", "china", "chinese", "law"}


def _law_words(text: str) -> set[str]:
    return {w for w in normalise(text).split() if w not in _LAW_NOISE}


def match_law(name: str, *, country: str = "") -> Law | None:
    """A recorded law whose title matches the name as written (laws are shared reference data)."""
    laws = Law.objects.all()
    if country:
        laws = laws.filter(country=country)
    exact = laws.filter(title__iexact=name.strip()).first()
    if exact:
        return exact
    words = _law_words(name)
    if not words:
        return None
    best, best_score = None, 0.0
    for law in laws[:500]:
        theirs = _law_words(law.title)
        if not theirs:
            continue
        score = len(words & theirs) / len(words | theirs)
        if score > best_score:
            best, best_score = law, score
    return best if best_score >= 0.5 else None


def headline(text: str) -> str:
    """The text's headline: the first paragraph among the first few that is one short line.

    A letterhead (several short lines) is passed over; failing that, the first line.
    """
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", text or "") if p.strip()]
    for paragraph in paragraphs[:5]:
        if "\n" not in paragraph and 10 <= len(paragraph) <= 200:
            return paragraph.strip(" *#\t")
    for line in (text or "").splitlines():
        line = line.strip(" *#\t")
        if line:
            return line
    return ""


def proposed_title(document: IntakeDocument) -> str:
    return (document.title or headline(document.text) or str(_("Intake document")))[:300]


def _evidence_upload(document: IntakeDocument) -> list[SimpleUploadedFile]:
    """The original file, then the text as UTF-8 (stored if the original is refused)."""
    uploads = []
    if document.file:
        with document.file.open("rb") as handle:
            uploads.append(SimpleUploadedFile(document.name or PASTED_NAME, handle.read()))
    base = (document.name or PASTED_NAME).rsplit(".", 1)[0] or "document"
    uploads.append(SimpleUploadedFile(f"{base}.txt", document.text.encode("utf-8")))
    return uploads


def _keep_evidence(*, user, document: IntakeDocument, incident: Incident, source: Source) -> None:
    """The original file as evidence, or its text when the file's type is not accepted."""
    refusal: ValidationError | None = None
    for upload_ in _evidence_upload(document):
        try:
            incidents.add_evidence(
                user=user,
                incident=incident,
                upload=upload_,
                source=source,
                description=_("The document brought in through intake."),
            )
            return
        except ValidationError as error:
            refusal = error  # e.g. an HTML or non-UTF-8 file: keep its text instead
    # Neither could be kept: nothing is created (the caller's transaction rolls back).
    raise refusal or ValidationError(_("The document could not be kept as evidence."))


def _source_notes(decisions: Decisions) -> str:
    notes = []
    if decisions.un_mechanisms:
        notes.append(
            _("UN mechanisms mentioned: %(list)s")
            % {"list": ", ".join(str(t) for t in decisions.un_mechanisms)}
        )
    if decisions.organisations:
        notes.append(
            _("Organisations mentioned: %(list)s") % {"list": "; ".join(decisions.organisations)}
        )
    return "\n".join(notes)


def _mark_reviewed(*, user, document: IntakeDocument, incident: Incident, how: str) -> None:
    """Link the claimed document to its incident (it is REVIEWED since :func:`_claim`)."""
    before = audit.snapshot(document)
    document.incident = incident
    document.reviewed_by = user
    document.reviewed_at = timezone.now()
    document.save(update_fields=["state", "incident", "reviewed_by", "reviewed_at", "updated_at"])
    _state_change(user, document, before, outcome=how)


def accept(*, user, code: UUID | str, decisions: Decisions) -> Incident:
    """Create the incident the documenter accepted, with the document kept as its source.

    One act per accepted victim and violation type, an involvement of the
    accepted perpetrator type, links to recorded laws, a source with the
    original file (or text) as evidence with its SHA-256: all in one
    transaction through the incidents services, or nothing.
    """
    document = get_document_for_user(user, code, write=True)
    if document.state != State.EXTRACTED:
        raise ValidationError(_("This document has already been reviewed or could not be read."))
    if not decisions.title.strip():
        raise ValidationError(_("Give the incident a title."))
    incident = Incident(
        title=decisions.title.strip()[:300],
        country=decisions.country,
        admin_area=decisions.admin_area.strip()[:200],
        place=decisions.place.strip()[:200],
        narrative=decisions.narrative.strip(),
        related_laws="\n".join(decisions.other_laws),
    )
    incident.date = decisions.date
    involvements = []
    if decisions.perpetrator_type or decisions.perpetrator_description.strip():
        involvements.append(
            incidents.InvolvementInput(
                perpetrator=incidents.PartyRef(
                    kind="unknown",
                    name=(
                        decisions.perpetrator_description.strip() or str(decisions.perpetrator_type)
                    )[:300],
                ),
                perpetrator_type=decisions.perpetrator_type,
            )
        )
    refs = []
    for victim in decisions.victims:
        if victim.kind == VictimKind.GROUP:
            refs.append(incidents.PartyRef(kind=victim.kind, name=victim.name.strip()[:300]))
            continue
        existing = match_party(user=user, name=victim.name, kind=victim.kind)
        if existing is not None:
            refs.append(incidents.PartyRef(kind=victim.kind, code=existing.code))
        else:
            # A new person gets the sex and roles accepted on the review page.
            refs.append(
                incidents.PartyRef(
                    kind=victim.kind,
                    name=victim.name.strip()[:200],
                    sex=victim.sex if victim.kind == VictimKind.PERSON else None,
                    roles=list(victim.roles) if victim.kind == VictimKind.PERSON else [],
                )
            )
    acts = [
        incidents.ActInput(
            victim=ref,
            violation_type=violation,
            date=decisions.date,
            involvements=list(involvements),
        )
        for ref in refs
        for violation in decisions.violation_types
    ]
    source = decisions.source or incidents.SourceInput(name=_("Intake document"))
    if not source.notes:
        source.notes = _source_notes(decisions)
    with transaction.atomic():
        _claim(document, actor=user, to=State.REVIEWED)
        incidents.save_incident(
            user=user,
            incident=incident,
            context_tags=[],
            acts=acts,
            sources=[source],
            owner=document.owner,
            laws=decisions.laws,
        )
        _keep_evidence(
            user=user, document=document, incident=incident, source=incident.sources.get()
        )
        _mark_reviewed(user=user, document=document, incident=incident, how="created incident")
    return incident


def reject(*, user, code: UUID | str) -> IntakeDocument:
    """The document reports nothing to record: keep it as rejected, create nothing."""
    document = get_document_for_user(user, code, write=True)
    with transaction.atomic():
        before = _claim(
            document, actor=user, to=State.REJECTED, allowed=(State.EXTRACTED, State.FAILED)
        )
        document.reviewed_by = user
        document.reviewed_at = timezone.now()
        document.save(update_fields=["reviewed_by", "reviewed_at", "updated_at"])
        _state_change(user, document, before, outcome="rejected")
    return document


def attach(
    *,
    user,
    code: UUID | str,
    incident_code: UUID | str,
    source: incidents.SourceInput | None = None,
) -> Incident:
    """Add the document as a new source (with its evidence) to an incident the user may edit."""
    document = get_document_for_user(user, code, write=True)
    incident = access.get_incident_for_user(user, incident_code, write=True)
    data = source or incidents.SourceInput(name=proposed_title(document))
    with transaction.atomic():
        _claim(document, actor=user, to=State.REVIEWED)
        row = incidents.add_source(user=user, incident=incident, data=data)
        _keep_evidence(user=user, document=document, incident=incident, source=row)
        _mark_reviewed(user=user, document=document, incident=incident, how="attached as source")
    return incident
