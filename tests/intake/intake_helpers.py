"""Helpers shared by the intake tests: the seed statement, and submitting a review form as shown."""

from pathlib import Path

# The coalition's statement on the closure of the Zhongze centre (the reference case).
SEED = Path("/work/shared/seed/000_96cc53fc8c30ddda.txt")
CENTRE = "Beijing Zhongze Women's Legal Counseling and Service Centre"


def seed_text() -> str:
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
