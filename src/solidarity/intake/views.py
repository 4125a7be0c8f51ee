"""Intake pages: bring a document in, follow a batch, review a proposal, accept or reject it."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from solidarity.accounts import access
from solidarity.intake import duplicates, services
from solidarity.intake.forms import AttachForm, IntakeForm, ReviewForm
from solidarity.intake.models import State

RECENT = 20


# ---------------------------------------------------------------- input


@require_http_methods(["GET", "POST"])
def intake_new(request: HttpRequest) -> HttpResponse:
    access.require_add(request.user)
    organisations = access.writer_organisations(request.user)
    form = IntakeForm(request.POST or None, request.FILES or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        common = {
            "user": request.user,
            "published": data["published"],
            "source_name": data["source_name"],
            "source_url": data["source_url"],
            "owner": data.get("owner"),
        }
        try:
            if data["text"].strip():
                document = services.paste(text=data["text"], **common)
                return redirect(document)
            # Sizes and counts were checked by the form: only now are the files read.
            batch = services.upload(files=form.file_contents(), **common)
            return redirect("intake:batch", batch)
        except ValidationError as exc:
            form.add_error(None, exc)
    recent = list(services.documents_for(user=request.user)[:RECENT])
    status = 400 if request.method == "POST" else 200
    return render(request, "intake/new.html", {"form": form, "recent": recent}, status=status)


@require_GET
def batch_detail(request: HttpRequest, code) -> HttpResponse:
    progress = services.batch_progress(user=request.user, code=code)
    context = {"progress": progress, "states": State}
    if request.htmx:
        return render(request, "intake/_progress.html", context)
    return render(request, "intake/batch.html", context)


# ---------------------------------------------------------------- review


@dataclass
class Mark:
    start: int
    end: int
    key: str
    anchor: str
    label: str


def marks_for(extraction) -> tuple[list[Mark], dict[str, list[dict]]]:
    """Every span supporting a proposed value, and per proposal the links to its spans."""
    marks: list[Mark] = []
    links: dict[str, list[dict]] = {}
    text = extraction.text

    def add(key: str, spans, label: str) -> None:
        for n, span in enumerate(spans or []):
            start, end = max(0, span.start), min(len(text), span.end)
            if end <= start:
                continue
            anchor = f"mark-{key}-{n}"
            marks.append(Mark(start, end, key, anchor, label))
            links.setdefault(key, []).append({"anchor": anchor, "text": text[start:end]})

    add("attack", extraction.attack_spans, _("attack"))
    for i, p in enumerate(extraction.violation_types):
        add(f"violation-{i}", p.spans, p.label)
    for i, v in enumerate(extraction.victims):
        add(f"victim-{i}", v.spans, v.name)
        add(f"victim-{i}-sex", v.sex_spans, v.sex)
        add(f"victim-{i}-roles", v.role_spans, ", ".join(v.roles))
    for name in ("country", "region", "city", "perpetrator_type"):
        proposal = getattr(extraction, name)
        if proposal is not None:
            add(name.replace("_", "-"), proposal.spans, proposal.label)
    add("date", extraction.date.spans, _("date"))
    for field_name, key in (
        ("laws", "law"),
        ("un_mechanisms", "mechanism"),
        ("organisations", "organisation"),
    ):
        for i, p in enumerate(getattr(extraction, field_name)):
            add(f"{key}-{i}", p.spans, p.label)
    return marks, links


def highlighted(text: str, marks: list[Mark]) -> SafeString:
    """The text, escaped piece by piece, with a <mark> around each supporting span."""
    cuts = sorted({0, len(text), *(m.start for m in marks), *(m.end for m in marks)})
    pieces: list[str] = []
    for start, end in zip(cuts, cuts[1:], strict=False):
        piece = escape(text[start:end])
        covering = [m for m in marks if m.start <= start and m.end >= end]
        if not covering:
            pieces.append(piece)
            continue
        beginning = [m for m in covering if m.start == start]
        for extra in beginning[1:]:
            pieces.append(format_html('<span class="anchor" id="{}"></span>', extra.anchor))
        kinds = " ".join(sorted({f"k-{m.key.split('-')[0]}" for m in covering}))
        title = "; ".join(dict.fromkeys(m.label for m in covering if m.label))
        if beginning:
            pieces.append(
                format_html(
                    '<mark id="{}" class="{}" title="{}">{}</mark>',
                    beginning[0].anchor,
                    kinds,
                    title,
                    piece,
                )
            )
        else:
            pieces.append(format_html('<mark class="{}" title="{}">{}</mark>', kinds, title, piece))
    # Every piece above was escaped or built with format_html.
    return mark_safe("".join(str(p) for p in pieces))  # noqa: S308


def _facts(form: ReviewForm, document) -> duplicates.Facts:
    extraction = form.extraction
    initial = form.initial
    return duplicates.Facts(
        text=document.text,
        title=initial.get("title", ""),
        victim_names=[v.name for v in extraction.victims],
        country=initial.get("country") or "",
        place=initial.get("place") or initial.get("admin_area") or "",
        date=initial.get("date"),
    )


def _render_review(request, document, *, form=None, status=200) -> HttpResponse:
    extraction = document.extraction() if document.state == State.EXTRACTED else None
    context = {
        "document": document,
        "states": State,
        "can_change": access.can_edit(request.user, document),
    }
    if extraction is not None:
        form = form or ReviewForm(document=document, extraction=extraction, user=request.user)
        marks, links = marks_for(extraction)
        groups = {}
        for group in ("violation", "victim", "law", "mechanism", "organisation"):
            rows = getattr(form, f"{group}_rows")
            for row in rows:
                row["links"] = links.get(row["key"], [])
                if group == "victim":
                    row["links"] += links.get(f"{row['key']}-sex", [])
                    row["links"] += links.get(f"{row['key']}-roles", [])
                row["accept_field"] = form[row["accept"]]
                names = row.get("fields") or [row["field"]]
                row["bound"] = [form[name] for name in names]
            groups[group] = rows
        single = {
            key.replace("-", "_"): links.get(key, [])
            for key in ("attack", "country", "region", "city", "date", "perpetrator-type")
        }
        context.update(
            form=form,
            extraction=extraction,
            text=highlighted(extraction.text, marks),
            groups=groups,
            single=single,
            candidates=duplicates.find_duplicates(user=request.user, facts=_facts(form, document)),
        )
    return render(request, "intake/review.html", context, status=status)


@require_http_methods(["GET", "POST"])
def review(request: HttpRequest, code) -> HttpResponse:
    if request.method == "GET":
        document = services.get_document_for_user(request.user, code)
        return _render_review(request, document)
    document = services.get_document_for_user(request.user, code, write=True)
    if document.state != State.EXTRACTED:
        return _render_review(request, document, status=400)
    form = ReviewForm(
        request.POST, document=document, extraction=document.extraction(), user=request.user
    )
    if form.is_valid():
        try:
            incident = services.accept(
                user=request.user, code=document.code, decisions=form.decisions()
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The incident was created from the document."))
            return redirect(incident)
    return _render_review(request, document, form=form, status=400)


@require_POST
def reject(request: HttpRequest, code) -> HttpResponse:
    try:
        services.reject(user=request.user, code=code)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("intake:review", code)
    messages.success(request, _("The document was rejected; nothing was recorded from it."))
    return redirect("intake:new")


@require_POST
def attach(request: HttpRequest, code, incident_code) -> HttpResponse:
    document = services.get_document_for_user(request.user, code, write=True)
    form = AttachForm(request.POST)
    if not form.is_valid():
        if document.state != State.EXTRACTED:
            return _render_review(request, document, status=400)
        # The review page again, as posted, with the source fields' errors.
        shown = ReviewForm(
            request.POST,
            document=document,
            extraction=document.extraction(),
            user=request.user,
            attaching=True,
        )
        return _render_review(request, document, form=shown, status=400)
    try:
        incident = services.attach(
            user=request.user,
            code=document.code,
            incident_code=incident_code,
            source=form.source_input(document),
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(reverse("intake:review", args=[document.code]))
    messages.success(request, _("The document was added as a source of this incident."))
    return redirect(incident)
