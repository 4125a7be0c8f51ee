"""Markdown to safe HTML (python-markdown, then the nh3 sanitiser), and PDF (WeasyPrint)."""

import markdown
import nh3
from django.template.loader import render_to_string

ALLOWED_TAGS = {"p", "ul", "ol", "li", "em", "strong", "a", "blockquote", "h2", "h3", "br"}


def markdown_to_html(text: str) -> str:
    html = markdown.markdown(text, output_format="html")
    return nh3.clean(html, tags=ALLOWED_TAGS, attributes={"a": {"href"}})


def statement_pdf(context: dict) -> bytes:
    from weasyprint import HTML

    html = render_to_string("responses/statement_pdf.html", context)
    return HTML(string=html).write_pdf()
