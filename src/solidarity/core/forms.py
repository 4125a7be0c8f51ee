"""Form fields for uncertain dates, vocabulary terms and people references; integers and
record keys bounded by their database column, so that no input reaches a query it breaks."""

from django import forms
from django.db.backends.base.operations import BaseDatabaseOperations
from django.utils.html import format_html
from django.utils.safestring import mark_safe
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


# ---------------------------------------------------------------- bounded integers


def column_range(internal_type: str) -> tuple[int, int] | None:
    """The values every supported database stores in a column of this type.

    These are PostgreSQL's ranges, the narrowest of the supported databases (SQLite
    takes any 64-bit integer), so a value accepted here fits wherever the data
    goes, a restored backup included. ``None`` for a type that is not an integer.
    """
    return BaseDatabaseOperations.integer_field_ranges.get(internal_type)


def parse_int(value) -> int | None:
    """The integer a submitted value spells, or ``None`` if it spells none."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if not isinstance(value, str) or len(value) > 64:
        return None
    try:
        return int(value.strip())
    except ValueError:
        return None


class BoundedIntegerField(forms.IntegerField):
    """A whole number that fits its database column (by default a signed 32-bit integer).

    ``min_value`` and ``max_value`` narrow the column's range, never widen it.
    """

    def __init__(self, *, column: str = "IntegerField", min_value=None, max_value=None, **kwargs):
        low, high = column_range(column)
        min_value = low if min_value is None else max(min_value, low)
        max_value = high if max_value is None else min(max_value, high)
        super().__init__(min_value=min_value, max_value=max_value, **kwargs)

    def to_python(self, value):
        # Refuse absurdly long numbers before int() spends time on them.
        if isinstance(value, str) and len(value.strip()) > 64:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)


def key_fits(model, value, to_field_name: str | None = None) -> bool:
    """False when ``value`` is an integer outside the range of the model's key column.

    Anything else (a key that is not a number, a model whose key is not an
    integer) is left for the field's own checks.
    """
    field = model._meta.get_field(to_field_name) if to_field_name else model._meta.pk
    bounds = column_range(field.get_internal_type())
    number = parse_int(value)
    return bounds is None or number is None or bounds[0] <= number <= bounds[1]


class BoundedModelChoiceField(forms.ModelChoiceField):
    """A record chosen by its key; a key beyond the key column's range is an invalid choice."""

    def to_python(self, value):
        if value not in self.empty_values and not key_fits(
            self.queryset.model, value, self.to_field_name
        ):
            raise forms.ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": value},
            )
        return super().to_python(value)


class BoundedModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Records chosen by their keys; a key beyond the key column's range is an invalid choice.

    Without the check, ``pk__in`` with such a key fails in the database driver
    (SQLite: OverflowError) instead of answering "not one of the choices".
    """

    def _check_values(self, value):
        if isinstance(value, list | tuple):
            for item in value:
                if not key_fits(self.queryset.model, item, self.to_field_name):
                    raise forms.ValidationError(
                        self.error_messages["invalid_choice"],
                        code="invalid_choice",
                        params={"value": item},
                    )
        return super()._check_values(value)


def bounded_formfield(db_field, **kwargs):
    """``formfield_callback`` for model forms: integers and record keys bounded by their columns."""
    from django.db import models

    if isinstance(db_field, models.ManyToManyField):
        kwargs.setdefault("form_class", BoundedModelMultipleChoiceField)
    elif isinstance(db_field, models.ForeignKey):
        kwargs.setdefault("form_class", BoundedModelChoiceField)
    elif (
        isinstance(db_field, models.IntegerField)
        and not db_field.choices
        and column_range(db_field.get_internal_type())
    ):
        kwargs.setdefault("form_class", BoundedIntegerField)
        kwargs.setdefault("column", db_field.get_internal_type())
    return db_field.formfield(**kwargs)


# ---------------------------------------------------------------- vocabulary terms
#
# A form with many rows (the incident editor: acts, perpetrators, sources) shows
# a select of a vocabulary in every row: thousands of options. Through Django's
# templates (one template per option) that took seconds; these widgets write the
# same HTML in Python, and ``share_choices`` reads (and writes) each vocabulary once
# per page.


def _attrs_html(attrs) -> str:
    """Attributes as django/forms/widgets/attrs.html writes them."""
    return mark_safe(  # noqa: S308 (each piece made by format_html)
        "".join(
            format_html(" {}", name) if value is True else format_html(' {}="{}"', name, value)
            for name, value in attrs.items()
            if value is not False
        )
    )


def written_options(choices) -> list[tuple[str, str, str]] | None:
    """Each option of a select as select.html writes it: (value, unselected, selected).

    ``None`` for choices in groups, which are left to Django's templates.
    """
    written = []
    for value, label in choices:
        if isinstance(label, list | tuple):
            return None
        value = "" if value is None else str(value)
        written.append(
            (
                value,
                format_html('\n  <option value="{}">{}</option>\n', value, label),
                format_html('\n  <option value="{}" selected>{}</option>\n', value, label),
            )
        )
    return written


class QuickSelect(forms.Select):
    """A select written in Python exactly as Django's select.html writes it.

    ``options_html`` (from ``share_choices``) holds the options written once for
    every select of a page that offers the same choices.
    """

    options_html: list[tuple[str, str, str]] | None = None
    _options_for = None  # the choices options_html was written for

    def __deepcopy__(self, memo):
        copy = super().__deepcopy__(memo)
        copy.options_html = copy._options_for = None
        return copy

    def share_options(self, written) -> None:
        self.options_html, self._options_for = written, self.choices

    def render(self, name, value, attrs=None, renderer=None):
        options = (
            self.options_html
            if self.options_html is not None and self._options_for is self.choices
            else written_options(self.choices)
        )
        if options is None or self.allow_multiple_selected:
            return super().render(name, value, attrs, renderer)
        widget = forms.Widget.get_context(self, name, value, attrs)["widget"]
        chosen = widget["value"]
        # As ChoiceWidget.optgroups: only the first option with a chosen value is selected.
        first = next((i for i, (v, _plain, _sel) in enumerate(options) if v in chosen), None)
        body = "".join(sel if i == first else plain for i, (_v, plain, sel) in enumerate(options))
        return format_html(
            '<select name="{}"{}>{}\n</select>',
            widget["name"],
            _attrs_html(widget["attrs"]),
            mark_safe(body),  # noqa: S308 (every option made by format_html)
        )


class TermCheckboxes(forms.CheckboxSelectMultiple):
    """Checkboxes written as Django's multiple_input.html writes them, without a template each."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        if any(group for group, _options, _index in widget["optgroups"]):
            return super().render(name, value, attrs, renderer)
        options = "".join(
            format_html("<div>\n    {}</div>", self._option_html(option))
            for _group, group_options, _index in widget["optgroups"]
            for option in group_options
        )
        box_id, css = widget["attrs"].get("id"), widget["attrs"].get("class")
        return format_html(
            "<div{}{}>{}\n</div>",
            format_html(' id="{}"', box_id) if box_id else "",
            format_html(' class="{}"', css) if css else "",
            mark_safe(options),  # noqa: S308 (built with format_html)
        )

    @staticmethod
    def _option_html(option) -> str:
        value = option["value"]
        box = format_html(
            '<input type="{}" name="{}"{}{}>\n',
            option["type"],
            option["name"],
            format_html(' value="{}"', value) if value is not None else "",
            _attrs_html(option["attrs"]),
        )
        if not option["wrap_label"]:
            return format_html("{}\n\n", box)
        label_for = option["attrs"].get("id")
        return format_html(
            "<label{}>{} {}</label>\n\n",
            format_html(' for="{}"', label_for) if label_for else "",
            box,
            option["label"],
        )


def share_choices(forms_with_terms) -> None:
    """Read each vocabulary's choices once for all the given forms, not once per field.

    For forms whose term fields offer a whole vocabulary, as the incident
    editor's rows do (fields of one vocabulary and kind then offer the same).
    """
    read: dict[tuple, tuple] = {}
    for form in forms_with_terms:
        for field in form.fields.values():
            if not isinstance(field, TermChoiceField | TermMultipleChoiceField):
                continue
            key = (type(field), field.vocabulary, field.empty_label)
            if key not in read:
                choices = list(field.choices)
                read[key] = (choices, written_options(choices))
            field.choices, written = read[key]
            if isinstance(field.widget, QuickSelect):
                field.widget.share_options(written)


class TermChoiceField(BoundedModelChoiceField):
    """One term of a vocabulary; retired terms are shown only where already chosen."""

    widget = QuickSelect

    def __init__(self, vocabulary: str, **kwargs):
        from solidarity.vocab.models import Term

        self.vocabulary = vocabulary
        kwargs.setdefault("required", False)
        super().__init__(queryset=Term.objects.of(vocabulary), **kwargs)

    def label_from_instance(self, obj):
        label = obj.indented_label
        return _("%(label)s (retired)") % {"label": label} if obj.deprecated else label


class TermMultipleChoiceField(BoundedModelMultipleChoiceField):
    """Terms of a vocabulary; '' or anything but a key of one of its terms is an invalid choice."""

    widget = TermCheckboxes

    def __init__(self, vocabulary: str, **kwargs):
        from solidarity.vocab.models import Term

        self.vocabulary = vocabulary
        kwargs.setdefault("required", False)
        super().__init__(queryset=Term.objects.of(vocabulary), **kwargs)

    def label_from_instance(self, obj):
        return obj.label


class RetiredTermsMixin:
    """Refuses a retired term unless the record already had it."""

    def clean(self):
        cleaned = super().clean()
        for name, field in self.fields.items():
            # A field whose input was refused has no value here: its error says why.
            if not isinstance(field, TermChoiceField | TermMultipleChoiceField) or (
                name not in cleaned
            ):
                continue
            value = cleaned[name]
            chosen = list(value or []) if isinstance(field, TermMultipleChoiceField) else [value]
            initial = self.get_initial_for_field(field, name)
            before = {
                getattr(t, "pk", t)
                for t in (initial if isinstance(initial, list | tuple) else [initial])
                if t
            }
            if any(t is not None and t.deprecated and t.pk not in before for t in chosen):
                self.add_error(name, _("This term is retired; choose a current one."))
        return cleaned
