from django import forms
from django.utils.translation import gettext_lazy as _

from solidarity.accounts.models import MemberOrganisation, Visibility
from solidarity.core.forms import BoundedModelMultipleChoiceField


class SharingForm(forms.Form):
    """Who may see and edit a record, set by a coordinator of its owner."""

    visibility = forms.ChoiceField(choices=Visibility.choices, label=_("Visibility"))
    shared_read = BoundedModelMultipleChoiceField(
        queryset=MemberOrganisation.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Shared with, to read"),
    )
    shared_edit = BoundedModelMultipleChoiceField(
        queryset=MemberOrganisation.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Shared with, to edit"),
    )

    def __init__(self, *args, record, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "visibility": record.visibility,
                "shared_read": list(record.shared_read.all()),
                "shared_edit": list(record.shared_edit.all()),
            },
        )
        super().__init__(*args, **kwargs)
        others = MemberOrganisation.objects.exclude(pk=record.owner_id)
        self.fields["shared_read"].queryset = others
        self.fields["shared_edit"].queryset = others


class OwnerChoiceField(forms.ModelChoiceField):
    def __init__(self, organisations, **kwargs):
        super().__init__(
            queryset=organisations,
            required=organisations.count() > 1,
            label=_("Owning organisation"),
            help_text=_("The member organisation in whose name this is documented."),
            **kwargs,
        )
