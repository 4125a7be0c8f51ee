"""Markdown to safe HTML, and the text a reader sees of it.

python-markdown renders, the nh3 sanitiser keeps a short list of tags; the
standard library's HTML parser reads the visible text back (entities decoded,
tags dropped, block ends as line breaks). Every public rendering of a statement
and the consent check read the same rendering.
"""

from html.parser import HTMLParser

import markdown
import nh3

ALLOWED_TAGS = {"p", "ul", "ol", "li", "em", "strong", "a", "blockquote", "h2", "h3", "br"}

# Tags after which a browser starts a new line: their text never runs into the next.
BLOCK_TAGS = {
    "address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt", "figcaption",
    "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main",
    "nav", "ol", "p", "pre", "section", "table", "td", "th", "tr", "ul",
}  # fmt: skip


def markdown_to_html(text: str) -> str:
    html = markdown.markdown(text, output_format="html")
    return nh3.clean(html, tags=ALLOWED_TAGS, attributes={"a": {"href"}})


class _TextOf(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs) -> None:
        if tag in BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag) -> None:
        if tag in BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data) -> None:
        self.parts.append(data)


def html_text(html: str) -> str:
    """The text of an HTML fragment as a browser shows it: tags gone, entities decoded."""
    parser = _TextOf()
    parser.feed(html)
    parser.close()
    return "".join(parser.parts)


def visible_text(text: str) -> str:
    """What a reader sees of a Markdown (or plain, or HTML) text once rendered."""
    return html_text(markdown_to_html(text))
