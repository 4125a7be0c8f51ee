"""Statements as HTML (Markdown through :mod:`solidarity.lib.markup`) and PDF (WeasyPrint)."""

from django.template.loader import render_to_string

from solidarity.lib.markup import ALLOWED_TAGS, markdown_to_html

__all__ = ["ALLOWED_TAGS", "markdown_to_html", "statement_pdf"]


def statement_pdf(context: dict) -> bytes:
    from weasyprint import HTML

    html = render_to_string("responses/statement_pdf.html", context)
    return HTML(string=html).write_pdf()
