"""Documents the UN can use: a Special Procedures communication and the SG input."""

from datetime import date
from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from pypdf import PdfReader

from solidarity.audit.models import AuditEvent
from solidarity.core import demo
from solidarity.people.models import Organisation, Person
from solidarity.un import communications, services
from solidarity.un.models import ReprisalStatus
from tests.factories import make_incident, term


@pytest.fixture
def sr_hrd():
    return term("un_mechanisms", "sr_hrd")


@pytest.fixture
def confirmed(demo_case, demo_coordinator):
    """The demo closure confirmed as an alleged reprisal for the 2014 CEDAW engagement."""
    act = demo_case.acts.get()
    [proposal] = services.propose_reprisals(act=act)
    services.decide_reprisal(
        user=demo_coordinator,
        act_id=act.pk,
        engagement=proposal.engagement.code,
        status=ReprisalStatus.ALLEGED,
    )
    return act


def test_the_sp_communication_holds_what_the_forms_ask_and_the_consent_answers(
    demo_case, demo_coordinator, sr_hrd
):
    communication = communications.draft_sp_communication(
        user=demo_coordinator, incident=demo_case, mandates=[sr_hrd]
    )
    text = communication.text
    assert "human rights defenders" in text.lower()
    assert "Beijing Zhongze Women's Legal Counseling and Service Centre" in text
    assert "Link to human rights work: Women's rights" in text
    assert "29 January 2016" in text and "Beijing, China" in text
    assert '"Relevant authorities" (unspecified) (State actor)' in text
    assert "May the name be transmitted to the State: no" in text
    assert "May the name appear in public reports: no" in text
    assert "Overseas NGO Management Law" in text


def test_a_communication_is_refused_when_a_victim_has_not_consented_to_the_un(documenter, sr_hrd):
    incident = make_incident(documenter, victim_kind="person", victim_name="Synthetic Unconsenting")
    with pytest.raises(ValidationError, match="Synthetic Unconsenting has not consented"):
        communications.draft_sp_communication(user=documenter, incident=incident, mandates=[sr_hrd])


def test_the_reporting_period_runs_june_to_may():
    assert communications.reporting_period(date(2016, 8, 16)) == (
        date(2015, 6, 1),
        date(2016, 5, 31),
    )
    assert communications.reporting_period(date(2016, 5, 31)) == (
        date(2014, 6, 1),
        date(2015, 5, 31),
    )
    assert communications.reporting_period(date(2016, 6, 1)) == (
        date(2015, 6, 1),
        date(2016, 5, 31),
    )


def test_the_sg_input_groups_confirmed_cases_by_country_within_the_period(
    confirmed, demo_coordinator
):
    inside = communications.draft_sg_input(
        user=demo_coordinator, period_start=date(2015, 6, 1), period_end=date(2016, 5, 31)
    )
    assert "## China" in inside.text and "Forced closure" in inside.text
    assert "CEDAW" in inside.text or "Committee on the Elimination" in inside.text
    edge = communications.draft_sg_input(
        user=demo_coordinator, period_start=date(2016, 1, 29), period_end=date(2016, 1, 29)
    )
    assert "Forced closure" in edge.text
    after = communications.draft_sg_input(
        user=demo_coordinator, period_start=date(2016, 1, 30), period_end=date(2017, 5, 31)
    )
    assert "Forced closure" not in after.text and "No confirmed case" in after.text


def test_a_year_only_act_is_listed_as_possibly_in_the_period(confirmed, demo_coordinator):
    confirmed.date_precision = "year"
    confirmed.date_from, confirmed.date_to = date(2016, 1, 1), date(2016, 12, 31)
    confirmed.save()
    text = communications.draft_sg_input(
        user=demo_coordinator, period_start=date(2015, 6, 1), period_end=date(2016, 5, 31)
    ).text
    assert "(possibly in the period)" in text


def test_a_dismissed_link_is_not_in_the_sg_input(demo_case, demo_coordinator):
    act = demo_case.acts.get()
    [proposal] = services.propose_reprisals(act=act)
    services.decide_reprisal(
        user=demo_coordinator,
        act_id=act.pk,
        engagement=proposal.engagement.code,
        status=ReprisalStatus.DISMISSED,
    )
    text = communications.draft_sg_input(
        user=demo_coordinator, period_start=date(2015, 6, 1), period_end=date(2016, 5, 31)
    ).text
    assert "Forced closure" not in text


def test_review_edit_tracking_and_export_through_the_pages(
    client, demo_case, demo_coordinator, sr_hrd
):
    client.force_login(demo_coordinator)
    response = client.post(
        reverse("un:communication-new", args=[demo_case.code]), {"mandates": [sr_hrd.pk]}
    )
    communication = communications.communications_for(user=demo_coordinator).get()
    assert response["Location"] == communication.get_absolute_url()
    page = client.get(communication.get_absolute_url()).content.decode()
    assert "May the name be transmitted to the State" in page
    saved = client.post(
        communication.get_absolute_url(),
        {
            "text": communication.text + "\nThe authorities gave no reason.\n",
            "reference": "AL CHN 1/2016",
            "sent_on": "2016-03-01",
            "state_reply_on": "",
            "state_reply": "",
            "sg_report_reference": "",
        },
    )
    assert saved.status_code == 302
    communication.refresh_from_db()
    assert communication.reference == "AL CHN 1/2016"
    text = client.get(reverse("un:communication-export", args=[communication.code, "txt"]))
    assert text["Content-Disposition"].startswith("attachment")
    assert b"The authorities gave no reason." in text.content
    pdf = client.get(reverse("un:communication-export", args=[communication.code, "pdf"]))
    extracted = "".join(p.extract_text() for p in PdfReader(BytesIO(pdf.content)).pages)
    assert "Centre" in extracted
    exports = AuditEvent.objects.filter(object_code=str(communication.code), action="export")
    assert exports.count() == 2


def test_the_communication_uses_only_what_the_un_may_see_of_a_person(
    demo_case, demo_coordinator, sr_hrd
):
    from solidarity.incidents.models import Act
    from solidarity.people.services import add_consent

    person = Person.objects.create(
        display_name="Synthetic Staff Lawyer", pseudonym="Defender S", owner=demo_case.owner
    )
    add_consent(
        user=demo_coordinator,
        party=person,
        scopes=[
            term("consent_scopes", "share_with_un_confidential"),
            term("consent_scopes", "un_may_transmit_to_state_named"),
        ],
        given_by="self",
        method="written",
        given_on=date(2016, 2, 1),
    )
    Act.objects.create(
        incident=demo_case,
        victim_kind="person",
        victim_person=person,
        violation_type=term("violation_types", "summons_interrogation"),
    )
    text = communications.draft_sp_communication(
        user=demo_coordinator, incident=demo_case, mandates=[sr_hrd]
    ).text
    assert "Synthetic Staff Lawyer" in text
    assert text.count("May the name be transmitted to the State: yes") == 1
    assert Organisation.objects.get(code=demo.CENTRE)
