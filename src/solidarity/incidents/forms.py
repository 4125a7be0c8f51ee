"""Forms for documenting an incident in one flow: the incident, its acts with
their perpetrators, and its sources; plus the list filters and evidence upload."""

from django import forms
from django.forms import formset_factory
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from solidarity.accounts.forms import OwnerChoiceField
from solidarity.core.countries import country_choices
from solidarity.core.forms import (
    BoundedIntegerField,
    BoundedModelChoiceField,
    FuzzyDateField,
    FuzzyDateModelFormMixin,
    QuickSelect,
    RetiredTermsMixin,
    TermChoiceField,
    TermMultipleChoiceField,
    bounded_formfield,
    parse_int,
    share_choices,
)
from solidarity.incidents.models import Incident, PerpetratorKind, VictimKind
from solidarity.incidents.services import (
    ActInput,
    IncidentFilters,
    InvolvementInput,
    PartyRef,
    SourceInput,
)
from solidarity.lib.fuzzydate import FuzzyDate, FuzzyDateError, range_bounds
from solidarity.people.disclosure import shown_to
from solidarity.people.refs import parse_reference, party_reference


def _country_field(**kwargs) -> forms.ChoiceField:
    return forms.ChoiceField(
        choices=lambda: [("", "—"), *country_choices()], required=False, **kwargs
    )


class IncidentForm(FuzzyDateModelFormMixin, RetiredTermsMixin, forms.ModelForm):
    fuzzy_dates = ("date", "end_date")
    date = FuzzyDateField(label=_("Date"))
    end_date = FuzzyDateField(label=_("End date"), help_text=_("If it went on over time."))
    country = _country_field(label=_("Country"))
    location_type = TermChoiceField("location_types", label=_("Location type"))
    context_tags = TermMultipleChoiceField("context_tags", label=_("Context"))
    verification_status = TermChoiceField("verification_statuses", label=_("Verification status"))

    field_order = ["title", "date", "end_date", "narrative"]

    class Meta:
        model = Incident
        formfield_callback = bounded_formfield
        fields = [
            "title",
            "narrative",
            "public_summary",
            "country",
            "admin_area",
            "place",
            "location_type",
            "context_tags",
            "related_laws",
            "laws",
            "verification_status",
            "confidentiality",
        ]
        widgets = {
            "narrative": forms.Textarea(attrs={"rows": 6}),
            "public_summary": forms.Textarea(attrs={"rows": 3}),
            "laws": forms.CheckboxSelectMultiple,
            "related_laws": forms.Textarea(attrs={"rows": 3}),
        }


def _party_text_input(list_id: str) -> forms.TextInput:
    # htmx refreshes the shared suggestion list as the user types; without
    # JavaScript the field still takes a new name.
    return forms.TextInput(
        attrs={
            "list": list_id,
            "autocomplete": "off",
            "size": 40,
            "hx-get": reverse_lazy("people:suggestions"),
            "hx-trigger": "input changed delay:300ms",
            "hx-target": f"#{list_id}",
        }
    )


# How many rows the editor takes: acts and sources of an incident, perpetrators of an act.
# A record that already has more (made by intake or an import) keeps them all; the form
# adds none beyond. These bound the work of one request: every row is validated and
# shown again, so without them one request could make the server build thousands.
MAX_ACTS = 30
MAX_PERPETRATORS = 5
MAX_SOURCES = 30

NOT_A_ROW = _("This row is not one of this incident's rows: open the form again.")


class RowIdField(BoundedIntegerField):
    """The hidden key of an existing row, or empty for a new row."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault(
            "error_messages", {"invalid": NOT_A_ROW, "min_value": NOT_A_ROW, "max_value": NOT_A_ROW}
        )
        super().__init__(column="BigAutoField", min_value=1, **kwargs)


class RowForm(RetiredTermsMixin, forms.Form):
    """A row that may show an existing act or source: its ``id`` must be one of ``row_ids``,
    the keys of the incident's own rows (none for a new incident)."""

    id = RowIdField()

    def __init__(self, *args, row_ids=frozenset(), **kwargs):
        super().__init__(*args, **kwargs)
        self.row_ids = row_ids

    def clean_id(self):
        value = self.cleaned_data["id"]
        if value is not None and value not in self.row_ids:
            raise forms.ValidationError(NOT_A_ROW, code="not_a_row")
        return value


class ActForm(RowForm):
    violation_type = TermChoiceField("violation_types", required=True, label=_("Violation"))
    victim_kind = forms.ChoiceField(
        choices=VictimKind.choices,
        initial=VictimKind.PERSON,
        label=_("Victim is"),
        widget=QuickSelect,
    )
    victim = forms.CharField(
        required=False,
        max_length=300,
        label=_("Victim"),
        widget=_party_text_input("party-suggestions"),
        help_text=_("Pick a suggestion for an existing record, or type a new name."),
    )
    victim_count = BoundedIntegerField(
        column="PositiveIntegerField", required=False, min_value=1, label=_("Number of victims")
    )
    date = FuzzyDateField(label=_("Date"))
    end_date = FuzzyDateField(label=_("End date"))
    sphere = TermChoiceField("spheres", label=_("Sphere"))
    gender_dimensions = TermMultipleChoiceField("gender_dimensions", label=_("Gender dimensions"))
    consequences = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 2}), label=_("Consequences")
    )

    def clean(self):
        cleaned = super().clean()
        kind, text = cleaned.get("victim_kind"), cleaned.get("victim", "")
        if kind in (VictimKind.PERSON, VictimKind.ORGANISATION) and not text:
            self.add_error("victim", _("Name the victim, or choose 'Unnamed group'."))
        return cleaned

    def victim_ref(self) -> PartyRef:
        code, name = parse_reference(self.cleaned_data["victim"])
        return PartyRef(kind=self.cleaned_data["victim_kind"], code=code, name=name)


class InvolvementForm(RetiredTermsMixin, forms.Form):
    perpetrator_kind = forms.ChoiceField(
        choices=PerpetratorKind.choices,
        initial=PerpetratorKind.UNKNOWN,
        label=_("Perpetrator is"),
        widget=QuickSelect,
    )
    perpetrator = forms.CharField(
        required=False,
        max_length=300,
        label=_("Perpetrator"),
        widget=_party_text_input("party-suggestions"),
    )
    perpetrator_type = TermChoiceField("perpetrator_types", label=_("Perpetrator type"))
    state_relation = TermChoiceField("state_relations", label=_("Relation to the State"))
    degree = TermChoiceField("degrees_of_involvement", label=_("Degree of involvement"))

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("perpetrator_kind")
        if kind != PerpetratorKind.UNKNOWN and not cleaned.get("perpetrator"):
            self.add_error("perpetrator", _("Name the perpetrator, or choose 'Unknown'."))
        return cleaned

    def to_input(self) -> InvolvementInput:
        code, name = parse_reference(self.cleaned_data["perpetrator"])
        return InvolvementInput(
            perpetrator=PartyRef(kind=self.cleaned_data["perpetrator_kind"], code=code, name=name),
            perpetrator_type=self.cleaned_data["perpetrator_type"],
            state_relation=self.cleaned_data["state_relation"],
            degree=self.cleaned_data["degree"],
        )


class SourceForm(RowForm):
    name = forms.CharField(max_length=300, label=_("Source"), help_text=_("Who or what."))
    material_type = TermChoiceField("source_material_types", label=_("Material"))
    reliability = TermChoiceField("reliability", label=_("Reliability"))
    date = FuzzyDateField(label=_("Date"))
    language = forms.CharField(required=False, max_length=16, label=_("Language"))
    url = forms.URLField(required=False, max_length=1000, label=_("Address"), assume_scheme="https")
    independent = forms.BooleanField(
        required=False, initial=True, label=_("Independent of the other sources")
    )
    notes = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 2}), label=_("Notes")
    )

    def to_input(self) -> SourceInput:
        data = self.cleaned_data
        return SourceInput(
            id=data["id"],
            name=data["name"],
            material_type=data["material_type"],
            reliability=data["reliability"],
            date=data["date"],
            language=data["language"],
            url=data["url"],
            independent=data["independent"],
            notes=data["notes"],
        )


class RowFormSet(forms.BaseFormSet):
    """The rows of one part of the incident, at most ``limit`` of them.

    ``row_ids`` (for rows with an ``id``) are the keys of the record's existing
    rows: a row may show one of them, each at most once; ``existing`` is how many
    there are, which the posted INITIAL_FORMS may not exceed. A row that shows an
    existing record is always validated, even unchanged, since it is kept.
    """

    default_error_messages = {"too_many_forms": _("Please submit at most %(num)d rows.")}

    def __init__(self, *args, limit: int, row_ids=None, existing: int = 0, **kwargs):
        form_kwargs = {"row_ids": row_ids} if row_ids is not None else None
        super().__init__(*args, form_kwargs=form_kwargs, **kwargs)
        self.max_num = self.absolute_max = limit
        self.existing = existing

    @property
    def can_add(self) -> bool:
        return self.total_form_count() < self.max_num

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        if form.initial:
            form.empty_permitted = False
        return form

    def clean(self):
        if self.initial_form_count() > min(self.existing, self.total_form_count()):
            raise forms.ValidationError(NOT_A_ROW, code="not_a_row")
        seen = set()
        for form in self.forms:
            row = getattr(form, "cleaned_data", {}).get("id")
            if row is not None and row in seen:
                raise forms.ValidationError(NOT_A_ROW, code="not_a_row")
            seen.add(row)


class ActRows(RowFormSet):
    default_error_messages = {"too_many_forms": _("An incident takes at most %(num)d acts.")}


class PerpetratorRows(RowFormSet):
    default_error_messages = {"too_many_forms": _("An act takes at most %(num)d perpetrators.")}


class SourceRows(RowFormSet):
    default_error_messages = {"too_many_forms": _("An incident takes at most %(num)d sources.")}


ActFormSet = formset_factory(ActForm, formset=ActRows, extra=0, can_delete=True, validate_max=True)
InvolvementFormSet = formset_factory(
    InvolvementForm, formset=PerpetratorRows, extra=0, can_delete=True, validate_max=True
)
SourceFormSet = formset_factory(
    SourceForm, formset=SourceRows, extra=0, can_delete=True, validate_max=True
)


def _seed_row(data, form_class: type[forms.Form], prefix: str) -> None:
    """Write a new row's default values into the submitted data, as a fresh row would show them.

    Without this, a row added by a submit button would count as changed (its
    defaults missing from the data) and be validated although never touched.
    """
    for name, field in form_class.base_fields.items():
        if field.initial in (None, "", False):
            continue
        data[f"{prefix}-{name}"] = "on" if field.initial is True else str(field.initial)


def _formset(formset_class, data, prefix: str, initial: list[dict], **kwargs):
    """A formset showing the existing rows, or one empty row when there are none."""
    formset = formset_class(data, prefix=prefix, initial=initial, **kwargs)
    formset.extra = 0 if initial else 1
    return formset


def _posted_count(data, prefix: str, limit: int) -> int:
    """How many rows of a formset were posted, as the formset will build them."""
    count = parse_int(data.get(f"{prefix}-TOTAL_FORMS"))
    return max(0, min(count or 0, limit))


class IncidentEditor:
    """The incident form with its act, perpetrator and source formsets, as one unit.

    Without JavaScript, "add an act" and the like are submit buttons: the page
    comes back with everything typed so far and one more empty row.

    A posted row shows an existing act or source by its hidden id, which must be
    one of this incident's; the row is compared with that record (what changed,
    which perpetrators it had), whatever its position in the form.
    """

    ADD_ACT = "add_act"
    ADD_PERPETRATOR = "add_perpetrator"
    ADD_SOURCE = "add_source"

    def __init__(self, *, instance: Incident, data=None, organisations=None, user=None) -> None:
        self.instance = instance
        self.user = user
        self._acts = (
            {act.pk: act for act in instance.acts.prefetch_related("involvements")}
            if instance.pk
            else {}
        )
        self._sources = {s.pk: s for s in instance.sources.all()} if instance.pk else {}
        parties = [a.victim for a in self._acts.values() if a.victim] + [
            i.perpetrator
            for a in self._acts.values()
            for i in a.involvements.all()
            if i.perpetrator
        ]
        self._shown = shown_to(user, parties) if user is not None else {}
        self.act_limit = max(MAX_ACTS, len(self._acts))
        self.source_limit = max(MAX_SOURCES, len(self._sources))
        self.notices: list[str] = []
        self.adding_row = False
        if data is not None:
            data = data.copy()
            self.adding_row = self._add_requested_row(data)
        self.data = data
        self.form = IncidentForm(data, instance=instance)
        if not instance.pk and organisations is not None:
            self.form.fields["owner"] = OwnerChoiceField(organisations)
            self.form.fields["owner"].initial = organisations.first()
        if data is None:
            acts = list(self._acts.values())
            sources = list(self._sources.values())
        else:
            acts = [
                self._posted(data, f"acts-{i}", self._acts)
                for i in range(_posted_count(data, "acts", self.act_limit))
            ]
            sources = [
                self._posted(data, f"sources-{i}", self._sources)
                for i in range(_posted_count(data, "sources", self.source_limit))
            ]
        self.acts = _formset(
            ActFormSet,
            data,
            "acts",
            [self._act_initial(act) if act else {} for act in acts],
            limit=self.act_limit,
            row_ids=frozenset(self._acts),
            existing=len(self._acts),
        )
        self.perpetrators = []
        for index in range(self.acts.total_form_count()):
            act = acts[index] if index < len(acts) else None
            involvements = list(act.involvements.all()) if act else []
            self.perpetrators.append(
                _formset(
                    InvolvementFormSet,
                    data,
                    f"acts-{index}-perps",
                    [self._involvement_initial(inv) for inv in involvements],
                    limit=max(MAX_PERPETRATORS, len(involvements)),
                    existing=len(involvements),
                )
            )
        self.sources = _formset(
            SourceFormSet,
            data,
            "sources",
            [self._source_initial(s) if s else {} for s in sources],
            limit=self.source_limit,
            row_ids=frozenset(self._sources),
            existing=len(self._sources),
        )
        share_choices(
            [
                self.form,
                *self.acts.forms,
                *(form for perps in self.perpetrators for form in perps.forms),
                *self.sources.forms,
            ]
        )

    @staticmethod
    def _posted(data, prefix: str, rows: dict):
        """The existing row a posted row shows by its hidden id, if it is one of ``rows``."""
        return rows.get(parse_int(data.get(f"{prefix}-id")))

    def _add_requested_row(self, data) -> bool:
        """Add the requested row to the data, unless the part has all the rows it may have."""

        def bump(prefix: str, form_class: type[forms.Form], limit: int, rows) -> None:
            key = f"{prefix}-TOTAL_FORMS"
            count = parse_int(data.get(key))
            if count is None or count < 0:
                return  # the formset reports its broken management data
            if count >= limit:
                self.notices.append(rows.default_error_messages["too_many_forms"] % {"num": limit})
                return
            data[key] = str(count + 1)
            _seed_row(data, form_class, f"{prefix}-{count}")
            if prefix == "acts":
                data[f"acts-{count}-perps-TOTAL_FORMS"] = "1"
                data[f"acts-{count}-perps-INITIAL_FORMS"] = "0"
                _seed_row(data, InvolvementForm, f"acts-{count}-perps-0")

        if self.ADD_ACT in data:
            bump("acts", ActForm, self.act_limit, ActRows)
        elif self.ADD_PERPETRATOR in data:
            index = parse_int(data.get(self.ADD_PERPETRATOR))
            if index is not None and 0 <= index < _posted_count(data, "acts", self.act_limit):
                act = self._posted(data, f"acts-{index}", self._acts)
                limit = max(MAX_PERPETRATORS, act.involvements.count() if act else 0)
                bump(f"acts-{index}-perps", InvolvementForm, limit, PerpetratorRows)
        elif self.ADD_SOURCE in data:
            bump("sources", SourceForm, self.source_limit, SourceRows)
        else:
            return False
        return True

    def _act_initial(self, act) -> dict:
        victim = act.victim
        return {
            "id": act.pk,
            "violation_type": act.violation_type_id,
            "victim_kind": act.victim_kind,
            "victim": self._reference(victim) if victim else act.victim_group,
            "victim_count": act.victim_count,
            "date": act.date,
            "end_date": act.end_date,
            "sphere": act.sphere_id,
            "gender_dimensions": [t.pk for t in act.gender_dimensions.all()],
            "consequences": act.consequences,
        }

    def _involvement_initial(self, inv) -> dict:
        return {
            "perpetrator_kind": inv.perpetrator_kind,
            "perpetrator": (
                self._reference(inv.perpetrator) if inv.perpetrator else inv.perpetrator_description
            ),
            "perpetrator_type": inv.perpetrator_type_id,
            "state_relation": inv.state_relation_id,
            "degree": inv.degree_id,
        }

    @staticmethod
    def _source_initial(s) -> dict:
        return {
            "id": s.pk,
            "name": s.name,
            "material_type": s.material_type_id,
            "reliability": s.reliability_id,
            "date": s.date,
            "language": s.language,
            "url": s.url,
            "independent": s.independent,
            "notes": s.notes,
        }

    def _hidden(self, party) -> bool:
        shown = self._shown.get((type(party).__name__, party.pk))
        return shown is not None and shown.url is None

    def _reference(self, party) -> str:
        """A party as the form shows it: name and code, or only what this user may see."""
        if self._hidden(party):
            return self._shown[(type(party).__name__, party.pk)].label
        return party_reference(party)

    def _kept(self, act_id, party, form, field: str):
        """The linked party, when the user may not see it and left its field untouched."""
        hidden = act_id in self._acts and party is not None and self._hidden(party)
        return party if hidden and field not in form.changed_data else None

    @property
    def act_rows(self):
        return list(zip(self.acts.forms, self.perpetrators, strict=True))

    def is_valid(self) -> bool:
        if self.data is None or self.adding_row:
            return False
        parts = [self.form.is_valid(), self.acts.is_valid(), self.sources.is_valid()]
        for act_form, perps in self.act_rows:
            if not self._deleted(act_form):
                parts.append(perps.is_valid())
        return all(parts)

    @staticmethod
    def _deleted(form: forms.Form) -> bool:
        return bool(form.cleaned_data.get("DELETE")) if hasattr(form, "cleaned_data") else False

    @staticmethod
    def _kept_row(form: forms.Form) -> bool:
        """An existing row is kept unless marked for deletion; a new row only if filled in."""
        existing = bool(form.initial)
        return (existing or form.has_changed()) and not form.cleaned_data.get("DELETE")

    def act_inputs(self) -> list[ActInput]:
        inputs = []
        for act_form, perps in self.act_rows:
            if not self._kept_row(act_form):
                continue
            data = act_form.cleaned_data
            act = self._acts.get(data["id"])
            victim = act_form.victim_ref()
            victim.existing = self._kept(data["id"], act and act.victim, act_form, "victim")
            involvements = []
            old = list(act.involvements.all()) if act else []
            for index, form in enumerate(perps.forms):
                if not self._kept_row(form):
                    continue
                item = form.to_input()
                previous = old[index].perpetrator if index < len(old) else None
                item.perpetrator.existing = self._kept(data["id"], previous, form, "perpetrator")
                involvements.append(item)
            inputs.append(
                ActInput(
                    id=data["id"],
                    victim=victim,
                    violation_type=data["violation_type"],
                    victim_count=data["victim_count"],
                    date=data["date"],
                    end_date=data["end_date"],
                    sphere=data["sphere"],
                    gender_dimensions=list(data["gender_dimensions"]),
                    consequences=data["consequences"],
                    involvements=involvements,
                )
            )
        return inputs

    def source_inputs(self) -> list[SourceInput]:
        return [f.to_input() for f in self.sources.forms if self._kept_row(f)]

    def owner(self):
        return self.form.cleaned_data.get("owner")

    def laws(self):
        return list(self.form.cleaned_data.get("laws") or [])

    def context_tags(self):
        return list(self.form.cleaned_data["context_tags"])


class IncidentFilterForm(forms.Form):
    q = forms.CharField(required=False, label=_("Title contains"))
    country = _country_field(label=_("Country"))
    violation_type = TermChoiceField("violation_types", label=_("Violation"))
    perpetrator_type = TermChoiceField("perpetrator_types", label=_("Perpetrator type"))
    victim_kind = forms.ChoiceField(
        choices=[("", "—"), *VictimKind.choices], required=False, label=_("Victim")
    )
    date_from = forms.CharField(
        required=False, label=_("From"), widget=forms.TextInput(attrs={"placeholder": "YYYY-MM"})
    )
    date_to = forms.CharField(
        required=False, label=_("To"), widget=forms.TextInput(attrs={"placeholder": "YYYY-MM"})
    )
    certain_only = forms.BooleanField(required=False, label=_("Only certainly in range"))
    verification_status = TermChoiceField("verification_statuses", label=_("Verification"))

    def _clean_fuzzy(self, name: str) -> FuzzyDate | None:
        text = self.cleaned_data.get(name, "")
        if not text:
            return None
        try:
            return FuzzyDate.parse(text)
        except FuzzyDateError as exc:
            raise forms.ValidationError(_("Enter a date as YYYY, YYYY-MM or YYYY-MM-DD.")) from exc

    def clean_date_from(self):
        return self._clean_fuzzy("date_from")

    def clean_date_to(self):
        return self._clean_fuzzy("date_to")

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        low, high = range_bounds(start, end)
        if low and high and low > high:
            self.add_error("date_to", _("The end of the range is before its start."))
        return cleaned

    def filters(self) -> IncidentFilters:
        data = self.cleaned_data
        low, high = range_bounds(data.get("date_from"), data.get("date_to"))
        return IncidentFilters(
            country=data.get("country") or "",
            violation_type=data.get("violation_type"),
            perpetrator_type=data.get("perpetrator_type"),
            victim_kind=data.get("victim_kind") or "",
            date_from=low,
            date_to=high,
            certain_only=bool(data.get("certain_only")),
            verification_status=data.get("verification_status"),
            text=(data.get("q") or "").strip(),
        )


class EvidenceForm(forms.Form):
    file = forms.FileField(label=_("File"))
    description = forms.CharField(required=False, max_length=500, label=_("Description"))
    source = BoundedModelChoiceField(queryset=None, required=False, label=_("Source"))

    def __init__(self, *args, incident: Incident, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].queryset = incident.sources.all()
