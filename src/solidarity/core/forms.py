"""Form fields for uncertain dates, vocabulary terms and people references."""

from django import forms
from django.utils.translation import gettext_lazy as _

from solidarity.lib.fuzzydate import FuzzyDate, FuzzyDateError


class FuzzyDateWidget(forms.MultiWidget):
    template_name = "core/widgets/fuzzy_date.html"
    use_fieldset = False  # the label points at the date box; "estimated" has its own label

    def id_for_label(self, id_):
        return f"{id_}_0" if id_ else id_

    def __init__(self, attrs=None):
        widgets = {
            "": forms.TextInput(
                attrs={"placeholder": _("YYYY, YYYY-MM or YYYY-MM-DD"), "size": 12, **(attrs or {})}
            ),
            "estimated": forms.CheckboxInput(),
        }
        super().__init__(widgets)

    def decompress(self, value):
        if isinstance(value, FuzzyDate):
            return [value.iso(), value.estimated]
        return ["", False]


class FuzzyDateField(forms.MultiValueField):
    """A date known to the day, month or year, or left empty when unknown; plus "estimated"."""

    widget = FuzzyDateWidget
    default_error_messages = {
        "invalid": _("Enter a date as YYYY, YYYY-MM or YYYY-MM-DD, or leave it empty."),
    }

    def __init__(self, **kwargs):
        fields = (forms.CharField(required=False), forms.BooleanField(required=False))
        kwargs.setdefault("required", False)
        kwargs.setdefault(
            "help_text", _("As precise as known: a year, a month or a day. Leave empty if unknown.")
        )
        super().__init__(fields, require_all_fields=False, **kwargs)

    def compress(self, data_list):
        text, estimated = (data_list + ["", False])[:2] if data_list else ("", False)
        try:
            value = FuzzyDate.parse(text, estimated=bool(estimated))
        except FuzzyDateError as exc:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from exc
        if self.required and not value.is_known:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        return value


class FuzzyDateModelFormMixin:
    """Binds ``FuzzyDateField`` form fields to ``FuzzyDateColumns`` of the same name."""

    fuzzy_dates: tuple[str, ...] = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.fuzzy_dates:
            if self.instance.pk and not self.is_bound:
                self.initial[name] = getattr(self.instance, name)

    def _post_clean(self):
        super()._post_clean()
        for name in self.fuzzy_dates:
            if name in self.cleaned_data:
                setattr(self.instance, name, self.cleaned_data[name])


class TermChoiceField(forms.ModelChoiceField):
    """One term of a vocabulary; retired terms are shown only where already chosen."""

    def __init__(self, vocabulary: str, **kwargs):
        from solidarity.vocab.models import Term

        self.vocabulary = vocabulary
        kwargs.setdefault("required", False)
        super().__init__(queryset=Term.objects.of(vocabulary), **kwargs)

    def label_from_instance(self, obj):
        label = obj.indented_label
        return _("%(label)s (retired)") % {"label": label} if obj.deprecated else label


class TermMultipleChoiceField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def __init__(self, vocabulary: str, **kwargs):
        from solidarity.vocab.models import Term

        kwargs.setdefault("required", False)
        super().__init__(queryset=Term.objects.of(vocabulary), **kwargs)

    def label_from_instance(self, obj):
        return obj.label


class RetiredTermsMixin:
    """Refuses a retired term unless the record already had it."""

    def clean(self):
        cleaned = super().clean()
        for name, field in self.fields.items():
            if not isinstance(field, TermChoiceField | TermMultipleChoiceField):
                continue
            value = cleaned.get(name)
            chosen = list(value) if isinstance(field, TermMultipleChoiceField) else [value]
            initial = self.get_initial_for_field(field, name)
            before = {
                getattr(t, "pk", t)
                for t in (initial if isinstance(initial, list | tuple) else [initial])
                if t
            }
            if any(t is not None and t.deprecated and t.pk not in before for t in chosen):
                self.add_error(name, _("This term is retired; choose a current one."))
        return cleaned
