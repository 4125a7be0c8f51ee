from django import forms
from django.utils.translation import gettext_lazy as _

from solidarity.context.models import Law, LawStatus
from solidarity.core.countries import country_choices
from solidarity.core.forms import FuzzyDateField, bounded_formfield


class LawForm(forms.ModelForm):
    country = forms.ChoiceField(choices=lambda: [("", "—"), *country_choices()], label=_("Country"))

    class Meta:
        model = Law
        formfield_callback = bounded_formfield
        fields = ["country", "title", "law_type", "summary"]
        widgets = {"summary": forms.Textarea(attrs={"rows": 3})}


class StatusForm(forms.Form):
    status = forms.ChoiceField(choices=LawStatus.choices, label=_("Status"))
    date = FuzzyDateField(label=_("Date"), required=True)
    note = forms.CharField(required=False, max_length=300, label=_("Note"))
