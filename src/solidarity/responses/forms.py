from django import forms
from django.utils.translation import gettext_lazy as _

from solidarity.accounts.models import MemberOrganisation
from solidarity.core.forms import (
    BoundedIntegerField,
    BoundedModelMultipleChoiceField,
    TermChoiceField,
    bounded_formfield,
)
from solidarity.responses.models import LANGUAGES, PublicationNote

DEFAULT_REQUESTS = _(
    "Halt the harassment of human rights defenders\n"
    "Respect the right to engage with UN mechanisms\n"
    "Promptly investigate any reprisals"
)


class DraftForm(forms.Form):
    title = forms.CharField(max_length=300, label=_("Title"))
    response_type = TermChoiceField("response_types", required=True, label=_("Type"))
    language = forms.ChoiceField(choices=LANGUAGES, label=_("Language of the first draft"))
    requests = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        label=_("Requests"),
        help_text=_("One per line."),
        initial=DEFAULT_REQUESTS,
    )

    def request_list(self) -> list[str]:
        return [r.strip() for r in self.cleaned_data["requests"].splitlines() if r.strip()]


class VersionForm(forms.Form):
    text = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 24}),
        label=_("Text (Markdown)"),
        help_text=_("Paragraphs are separated by a blank line. Every save is a new version."),
    )

    def clean_text(self) -> str:
        # Browsers send textareas with CRLF; versions compare and diff line by line.
        return self.cleaned_data["text"].replace("\r\n", "\n")


class LanguageForm(forms.Form):
    language = forms.ChoiceField(choices=LANGUAGES, label=_("Language"))


class CommentForm(forms.Form):
    paragraph = BoundedIntegerField(
        column="PositiveIntegerField", min_value=0, widget=forms.HiddenInput
    )
    body = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        label=_("Comment"),
        help_text=_("Write @username to notify someone."),
    )


class InviteForm(forms.Form):
    organisations = BoundedModelMultipleChoiceField(
        queryset=MemberOrganisation.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        label=_("Member organisations to invite"),
    )
    deadline = forms.DateTimeField(
        label=_("Deadline"),
        help_text=_("In Coordinated Universal Time (UTC)."),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )

    def __init__(self, *args, response, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisations"].queryset = MemberOrganisation.objects.exclude(
            pk=response.owner_id
        ).exclude(invitations__response=response)


class NoteForm(forms.Form):
    kind = forms.ChoiceField(choices=PublicationNote.Kind.choices, label=_("Kind"))
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label=_("Note"))


class DetailsForm(forms.ModelForm):
    response_type = TermChoiceField("response_types", required=True, label=_("Type"))

    class Meta:
        from solidarity.responses.models import Response

        model = Response
        formfield_callback = bounded_formfield
        fields = [
            "title",
            "response_type",
            "targets",
            "requests",
            "priority",
            "response_received",
            "impact",
        ]
        widgets = {
            name: forms.Textarea(attrs={"rows": 3})
            for name in ("targets", "requests", "response_received", "impact")
        }
