"""Helpers shared by the intake tests: the seed statement, and submitting a review form as shown."""

import os
from pathlib import Path

import pytest

# The coalition's statement on the closure of the Zhongze centre (the reference case). It is
# not copied into the repository: it is read from the workplace's shared folder, beside the
# checkout, or from SOLIDARITY_SEED_STATEMENT; the tests that need it skip without it.
_NAME = "000_96cc53fc8c30ddda.txt"
_PLACES = [
    os.environ.get("SOLIDARITY_SEED_STATEMENT", ""),
    str(Path(__file__).resolve().parents[3] / "shared" / "seed" / _NAME),
    f"/work/shared/seed/{_NAME}",
]
SEED = next((Path(p) for p in _PLACES if p and Path(p).is_file()), Path(_PLACES[-1]))
CENTRE = "Beijing Zhongze Women's Legal Counseling and Service Centre"


def seed_text() -> str:
    if not SEED.is_file():
        pytest.skip("the seed statement is not on this machine")
    return SEED.read_text(encoding="utf-8")


def form_data(form, **changes) -> dict:
    """What the browser would send for the form as rendered, with some fields changed."""
    data = {}
    for field in form:
        value = field.value()
        if hasattr(value, "iso"):  # a fuzzy date: its box and its "estimated" tick
            data[field.html_name] = value.iso()
            if value.estimated:
                data[f"{field.html_name}_estimated"] = "on"
            continue
        if value is None or value is False:
            continue
        if value is True:
            data[field.html_name] = "on"
        elif isinstance(value, list | tuple):
            data[field.html_name] = [getattr(v, "pk", v) for v in value]
        else:
            data[field.html_name] = getattr(value, "pk", value)
    for name, value in changes.items():
        if value is None:
            data.pop(name, None)
        else:
            data[name] = value
    return data
