from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from solidarity.audit.models import AuditEvent
from solidarity.un import services
from solidarity.un.models import CalendarToken, Engagement, ReprisalLink, Submission
from tests.un.conftest import mechanism


def html_h1_count(response) -> int:
    return response.content.count(b"<h1")


# ---------------------------------------------------------------- engagements


def test_a_documenter_records_an_engagement_on_the_victims_page(client, documenter, centre):
    client.force_login(documenter)
    url = reverse("un:organisation-engagements", args=[centre.code])
    response = client.get(url)
    assert response.status_code == 200 and html_h1_count(response) == 1
    response = client.post(
        url,
        {
            "engagement_type": "gave_testimony",
            "date": "2019-05",
            "mechanism": mechanism("sr_hrd").pk,
            "document_reference": "A/HRC/40/60",
        },
    )
    assert response.status_code == 302
    engagement = Engagement.objects.get()
    assert engagement.organisation == centre and engagement.date_precision == "month"
    assert b"A/HRC/40/60" in client.get(url).content


def test_an_invalid_engagement_answers_400_with_the_form(client, documenter, centre):
    client.force_login(documenter)
    url = reverse("un:organisation-engagements", args=[centre.code])
    response = client.post(url, {"engagement_type": "other", "date": "May 2019"})
    assert response.status_code == 400 and not Engagement.objects.exists()


def test_engagement_pages_follow_the_party(client, reader, outsider, centre):
    url = reverse("un:organisation-engagements", args=[centre.code])
    client.force_login(reader)
    assert client.get(url).status_code == 200
    assert client.post(url, {"engagement_type": "other"}).status_code == 403
    client.force_login(outsider)
    assert client.get(url).status_code == 404
    assert client.post(url, {"engagement_type": "other"}).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302


# ---------------------------------------------------------------- reprisals


def test_the_incident_partial_proposes_and_a_documenter_confirms(client, documenter, act, engage):
    engagement = engage("2019-03-01")
    client.force_login(documenter)
    page = reverse("un:incident-reprisals", args=[act.incident.code])
    response = client.get(page)
    assert response.status_code == 200 and html_h1_count(response) == 1
    decide = reverse("un:reprisal-decide", args=[act.pk, engagement.code])
    assert decide.encode() in response.content
    response = client.post(decide, {"status": "established", "note": "pattern", "next": page})
    assert response.status_code == 302 and response.url == page
    assert ReprisalLink.objects.get().status == "established"
    response = client.get(page)
    assert b"Established" in response.content and decide.encode() not in response.content


def test_deciding_answers_by_access(client, reader, outsider, act, engage):
    engagement = engage("2019-03-01")
    decide = reverse("un:reprisal-decide", args=[act.pk, engagement.code])
    client.force_login(outsider)
    assert client.post(decide, {"status": "alleged"}).status_code == 404
    assert client.get(reverse("un:incident-reprisals", args=[act.incident.code])).status_code == 404
    client.force_login(reader)
    assert client.post(decide, {"status": "alleged"}).status_code == 403
    assert not ReprisalLink.objects.exists()


def test_an_invalid_decision_answers_400(client, documenter, act, engage):
    engagement = engage("2019-03-01")
    client.force_login(documenter)
    decide = reverse("un:reprisal-decide", args=[act.pk, engagement.code])
    assert client.post(decide, {"status": "proposed"}).status_code == 400
    assert client.post(decide, {"status": "alleged", "next": "https://evil.example/"}).url == (
        reverse("un:incident-reprisals", args=[act.incident.code])
    )


def test_the_overview_page_counts_by_country_and_year(client, documenter, outsider, act, engage):
    engagement = engage("2019-03-01")
    services.decide_reprisal(
        user=documenter, act_id=act.pk, engagement=engagement.code, status="likely"
    )
    client.force_login(documenter)
    response = client.get(reverse("un:reprisals"))
    assert response.status_code == 200 and html_h1_count(response) == 1
    assert b"China" in response.content and b"2020" in response.content
    client.force_login(outsider)
    response = client.get(reverse("un:reprisals"))
    assert response.status_code == 200 and b"China" not in response.content


def test_the_template_tags_render_the_partials(rf, documenter, act, engage):
    from django.template import Context, Template

    engagement = engage("2019-03-01")
    services.decide_reprisal(
        user=documenter, act_id=act.pk, engagement=engagement.code, status="alleged"
    )
    request = rf.get("/")
    request.user = documenter
    html = Template(
        "{% load un %}{% reprisals_for_incident incident %}{% reprisals_for_party party %}"
    ).render(Context({"request": request, "incident": act.incident, "party": act.victim}))
    assert html.count("Alleged") == 2


# ---------------------------------------------------------------- review cycles


@pytest.fixture
def cycle(documenter):
    return services.add_cycle(
        user=documenter, country="CN", mechanism=mechanism("cedaw"), label="9th periodic"
    )


def test_cycles_are_reference_data_every_member_sees(client, outsider, administrator, cycle):
    client.force_login(outsider)
    assert client.get(reverse("un:cycles")).status_code == 200
    response = client.get(reverse("un:cycle", args=[cycle.code]))
    assert response.status_code == 200 and html_h1_count(response) == 1
    client.force_login(administrator)  # no membership
    assert b"9th periodic" not in client.get(reverse("un:cycles")).content
    assert client.get(reverse("un:cycle", args=[cycle.code])).status_code == 404


def test_writers_add_cycles_milestones_and_recommendations(client, documenter, reader, cycle):
    client.force_login(reader)
    assert client.post(reverse("un:cycle-create"), {}).status_code == 403
    url = reverse("un:milestone-add", args=[cycle.code])
    assert client.post(url, {}).status_code == 403
    client.force_login(documenter)
    response = client.post(
        reverse("un:cycle-create"),
        {"country": "MX", "mechanism": mechanism("upr").pk, "label": "4th cycle"},
    )
    assert response.status_code == 302
    assert client.post(url, {"type": "session", "due_date": "2030-02-03"}).status_code == 302
    assert client.post(url, {"type": "session"}).status_code == 400
    url = reverse("un:recommendation-add", args=[cycle.code])
    data = {"paragraph": "186.88", "text": "Protect WHRDs", "follow_up_requested": "on"}
    assert client.post(url, data).status_code == 302
    recommendation = cycle.recommendations.get()
    assert recommendation.paragraph == "186.88" and recommendation.follow_up_requested
    assert AuditEvent.objects.filter(object_code=recommendation.code, action="create").exists()


def test_submissions_of_another_organisation_are_hidden(
    client, documenter, outsider, outsider_org, home, cycle
):
    services.add_submission(
        user=documenter,
        cycle=cycle,
        organisation=home,
        title="Synthetic shadow report",
        date=date(2024, 1, 10),
    )
    services.add_submission(
        user=outsider,
        cycle=cycle,
        organisation=outsider_org,
        title="Synthetic outsider report",
        date=date(2024, 1, 11),
    )
    assert [s.title for s in services.visible_submissions(documenter, cycle)] == [
        "Synthetic shadow report"
    ]
    client.force_login(documenter)
    content = client.get(reverse("un:cycle", args=[cycle.code])).content
    assert b"Synthetic shadow report" in content and b"Synthetic outsider report" not in content


def test_a_submission_is_made_only_in_the_name_of_ones_own_organisation(
    client, documenter, outsider_org, home, cycle
):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.add_submission(
            user=documenter, cycle=cycle, organisation=outsider_org, title="x", date=date.today()
        )
    client.force_login(documenter)
    url = reverse("un:submission-add", args=[cycle.code])
    data = {"organisation": outsider_org.pk, "title": "x", "date": "2024-01-01"}
    assert client.post(url, data).status_code == 400
    data["organisation"] = home.pk
    assert client.post(url, data).status_code == 302
    assert Submission.objects.get().organisation == home


# ---------------------------------------------------------------- calendar feed


def feed(client, token):
    return client.get(reverse("un:calendar-feed", args=[token]))


@pytest.fixture
def milestones(documenter, cycle):
    today = timezone.localdate()
    return {
        when: services.add_milestone(
            user=documenter, cycle=cycle, type="ngo_submission_deadline", due_date=day
        )
        for when, day in {
            "past": today - timedelta(days=1),
            "today": today,
            "later": today + timedelta(days=40),
        }.items()
    }


def test_the_feed_parses_and_lists_upcoming_deadlines_with_stable_uids(
    client, documenter, milestones
):
    token = services.issue_calendar_token(user=documenter)
    response = feed(client, token)  # no session: a calendar program
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    events = Calendar.from_ical(response.content).walk("VEVENT")
    uids = [str(e["UID"]) for e in events]
    assert uids == [f"{milestones[w].code}@solidarity" for w in ("today", "later")]
    assert str(milestones["past"].code) not in response.content.decode()
    start = events[0].decoded("DTSTART")
    assert start == milestones["today"].due_date and not hasattr(start, "hour")
    again = Calendar.from_ical(feed(client, token).content).walk("VEVENT")
    assert [str(e["UID"]) for e in again] == uids


def test_the_feed_refuses_an_unknown_or_revoked_token(client, documenter, milestones):
    assert feed(client, "not-a-token").status_code == 404
    token = services.issue_calendar_token(user=documenter)
    assert feed(client, token).status_code == 200
    services.revoke_calendar_tokens(user=documenter)
    assert feed(client, token).status_code == 404


def test_a_new_token_replaces_the_old_one_and_only_its_hash_is_stored(client, documenter):
    old = services.issue_calendar_token(user=documenter)
    new = services.issue_calendar_token(user=documenter)
    assert feed(client, old).status_code == 404 and feed(client, new).status_code == 200
    assert not CalendarToken.objects.filter(token_hash__in=[old, new]).exists()


def test_the_token_page_shows_the_address_once_and_revokes_it(client, documenter, milestones):
    client.force_login(documenter)
    url = reverse("un:calendar")
    response = client.get(url)
    assert response.status_code == 200 and html_h1_count(response) == 1
    response = client.post(url, {"action": "issue"})
    [address] = [line for line in response.content.decode().split("<code>")[1:] if ".ics" in line]
    address = address.split("</code>")[0]
    assert address.startswith("http://testserver/un/calendar/")
    assert b"<code>" not in client.get(url).content
    client.logout()
    assert client.get(address).status_code == 200
    client.force_login(documenter)
    assert client.post(url, {"action": "revoke"}).status_code == 302
    client.logout()
    assert client.get(address).status_code == 404


def test_a_feed_shows_nothing_to_a_user_without_membership(client, administrator, milestones):
    token = services.issue_calendar_token(user=administrator)
    response = feed(client, token)
    assert response.status_code == 200
    assert Calendar.from_ical(response.content).walk("VEVENT") == []
