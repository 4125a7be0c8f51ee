"""The intake forms: bring a document in, then review what was proposed from it.

The review form is built from the proposal: one row per proposed value, each
accepted by default, which the documenter may edit (vocabulary fields are
selects of the vocabulary's terms) or reject (untick, or choose "none").
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from solidarity.accounts.forms import OwnerChoiceField
from solidarity.context.models import Law
from solidarity.core.countries import country_choices, country_name
from solidarity.core.forms import (
    BoundedModelChoiceField,
    FuzzyDateField,
    TermChoiceField,
    TermMultipleChoiceField,
)
from solidarity.incidents.models import VictimKind
from solidarity.incidents.services import SourceInput
from solidarity.intake import readers, services
from solidarity.lib.fuzzydate import FuzzyDate, FuzzyDateError
from solidarity.vocab.models import Term

ACCEPTED_FILES = ".txt,.html,.htm,.pdf,.docx,.zip"
# Proposals the extraction is less sure of than this are offered unticked.
CONFIDENT = 0.75
# Files taken in one request; their total size is capped at readers.MAX_ZIP_TOTAL_BYTES.
MAX_FILES = 50
_MB = 1024 * 1024


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPTED_FILES}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(d, initial) for d in data if d]
        return [super().clean(data, initial)] if data else []


class IntakeForm(forms.Form):
    text = forms.CharField(
        label=_("Paste a text"),
        required=False,
        strip=False,  # kept exactly as pasted: its SHA-256 is recorded with the evidence
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_(
            "A statement, an urgent appeal or a news article, in English, Chinese or Spanish."
        ),
    )
    files = MultipleFileField(
        label=_("Or upload files"),
        required=False,
        help_text=_(".txt, .html, .pdf or .docx files, or a .zip of them; read in the background."),
    )
    published = forms.DateField(
        label=_("Publication date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Helps to date an attack the text dates by day and month only."),
    )
    source_name = forms.CharField(label=_("Source"), required=False, max_length=300)
    source_url = forms.URLField(
        label=_("Address"), required=False, max_length=1000, assume_scheme="https"
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        if organisations.count() > 1:
            self.fields["owner"] = OwnerChoiceField(organisations)

    def clean(self):
        cleaned = super().clean()
        if not (cleaned.get("text") or "").strip() and not cleaned.get("files"):
            raise forms.ValidationError(_("Paste a text or choose one or more files."))
        if (cleaned.get("text") or "").strip() and cleaned.get("files"):
            raise forms.ValidationError(_("Paste a text or upload files, not both at once."))
        self._check_sizes(cleaned.get("files") or [])
        return cleaned

    def _check_sizes(self, files) -> None:
        """Refuse too many or too large files by their announced size, before reading any."""
        if len(files) > MAX_FILES:
            self.add_error(
                "files", _("Upload at most %(count)d files at once.") % {"count": MAX_FILES}
            )
            return
        for f in files:
            zipped = (f.name or "").lower().endswith(".zip")
            limit = readers.MAX_ZIP_TOTAL_BYTES if zipped else readers.MAX_FILE_BYTES
            if (f.size or 0) > limit:
                self.add_error(
                    "files",
                    _(
                        "%(name)s is larger than %(limit)d MB; "
                        "split it or paste the part that matters."
                    )
                    % {"name": f.name, "limit": limit // _MB},
                )
        total = sum(f.size or 0 for f in files)
        if total > readers.MAX_ZIP_TOTAL_BYTES and not self.has_error("files"):
            self.add_error(
                "files",
                _(
                    "The files come to more than %(limit)d MB together: "
                    "upload them in smaller batches."
                )
                % {"limit": readers.MAX_ZIP_TOTAL_BYTES // _MB},
            )

    def file_contents(self) -> list[tuple[str, bytes]]:
        """The uploaded files' names and bytes, read only once the form is valid."""
        if not self.is_valid():
            raise ValueError("the files are read only from a valid form")
        return [(f.name or "document", f.read()) for f in self.cleaned_data["files"]]


class SourceFieldsMixin(forms.Form):
    """The source fields shared by the review form and by attaching to an existing incident."""

    source_name = forms.CharField(label=_("Source"), required=False, max_length=300)
    source_url = forms.URLField(
        label=_("Address"), required=False, max_length=1000, assume_scheme="https"
    )
    source_date = FuzzyDateField(label=_("Publication date"))
    source_language = forms.CharField(label=_("Language"), required=False, max_length=16)
    material_type = TermChoiceField("source_material_types", label=_("Material"))

    SOURCE_FIELDS = ("source_name", "source_url", "source_date", "source_language", "material_type")

    def source_input(self, document) -> SourceInput:
        data = self.cleaned_data
        return SourceInput(
            name=data.get("source_name") or services.proposed_title(document),
            material_type=data.get("material_type"),
            date=data.get("source_date") or FuzzyDate(),
            language=data.get("source_language") or "",
            url=data.get("source_url") or "",
        )


class ReviewForm(SourceFieldsMixin, forms.Form):
    """Every proposed value as a field, accepted by default.

    With ``attaching``, only the source fields are checked: the form is then
    shown again with their errors after a refused "attach to that incident".
    """

    title = forms.CharField(label=_("Title"), max_length=300)
    confirm_attack = forms.BooleanField(
        label=_("I have read the text: it does report an attack"), required=False
    )
    country = forms.ChoiceField(label=_("Country"), required=False)
    admin_area = forms.CharField(label=_("Region"), required=False, max_length=200)
    place = forms.CharField(label=_("City or place"), required=False, max_length=200)
    date = FuzzyDateField(label=_("Date of the attack"))
    perpetrator_type = TermChoiceField("perpetrator_types", label=_("Perpetrator type"))
    perpetrator_description = forms.CharField(
        label=_("Perpetrator as described"), required=False, max_length=300
    )
    narrative = forms.CharField(
        label=_("Narrative"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    new_violation_type = TermChoiceField("violation_types", label=_("Add a violation type"))
    new_victim_name = forms.CharField(label=_("Add a victim"), required=False, max_length=200)
    new_victim_kind = forms.ChoiceField(
        label=_("Victim is"), choices=VictimKind.choices, required=False
    )

    def __init__(self, *args, document, extraction, user=None, attaching=False, **kwargs):
        self.user = user
        self.document = document
        self.extraction = extraction
        self.attaching = attaching
        self._terms: dict[str, dict[str, Term]] = {}
        self._laws: dict[tuple[str, str], object] = {}
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = [("", "—"), *country_choices()]
        self.fields["source_name"].required = not attaching
        self.violation_rows = []
        self.victim_rows = []
        self.law_rows = []
        self.mechanism_rows = []
        self.organisation_rows = []
        self._build()
        if attaching:
            for name, field in self.fields.items():
                if name not in self.SOURCE_FIELDS:
                    field.required = False

    # ------------------------------------------------------------ vocabularies

    def _term(self, vocabulary: str, code: str | None) -> Term | None:
        """A term by its code; each vocabulary is loaded once per form (one query)."""
        if not code:
            return None
        if vocabulary not in self._terms:
            self._terms[vocabulary] = {t.code: t for t in Term.objects.of(vocabulary)}
        return self._terms[vocabulary].get(code)

    def _terms_of(self, vocabulary: str, codes) -> list[Term]:
        return [t for t in (self._term(vocabulary, c) for c in codes or []) if t is not None]

    def _match_law(self, name: str, country: str):
        key = (name, country)
        if key not in self._laws:
            self._laws[key] = services.match_law(name, country=country)
        return self._laws[key]

    # ------------------------------------------------------------ building

    def _term_rows(self, key: str, vocabulary: str, label, proposals, initial: dict) -> list[dict]:
        """One row per proposed vocabulary term: a select of the vocabulary, and "accept"."""
        rows = []
        for i, proposal in enumerate(proposals):
            name = f"{key}_{i}"
            self.fields[name] = TermChoiceField(vocabulary, label=label)
            initial.setdefault(name, self._term(vocabulary, proposal.value))
            rows.append(
                {
                    "key": f"{key}-{i}",
                    "proposal": proposal,
                    "accept": self._accept(name, proposal),
                    "field": name,
                }
            )
        return rows

    def _accept(self, name: str, proposal=None) -> str:
        # Accepted by default, unless the extraction itself is unsure of it.
        sure = getattr(proposal, "confidence", 1.0) >= CONFIDENT
        self.fields[f"{name}_accept"] = forms.BooleanField(
            label=_("Accept"), required=False, initial=sure
        )
        return f"{name}_accept"

    def _build(self) -> None:
        e = self.extraction
        document = self.document
        initial = self.initial
        initial.setdefault("title", self._title())
        initial.setdefault("country", e.country.value if e.country else "")
        initial.setdefault("admin_area", e.region.label if e.region else "")
        initial.setdefault("place", e.city.label if e.city else "")
        initial.setdefault("date", self._fuzzy(e.date))
        perpetrator = e.perpetrator_type
        initial.setdefault(
            "perpetrator_type",
            self._term("perpetrator_types", perpetrator.value if perpetrator else None),
        )
        if perpetrator and perpetrator.spans:
            span = perpetrator.spans[0]
            initial.setdefault("perpetrator_description", e.text[span.start : span.end][:300])
        initial.setdefault("new_victim_kind", VictimKind.PERSON)
        initial.setdefault("source_name", document.source_name or services.proposed_title(document))
        initial.setdefault("source_url", document.source_url)
        initial.setdefault(
            "source_date",
            FuzzyDate(document.published.year, document.published.month, document.published.day)
            if document.published
            else FuzzyDate(),
        )
        initial.setdefault("source_language", e.language or document.language)
        initial.setdefault(
            "material_type", self._term("source_material_types", "press_release_statement")
        )

        self.violation_rows = self._term_rows(
            "violation", "violation_types", _("Violation type"), e.violation_types, initial
        )
        for i, victim in enumerate(e.victims):
            name = f"victim_{i}"
            self.fields[f"{name}_name"] = forms.CharField(
                label=_("Name"), max_length=200, required=False
            )
            self.fields[f"{name}_kind"] = forms.ChoiceField(
                label=_("Victim is"), choices=VictimKind.choices, required=False
            )
            self.fields[f"{name}_sex"] = TermChoiceField("sex", label=_("Sex"))
            self.fields[f"{name}_roles"] = TermMultipleChoiceField(
                "defender_roles", label=_("Roles"), widget=forms.SelectMultiple(attrs={"size": 4})
            )
            initial.setdefault(f"{name}_name", victim.name)
            initial.setdefault(f"{name}_kind", victim.kind)
            initial.setdefault(
                f"{name}_sex", self._term("sex", victim.sex if victim.sex != "unknown" else None)
            )
            initial.setdefault(
                f"{name}_roles",
                self._terms_of("defender_roles", victim.roles),
            )
            match = (
                services.match_party(user=self.user, name=victim.name, kind=victim.kind)
                if self.user
                else None
            )
            self.victim_rows.append(
                {
                    "key": f"victim-{i}",
                    "proposal": victim,
                    "accept": self._accept(name, victim),
                    "fields": [f"{name}_name", f"{name}_kind", f"{name}_sex", f"{name}_roles"],
                    "match": match,
                }
            )
        for i, law in enumerate(e.laws):
            name = f"law_{i}"
            country = e.country.value if e.country else ""
            laws = Law.objects.filter(country=country) if country else Law.objects.all()
            self.fields[name] = forms.CharField(
                label=_("Law as named"), max_length=300, required=False
            )
            self.fields[f"{name}_record"] = BoundedModelChoiceField(
                queryset=laws,
                required=False,
                label=_("Recorded law"),
                empty_label=_("— not recorded: keep the name as text —"),
            )
            initial.setdefault(name, law.label or law.value)
            initial.setdefault(f"{name}_record", self._match_law(law.value, country))
            self.law_rows.append(
                {
                    "key": f"law-{i}",
                    "proposal": law,
                    "accept": self._accept(name, law),
                    "fields": [name, f"{name}_record"],
                }
            )
        self.mechanism_rows = self._term_rows(
            "mechanism", "un_mechanisms", _("UN mechanism"), e.un_mechanisms, initial
        )
        for i, organisation in enumerate(e.organisations):
            name = f"organisation_{i}"
            self.fields[name] = forms.CharField(
                label=_("Organisation"), max_length=300, required=False
            )
            initial.setdefault(name, organisation.label or organisation.value)
            self.organisation_rows.append(
                {
                    "key": f"organisation-{i}",
                    "proposal": organisation,
                    "accept": self._accept(name, organisation),
                    "field": name,
                }
            )

    def _title(self) -> str:
        """The violation, the country and the date ("Forced closure — China, 2016-01-29").

        No person's name: a title is shown wherever the incident is, past the
        disclosure seam that keeps unconsented persons off shared outputs.
        Without a violation, the document's title or headline.
        """
        e = self.extraction
        violation = (
            self._term("violation_types", e.violation_types[0].value) if e.violation_types else None
        )
        if violation is None:
            return services.proposed_title(self.document)
        where = country_name(e.country.value) if e.country else ""
        when = self._fuzzy(e.date).iso()
        details = ", ".join(part for part in (where, when) if part)
        return (f"{violation.label} — {details}" if details else str(violation.label))[:300]

    @staticmethod
    def _fuzzy(proposed) -> FuzzyDate:
        try:
            return FuzzyDate(proposed.year, proposed.month, proposed.day)
        except (FuzzyDateError, TypeError):
            return FuzzyDate()

    # ------------------------------------------------------------ reading

    def clean(self):
        cleaned = super().clean()
        if self.attaching:
            return cleaned
        if not self.extraction.is_attack and not cleaned.get("confirm_attack"):
            self.add_error(
                "confirm_attack",
                _("The text may not report an attack: confirm that it does, or reject it."),
            )
        for row in self.victim_rows:
            name_field = row["fields"][0]
            if cleaned.get(row["accept"]) and not (cleaned.get(name_field) or "").strip():
                self.add_error(
                    name_field, _("Give the victim a name or a description, or untick it.")
                )
        return cleaned

    def _accepted(self, row) -> bool:
        return bool(self.cleaned_data.get(row["accept"]))

    def decisions(self) -> services.Decisions:
        data = self.cleaned_data
        violations = [
            data[row["field"]]
            for row in self.violation_rows
            if self._accepted(row) and data.get(row["field"])
        ]
        if data.get("new_violation_type"):
            violations.append(data["new_violation_type"])
        violations = list(dict.fromkeys(violations))
        victims = []
        for row in self.victim_rows:
            if not self._accepted(row):
                continue
            name, kind, sex, roles = (data.get(f) for f in row["fields"])
            victims.append(
                services.VictimDecision(
                    name=name.strip(),
                    kind=kind or VictimKind.PERSON,
                    sex=sex,
                    roles=list(roles or []),
                )
            )
        if (data.get("new_victim_name") or "").strip():
            victims.append(
                services.VictimDecision(
                    name=data["new_victim_name"].strip(),
                    kind=data.get("new_victim_kind") or VictimKind.PERSON,
                )
            )
        laws, other_laws = [], []
        for row in self.law_rows:
            if not self._accepted(row):
                continue
            name, record = (data.get(f) for f in row["fields"])
            if record is not None:
                laws.append(record)
            elif (name or "").strip():
                other_laws.append(name.strip())
        return services.Decisions(
            title=data["title"],
            country=data.get("country") or "",
            admin_area=data.get("admin_area") or "",
            place=data.get("place") or "",
            date=data.get("date") or FuzzyDate(),
            narrative=data.get("narrative") or "",
            violation_types=violations,
            victims=victims,
            perpetrator_type=data.get("perpetrator_type"),
            perpetrator_description=data.get("perpetrator_description") or "",
            laws=list(dict.fromkeys(laws)),
            other_laws=other_laws,
            un_mechanisms=[
                data[row["field"]]
                for row in self.mechanism_rows
                if self._accepted(row) and data.get(row["field"])
            ],
            organisations=[
                data[row["field"]].strip()
                for row in self.organisation_rows
                if self._accepted(row) and (data.get(row["field"]) or "").strip()
            ],
            source=self.source_input(self.document),
        )


class AttachForm(SourceFieldsMixin, forms.Form):
    """Attaching to an existing incident reads only the source fields of the review form."""
