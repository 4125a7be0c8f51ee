"""Forms of the UN engagement pages."""

from django import forms
from django.utils.translation import gettext_lazy as _

from solidarity.core.countries import country_choices
from solidarity.core.forms import (
    BoundedModelChoiceField,
    BoundedModelMultipleChoiceField,
    FuzzyDateField,
    TermChoiceField,
    bounded_formfield,
)
from solidarity.un.models import (
    CONFIRMED,
    MECHANISMS,
    EngagementType,
    MilestoneType,
    ReprisalStatus,
    ReviewCycle,
)
from solidarity.vocab.models import Term


class DateInput(forms.DateInput):
    input_type = "date"


def _mechanism_field(**kwargs) -> TermChoiceField:
    field = TermChoiceField(MECHANISMS, label=_("Mechanism"), required=True, **kwargs)
    field.queryset = field.queryset.active()
    return field


class EngagementForm(forms.Form):
    engagement_type = forms.ChoiceField(label=_("Engagement"), choices=EngagementType.choices)
    date = FuzzyDateField(label=_("Date"), required=True)
    mechanism = _mechanism_field()
    cycle = BoundedModelChoiceField(
        label=_("Review cycle"), queryset=ReviewCycle.objects.none(), required=False
    )
    document_reference = forms.CharField(
        label=_("Document reference"), max_length=300, required=False
    )
    notes = forms.CharField(
        label=_("Notes"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args, cycles=None, **kwargs):
        super().__init__(*args, **kwargs)
        if cycles is not None:
            self.fields["cycle"].queryset = cycles


class DecisionForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Decision"),
        choices=[(s.value, s.label) for s in (*CONFIRMED, ReprisalStatus.DISMISSED)],
    )
    note = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class CycleForm(forms.Form):
    country = forms.ChoiceField(label=_("State"), choices=lambda: [("", "—"), *country_choices()])
    mechanism = _mechanism_field()
    label = forms.CharField(
        label=_("Cycle"), max_length=200, help_text=_("For example '7th–8th combined'.")
    )
    notes = forms.CharField(
        label=_("Notes"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class MilestoneForm(forms.Form):
    type = forms.ChoiceField(label=_("Milestone"), choices=MilestoneType.choices)
    due_date = forms.DateField(label=_("Due date"), widget=DateInput)
    actual_date = forms.DateField(label=_("Actual date"), widget=DateInput, required=False)
    document_symbol = forms.CharField(label=_("Document symbol"), max_length=100, required=False)


class RecommendationForm(forms.Form):
    paragraph = forms.CharField(label=_("Paragraph"), max_length=32, help_text=_("E.g. 186.88."))
    text = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 3}))
    follow_up_requested = forms.BooleanField(label=_("Follow-up requested"), required=False)


class SubmissionForm(forms.Form):
    organisation = BoundedModelChoiceField(label=_("Submitted by"), queryset=None)
    title = forms.CharField(label=_("Title"), max_length=300)
    date = forms.DateField(label=_("Date"), widget=DateInput)
    document_reference = forms.CharField(
        label=_("Document reference"), max_length=300, required=False
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations


class SPCommunicationForm(forms.Form):
    mandates = BoundedModelMultipleChoiceField(
        queryset=Term.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        label=_("Special Procedures mandates"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        special = Term.objects.of("un_mechanisms").filter(code="special_procedures").first()
        mandates = (
            Term.objects.subtree(special).exclude(pk=special.pk) if special else Term.objects.none()
        )
        self.fields["mandates"].queryset = mandates.active()
        self.fields["mandates"].initial = list(mandates.filter(code="sr_hrd"))
        self.fields["mandates"].label_from_instance = lambda term: term.label


class SGInputForm(forms.Form):
    period_start = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    period_end = forms.DateField(label=_("To"), widget=forms.DateInput(attrs={"type": "date"}))


class CommunicationForm(forms.ModelForm):
    class Meta:
        from solidarity.un.models import Communication

        model = Communication
        formfield_callback = bounded_formfield
        fields = [
            "text",
            "reference",
            "sent_on",
            "state_reply_on",
            "state_reply",
            "sg_report_reference",
        ]
        widgets = {
            "text": forms.Textarea(attrs={"rows": 20}),
            "state_reply": forms.Textarea(attrs={"rows": 3}),
            "sent_on": forms.DateInput(attrs={"type": "date"}),
            "state_reply_on": forms.DateInput(attrs={"type": "date"}),
        }

    def clean_text(self) -> str:
        # Browsers send textareas with CRLF; keep the stored text as drafted, with LF.
        return self.cleaned_data["text"].replace("\r\n", "\n")
