"""The public site: published incidents for anonymous visitors, shown through disclosure."""

from django.contrib.auth.decorators import login_not_required
from django.contrib.syndication.views import Feed
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.feedgenerator import Atom1Feed
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from solidarity.public import services
from solidarity.responses import services as responses
from solidarity.responses.models import LANGUAGES
from solidarity.responses.rendering import markdown_to_html
from solidarity.responses.rendering import statement_pdf as statement_pdf_bytes


@login_not_required
@require_GET
def incident_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(services.published_incidents(), per_page=25).get_page(request.GET.get("page"))
    page.object_list = services.safe(page.object_list)
    return render(
        request,
        "public/list.html",
        {"page": page, "statements": responses.safe_published(limit=20)},
    )


@login_not_required
@require_GET
def incident_detail(request: HttpRequest, code) -> HttpResponse:
    incident = services.get_published_incident(code)
    return render(
        request,
        "public/detail.html",
        {"incident": incident, "acts": services.public_acts(incident)},
    )


def _statement_context(code, language: str) -> dict:
    response = responses.get_published(code)
    version = response.latest(language)
    if version is None:
        raise Http404
    return {
        "response": response,
        "language": language,
        "languages": [(c, label) for c, label in LANGUAGES if c in response.languages()],
        "body": mark_safe(markdown_to_html(version.text)),  # noqa: S308 (sanitised)
        "signatories": responses.signatories(response),
        "notes": response.notes.all(),
    }


@login_not_required
@require_GET
def statement(request: HttpRequest, code, language: str) -> HttpResponse:
    context = _statement_context(code, language)
    with translation.override(language):
        return render(request, "responses/statement.html", context)


@login_not_required
@require_GET
def statement_pdf(request: HttpRequest, code, language: str) -> HttpResponse:
    context = _statement_context(code, language)
    with translation.override(language):
        pdf = statement_pdf_bytes(context)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="statement-{code}-{language}.pdf"'
    return response


class StatementFeed(Feed):
    """An Atom feed of the coalition's published statements."""

    feed_type = Atom1Feed
    title = gettext_lazy("Solidarity: published statements")
    description = gettext_lazy("Joint statements and appeals published by the coalition.")

    def link(self):
        return reverse("public:list")

    def items(self):
        return responses.safe_published(limit=50)

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        language = item.languages()[0]
        return markdown_to_html(item.latest(language).text)

    def item_link(self, item):
        return reverse("public:statement", args=[item.code, item.languages()[0]])

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        note = item.notes.last()
        return note.created_at if note else item.published_at


statement_feed = login_not_required(StatementFeed())
