from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from solidarity.accounts.models import Visibility
from solidarity.audit.models import AuditEvent
from solidarity.lib.fuzzydate import FuzzyDate
from solidarity.people.models import Person
from solidarity.un import services
from solidarity.un.models import Engagement, ReprisalLink, ReprisalStatus
from tests.factories import make_incident
from tests.un.conftest import ACT_DAY, days_before, mechanism

WINDOW = 1826


def proposed(act):
    return [p.engagement for p in services.propose_reprisals(act=act)]


def test_the_window_defaults_to_five_years_and_follows_the_setting(settings):
    del settings.SOLIDARITY_REPRISAL_WINDOW_DAYS
    assert services.window_days() == WINDOW
    settings.SOLIDARITY_REPRISAL_WINDOW_DAYS = 30
    assert services.window_days() == 30


def test_an_engagement_one_day_inside_the_window_is_proposed(act, engage):
    engagement = engage(days_before(WINDOW - 1))
    [proposal] = services.propose_reprisals(act=act)
    assert proposal.engagement == engagement
    assert proposal.timing.at_least == proposal.timing.at_most == WINDOW - 1


def test_an_engagement_on_the_last_day_of_the_window_is_proposed(act, engage):
    assert proposed(act) == [] and proposed(act) == []
    engagement = engage(days_before(WINDOW))
    assert proposed(act) == [engagement]


def test_an_engagement_one_day_outside_the_window_is_not_proposed(act, engage):
    engage(days_before(WINDOW + 1))
    assert proposed(act) == []


def test_a_shorter_window_from_the_settings_applies(settings, act, engage):
    settings.SOLIDARITY_REPRISAL_WINDOW_DAYS = 30
    inside = engage(days_before(30))
    engage(days_before(31))
    assert proposed(act) == [inside]


def test_a_year_only_engagement_straddling_the_window_edge_is_proposed(act, engage):
    # The window starts on 2015-06-16; "2015" may be before or after that day.
    engagement = engage("2015")
    [proposal] = services.propose_reprisals(act=act)
    assert proposal.engagement == engagement
    assert proposal.timing.at_least == (ACT_DAY - date(2015, 12, 31)).days
    assert proposal.timing.at_most == (ACT_DAY - date(2015, 1, 1)).days > WINDOW


def test_a_year_only_engagement_wholly_before_the_window_is_not_proposed(act, engage):
    engage("2014")
    assert proposed(act) == []


def test_an_engagement_after_the_act_is_not_proposed(act, engage):
    engage("2020-06-16")
    engage("2021")
    assert proposed(act) == []


def test_an_engagement_on_the_day_of_the_act_or_possibly_before_it_is_proposed(act, engage):
    same_day = engage("2020-06-15")
    same_month = engage("2020-06")
    found = {p.engagement: p.timing for p in services.propose_reprisals(act=act)}
    assert found[same_day].at_most == 0
    assert found[same_month].at_least < 0 and found[same_month].at_least_shown == 0


def test_an_engagement_with_an_unknown_date_is_not_proposed(act, engage):
    engage(FuzzyDate())
    assert proposed(act) == []


def test_another_partys_engagement_is_not_proposed(act, engage, home):
    other = Person.objects.create(display_name="Synthetic Other Defender", owner=home)
    engage("2019", party=other)
    assert proposed(act) == []


def test_a_dismissed_proposal_is_remembered_and_not_proposed_again(documenter, act, engage):
    engagement = engage("2019-03-01")
    link = services.decide_reprisal(
        user=documenter, act_id=act.pk, engagement=engagement.code, status="dismissed"
    )
    assert link.status == ReprisalStatus.DISMISSED and link.decided_by == documenter
    assert proposed(act) == []
    assert proposed(act) == []
    assert ReprisalLink.objects.count() == 1


@pytest.mark.parametrize("status", ["alleged", "likely", "established"])
def test_a_documenter_confirms_a_proposal_with_a_status(documenter, act, engage, status):
    engagement = engage("2019-03-01")
    link = services.decide_reprisal(
        user=documenter, act_id=act.pk, engagement=engagement.code, status=status, note="n"
    )
    assert link.status == status and link.is_confirmed and link.decided_at
    assert proposed(act) == []
    event = AuditEvent.objects.filter(object_code=link.code).get()
    assert event.action == "create"


def test_a_decision_may_be_revised_and_the_revision_is_audited(documenter, act, engage):
    engagement = engage("2019-03-01")
    first = services.decide_reprisal(
        user=documenter, act_id=act.pk, engagement=engagement.code, status="alleged"
    )
    again = services.decide_reprisal(
        user=documenter, act_id=act.pk, engagement=engagement.code, status="established"
    )
    assert again.pk == first.pk and again.status == "established"
    update = AuditEvent.objects.filter(object_code=first.code, action="update").get()
    assert {"field": "status", "old": "alleged", "new": "established"} in update.changes


def test_proposed_and_unknown_statuses_are_refused(documenter, act, engage):
    engagement = engage("2019-03-01")
    for status in ("proposed", "certain"):
        with pytest.raises(ValidationError):
            services.decide_reprisal(
                user=documenter, act_id=act.pk, engagement=engagement.code, status=status
            )


def test_an_engagement_outside_the_window_cannot_be_linked(documenter, act, engage):
    engagement = engage("2021")
    with pytest.raises(ValidationError):
        services.decide_reprisal(
            user=documenter, act_id=act.pk, engagement=engagement.code, status="alleged"
        )


def test_an_engagement_of_another_party_cannot_be_linked(documenter, act, engage, home):
    other = Person.objects.create(display_name="Synthetic Other Defender", owner=home)
    engagement = engage("2019", party=other)
    with pytest.raises(ValidationError):
        services.decide_reprisal(
            user=documenter, act_id=act.pk, engagement=engagement.code, status="alleged"
        )


def test_an_outsider_can_neither_see_nor_decide(outsider, act, engage):
    engagement = engage("2019-03-01")
    assert not services.visible_engagements(outsider).exists()
    with pytest.raises(Http404):
        services.decide_reprisal(
            user=outsider, act_id=act.pk, engagement=engagement.code, status="alleged"
        )
    context = services.reprisals_for_incident(outsider, act.incident)
    assert context["proposals"] == [] and context["links"] == []


def test_a_reader_sees_but_cannot_decide(reader, act, engage):
    engagement = engage("2019-03-01")
    with pytest.raises(PermissionDenied):
        services.decide_reprisal(
            user=reader, act_id=act.pk, engagement=engagement.code, status="alleged"
        )
    assert services.reprisals_for_incident(reader, act.incident)["proposals"] == []


def test_confirmed_links_show_on_the_incident_and_on_the_victim(documenter, reader, act, engage):
    confirmed = engage("2019-03-01")
    dismissed = engage("2019-04-01")
    open_proposal = engage("2019-05-01")
    services.decide_reprisal(
        user=documenter, act_id=act.pk, engagement=confirmed.code, status="likely"
    )
    services.decide_reprisal(
        user=documenter, act_id=act.pk, engagement=dismissed.code, status="dismissed"
    )
    on_incident = services.reprisals_for_incident(documenter, act.incident)
    assert [link.engagement for link in on_incident["links"]] == [confirmed]
    assert [p.engagement for p in on_incident["proposals"]] == [open_proposal]
    assert on_incident["can_decide"]
    on_victim = services.reprisals_for_party(reader, act.victim_organisation)
    assert [link.engagement for link in on_victim["links"]] == [confirmed]
    assert len(on_victim["engagements"]) == 3 and not on_victim["can_add"]


def test_an_engagement_is_visible_with_its_party(documenter, partner, partner_org, centre, engage):
    engagement = engage("2019")
    assert not services.visible_engagements(partner).exists()
    centre.visibility = Visibility.SHARED
    centre.save()
    centre.shared_read.add(partner_org)
    assert list(services.visible_engagements(partner)) == [engagement]
    with pytest.raises(PermissionDenied):
        services.add_engagement(
            user=partner,
            party=centre,
            engagement_type="other",
            date=FuzzyDate(2019),
            mechanism=mechanism("upr"),
        )


def test_recording_an_engagement_is_audited(documenter, engage):
    engagement = engage("2019-03")
    event = AuditEvent.objects.get(object_code=engagement.code)
    assert event.action == "create" and event.actor == documenter
    assert Engagement.objects.get().date == FuzzyDate(2019, 3)


def test_the_overview_counts_confirmed_links_by_country_and_year(documenter, outsider, act, engage):
    first = engage("2019-03-01")
    second = engage("2019-04-01")
    services.decide_reprisal(
        user=documenter, act_id=act.pk, engagement=first.code, status="alleged"
    )
    services.decide_reprisal(
        user=documenter, act_id=act.pk, engagement=second.code, status="established"
    )
    mexico = make_incident(
        documenter,
        "Synthetic threat",
        date="2018",
        country="MX",
        victim_name="Synthetic Collective",
    )
    mexico_act = mexico.acts.get()
    earlier = engage("2017-05", party=mexico_act.victim_organisation)
    dismissed = engage("2017-06", party=mexico_act.victim_organisation)
    services.decide_reprisal(
        user=documenter, act_id=mexico_act.pk, engagement=earlier.code, status="likely"
    )
    services.decide_reprisal(
        user=documenter, act_id=mexico_act.pk, engagement=dismissed.code, status="dismissed"
    )
    rows = services.reprisal_overview(user=documenter)
    assert [(r.country, r.year, r.count) for r in rows] == [("CN", 2020, 2), ("MX", 2018, 1)]
    assert services.reprisal_overview(user=outsider) == []
