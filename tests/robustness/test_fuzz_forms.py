"""Every form of the platform, fuzzed: whatever is posted, the answer is never a server
error and comes within two seconds.

The forms are found, not listed: every page the resolver knows (and the admin's add
and change pages) is opened as a persona who may post its forms, and each form's
fields (names, types, options, hidden values, submit buttons) are read from the
HTML. Hypothesis then posts generated values for each form: valid options, empty,
junk text, huge and negative integers, unicode, very long strings, missing fields,
formset management values out of range, the option of another field.

``SOLIDARITY_FUZZ_EXAMPLES`` sets the examples per form (default 8, which keeps this
test near 20 s on two cores); ``SOLIDARITY_FUZZ_SEED`` replays a run.
"""

import os
import random
import time
import traceback
from dataclasses import dataclass, field
from datetime import date, timedelta
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.signals import got_request_exception
from django.test import Client
from django.urls import (
    NoReverseMatch,
    Resolver404,
    URLPattern,
    URLResolver,
    get_resolver,
    resolve,
    reverse,
)
from django.utils import timezone
from hypothesis import HealthCheck, Phase, given, seed
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from solidarity.accounts.models import MemberOrganisation, Membership, Role, User, Visibility
from solidarity.context.models import CivicSpaceRating, Law
from solidarity.incidents.services import add_evidence
from solidarity.lib.fuzzydate import FuzzyDate
from solidarity.people.models import Organisation, Person, Relationship
from solidarity.people.services import add_consent
from solidarity.responses.models import Response, Version
from solidarity.responses.services import add_comment, approve, draft_from_incident, invite
from solidarity.un.communications import draft_sg_input
from solidarity.vocab.models import Vocabulary
from tests.conftest import member
from tests.factories import make_incident, term

EXAMPLES = int(os.environ.get("SOLIDARITY_FUZZ_EXAMPLES", "8"))
SEED = int(os.environ.get("SOLIDARITY_FUZZ_SEED", random.randrange(2**32)))
QUICK = 2.0  # seconds

HUGE = "99999999999999999999999"
numbers = st.one_of(
    st.sampled_from(
        [HUGE, "-" + HUGE, "9223372036854775808", "2147483648", "-2147483649", "9" * 5_000]
    ),
    st.integers(min_value=2**31 - 1, max_value=10**30).map(str),
    st.integers(max_value=0).map(str),
)
words = st.sampled_from(
    [
        "",
        " ",
        "junk",
        "1.5",
        "1e400",
        "\x00",
        "证词 ñ 🚀\u202e\u200b",
        "<script>alert(1)</script>",
        "' OR 1=1 --",
        "2016-13-45",
        "0001-01-01",
        "9999-12-31",
        "2030-01-01T25:61",
        "Synthetic [00000000-0000-0000-0000-000000000000]",
        "Synthetic [not-a-code]",
        "javascript:alert(1)",
        "//example.org",
    ]
)
# A run of one repeated Chinese character is left out: the search index takes seconds to
# cut it into words (test_errors_elsewhere.py); a long text in Chinese is still here.
long_text = st.sampled_from(["x" * 20_000, "证词" * 10_000, "a " * 10_000])
nasty_text = st.one_of(numbers, words, st.text(max_size=40), long_text)

# Fields whose nasty values still make a server error or a slow answer, where the fix
# belongs outside this change: tests/robustness/test_errors_elsewhere.py reproduces
# each (marked xfail) and names the fix. Until then these fields get plausible values
# only, and the rest of their forms is fuzzed.
TAME: dict[str, set[str]] = {}

# Every URL of the project is either the target of a form found on some page (and
# then fuzzed), or says here why nothing is posted to it.
POSTED = {
    "set_language",
    "account_logout",
    "account_change_password",
    "account_email",
    "account_reauthenticate",
    "account_reset_password",
    "mfa_reauthenticate",
    "incidents:create",
    "incidents:edit",
    "incidents:evidence-upload",
    "incidents:sharing",
    "intake:new",
    "intake:review",
    "intake:reject",
    "intake:attach",
    "people:person-consent",
    "people:organisation-consent",
    "people:consent-revoke",
    "people:person-sharing",
    "people:organisation-sharing",
    "context:law-create",
    "context:law-edit",
    "context:law-status",
    "responses:draft",
    "responses:edit",
    "responses:details",
    "responses:add-language",
    "responses:comment",
    "responses:comment-resolve",
    "responses:invite",
    "responses:approve",
    "responses:publish",
    "responses:note",
    "responses:answer",
    "responses:notifications",
    "un:cycle-create",
    "un:milestone-add",
    "un:recommendation-add",
    "un:submission-add",
    "un:calendar",
    "un:person-engagements",
    "un:organisation-engagements",
    "un:reprisal-decide",
    "un:sg-input-new",
    "un:communication-new",
    "un:communication",
}
NOT_POSTED = {
    "home": "a redirect",
    "incidents:list": "a search (GET)",
    "incidents:detail": "shows the evidence and sharing forms, posted elsewhere",
    "incidents:evidence-download": "a download",
    "intake:batch": "progress only",
    "people:persons": "a search (GET)",
    "people:person": "shows the consent and sharing forms, posted elsewhere",
    "people:organisations": "a search (GET)",
    "people:organisation": "shows the consent and sharing forms, posted elsewhere",
    "people:suggestions": "htmx suggestions (GET)",
    "context:laws": "a list",
    "context:law": "shows the status form, posted elsewhere",
    "context:country": "a page",
    "public:list": "the public site has no form",
    "public:detail": "the public site has no form",
    "public:statement": "the public site has no form",
    "public:statement-pdf": "a download",
    "public:statement-feed": "a feed",
    "responses:list": "a list",
    "responses:detail": "shows the drafting forms, posted elsewhere",
    "responses:diff": "a comparison (GET)",
    "un:cycles": "shows the cycle form, posted elsewhere",
    "un:cycle": "shows the cycle's forms, posted elsewhere",
    "un:calendar-feed": "a feed",
    "un:incident-reprisals": "shows the decision forms, posted elsewhere",
    "un:reprisals": "a list",
    "un:communications": "a list",
    "un:communication-export": "a download",
    # Signing in, signing up and the sign-in codes are fuzzed for anonymous
    # visitors by tests/accounts/test_lockout_fuzz.py; the rest are steps of
    # flows that need a mailed key or a recent sign-in, and show no form here.
    "account_login": "tests/accounts/test_lockout_fuzz.py",
    "account_signup": "sign-up is closed",
    "account_set_password": "redirects: users have passwords",
    "account_email_verification_sent": "no form",
    "account_confirm_email": "needs a mailed key",
    "account_inactive": "no form",
    "account_request_reauthentication_code": "login codes are off",
    "account_confirm_reauthentication_code": "login codes are off",
    "account_confirm_login_code": "login codes are off",
    "account_reset_password_done": "no form",
    "account_reset_password_from_key": "needs a mailed key",
    "account_reset_password_from_key_done": "no form",
    "mfa_index": "links only",
    "mfa_authenticate": "needs a sign-in in progress",
    "mfa_activate_totp": "needs a recent sign-in",
    "mfa_generate_recovery_codes": "needs a recent sign-in",
    "mfa_deactivate_totp": "needs a recent sign-in",
    "mfa_view_recovery_codes": "needs a recent sign-in",
    "mfa_download_recovery_codes": "needs a recent sign-in",
}
# Pages not opened to look for forms: downloads, feeds and redirects.
NOT_OPENED = {
    "home",
    "incidents:evidence-download",
    "public:statement-pdf",
    "public:statement-feed",
    "un:calendar-feed",
    "un:communication-export",
    "account_logout",  # opened last, as it signs out (its form is in every page)
}
# The admin's pages for the records that are kept there (legal status is inline in
# the organisation's page).
ADMIN_MODELS = [
    "accounts_user",
    "accounts_memberorganisation",
    "context_civicspacerating",
    "people_person",
    "people_organisation",
    "people_relationship",
    "vocab_vocabulary",
    "vocab_term",
]


def url_names(resolver: URLResolver | None = None, namespace: str = "") -> list[str]:
    """Every named URL pattern, with its namespace, walking the resolver tree."""
    resolver = resolver or get_resolver()
    names = []
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names += url_names(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.append(f"{namespace}{pattern.name}")
    return sorted(set(names))


def project_url_names() -> list[str]:
    return [n for n in url_names() if not n.startswith("admin:")]


# ------------------------------------------------------------------ forms read from pages


@dataclass
class Field:
    name: str
    kind: str  # text, textarea, hidden, select, multi, checkbox, radio, file, or an input type
    value: str | None = None
    options: list[str] = field(default_factory=list)


@dataclass
class Form:
    url_name: str
    action: str
    page: str
    persona: str
    fields: list[Field]
    buttons: list[tuple[str, str]]

    def __str__(self) -> str:
        return f"{self.url_name} ({self.action}, from {self.page} as {self.persona})"


def read_forms(html: str, page: str, persona: str) -> list[Form]:
    """The POST forms of a page, one per target (a button's formaction is a target too)."""
    soup = BeautifulSoup(html, "html.parser")
    found = []
    for tag in soup.find_all("form"):
        if (tag.get("method") or "get").lower() != "post":
            continue
        fields: dict[str, Field] = {}
        buttons, targets = [], {urlsplit(tag.get("action") or page).path}
        for element in tag.find_all(["input", "select", "textarea", "button"]):
            name = element.get("name")
            kind = (element.get("type") or "").lower()
            if element.name == "button" or kind == "submit":
                if element.get("formaction"):
                    targets.add(urlsplit(element["formaction"]).path)
                if name:
                    buttons.append((name, element.get("value", "")))
                continue
            if not name:
                continue
            if element.name == "select":
                options = [o.get("value", o.get_text()) for o in element.find_all("option")]
                chosen = [o.get("value", "") for o in element.find_all("option", selected=True)]
                multiple = element.has_attr("multiple")
                fields[name] = Field(
                    name,
                    "multi" if multiple else "select",
                    chosen[0] if chosen and not multiple else None,
                    options,
                )
            elif element.name == "textarea":
                fields[name] = Field(name, "textarea", element.get_text())
            elif kind in ("checkbox", "radio"):
                value = element.get("value", "on")
                if name in fields:
                    fields[name].kind = "multi" if kind == "checkbox" else "radio"
                    fields[name].options.append(value)
                else:
                    fields[name] = Field(
                        name,
                        "checkbox" if kind == "checkbox" else "radio",
                        value if element.has_attr("checked") else None,
                        [value],
                    )
            else:
                fields[name] = Field(name, kind or "text", element.get("value"))
        for target in targets:
            try:
                url_name = resolve(target).view_name
            except Resolver404:
                continue
            found.append(Form(url_name, target, page, persona, list(fields.values()), buttons))
    return found


# ------------------------------------------------------------------ generated values


def plausible(draw, f: Field):
    """What a person would submit in this field."""
    name = f.name.lower()
    if f.kind == "hidden":
        return f.value or ""
    if f.kind in ("select", "radio"):
        return draw(st.sampled_from(f.options)) if f.options else ""
    if f.kind == "multi":
        return (
            draw(st.lists(st.sampled_from(f.options), max_size=3, unique=True)) if f.options else []
        )
    if f.kind == "checkbox":
        return draw(st.sampled_from([f.options[0], None]))
    if f.kind == "file":
        return SimpleUploadedFile("synthetic.txt", b"synthetic testimony\n")
    if f.value:
        return f.value
    if f.kind == "date":
        return "2024-01-02"
    if f.kind == "datetime-local":
        return (timezone.now() + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    if f.kind == "email":
        return "synthetic@example.org"
    if f.kind == "url" or "url" in name:
        return "https://example.org/synthetic"
    if f.kind == "number":
        return "1"
    if f.kind == "password":
        return "synthetic-password-1"
    if "date" in name or name.endswith(("from", "to", "_on")):
        return draw(st.sampled_from(["2016", "2016-03", "2016-03-08"]))
    return "Synthetic text"


def nasty_file(draw):
    content = draw(
        st.sampled_from([b"", b"\x00\x01\x02" * 100, b"%PDF-1.4 not really", b"PK\x03\x04junk"])
    )
    name = draw(st.sampled_from(["", "../../etc/passwd", "证词.pdf", "x" * 300 + ".txt", "a.zip"]))
    return SimpleUploadedFile(name or "unnamed", content)


def generated(draw, form: Form, other_options: list[str]) -> dict:
    """A submission: each field plausible, nasty, another field's option, or missing."""
    data = {}
    for f in form.fields:
        if f.name == "csrfmiddlewaretoken":
            data[f.name] = f.value
            continue
        how = draw(st.sampled_from(["plausible"] * 4 + ["nasty", "nasty", "other", "missing"]))
        if f.name in TAME.get(form.url_name, ()):
            how = "plausible"
        if how == "plausible":
            value = plausible(draw, f)
        elif how == "missing":
            value = None
        elif f.kind == "file":
            value = nasty_file(draw)
        elif how == "other" and other_options:
            value = draw(st.sampled_from(other_options))
        elif f.kind == "multi":
            value = draw(st.lists(st.one_of(nasty_text, st.sampled_from(f.options or [""]))))
        else:
            value = draw(nasty_text)
        if value is not None and value != []:
            data[f.name] = value
    if form.buttons:
        button = draw(st.sampled_from([None, *form.buttons]))
        if button is not None:
            name, value = button
            data[name] = draw(st.one_of(st.just(value), nasty_text))
    return data


# ------------------------------------------------------------------ the records


@pytest.fixture
def world(coordinator, documenter, administrator, home, partner_org):
    partner_coordinator = member("pia", partner_org, Role.COORDINATOR)
    Membership.objects.create(user=administrator, organisation=home, role=Role.COORDINATOR)
    shared = make_incident(documenter, "Synthetic fuzzed incident", sources=1)
    shared.visibility = Visibility.SHARED
    shared.save()
    shared.shared_read.add(partner_org)
    add_evidence(
        user=documenter, incident=shared, upload=SimpleUploadedFile("n.txt", b"synthetic note")
    )
    organisation = Organisation.objects.get(name="Synthetic Centre")
    person = Person.objects.create(display_name="Synthetic Fuzzed Person", owner=home)
    consent = add_consent(
        user=documenter,
        party=person,
        scopes=[term("consent_scopes", "share_within_coalition")],
        given_by="self",
        method="written",
        given_on=date(2026, 1, 5),
    )
    relationship = Relationship.objects.create(
        from_person=person, to_organisation=organisation, type=term("relationship_types", "member")
    )
    rating = CivicSpaceRating(country="CN", rating="closed", source="Synthetic monitor")
    rating.as_of = FuzzyDate(2024)
    rating.save()
    law = Law.objects.create(country="CN", title="Synthetic Fuzzed Law", law_type="law")

    def statement(title: str):
        return draft_from_incident(
            user=documenter,
            incident=shared,
            language="en",
            response_type=term("response_types", "joint_statement"),
            requests=["Synthetic request"],
            title=title,
        )

    draft = statement("Synthetic draft statement")
    invite(
        user=coordinator,
        response=draft,
        organisations=[partner_org],
        deadline=timezone.now() + timedelta(days=5),
    )
    comment = add_comment(
        user=documenter, version=draft.latest("en"), paragraph=0, body="Synthetic remark"
    )
    approved = statement("Synthetic approved statement")
    approve(user=coordinator, response=approved)
    published = Response.objects.create(
        title="Synthetic published statement",
        response_type=term("response_types", "joint_statement"),
        owner=home,
        visibility=Visibility.PUBLIC,
        status="published",
        published_at=timezone.now(),
    )
    Version.objects.create(response=published, language="en", number=1, text="Synthetic text.")
    communication = draft_sg_input(
        user=documenter, period_start=date(2025, 6, 1), period_end=date(2026, 5, 31)
    )
    from solidarity.intake import services as intake
    from solidarity.un import services as un

    make_incident(
        documenter, "Police closed a synthetic centre in Beijing", date="2016-03-03", sources=0
    )
    document = intake.paste(
        user=documenter,
        text="Synthetic report. On 3 March 2016 the police closed a synthetic centre in Beijing.",
        published=date(2016, 3, 5),
    )
    cycle = un.add_cycle(
        user=documenter, country="CN", mechanism=term("un_mechanisms", "cedaw"), label="9th"
    )
    engagement = un.add_engagement(
        user=documenter,
        party=organisation,
        engagement_type="submitted_report",
        date=FuzzyDate(2015),
        mechanism=term("un_mechanisms", "cedaw"),
    )
    spare_user = User.objects.create_user("synthetic-spare", password="spare-password-1")
    spare_org = MemberOrganisation.objects.create(name="Synthetic Spare Organisation")
    args = {
        "intake:batch": [document.batch],
        "intake:review": [document.code],
        "intake:reject": [document.code],
        "intake:attach": [document.code, shared.code],
        "un:cycle": [cycle.code],
        "un:milestone-add": [cycle.code],
        "un:recommendation-add": [cycle.code],
        "un:submission-add": [cycle.code],
        "un:person-engagements": [person.code],
        "un:organisation-engagements": [organisation.code],
        "un:incident-reprisals": [shared.code],
        "un:reprisal-decide": [shared.acts.get().pk, engagement.code],
        "incidents:detail": [shared.code],
        "incidents:edit": [shared.code],
        "incidents:evidence-upload": [shared.code],
        "incidents:sharing": [shared.code],
        "people:person": [person.code],
        "people:organisation": [organisation.code],
        "people:person-consent": [person.code],
        "people:organisation-consent": [organisation.code],
        "people:consent-revoke": [consent.code],
        "people:person-sharing": [person.code],
        "people:organisation-sharing": [organisation.code],
        "public:detail": [shared.code],
        "un:communication-new": [shared.code],
        "un:communication": [communication.code],
        "context:law": [law.code],
        "context:law-edit": [law.code],
        "context:law-status": [law.code],
        "context:country": ["CN"],
        "responses:draft": [shared.code],
        "responses:detail": [draft.code],
        "responses:edit": [draft.code],
        "responses:details": [draft.code],
        "responses:add-language": [draft.code],
        "responses:diff": [draft.code],
        "responses:comment": [draft.code, 1],
        "responses:comment-resolve": [comment.code],
        "public:statement": [published.code, "en"],
        "admin:accounts_user_change": [spare_user.pk],
        "admin:accounts_memberorganisation_change": [spare_org.pk],
        "admin:context_civicspacerating_change": [rating.pk],
        "admin:people_person_change": [person.pk],
        "admin:people_organisation_change": [organisation.pk],
        "admin:people_relationship_change": [relationship.pk],
        "admin:vocab_vocabulary_change": [Vocabulary.objects.get(code="relationship_types").pk],
        "admin:vocab_term_change": [term("relationship_types", "volunteer").pk],
    }
    # Pages opened more than once: a statement at each stage, and as the invited.
    extra_pages = [
        ("responses:detail", [approved.code], "coordinator"),
        ("responses:detail", [published.code], "coordinator"),
        ("responses:detail", [draft.code], "partner_coordinator"),
    ]
    users = {
        "coordinator": coordinator,
        "partner_coordinator": partner_coordinator,
        "administrator": administrator,
    }
    return {"args": args, "extra_pages": extra_pages, "users": users}


def pages(world) -> list[tuple[str, str]]:
    """(path, persona) of every page to look for forms in."""
    found = []
    for name in project_url_names():
        if name in NOT_OPENED:
            continue
        try:
            found.append((reverse(name, args=world["args"].get(name)), "coordinator"))
        except NoReverseMatch:
            continue  # a URL taking arguments that no page is opened for: POSTED says
    for name, args, persona in world["extra_pages"]:
        found.append((reverse(name, args=args), persona))
    for model in ADMIN_MODELS:
        change = reverse(f"admin:{model}_change", args=world["args"][f"admin:{model}_change"])
        found += [(reverse(f"admin:{model}_add"), "administrator"), (change, "administrator")]
    found.append((reverse("account_logout"), "coordinator"))
    return found


def discover(client: Client, world) -> list[Form]:
    forms: dict[tuple[str, tuple], Form] = {}
    for path, persona in pages(world):
        client.force_login(world["users"][persona])
        response = client.get(path)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        for form in read_forms(response.content.decode(), path, persona):
            key = (form.action, tuple(sorted(f.name for f in form.fields)))
            forms.setdefault(key, form)
    return list(forms.values())


# ------------------------------------------------------------------ the tests


def brief(trace: str, keep: int = 1500) -> str:
    return trace if len(trace) <= 2 * keep else f"{trace[:keep]}\n[…]\n{trace[-keep:]}"


def fuzz(client, form: Form, user, other_options, crashes: list, record: list) -> None:
    """Post generated submissions of one form, recording (seconds, status, what, crash).

    Nothing is asserted inside: each request changes the records, so Hypothesis could
    not replay a failing one; every request is judged afterwards instead.
    """
    submissions = st.composite(lambda draw: generated(draw, form, other_options))()

    @seed(SEED)
    @hypothesis_settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(payload=submissions)
    def post(payload):
        client.force_login(user)
        crashes.clear()
        started = time.perf_counter()
        response = client.post(form.action, payload)
        elapsed = time.perf_counter() - started
        shown = {k: v if len(str(v)) < 80 else f"{str(v)[:40]}…" for k, v in payload.items()}
        what = f"{form} with {shown}"
        record.append((elapsed, response.status_code, what, brief("".join(crashes))))

    post()


def warm_up(client, world) -> None:
    """Serve a first request as a running server has: the first text in Chinese loads the
    search index's dictionary, once per process, which is no cost of a form."""
    client.force_login(world["users"]["coordinator"])
    empty = {f"{p}-{n}_FORMS": "0" for p in ("acts", "sources") for n in ("TOTAL", "INITIAL")}
    client.post(
        reverse("incidents:create"),
        {
            "title": "警方关闭了中心",
            "narrative": "警方关闭了中心。" * 10,
            "confidentiality": "standard",
        }
        | empty,
    )


def test_every_url_is_fuzzed_or_says_why_not():
    names = set(project_url_names())
    unclassified = names - POSTED - set(NOT_POSTED)
    assert not unclassified, f"add these URLs to POSTED or NOT_POSTED: {sorted(unclassified)}"
    stale = (POSTED | set(NOT_POSTED)) - names
    assert not stale, f"these entries name no URL: {sorted(stale)}"


def test_no_form_answers_with_a_server_error_or_slowly(world, client, capsys):
    client.raise_request_exception = False
    crashes: list[str] = []

    def remember(sender, request=None, **kwargs):
        crashes.append(traceback.format_exc())

    got_request_exception.connect(remember)
    try:
        warm_up(client, world)
        forms = discover(client, world)
        missing = POSTED - {form.url_name for form in forms}
        assert not missing, f"no form found that posts to {sorted(missing)}"
        other_options = sorted({o for form in forms for f in form.fields for o in f.options})
        record: list[tuple[float, int, str, str]] = []
        started = time.perf_counter()
        for form in forms:
            fuzz(client, form, world["users"][form.persona], other_options, crashes, record)
        took = time.perf_counter() - started
    finally:
        got_request_exception.disconnect(remember)
    with capsys.disabled():
        slowest = sorted(record, reverse=True)[:3]
        print(
            f"\nfuzzed {len(forms)} forms with {len(record)} requests in {took:.0f} s "
            f"(seed {SEED}); slowest: "
            + ", ".join(
                f"{what.split(' ')[0]} {elapsed:.2f} s" for elapsed, _s, what, _c in slowest
            )
        )
    errors = [
        f"{status} from {what}\n{crash}" for _e, status, what, crash in record if status >= 500
    ]
    slow = [
        f"{elapsed:.2f} s from {what}" for elapsed, status, what, _c in record if elapsed >= QUICK
    ]
    assert not errors, "server errors:\n\n" + "\n\n".join(errors)
    assert not slow, "slow answers:\n\n" + "\n\n".join(slow)
