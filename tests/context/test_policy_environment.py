"""Laws and policies per country, on a timeline beside the incidents."""

from django.urls import reverse
from django.utils.html import escape

from solidarity.audit.models import AuditEvent
from solidarity.context.models import Law, LawStatus
from solidarity.core import demo
from tests.factories import make_incident


def test_the_demo_records_the_three_laws_with_their_dates(demo_case):
    laws = {law.title: law for law in Law.objects.filter(country="CN")}
    assert set(laws) == {"National Security Law", "Charity Law", "Overseas NGO Management Law"}
    ngo = {e.status: e.date.iso() for e in laws["Overseas NGO Management Law"].history.all()}
    assert ngo[LawStatus.ADOPTED] == "2016-04-28"
    assert ngo[LawStatus.IN_FORCE] == "2017-01-01"
    assert ngo[LawStatus.DRAFT_PUBLISHED] == "2015"
    assert set(demo_case.laws.all()) == set(laws.values())


def test_the_country_page_shows_the_laws_on_a_timeline_beside_the_incidents(
    client, demo_coordinator, demo_case
):
    client.force_login(demo_coordinator)
    content = client.get(reverse("context:country", args=["cn"])).content.decode()
    order = [
        content.index("National Security Law"),
        content.index(escape(demo_case.title)),
        content.index("28 April 2016"),
        content.index("1 January 2017"),
    ]
    assert order == sorted(order)
    assert "Closed" in content  # the civic-space rating
    assert content.index("Submitted a report") < content.index(escape(demo_case.title))


def test_a_law_page_lists_only_the_incidents_the_user_may_see(
    client, demo_coordinator, demo_case, outsider
):
    law = Law.objects.get(title="Charity Law")
    hidden = make_incident(outsider, "Synthetic hidden incident under the Charity Law")
    hidden.laws.add(law)
    client.force_login(demo_coordinator)
    content = client.get(law.get_absolute_url()).content.decode()
    assert escape(demo_case.title) in content
    assert "Synthetic hidden incident" not in content


def test_a_documenter_records_a_law_and_its_status_and_both_are_audited(client, documenter_client):
    response = documenter_client.post(
        reverse("context:law-create"),
        {"country": "MX", "title": "Synthetic Law on Foreign Agents", "law_type": "law"},
    )
    law = Law.objects.get(title="Synthetic Law on Foreign Agents")
    assert response["Location"] == law.get_absolute_url()
    bad = documenter_client.post(
        reverse("context:law-status", args=[law.code]), {"status": "adopted", "date": "2020-13"}
    )
    assert bad.status_code == 400
    documenter_client.post(
        reverse("context:law-status", args=[law.code]), {"status": "adopted", "date": "2020-11"}
    )
    assert law.current_status.date.iso() == "2020-11"
    assert list(
        AuditEvent.objects.filter(object_code=str(law.code)).values_list("action", flat=True)
    ) == ["create", "update"]


def test_a_reader_may_read_laws_but_not_record_them(reader_client, demo_case):
    assert reader_client.get(reverse("context:laws")).status_code == 200
    assert reader_client.get(reverse("context:law-create")).status_code == 403


def test_an_unknown_country_is_not_found(documenter_client):
    assert documenter_client.get(reverse("context:country", args=["XX"])).status_code == 404


def test_the_incident_form_links_an_incident_to_recorded_laws(documenter_client, demo_case):
    law = Law.objects.get(title="Charity Law")
    page = documenter_client.get(reverse("incidents:create")).content.decode()
    assert "Charity Law" in page
    assert demo.INCIDENT  # the demo case loaded the laws
    assert law.pk
