"""How a person or organisation is referred to in a free-text form field.

An existing record is written as ``Name [uuid]`` (what the suggestion list
offers); anything else is the name of a new record.
"""

import re
from uuid import UUID

from solidarity.people.models import Organisation, Person

_CODE_SUFFIX = re.compile(r"\s*\[([0-9a-fA-F-]{36})\]\s*$")


def party_reference(party: Person | Organisation) -> str:
    return f"{party} [{party.code}]"


def parse_reference(text: str) -> tuple[UUID | None, str]:
    """Split ``Name [uuid]`` into (uuid, name); plain text gives (None, text)."""
    text = (text or "").strip()
    match = _CODE_SUFFIX.search(text)
    if not match:
        return None, text
    try:
        return UUID(match.group(1)), text[: match.start()].strip()
    except ValueError:
        return None, text
