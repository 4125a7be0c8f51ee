from django import forms
from django.utils.translation import gettext_lazy as _

from solidarity.core.forms import TermMultipleChoiceField
from solidarity.people.models import ConsentGivenBy, ConsentMethod


class ConsentForm(forms.Form):
    scopes = TermMultipleChoiceField("consent_scopes", label=_("Agreed to"), required=True)
    given_by = forms.ChoiceField(choices=ConsentGivenBy.choices, label=_("Given by"))
    method = forms.ChoiceField(choices=ConsentMethod.choices, label=_("How"))
    given_on = forms.DateField(label=_("Given on"), widget=forms.DateInput(attrs={"type": "date"}))
    expires_on = forms.DateField(
        label=_("Expires on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    notes = forms.CharField(label=_("Notes"), required=False, max_length=500)

    def clean(self):
        cleaned = super().clean()
        given, expires = cleaned.get("given_on"), cleaned.get("expires_on")
        if given and expires and expires < given:
            self.add_error("expires_on", _("Consent cannot expire before it was given."))
        chosen = {t.code: t for t in cleaned.get("scopes") or []}
        if "no_consent_record_only" in chosen and len(chosen) > 1:
            self.add_error(
                "scopes",
                _("“%(scope)s” cannot be combined with other scopes.")
                % {"scope": chosen["no_consent_record_only"].label},
            )
        return cleaned
