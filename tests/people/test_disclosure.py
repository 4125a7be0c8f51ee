"""The disclosure seam: each name appears exactly where its consent allows."""

import re
import uuid
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from solidarity.accounts.models import Visibility
from solidarity.incidents.models import Incident
from solidarity.incidents.services import (
    ActInput,
    PartyRef,
    SourceInput,
    save_incident,
    set_visibility,
)
from solidarity.people.disclosure import Audience, disclose, initials, names_not_allowed
from solidarity.people.models import Organisation, Person
from solidarity.people.services import add_consent, revoke_consent
from tests.factories import term

# One synthetic person per consent level; initials are unique.
LEVELS = {
    "none": ("Ansel Nobody-Consent", []),
    "internal": ("Bryony Internal-Only", ["no_consent_record_only"]),
    "coalition": ("Cosima Coalition-Shared", ["share_within_coalition"]),
    "un": ("Dorian Un-Confidential", ["share_with_un_confidential"]),
    "initials": ("Esme Initials-Only", ["public_initials_only"]),
    "unnamed": ("Fabian Public-Unnamed", ["public_unnamed"]),
    "named": ("Greta Publicly-Named", ["public_statement_named", "share_within_coalition"]),
}


def consent(user, party, *codes, given_on=None, expires_on=None):
    return add_consent(
        user=user,
        party=party,
        scopes=[term("consent_scopes", code) for code in codes],
        given_by="self",
        method="written",
        given_on=given_on or date(2026, 1, 5),
        expires_on=expires_on,
    )


@pytest.fixture
def people(documenter, home):
    persons = {}
    for level, (name, scopes) in LEVELS.items():
        person = Person.objects.create(
            display_name=name,
            legal_name=f"{name} Legal",
            aliases=f"{level}-alias-{name.split()[0]}",
            pseudonym=f"Defender {level.upper()}",
            owner=home,
        )
        if scopes:
            consent(documenter, person, *scopes)
        persons[level] = person
    return persons


def test_initials_are_the_first_letters_of_each_word():
    assert initials("Greta Publicly-Named") == "G. P."
    assert initials("郭建梅") == "郭."


def test_each_audience_sees_what_the_consent_allows(people):
    shown = {level: {a: disclose(p, audience=a) for a in Audience} for level, p in people.items()}
    assert all(shown[level][Audience.INTERNAL] == LEVELS[level][0] for level in LEVELS)
    assert shown["coalition"][Audience.COALITION] == "Cosima Coalition-Shared"
    assert shown["none"][Audience.COALITION] == "Defender NONE"  # pseudonym
    assert shown["un"][Audience.UN_CONFIDENTIAL] == "Dorian Un-Confidential"
    assert shown["coalition"][Audience.UN_CONFIDENTIAL] == "Defender COALITION"
    assert shown["named"][Audience.PUBLIC] == "Greta Publicly-Named"
    assert shown["initials"][Audience.PUBLIC] == "E. I."
    for level in ("none", "internal", "coalition", "un", "unnamed"):
        assert shown[level][Audience.PUBLIC] == "an unnamed defender", level


def test_a_revoked_consent_stops_counting_at_once(documenter, people):
    person = people["named"]
    assert disclose(person, audience=Audience.PUBLIC) == "Greta Publicly-Named"
    revoke_consent(user=documenter, code=person.consents.get().code)
    assert disclose(person, audience=Audience.PUBLIC) == "an unnamed defender"


def test_an_expired_or_future_consent_does_not_count(documenter, home):
    today = timezone.localdate()
    expired = Person.objects.create(display_name="Hugo Expired", owner=home)
    consent(
        documenter,
        expired,
        "public_statement_named",
        given_on=today - timedelta(days=30),
        expires_on=today - timedelta(days=1),
    )
    future = Person.objects.create(display_name="Iris Future", owner=home)
    consent(documenter, future, "public_statement_named", given_on=today + timedelta(days=3))
    assert disclose(expired, audience=Audience.PUBLIC) == "an unnamed defender"
    assert disclose(future, audience=Audience.PUBLIC) == "an unnamed defender"


def test_an_organisation_without_consent_is_unnamed_in_public(home):
    organisation = Organisation.objects.create(name="Synthetic Shelter", owner=home)
    assert disclose(organisation, audience=Audience.PUBLIC) == "an unnamed organisation"


def test_names_in_a_text_are_found_whatever_the_case_and_legal_names_never_pass(people):
    text = "Statement about greta publicly-named and Cosima Coalition-Shared Legal."
    problems = names_not_allowed(text, list(people.values()), audience=Audience.PUBLIC)
    assert {p.name for p in problems} == {
        "Cosima Coalition-Shared",
        "Cosima Coalition-Shared Legal",
    }
    legal = names_not_allowed("Greta Publicly-Named Legal", [people["named"]], audience="public")
    assert [p.name for p in legal] == ["Greta Publicly-Named Legal"]


# ------------------------------------------------------------------ the public site


@pytest.fixture
def published(coordinator, documenter, people):
    incident = Incident(
        title="Synthetic raid on a women's shelter",
        public_summary="Police raided a shelter and detained several defenders.",
        narrative="Internal narrative: the source met Cosima Coalition-Shared in a cafe.",
        confidential_notes="Confidential: safe house address 12 Synthetic Lane.",
        country="MX",
    )
    save_incident(
        user=documenter,
        incident=incident,
        context_tags=[],
        acts=[
            ActInput(
                victim=PartyRef(kind="person", code=person.code),
                violation_type=term("violation_types", "arrest"),
            )
            for person in people.values()
        ],
        sources=[SourceInput(name="Synthetic internal informant Kilo")],
    )
    set_visibility(
        user=coordinator,
        record=incident,
        visibility=Visibility.PUBLIC,
        shared_read=[],
        shared_edit=[],
    )
    return incident


def public_pages(client, incident) -> dict[str, str]:
    pages = {
        "list": client.get(reverse("public:list")),
        "detail": client.get(reverse("public:detail", args=[incident.code])),
        "missing": client.get(reverse("public:detail", args=[uuid.uuid4()])),
        "list-page-2": client.get(reverse("public:list") + "?page=2"),
    }
    return {name: response.content.decode() for name, response in pages.items()}


def every_form_of(person: Person) -> list[str]:
    return [person.display_name, person.legal_name, *person.aliases.splitlines(), person.pseudonym]


def test_every_public_page_names_each_person_exactly_as_their_consent_allows(
    client, published, people
):
    pages = public_pages(client, published)
    everything = "\n".join(pages.values())
    assert "Synthetic raid on a women" in pages["detail"]
    for level, person in people.items():
        allowed = {"named": [person.display_name]}.get(level, [])
        for form in every_form_of(person):
            count = everything.count(form)
            if form in allowed:
                assert count >= 1, (level, form)
                assert "Greta Publicly-Named" in pages["detail"]
            else:
                assert count == 0, (level, form, count)
    assert re.search(r"\bE\. I\.", pages["detail"])
    assert pages["detail"].count("an unnamed defender") == 5


def test_the_public_page_holds_no_internal_field(client, published):
    detail = public_pages(client, published)["detail"]
    for internal in (
        "Internal narrative",
        "Synthetic internal informant Kilo",
        "12 Synthetic Lane",
        "Synthetic Home Organisation",
        "Cosima",
    ):
        assert internal not in detail


def test_revoking_consent_changes_the_public_page_at_once(client, documenter, published, people):
    assert "Greta Publicly-Named" in public_pages(client, published)["detail"]
    revoke_consent(user=documenter, code=people["named"].consents.get().code)
    pages = public_pages(client, published)
    assert "Greta Publicly-Named" not in "\n".join(pages.values())


def test_publishing_is_refused_when_a_public_text_names_someone_without_consent(
    coordinator, documenter, people
):
    incident = Incident(title="Arrest of Cosima Coalition-Shared", country="MX")
    save_incident(
        user=documenter,
        incident=incident,
        context_tags=[],
        acts=[
            ActInput(
                victim=PartyRef(kind="person", code=people["coalition"].code),
                violation_type=term("violation_types", "arrest"),
            )
        ],
        sources=[],
    )
    with pytest.raises(ValidationError, match="Cosima Coalition-Shared"):
        set_visibility(
            user=coordinator,
            record=incident,
            visibility=Visibility.PUBLIC,
            shared_read=[],
            shared_edit=[],
        )
    incident.refresh_from_db()
    assert incident.visibility == Visibility.OWNER


def test_a_published_incident_whose_title_later_becomes_unsafe_is_withheld(
    client, coordinator, documenter, published, people
):
    published.title = "Synthetic raid: Greta Publicly-Named detained"
    published.save()
    assert client.get(reverse("public:detail", args=[published.code])).status_code == 200
    revoke_consent(user=documenter, code=people["named"].consents.get().code)
    assert client.get(reverse("public:detail", args=[published.code])).status_code == 404
    assert "Greta" not in client.get(reverse("public:list")).content.decode()


def test_a_partner_sees_a_victim_she_may_not_open_as_the_coalition_may_see_them(
    client, partner, partner_org, published, people
):
    published.visibility = Visibility.SHARED
    published.save()
    published.shared_read.add(partner_org)
    client.force_login(partner)
    content = client.get(published.get_absolute_url()).content.decode()
    assert "Cosima Coalition-Shared" in content  # consented to coalition sharing
    assert "Defender NONE" in content and "Ansel" not in content
    assert people["coalition"].get_absolute_url() not in content  # no link to a hidden record


def test_the_person_page_shows_how_they_are_disclosed_to_each_audience(documenter_client, people):
    content = documenter_client.get(people["initials"].get_absolute_url()).content.decode()
    for text in ("Internal", "Coalition members", "The public", "E. I.", "Defender INITIALS"):
        assert text in content


def test_recording_and_revoking_consent_through_the_person_page(documenter_client, people):
    person = people["none"]
    response = documenter_client.post(
        reverse("people:person-consent", args=[person.code]),
        {
            "scopes": [term("consent_scopes", "public_statement_named").pk],
            "given_by": "self",
            "method": "written",
            "given_on": "2026-02-01",
        },
    )
    assert response.status_code == 302
    assert disclose(person, audience=Audience.PUBLIC) == "Ansel Nobody-Consent"
    code = person.consents.get().code
    documenter_client.post(reverse("people:consent-revoke", args=[code]))
    assert disclose(person, audience=Audience.PUBLIC) == "an unnamed defender"


def test_a_consent_form_with_contradictory_scopes_is_refused(documenter_client, people):
    response = documenter_client.post(
        reverse("people:person-consent", args=[people["none"].code]),
        {
            "scopes": [
                term("consent_scopes", "no_consent_record_only").pk,
                term("consent_scopes", "public_statement_named").pk,
            ],
            "given_by": "self",
            "method": "written",
            "given_on": "2026-02-01",
            "expires_on": "2026-01-01",
        },
    )
    assert response.status_code == 400
    content = response.content.decode()
    assert "cannot be combined" in content and "cannot expire before" in content


def test_an_organisation_page_shows_a_head_the_viewer_may_not_open_as_the_coalition_may(
    client, home, outsider
):
    head = Person.objects.create(
        display_name="Synthetic Hidden Head", pseudonym="Defender H", owner=home
    )
    organisation = Organisation.objects.create(
        name="Synthetic Open Shelter", owner=home, visibility=Visibility.COALITION, head=head
    )
    client.force_login(outsider)
    content = client.get(organisation.get_absolute_url()).content.decode()
    assert "Synthetic Hidden Head" not in content and "Defender H" in content
    assert head.get_absolute_url() not in content
