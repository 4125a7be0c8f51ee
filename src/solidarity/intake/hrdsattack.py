"""Articles of the HRDsAttack dataset as the extraction reads them (evaluation and training)."""

from __future__ import annotations

import html
from datetime import date, datetime
from typing import Any

from bs4 import BeautifulSoup


def article_text(sample: dict[str, Any]) -> str:
    """The title, then one paragraph of the article per line, as plain text."""
    lines = [html.unescape(str(sample.get("Input.title") or "")).strip()]
    soup = BeautifulSoup(str(sample.get("Input.article_interface") or ""), "html.parser")
    paragraphs = soup.find_all("p")
    if paragraphs:
        texts = [paragraph.get_text(" ", strip=True) for paragraph in paragraphs]
    else:
        texts = soup.get_text("\n").splitlines()
    lines.extend(" ".join(html.unescape(text).split()) for text in texts)
    return "\n".join(line for line in lines if line)


def publication_date(value: Any) -> date | None:
    """``"2019-09-17 02:48:13"`` (or with a fraction or an offset) as a date; None if unreadable."""
    if not value:
        return None
    text = str(value).strip()
    try:
        return datetime.fromisoformat(text).date()
    except ValueError:
        pass
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        return None
