"""The incident editor's selects and checkboxes are written in Python (a template per
option took seconds for a form with many rows): the HTML is the one Django writes."""

import pytest
from django import forms

from solidarity.core.forms import (
    QuickSelect,
    TermCheckboxes,
    TermChoiceField,
    TermMultipleChoiceField,
    share_choices,
)
from tests.factories import term


def django_rendered(bound) -> str:
    """The field as Django's own widget templates write it."""
    widget = bound.field.widget
    plain = (forms.CheckboxSelectMultiple if isinstance(widget, TermCheckboxes) else forms.Select)(
        attrs=widget.attrs
    )
    plain.choices = widget.choices
    return bound.as_widget(widget=plain)


class Sample(forms.Form):
    violation = TermChoiceField("violation_types", required=True)
    sphere = TermChoiceField("spheres", widget=QuickSelect(attrs={"class": "wide", "data-x": '"'}))
    kind = forms.ChoiceField(choices=[("a", "A & <b>"), ("b", "B")], widget=QuickSelect)
    grouped = forms.ChoiceField(
        choices=[("G", [("1", "One"), ("2", "Two")]), ("3", "Three")], widget=QuickSelect
    )
    dimensions = TermMultipleChoiceField("gender_dimensions")
    tags = TermMultipleChoiceField("context_tags", widget=TermCheckboxes(attrs={"class": "tags"}))


@pytest.mark.parametrize(
    "data",
    [
        None,
        {},
        {"violation": "junk", "kind": "b", "grouped": "2", "dimensions": ["junk"]},
        "chosen",
    ],
    ids=["unbound", "empty", "junk", "chosen"],
)
@pytest.mark.parametrize("shared", [False, True], ids=["own choices", "shared choices"])
def test_the_quick_widgets_write_what_django_writes(vocab, data, shared):
    if data == "chosen":
        data = {
            "violation": str(term("violation_types", "arrest").pk),
            "sphere": str(term("spheres", "online").pk),
            "kind": "a",
            "grouped": "3",
            "dimensions": [str(t.pk) for t in term_list("gender_dimensions")[:2]],
            "tags": [str(term_list("context_tags")[0].pk)],
        }
    form = Sample(data)
    if shared:
        share_choices([form, Sample(data)])
    for bound in form:
        assert str(bound) == django_rendered(bound), bound.name


def term_list(vocabulary: str):
    from solidarity.vocab.models import Term

    return list(Term.objects.of(vocabulary))
