"""Forms for documenting an incident in one flow: the incident, its acts with
their perpetrators, and its sources; plus the list filters and evidence upload."""

from django import forms
from django.forms import formset_factory
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from solidarity.accounts.forms import OwnerChoiceField
from solidarity.core.countries import country_choices
from solidarity.core.forms import (
    FuzzyDateField,
    FuzzyDateModelFormMixin,
    RetiredTermsMixin,
    TermChoiceField,
    TermMultipleChoiceField,
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


class ActForm(RetiredTermsMixin, forms.Form):
    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    violation_type = TermChoiceField("violation_types", required=True, label=_("Violation"))
    victim_kind = forms.ChoiceField(
        choices=VictimKind.choices, initial=VictimKind.PERSON, label=_("Victim is")
    )
    victim = forms.CharField(
        required=False,
        max_length=300,
        label=_("Victim"),
        widget=_party_text_input("party-suggestions"),
        help_text=_("Pick a suggestion for an existing record, or type a new name."),
    )
    victim_count = forms.IntegerField(required=False, min_value=1, label=_("Number of victims"))
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
        choices=PerpetratorKind.choices, initial=PerpetratorKind.UNKNOWN, label=_("Perpetrator is")
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


class SourceForm(RetiredTermsMixin, forms.Form):
    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
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


ActFormSet = formset_factory(ActForm, extra=0, can_delete=True)
InvolvementFormSet = formset_factory(InvolvementForm, extra=0, can_delete=True)
SourceFormSet = formset_factory(SourceForm, extra=0, can_delete=True)


def _seed_row(data, form_class: type[forms.Form], prefix: str) -> None:
    """Write a new row's default values into the submitted data, as a fresh row would show them.

    Without this, a row added by a submit button would count as changed (its
    defaults missing from the data) and be validated although never touched.
    """
    for name, field in form_class.base_fields.items():
        if field.initial in (None, "", False):
            continue
        data[f"{prefix}-{name}"] = "on" if field.initial is True else str(field.initial)


def _formset(formset_class, data, prefix: str, initial: list[dict]):
    """A formset showing the existing rows, or one empty row when there are none."""
    formset = formset_class(data, prefix=prefix, initial=initial)
    formset.extra = 0 if initial else 1
    return formset


class IncidentEditor:
    """The incident form with its act, perpetrator and source formsets, as one unit.

    Without JavaScript, "add an act" and the like are submit buttons: the page
    comes back with everything typed so far and one more empty row.
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
        parties = [a.victim for a in self._acts.values() if a.victim] + [
            i.perpetrator
            for a in self._acts.values()
            for i in a.involvements.all()
            if i.perpetrator
        ]
        self._shown = shown_to(user, parties) if user is not None else {}
        self.adding_row = False
        if data is not None:
            data = data.copy()
            self.adding_row = self._add_requested_row(data)
        self.data = data
        self.form = IncidentForm(data, instance=instance)
        if not instance.pk and organisations is not None:
            self.form.fields["owner"] = OwnerChoiceField(organisations)
            self.form.fields["owner"].initial = organisations.first()
        acts_initial, perps_initial, sources_initial = self._initial()
        self.acts = _formset(ActFormSet, data, "acts", acts_initial)
        self.perpetrators = [
            _formset(
                InvolvementFormSet,
                data,
                f"acts-{index}-perps",
                perps_initial[index] if index < len(perps_initial) else [],
            )
            for index in range(self.acts.total_form_count())
        ]
        self.sources = _formset(SourceFormSet, data, "sources", sources_initial)

    def _add_requested_row(self, data) -> bool:
        def bump(prefix: str, form_class: type[forms.Form]) -> None:
            key = f"{prefix}-TOTAL_FORMS"
            count = int(data.get(key, 0))
            data[key] = str(count + 1)
            _seed_row(data, form_class, f"{prefix}-{count}")
            if prefix == "acts":
                data[f"acts-{count}-perps-TOTAL_FORMS"] = "1"
                data[f"acts-{count}-perps-INITIAL_FORMS"] = "0"
                _seed_row(data, InvolvementForm, f"acts-{count}-perps-0")

        if self.ADD_ACT in data:
            bump("acts", ActForm)
        elif self.ADD_PERPETRATOR in data:
            bump(f"acts-{int(data[self.ADD_PERPETRATOR])}-perps", InvolvementForm)
        elif self.ADD_SOURCE in data:
            bump("sources", SourceForm)
        else:
            return False
        return True

    def _initial(self):
        if not self.instance.pk:
            return [], [], []
        acts, perps = [], []
        for act in self._acts.values():
            victim = act.victim
            acts.append(
                {
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
            )
            perps.append(
                [
                    {
                        "perpetrator_kind": inv.perpetrator_kind,
                        "perpetrator": (
                            self._reference(inv.perpetrator)
                            if inv.perpetrator
                            else inv.perpetrator_description
                        ),
                        "perpetrator_type": inv.perpetrator_type_id,
                        "state_relation": inv.state_relation_id,
                        "degree": inv.degree_id,
                    }
                    for inv in act.involvements.all()
                ]
            )
        sources = [
            {
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
            for s in self.instance.sources.all()
        ]
        return acts, perps, sources

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
    source = forms.ModelChoiceField(queryset=None, required=False, label=_("Source"))

    def __init__(self, *args, incident: Incident, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].queryset = incident.sources.all()
