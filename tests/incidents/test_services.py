from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from solidarity.incidents.models import Act, Incident, Involvement
from solidarity.incidents.services import (
    ActInput,
    IncidentFilters,
    InvolvementInput,
    PartyRef,
    incidents_concerning,
    save_incident,
    search_incidents,
)
from solidarity.lib.fuzzydate import FuzzyDate
from solidarity.people.models import Organisation, Person
from tests.factories import make_incident, term


def titles(queryset) -> list[str]:
    return [incident.title for incident in queryset]


def test_an_incident_is_saved_with_its_acts_perpetrators_and_new_victims(documenter):
    incident = Incident(title="Two acts")
    incident.date = FuzzyDate.parse("2016-03")
    save_incident(
        user=documenter,
        incident=incident,
        context_tags=[term("context_tags", "elections")],
        acts=[
            ActInput(
                victim=PartyRef(kind="person", name="Synthetic Defender One"),
                violation_type=term("violation_types", "arrest"),
                date=FuzzyDate.parse("2016-03-08"),
                involvements=[
                    InvolvementInput(
                        perpetrator=PartyRef(kind="organisation", name="Synthetic Police Unit"),
                        perpetrator_type=term("perpetrator_types", "police"),
                    ),
                    InvolvementInput(perpetrator=PartyRef(kind="unknown", name="unnamed men")),
                ],
            ),
            ActInput(
                victim=PartyRef(kind="group", name="staff of the centre"),
                violation_type=term("violation_types", "threat"),
            ),
        ],
        sources=[],
    )
    incident.refresh_from_db()
    assert incident.date.iso() == "2016-03"
    acts = list(incident.acts.all())
    assert [a.violation_type.code for a in acts] == ["arrest", "threat"]
    assert acts[0].victim_person.display_name == "Synthetic Defender One"
    assert acts[1].victim_group == "staff of the centre"
    assert [i.perpetrator_label for i in acts[0].involvements.all()] == [
        "Synthetic Police Unit",
        "unnamed men",
    ]
    assert incident.created_by == documenter


def test_editing_replaces_removed_acts_and_keeps_the_others(documenter):
    incident = make_incident(documenter)
    [act] = incident.acts.all()
    centre = act.victim_organisation
    save_incident(
        user=documenter,
        incident=incident,
        context_tags=[],
        acts=[
            ActInput(
                id=act.pk,
                victim=PartyRef(kind="organisation", code=centre.code),
                violation_type=term("violation_types", "deregistration_dissolution"),
            ),
        ],
        sources=[],
    )
    [kept] = incident.acts.all()
    assert kept.pk == act.pk
    assert kept.violation_type.code == "deregistration_dissolution"
    assert not Involvement.objects.filter(act=kept).exists()
    assert Organisation.objects.filter(name="Synthetic Centre").count() == 1


def test_a_reader_may_not_create_or_change_incidents(reader, documenter):
    with pytest.raises(PermissionDenied):
        make_incident(reader)
    incident = make_incident(documenter)
    incident.title = "changed"
    with pytest.raises(PermissionDenied):
        save_incident(user=reader, incident=incident, context_tags=[], acts=[], sources=[])


def test_an_anonymous_visitor_sees_nothing(documenter):
    from django.contrib.auth.models import AnonymousUser

    make_incident(documenter)
    assert not search_incidents(user=AnonymousUser(), filters=IncidentFilters()).exists()


def test_a_victim_referenced_by_an_unknown_code_is_refused_and_nothing_is_saved(documenter):
    import uuid

    from django.core.exceptions import ValidationError

    incident = Incident(title="Bad reference")
    with pytest.raises(ValidationError):
        save_incident(
            user=documenter,
            incident=incident,
            context_tags=[],
            acts=[
                ActInput(
                    victim=PartyRef(kind="person", code=uuid.uuid4()),
                    violation_type=term("violation_types", "threat"),
                )
            ],
            sources=[],
        )
    assert not Incident.objects.exists()


def test_the_violation_filter_includes_the_children_of_the_chosen_term(documenter):
    make_incident(documenter, "Arrest", violation="arrest", victim_kind="person")
    make_incident(documenter, "House arrest", violation="house_arrest", victim_kind="person")
    make_incident(documenter, "Closure", violation="forced_closure")
    found = search_incidents(
        user=documenter,
        filters=IncidentFilters(violation_type=term("violation_types", "arbitrary_detention")),
    )
    assert sorted(titles(found)) == ["Arrest", "House arrest"]
    only_arrest = search_incidents(
        user=documenter, filters=IncidentFilters(violation_type=term("violation_types", "arrest"))
    )
    assert titles(only_arrest) == ["Arrest"]


def test_the_perpetrator_filter_includes_children_and_victim_kind_filters(documenter):
    make_incident(documenter, "Police", perpetrator_type="police", victim_kind="person")
    make_incident(documenter, "Spouse", perpetrator_type="spouse_partner")
    state = search_incidents(
        user=documenter,
        filters=IncidentFilters(perpetrator_type=term("perpetrator_types", "state")),
    )
    assert titles(state) == ["Police"]
    organisations = search_incidents(
        user=documenter, filters=IncidentFilters(victim_kind="organisation")
    )
    assert titles(organisations) == ["Spouse"]


def test_country_verification_and_title_filters(documenter):
    make_incident(documenter, "In China", country="CN", verification="alleged")
    make_incident(documenter, "In Mexico", country="MX")
    assert titles(search_incidents(user=documenter, filters=IncidentFilters(country="MX"))) == [
        "In Mexico"
    ]
    alleged = IncidentFilters(verification_status=term("verification_statuses", "alleged"))
    assert titles(search_incidents(user=documenter, filters=alleged)) == ["In China"]
    assert titles(search_incidents(user=documenter, filters=IncidentFilters(text="mexi"))) == [
        "In Mexico"
    ]


def test_a_year_only_date_is_possibly_in_a_range_of_months_and_in_range_for_its_year(documenter):
    make_incident(documenter, "Year only", date="2016")
    make_incident(documenter, "April", date="2016-04-10")
    make_incident(documenter, "Unknown", date="")
    make_incident(documenter, "Later", date="2017-01")
    march_to_june = IncidentFilters(date_from=date(2016, 3, 1), date_to=date(2016, 6, 30))
    found = {
        i.title: i.date_match for i in search_incidents(user=documenter, filters=march_to_june)
    }
    assert found == {"Year only": "possibly", "April": "in"}
    certain = IncidentFilters(
        date_from=date(2016, 3, 1), date_to=date(2016, 6, 30), certain_only=True
    )
    assert titles(search_incidents(user=documenter, filters=certain)) == ["April"]
    year_2016 = IncidentFilters(date_from=date(2016, 1, 1), date_to=date(2016, 12, 31))
    found = {i.title: i.date_match for i in search_incidents(user=documenter, filters=year_2016)}
    assert found == {"Year only": "in", "April": "in"}


def test_a_year_only_date_is_never_stored_as_the_first_of_january(documenter):
    incident = make_incident(documenter, date="2016")
    incident.refresh_from_db()
    assert incident.date_precision == "year"
    assert (incident.date_from, incident.date_to) == (date(2016, 1, 1), date(2016, 12, 31))
    assert incident.date.iso() == "2016"


def test_incidents_are_listed_newest_first_with_unknown_dates_last(documenter):
    make_incident(documenter, "Old", date="2001")
    make_incident(documenter, "Unknown", date="")
    make_incident(documenter, "New", date="2020-05-01")
    assert titles(search_incidents(user=documenter, filters=IncidentFilters())) == [
        "New",
        "Old",
        "Unknown",
    ]


def test_incidents_concerning_a_person_include_victim_and_perpetrator_roles(documenter):
    make_incident(documenter, "Victim", victim_kind="person", victim_name="Synthetic Person A")
    person = Person.objects.get(display_name="Synthetic Person A")
    other = make_incident(documenter, "Perpetrator", victim_name="Synthetic Centre B")
    act = other.acts.get()
    Involvement.objects.create(act=act, perpetrator_kind="person", perpetrator_person=person)
    make_incident(documenter, "Unrelated")
    assert sorted(titles(incidents_concerning(user=documenter, party=person))) == [
        "Perpetrator",
        "Victim",
    ]


def test_one_thousand_acts_are_saved_in_one_go(documenter, django_assert_max_num_queries):
    incident = Incident(title="Mass detention")
    arrest = term("violation_types", "arrest")
    police = term("perpetrator_types", "police")
    acts = [
        ActInput(
            victim=PartyRef(kind="person", name=f"Synthetic Detainee {n}"),
            violation_type=arrest,
            involvements=[
                InvolvementInput(perpetrator=PartyRef(kind="unknown"), perpetrator_type=police)
            ],
        )
        for n in range(1000)
    ]
    with django_assert_max_num_queries(100):
        save_incident(user=documenter, incident=incident, context_tags=[], acts=acts, sources=[])
    assert Act.objects.filter(incident=incident).count() == 1000
    assert Involvement.objects.filter(act__incident=incident).count() == 1000


def test_get_incident_for_user_answers_404_for_unknown_codes(documenter):
    from solidarity.accounts.access import get_incident_for_user

    with pytest.raises(Http404):
        get_incident_for_user(documenter, "00000000-0000-0000-0000-000000000000")


def test_a_rare_and_a_common_violation_type_filter_give_the_same_answers(documenter, monkeypatch):
    from solidarity.incidents import services

    make_incident(documenter, "Arrest", violation="arrest", victim_kind="person")
    make_incident(documenter, "Closure", violation="forced_closure")
    detention = IncidentFilters(violation_type=term("violation_types", "arbitrary_detention"))
    rare = titles(search_incidents(user=documenter, filters=detention))
    monkeypatch.setattr(services, "RARE", 1)  # every type now counts as common
    common = titles(search_incidents(user=documenter, filters=detention))
    assert rare == common == ["Arrest"]


def test_the_lower_bound_on_dates_keeps_a_year_that_ends_inside_the_range(documenter):
    make_incident(documenter, "Year", date="2016")
    found = search_incidents(
        user=documenter, filters=IncidentFilters(date_from=date(2016, 12, 1), date_to=None)
    )
    assert [(i.title, i.date_match) for i in found] == [("Year", "possibly")]


def test_the_list_stops_counting_at_the_cap(documenter_client, documenter, monkeypatch):
    from django.urls import reverse

    from solidarity.core import pagination

    monkeypatch.setattr(pagination, "COUNT_CAP", 2)
    monkeypatch.setattr("solidarity.incidents.views.COUNT_CAP", 2)
    for n in range(3):
        make_incident(documenter, f"Synthetic {n}")
    content = documenter_client.get(reverse("incidents:list")).content.decode()
    assert "More than 2 incidents" in content
