"""Every URL of the project, for every persona: the status, and no leak in any page.

The URL list comes from the resolver, so a new URL without an entry in MATRIX
fails ``test_every_url_pattern_has_an_entry_in_the_matrix``.

The records: one incident, person and organisation owned by the home
organisation and shared (read) with the partner organisation; one incident
owned by the home organisation alone; one incident and person owned by the
outsider organisation alone. Personas: coordinator, documenter and reader of
the home organisation, a partner documenter, an outsider documenter, an
administrator with no membership, an anonymous visitor.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from solidarity.accounts.models import User, Visibility
from solidarity.context.models import Law
from solidarity.incidents.models import EvidenceFile
from solidarity.incidents.services import add_evidence
from solidarity.people.models import Organisation, Person
from solidarity.people.services import add_consent
from solidarity.responses.models import Response, Version
from solidarity.responses.services import add_comment, draft_from_incident, invite
from solidarity.un.communications import draft_sg_input
from tests.factories import make_incident, term

PERSONAS = ["coordinator", "documenter", "reader", "partner", "outsider", "administrator", "anon"]
SECRET_TITLES = {
    "home_only": "Synthetic incident kept at home",
    "outsider": "Synthetic incident of the outsider",
}
SECRET_NAMES = {"outsider": "Synthetic Hidden Outsider Person"}
LOGIN = "/accounts/login/"


@dataclass
class Expect:
    """What each persona gets; ``default`` covers the personas not named."""

    default: int
    method: str = "get"
    statuses: dict[str, int] = field(default_factory=dict)

    def status_for(self, persona: str) -> int:
        return self.statuses.get(persona, self.default)


MEMBERS_ONLY = {"anon": 302}
SHARED_RECORD = {"outsider": 404, "administrator": 404, "anon": 302}
WRITE_SHARED = {"reader": 403, "partner": 403, **SHARED_RECORD}

INTAKE_HOME = {"partner": 404, "outsider": 404, "administrator": 404, "anon": 302}

WITH_TOTP = ("coordinator", "administrator", "anon")

MATRIX: dict[str, Expect] = {
    "home": Expect(302),
    "set_language": Expect(302, method="post"),
    # django-allauth's account and MFA pages. Without a recent sign-in through
    # the login form (these tests use force_login) the sensitive ones ask to
    # reauthenticate (302); MFA pages about an authenticator the user has not
    # set up answer 404.
    "account_login": Expect(302, statuses={"anon": 200}),
    "account_logout": Expect(200, statuses=MEMBERS_ONLY),
    "account_signup": Expect(302, statuses={"anon": 200}),  # a "sign-up is closed" page
    "account_change_password": Expect(200, statuses=MEMBERS_ONLY),
    "account_set_password": Expect(302),
    "account_email": Expect(200, statuses=MEMBERS_ONLY),
    "account_email_verification_sent": Expect(200),
    "account_confirm_email": Expect(200),
    "account_inactive": Expect(200),
    "account_reauthenticate": Expect(200, statuses=MEMBERS_ONLY),
    "account_request_reauthentication_code": Expect(302),
    "account_confirm_reauthentication_code": Expect(302),
    "account_confirm_login_code": Expect(302),
    "account_reset_password": Expect(200),
    "account_reset_password_done": Expect(200),
    "account_reset_password_from_key": Expect(200),
    "account_reset_password_from_key_done": Expect(200),
    "mfa_index": Expect(200, statuses=MEMBERS_ONLY),
    "mfa_authenticate": Expect(302),
    "mfa_activate_totp": Expect(302),
    "mfa_generate_recovery_codes": Expect(302),
    "mfa_reauthenticate": Expect(302, statuses={"coordinator": 200, "administrator": 200}),
    "mfa_deactivate_totp": Expect(404, statuses={p: 302 for p in WITH_TOTP}),
    "mfa_view_recovery_codes": Expect(404, statuses={p: 302 for p in WITH_TOTP}),
    "mfa_download_recovery_codes": Expect(404, statuses={p: 302 for p in WITH_TOTP}),
    "incidents:list": Expect(200, statuses=MEMBERS_ONLY),
    "incidents:create": Expect(200, statuses={"reader": 403, "administrator": 403, "anon": 302}),
    "incidents:detail": Expect(200, statuses=SHARED_RECORD),
    "incidents:edit": Expect(200, statuses=WRITE_SHARED),
    # An upload without a file is refused as invalid (400) for those who may upload.
    "incidents:evidence-upload": Expect(400, method="post", statuses=WRITE_SHARED),
    # Only a coordinator of the owner changes sharing; she is redirected to the record.
    "incidents:sharing": Expect(403, method="post", statuses={"coordinator": 302, **SHARED_RECORD}),
    "incidents:evidence-download": Expect(200, statuses=SHARED_RECORD),
    # Intake: the document belongs to the home organisation and is never shared;
    # only its coordinators and documenters act on it (reject, attach).
    "intake:new": Expect(200, statuses={"reader": 403, "administrator": 403, "anon": 302}),
    "intake:batch": Expect(200, statuses=INTAKE_HOME),
    "intake:review": Expect(200, statuses=INTAKE_HOME),
    "intake:reject": Expect(302, method="post", statuses={"reader": 403, **INTAKE_HOME}),
    "intake:attach": Expect(302, method="post", statuses={"reader": 403, **INTAKE_HOME}),
    "people:persons": Expect(200, statuses=MEMBERS_ONLY),
    "people:person": Expect(200, statuses=SHARED_RECORD),
    "people:organisations": Expect(200, statuses=MEMBERS_ONLY),
    "people:organisation": Expect(200, statuses=SHARED_RECORD),
    "people:suggestions": Expect(200, statuses=MEMBERS_ONLY),
    # An empty consent form is refused as invalid (400) for those who may record consent.
    "people:person-consent": Expect(400, method="post", statuses=WRITE_SHARED),
    "people:organisation-consent": Expect(400, method="post", statuses=WRITE_SHARED),
    "people:consent-revoke": Expect(302, method="post", statuses=WRITE_SHARED),
    "people:person-sharing": Expect(
        403, method="post", statuses={"coordinator": 302, **SHARED_RECORD}
    ),
    "people:organisation-sharing": Expect(
        403, method="post", statuses={"coordinator": 302, **SHARED_RECORD}
    ),
    # Laws and ratings are shared reference data: every member reads them, every
    # coordinator or documenter keeps them.
    "context:laws": Expect(200, statuses=MEMBERS_ONLY),
    "context:law": Expect(200, statuses=MEMBERS_ONLY),
    "context:country": Expect(200, statuses=MEMBERS_ONLY),
    "context:law-create": Expect(200, statuses={"reader": 403, "administrator": 403, "anon": 302}),
    "context:law-edit": Expect(200, statuses={"reader": 403, "administrator": 403, "anon": 302}),
    "context:law-status": Expect(
        400, method="post", statuses={"reader": 403, "administrator": 403, "anon": 302}
    ),
    "public:list": Expect(200),
    "public:detail": Expect(200),
    "public:statement": Expect(200),
    "public:statement-pdf": Expect(200),
    "public:statement-feed": Expect(200),
    # Responses: the draft response is owned by the home organisation, and the
    # partner organisation is invited to sign it (so it may read and comment).
    "responses:list": Expect(200, statuses=MEMBERS_ONLY),
    "responses:notifications": Expect(200, statuses=MEMBERS_ONLY),
    "responses:draft": Expect(200, statuses={"reader": 403, **SHARED_RECORD}),
    "responses:detail": Expect(200, statuses=SHARED_RECORD),
    "responses:edit": Expect(200, statuses=WRITE_SHARED),
    "responses:details": Expect(200, statuses=WRITE_SHARED),
    "responses:add-language": Expect(302, method="post", statuses=WRITE_SHARED),
    "responses:diff": Expect(200, statuses=SHARED_RECORD),
    "responses:comment": Expect(302, method="post", statuses=SHARED_RECORD),
    "responses:comment-resolve": Expect(302, method="post", statuses=WRITE_SHARED),
    "responses:invite": Expect(403, method="post", statuses={"coordinator": 400, **SHARED_RECORD}),
    "responses:approve": Expect(403, method="post", statuses={"coordinator": 302, **SHARED_RECORD}),
    # URLs run in name order: the coordinator approved the draft just before.
    "responses:publish": Expect(403, method="post", statuses={"coordinator": 302, **SHARED_RECORD}),
    "responses:note": Expect(403, method="post", statuses={"coordinator": 400, **SHARED_RECORD}),
    "responses:answer": Expect(403, method="post", statuses=SHARED_RECORD),
    "un:cycles": Expect(200, statuses=MEMBERS_ONLY),
    "un:cycle-create": Expect(
        400, method="post", statuses={"reader": 403, "administrator": 403, "anon": 302}
    ),
    "un:cycle": Expect(200, statuses={"administrator": 404, "anon": 302}),
    "un:milestone-add": Expect(
        400, method="post", statuses={"reader": 403, "administrator": 404, "anon": 302}
    ),
    "un:recommendation-add": Expect(
        400, method="post", statuses={"reader": 403, "administrator": 404, "anon": 302}
    ),
    "un:submission-add": Expect(
        400, method="post", statuses={"reader": 403, "administrator": 404, "anon": 302}
    ),
    "un:calendar": Expect(200, statuses=MEMBERS_ONLY),
    "un:calendar-feed": Expect(404),
    "un:person-engagements": Expect(200, statuses=SHARED_RECORD),
    "un:organisation-engagements": Expect(200, statuses=SHARED_RECORD),
    "un:incident-reprisals": Expect(200, statuses=SHARED_RECORD),
    "un:reprisal-decide": Expect(400, method="post", statuses=WRITE_SHARED),
    "un:reprisals": Expect(200, statuses=MEMBERS_ONLY),
    # Documents for the UN: the draft is owned by the home organisation alone.
    "un:communications": Expect(200, statuses=MEMBERS_ONLY),
    "un:sg-input-new": Expect(200, statuses={"reader": 403, "administrator": 403, "anon": 302}),
    "un:communication-new": Expect(200, statuses=WRITE_SHARED),
    "un:communication": Expect(
        200, statuses={"partner": 404, "outsider": 404, "administrator": 404, "anon": 302}
    ),
    "un:communication-export": Expect(
        200, statuses={"partner": 404, "outsider": 404, "administrator": 404, "anon": 302}
    ),
}


def url_names(resolver: URLResolver | None = None, namespace: str = "") -> list[str]:
    """Every named URL pattern, with its namespace, walking the resolver tree."""
    resolver = resolver or get_resolver()
    names = []
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names += url_names(pattern, inner)
        elif isinstance(pattern, URLPattern):
            # The admin has unnamed patterns of its own; ours must all be named.
            names.append(f"{namespace}{pattern.name or f'<unnamed {pattern.pattern}>'}")
    return names


def project_url_names() -> list[str]:
    return sorted({n for n in url_names() if not n.startswith("admin:")})


def admin_url_names() -> list[str]:
    return sorted({n for n in url_names() if n.startswith("admin:")})


@pytest.fixture
def world(coordinator, documenter, reader, partner, outsider, administrator, home, partner_org):
    shared = make_incident(documenter, "Synthetic shared incident", sources=1)
    shared.visibility = Visibility.SHARED
    shared.save()
    shared.shared_read.add(partner_org)
    evidence = add_evidence(
        user=documenter,
        incident=shared,
        upload=SimpleUploadedFile("note.txt", b"synthetic testimony"),
    )
    person = Person.objects.create(
        display_name="Synthetic Shared Person", owner=home, visibility=Visibility.SHARED
    )
    person.shared_read.add(partner_org)
    organisation = Organisation.objects.get(name="Synthetic Centre")
    organisation.visibility = Visibility.SHARED
    organisation.save()
    organisation.shared_read.add(partner_org)
    consent = add_consent(
        user=documenter,
        party=person,
        scopes=[term("consent_scopes", "share_within_coalition")],
        given_by="self",
        method="written",
        given_on=date(2026, 1, 5),
    )
    published = make_incident(
        documenter, "Synthetic published incident", victim_kind="group", victim_name="villagers"
    )
    published.visibility = Visibility.PUBLIC
    published.save()
    response = draft_from_incident(
        user=documenter,
        incident=shared,
        language="en",
        response_type=term("response_types", "joint_statement"),
        requests=["Synthetic request"],
        title="Synthetic draft statement",
    )
    [invitation] = invite(
        user=coordinator,
        response=response,
        organisations=[partner_org],
        deadline=timezone.now() + timedelta(days=5),
    )
    comment = add_comment(
        user=documenter, version=response.latest("en"), paragraph=0, body="Synthetic remark"
    )
    statement = Response.objects.create(
        title="Synthetic published statement",
        response_type=term("response_types", "joint_statement"),
        owner=home,
        visibility=Visibility.PUBLIC,
        status="published",
        published_at=timezone.now(),
    )
    Version.objects.create(response=statement, language="en", number=1, text="Synthetic text.")
    law = Law.objects.create(country="CN", title="Synthetic Law", law_type="law")
    communication = draft_sg_input(
        user=documenter, period_start=date(2025, 6, 1), period_end=date(2026, 5, 31)
    )
    make_incident(documenter, SECRET_TITLES["home_only"], victim_name="Synthetic Home Centre")
    make_incident(outsider, SECRET_TITLES["outsider"], victim_name="Synthetic Outsider Centre")
    Person.objects.create(
        display_name=SECRET_NAMES["outsider"], owner=outsider.memberships.get().organisation
    )
    from solidarity.intake import services as intake
    from solidarity.lib.fuzzydate import FuzzyDate
    from solidarity.un import services as un

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
    return {
        "users": {
            "coordinator": coordinator,
            "documenter": documenter,
            "reader": reader,
            "partner": partner,
            "outsider": outsider,
            "administrator": administrator,
        },
        "args": {
            "intake:batch": [document.batch],
            "intake:review": [document.code],
            "intake:reject": [document.code],
            "intake:attach": [document.code, shared.code],
            "un:cycle": [cycle.code],
            "un:milestone-add": [cycle.code],
            "un:recommendation-add": [cycle.code],
            "un:submission-add": [cycle.code],
            "un:calendar-feed": ["not-a-real-token"],
            "un:person-engagements": [person.code],
            "un:organisation-engagements": [organisation.code],
            "un:incident-reprisals": [shared.code],
            "un:reprisal-decide": [shared.acts.get().pk, engagement.code],
            "incidents:detail": [shared.code],
            "incidents:edit": [shared.code],
            "incidents:evidence-upload": [shared.code],
            "incidents:sharing": [shared.code],
            "incidents:evidence-download": [evidence.code],
            "people:person": [person.code],
            "people:organisation": [organisation.code],
            "people:person-consent": [person.code],
            "people:organisation-consent": [organisation.code],
            "people:consent-revoke": [consent.code],
            "people:person-sharing": [person.code],
            "people:organisation-sharing": [organisation.code],
            "public:detail": [published.code],
            "un:communication-new": [shared.code],
            "un:communication": [communication.code],
            "un:communication-export": [communication.code, "txt"],
            "context:law": [law.code],
            "context:law-edit": [law.code],
            "context:law-status": [law.code],
            "context:country": ["CN"],
            "account_confirm_email": ["not-a-real-key"],
            "responses:draft": [shared.code],
            "responses:detail": [response.code],
            "responses:edit": [response.code],
            "responses:details": [response.code],
            "responses:add-language": [response.code],
            "responses:diff": [response.code],
            "responses:comment": [response.code, 1],
            "responses:comment-resolve": [comment.code],
            "responses:invite": [response.code],
            "responses:approve": [response.code],
            "responses:publish": [response.code],
            "responses:note": [response.code],
            "responses:answer": [invitation.code],
            "public:statement": [statement.code, "en"],
            "public:statement-pdf": [statement.code, "en"],
        },
        "query": {"responses:diff": "?lang=en&a=1&b=1"},
        "kwargs": {
            "account_reset_password_from_key": {"uidb36": "0", "key": "not-a-real-key"},
        },
        "post": {
            "incidents:sharing": {"visibility": Visibility.SHARED, "shared_read": [partner_org.pk]},
            "set_language": {"language": "en", "next": "/"},
            "responses:add-language": {"language": "zh-hans"},
            "responses:comment": {"paragraph": 0, "body": "Synthetic comment", "lang": "en"},
            "responses:comment-resolve": {"resolved": "1"},
            "responses:answer": {"answer": "signed"},
            "people:person-sharing": {
                "visibility": Visibility.SHARED,
                "shared_read": [partner_org.pk],
            },
            "people:organisation-sharing": {
                "visibility": Visibility.SHARED,
                "shared_read": [partner_org.pk],
            },
        },
    }


def secrets_hidden_from(persona: str) -> list[str]:
    """Strings that must appear in no page this persona is shown."""
    hidden = []
    if persona != "outsider":
        hidden += [SECRET_TITLES["outsider"], SECRET_NAMES["outsider"], "Synthetic Outsider Centre"]
    if persona in ("partner", "outsider", "administrator", "anon"):
        hidden += [SECRET_TITLES["home_only"], "Synthetic Home Centre"]
    return hidden


def test_every_url_pattern_has_an_entry_in_the_matrix():
    missing = [name for name in project_url_names() if name not in MATRIX]
    assert not missing, f"add these URLs to the authorisation matrix: {missing}"
    stale = [name for name in MATRIX if name not in project_url_names()]
    assert not stale, f"these matrix entries name no URL: {stale}"


@pytest.mark.parametrize("persona", PERSONAS)
def test_each_persona_gets_the_expected_status_from_every_url_and_sees_no_other_records(
    client, world, persona
):
    if persona != "anon":
        client.force_login(world["users"][persona])
    failures = []
    for name in project_url_names():
        expected = MATRIX[name]
        url = reverse(name, args=world["args"].get(name), kwargs=world["kwargs"].get(name))
        url += world["query"].get(name, "")
        if expected.method == "post":
            response = client.post(url, world["post"].get(name, {}))
        else:
            response = client.get(url)
        status = expected.status_for(persona)
        if response.status_code != status:
            failures.append(f"{name}: {response.status_code}, expected {status}")
        ours = not name.startswith(("account_", "mfa_", "home", "set_language"))
        if status == 302 and persona == "anon" and ours:
            assert response["Location"].startswith(LOGIN), name
        body = b"".join(response) if response.streaming else response.content
        for secret in secrets_hidden_from(persona):
            if secret.encode() in body:
                failures.append(f"{name}: shows '{secret}'")
    assert not failures, failures


@pytest.mark.parametrize("persona", ["documenter", "partner", "anon"])
def test_the_admin_is_closed_to_everyone_but_administrators(client, world, persona):
    if persona != "anon":
        client.force_login(world["users"][persona])
    for name in ("admin:index", "admin:people_person_changelist", "admin:vocab_term_changelist"):
        response = client.get(reverse(name))
        assert response.status_code == 302, name
        assert response["Location"].startswith((reverse("admin:login"), LOGIN)), name


def test_the_admin_shows_the_administrator_no_record_of_any_organisation(client, world):
    client.force_login(world["users"]["administrator"])
    for name in admin_url_names():
        if not name.endswith("_changelist"):
            continue
        response = client.get(reverse(name))
        assert response.status_code == 200, name
        for secret in secrets_hidden_from("administrator") + ["Synthetic Shared Person"]:
            assert secret.encode() not in response.content, (name, secret)
    person = Person.objects.get(display_name="Synthetic Shared Person")
    change = client.get(reverse("admin:people_person_change", args=[person.pk]))
    assert change.status_code == 302


def test_lists_count_only_what_the_persona_may_see(client, world):
    client.force_login(world["users"]["partner"])
    content = client.get(reverse("incidents:list")).content.decode()
    assert "2 incidents" in content  # the one shared with her, and the public one
    assert "Synthetic shared incident" in content
    client.force_login(world["users"]["outsider"])
    content = client.get(reverse("incidents:list")).content.decode()
    assert "2 incidents" in content and SECRET_TITLES["outsider"] in content


def test_evidence_of_a_hidden_incident_cannot_be_downloaded_by_guessing_its_code(client, world):
    evidence = EvidenceFile.objects.get()
    client.force_login(world["users"]["outsider"])
    response = client.get(reverse("incidents:evidence-download", args=[evidence.code]))
    assert response.status_code == 404


def test_making_a_record_coalition_wide_shows_it_to_every_member_but_not_to_anonymous(
    client, world
):
    client.force_login(world["users"]["coordinator"])
    url = reverse("incidents:sharing", args=world["args"]["incidents:detail"])
    client.post(url, {"visibility": Visibility.COALITION})
    detail = reverse("incidents:detail", args=world["args"]["incidents:detail"])
    client.force_login(world["users"]["outsider"])
    assert client.get(detail).status_code == 200
    assert (
        client.get(reverse("incidents:edit", args=world["args"]["incidents:edit"])).status_code
        == 403
    )
    client.logout()
    assert client.get(detail).status_code == 302


def test_setting_owner_only_visibility_removes_the_shares(client, world, partner_org):
    client.force_login(world["users"]["coordinator"])
    url = reverse("incidents:sharing", args=world["args"]["incidents:detail"])
    response = client.post(url, {"visibility": Visibility.OWNER, "shared_read": [partner_org.pk]})
    assert response.status_code == 302
    client.force_login(world["users"]["partner"])
    detail = reverse("incidents:detail", args=world["args"]["incidents:detail"])
    assert client.get(detail).status_code == 404


def test_an_edit_share_lets_the_partner_edit_but_not_change_sharing(client, world, partner_org):
    from solidarity.incidents.models import Incident

    incident = Incident.objects.get(title="Synthetic shared incident")
    incident.shared_edit.add(partner_org)
    client.force_login(world["users"]["partner"])
    assert client.get(reverse("incidents:edit", args=[incident.code])).status_code == 200
    response = client.post(
        reverse("incidents:sharing", args=[incident.code]), {"visibility": Visibility.PUBLIC}
    )
    assert response.status_code == 403


def test_a_user_with_two_organisations_chooses_the_owner(client, world, partner_org):
    from solidarity.accounts.models import Membership, Role

    user: User = world["users"]["documenter"]
    Membership.objects.create(user=user, organisation=partner_org, role=Role.DOCUMENTER)
    client.force_login(user)
    page = client.get(reverse("incidents:create")).content.decode()
    assert "Synthetic Partner Organisation" in page and 'name="owner"' in page


def test_an_editing_partner_sees_no_hidden_name_in_the_form_and_saving_keeps_the_victim(
    client, documenter, partner, partner_org, home
):
    from solidarity.incidents.models import Act, Incident

    incident = make_incident(
        documenter,
        "Synthetic shared for editing",
        victim_kind="person",
        victim_name="Synthetic Hidden Victim",
    )
    incident.visibility = Visibility.SHARED
    incident.save()
    incident.shared_edit.add(partner_org)
    victim = Person.objects.get(display_name="Synthetic Hidden Victim")
    client.force_login(partner)
    page = client.get(reverse("incidents:edit", args=[incident.code]))
    content = page.content.decode()
    assert "Synthetic Hidden Victim" not in content and str(victim.code) not in content
    editor = page.context["editor"]
    data = {}
    for form in [
        editor.form,
        *editor.acts.forms,
        *editor.sources.forms,
        *[f for p in editor.perpetrators for f in p.forms],
    ]:
        for name in form.fields:
            value = form[name].value()
            if value is None or value is False:
                continue
            data[form[name].html_name] = value.iso() if hasattr(value, "iso") else value
    for formset in [editor.acts, editor.sources, *editor.perpetrators]:
        for name in formset.management_form.fields:
            data[formset.management_form[name].html_name] = formset.management_form[name].value()
    data["title"] = "Synthetic shared for editing, revised"
    response = client.post(reverse("incidents:edit", args=[incident.code]), data)
    assert response.status_code == 302, response.content[:2000]
    assert Incident.objects.get(pk=incident.pk).title.endswith("revised")
    assert Act.objects.get(incident=incident).victim_person == victim
