"""Before accepting, the documenter sees incidents already recorded that tell the same event."""

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from solidarity.accounts.models import Visibility
from solidarity.audit.models import AuditEvent
from solidarity.incidents.models import EvidenceFile, Incident
from solidarity.intake.duplicates import Facts, find_duplicates
from solidarity.intake.models import IntakeDocument, State
from solidarity.lib.fuzzydate import FuzzyDate
from solidarity.people.models import Organisation, Person
from tests.factories import make_incident
from tests.intake.intake_helpers import CENTRE, form_data, seed_text

CHINESE = (
    "2016年1月29日，北京众泽妇女法律咨询服务中心被有关部门强制关闭。该中心长期为妇女提供法律援助。"
)


def paste(client, text, **fields):
    response = client.post(reverse("intake:new"), {"text": text, **fields})
    assert response.status_code == 302, response.content.decode()[:2000]
    return response["Location"]


def candidates(client, url):
    return client.get(url).context["candidates"]


def test_an_incident_with_the_same_victim_and_date_is_shown_with_the_reasons(
    documenter_client, documenter
):
    recorded = make_incident(documenter, "Synthetic record of the closure", victim_name=CENTRE)
    make_incident(
        documenter,
        "Synthetic unrelated case",
        date="2019-07-01",
        country="KE",
        victim_name="Synthetic Unrelated Group",
    )
    url = paste(documenter_client, seed_text(), published="2016-02-09")
    [candidate] = candidates(documenter_client, url)
    assert candidate.incident == recorded
    assert f"same victim: {CENTRE}" in candidate.reasons
    assert "same date" in candidate.reasons and "same country" in candidate.reasons
    page = documenter_client.get(url).content.decode()
    assert "Possibly already recorded" in page and "Synthetic record of the closure" in page
    assert "Attach this document as a source to that incident" in page


def test_a_close_date_is_given_in_days(documenter_client, documenter):
    make_incident(documenter, "Synthetic closure a week later", date="2016-02-05")
    url = paste(documenter_client, seed_text(), published="2016-02-09")
    [candidate] = candidates(documenter_client, url)
    assert "date within 7 days" in candidate.reasons


def test_only_incidents_the_user_may_see_are_offered(documenter_client, outsider):
    make_incident(outsider, "Synthetic closure recorded by the outsider", victim_name=CENTRE)
    url = paste(documenter_client, seed_text(), published="2016-02-09")
    assert candidates(documenter_client, url) == []
    assert "recorded by the outsider" not in documenter_client.get(url).content.decode()


def test_a_chinese_text_finds_the_organisation_by_its_other_name(documenter_client, documenter):
    recorded = make_incident(documenter, "Synthetic record of the closure", victim_name=CENTRE)
    centre = Organisation.objects.get(name=CENTRE)
    centre.other_names = "北京众泽妇女法律咨询服务中心"
    centre.save()
    url = paste(documenter_client, CHINESE, published="2016-02-03")
    [candidate] = candidates(documenter_client, url)
    assert candidate.incident == recorded
    assert any(CENTRE in reason for reason in candidate.reasons), candidate.reasons


def test_a_latin_name_in_a_chinese_text_is_found(documenter_client, documenter):
    recorded = make_incident(
        documenter, "Synthetic closure", date="2018-05-02", victim_name="Synthetic Lotus Centre"
    )
    text = "2018年5月，当局关闭了Synthetic Lotus Centre，工作人员被迫离开。"
    [candidate] = candidates(documenter_client, paste(documenter_client, text))
    assert candidate.incident == recorded
    assert any("Synthetic Lotus Centre" in reason for reason in candidate.reasons)


def test_attaching_the_document_as_a_source_of_an_existing_incident(documenter_client, documenter):
    recorded = make_incident(
        documenter, "Synthetic record of the closure", victim_name=CENTRE, sources=1
    )
    url = paste(documenter_client, seed_text(), published="2016-02-09", source_name="WHRDIC")
    document = IntakeDocument.objects.get()
    form = documenter_client.get(url).context["form"]
    response = documenter_client.post(
        reverse("intake:attach", args=[document.code, recorded.code]), form_data(form)
    )
    assert response.status_code == 302
    assert response["Location"] == recorded.get_absolute_url()
    assert Incident.objects.count() == 1
    assert list(recorded.sources.values_list("name", flat=True)) == [
        "Synthetic source 0",
        "WHRDIC",
    ]
    evidence = EvidenceFile.objects.get(incident=recorded)
    assert evidence.source.name == "WHRDIC" and evidence.sha256 == document.sha256
    document.refresh_from_db()
    assert (document.state, document.incident) == (State.REVIEWED, recorded)
    assert AuditEvent.objects.filter(
        object_type="incidents.incident", object_code=str(recorded.code), action="update"
    ).exists()


def test_attaching_needs_the_right_to_edit_that_incident(client, documenter, partner, partner_org):
    recorded = make_incident(documenter, "Synthetic shared record", victim_name=CENTRE)
    recorded.visibility = Visibility.SHARED
    recorded.save()
    recorded.shared_read.add(partner_org)
    client.force_login(partner)
    url = paste(client, seed_text(), published="2016-02-09")
    document = IntakeDocument.objects.get()
    [candidate] = candidates(client, url)
    assert candidate.incident == recorded and not candidate.can_attach
    assert "Attach this document" not in client.get(url).content.decode()
    response = client.post(reverse("intake:attach", args=[document.code, recorded.code]))
    assert response.status_code == 403
    assert recorded.sources.count() == 0


# An outsider organisation's incident, shared coalition-wide, about a defender whose
# record only that organisation may open.
HIDDEN_LEGAL = "Secretlegal Namewang"
HIDDEN_DISPLAY = "Synthetic Defender Alpha"
PSEUDONYM = "Synthetic Pseudonym Rose"
HIDDEN_TEXT = (
    f"On 29 January 2016 police in Beijing, China, detained {HIDDEN_LEGAL}, a lawyer who "
    "defends women's rights, and held her for questioning."
)


def shared_incident_with_hidden_victim(owner) -> Incident:
    incident = make_incident(
        owner, "Synthetic shared detention", victim_kind="person", victim_name=HIDDEN_DISPLAY
    )
    incident.visibility = Visibility.COALITION
    incident.save()
    person = Person.objects.get(display_name=HIDDEN_DISPLAY)
    assert person.visibility == Visibility.OWNER
    person.legal_name = HIDDEN_LEGAL
    person.pseudonym = PSEUDONYM
    person.save()
    return incident


def facts(*victim_names: str) -> Facts:
    return Facts(
        text=HIDDEN_TEXT,
        victim_names=list(victim_names),
        country="CN",
        date=FuzzyDate.parse("2016-01-29"),
    )


def reasons_of(found) -> str:
    return " | ".join(reason for candidate in found for reason in candidate.reasons)


def test_a_hidden_legal_name_never_appears_in_the_reasons(documenter, outsider):
    recorded = shared_incident_with_hidden_victim(outsider)
    [candidate] = find_duplicates(user=documenter, facts=facts(HIDDEN_LEGAL))
    assert candidate.incident == recorded
    assert "same date" in candidate.reasons and "same country" in candidate.reasons
    assert HIDDEN_LEGAL not in reasons_of([candidate])
    assert HIDDEN_DISPLAY not in reasons_of([candidate])


def test_matching_a_hidden_legal_name_gives_no_same_victim_to_a_viewer_who_may_not_open_it(
    documenter, outsider
):
    shared_incident_with_hidden_victim(outsider)
    [candidate] = find_duplicates(user=documenter, facts=facts(HIDDEN_LEGAL))
    assert not any(r.startswith(("same victim", "the text names")) for r in candidate.reasons)


def test_the_display_name_without_consent_does_not_match_for_a_viewer_who_may_not_open_it(
    documenter, outsider
):
    shared_incident_with_hidden_victim(outsider)
    [candidate] = find_duplicates(user=documenter, facts=facts(HIDDEN_DISPLAY))
    assert not any(r.startswith("same victim") for r in candidate.reasons)
    assert HIDDEN_DISPLAY not in reasons_of([candidate])


def test_the_pseudonym_the_viewer_is_shown_still_matches_and_labels_the_victim(
    documenter, outsider
):
    shared_incident_with_hidden_victim(outsider)
    [candidate] = find_duplicates(user=documenter, facts=facts(PSEUDONYM))
    assert f"same victim: {PSEUDONYM}" in candidate.reasons


def test_the_owners_documenter_still_matches_on_the_legal_name(outsider):
    recorded = shared_incident_with_hidden_victim(outsider)
    [candidate] = find_duplicates(user=outsider, facts=facts(HIDDEN_LEGAL))
    assert candidate.incident == recorded and candidate.can_attach
    assert f"same victim: {HIDDEN_DISPLAY}" in candidate.reasons
    assert HIDDEN_LEGAL not in reasons_of([candidate])


def test_the_owners_documenter_is_told_the_text_names_the_victim_without_the_matched_name(
    outsider,
):
    shared_incident_with_hidden_victim(outsider)
    [candidate] = find_duplicates(user=outsider, facts=facts())
    assert f"the text names {HIDDEN_DISPLAY}" in candidate.reasons
    assert HIDDEN_LEGAL not in reasons_of([candidate])


def test_the_review_page_never_shows_a_hidden_legal_name_among_the_duplicates(
    documenter_client, outsider
):
    shared_incident_with_hidden_victim(outsider)
    url = paste(documenter_client, HIDDEN_TEXT, published="2016-02-01")
    page = documenter_client.get(url).content.decode()
    [section] = re.findall(r'<section class="duplicates">.*?</section>', page, re.S)
    assert "Synthetic shared detention" in section
    assert HIDDEN_LEGAL not in section and HIDDEN_DISPLAY not in section


def test_many_candidates_cost_no_more_queries_than_a_few(documenter):
    def queries(count: int) -> int:
        Incident.objects.all().delete()
        for n in range(count):
            make_incident(documenter, f"Synthetic closure {n}", victim_name=f"Synthetic Group {n}")
        with CaptureQueriesContext(connection) as captured:
            found = find_duplicates(user=documenter, facts=facts("Synthetic Group 0"))
        assert found
        return len(captured)

    assert queries(8) <= queries(2)
