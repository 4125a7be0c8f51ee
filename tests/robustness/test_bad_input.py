"""Bad input to the forms is a form error (400, the form again with what was typed), never a
server error, and it is refused quickly: no request may hold a server thread for seconds."""

import time

import pytest
from django.urls import reverse

from solidarity.incidents.models import Incident
from solidarity.people.models import Person
from tests.factories import make_incident, term

HUGE = "99999999999999999999999"
QUICK = 2.0  # seconds
NOT_A_ROW = "This row is not one of this incident&#x27;s rows"


def editor_data(**overrides) -> dict[str, str]:
    """A complete, valid new-incident submission with one act, one perpetrator, one source."""
    data = {
        "title": "Synthetic robustness incident",
        "date": "2016-03",
        "country": "CN",
        "confidentiality": "standard",
        "acts-TOTAL_FORMS": "1",
        "acts-INITIAL_FORMS": "0",
        "acts-0-violation_type": str(term("violation_types", "arrest").pk),
        "acts-0-victim_kind": "person",
        "acts-0-victim": "Synthetic Defender Robust",
        "acts-0-date": "2016-03-08",
        "acts-0-victim_count": "1",
        "acts-0-perps-TOTAL_FORMS": "1",
        "acts-0-perps-INITIAL_FORMS": "0",
        "acts-0-perps-0-perpetrator_kind": "unknown",
        "acts-0-perps-0-perpetrator_type": str(term("perpetrator_types", "police").pk),
        "sources-TOTAL_FORMS": "1",
        "sources-INITIAL_FORMS": "0",
        "sources-0-name": "Synthetic robustness report",
        "sources-0-independent": "on",
    }
    data.update(overrides)
    return data


def timed_post(client, url, data):
    start = time.perf_counter()
    response = client.post(url, data)
    return response, time.perf_counter() - start


def refused(response, elapsed, *texts: str) -> str:
    """A 400 with the form again, answered quickly; returns the page."""
    content = response.content.decode()
    assert response.status_code == 400, content[:2000]
    assert elapsed < QUICK, f"{elapsed:.2f} s"
    for text in texts:
        assert text in content, text
    return content


@pytest.fixture
def edited(documenter):
    """An incident of the home organisation with one act (one perpetrator) and one source."""
    return make_incident(documenter, "Synthetic edited incident", sources=1)


def edit_data(incident: Incident, **overrides) -> dict[str, str]:
    """The new-incident payload posted to the edit page, with the incident's own ids; its
    perpetrator row is the stored one (posted as a new row, as in the issue)."""
    act = incident.acts.get()
    source = incident.sources.get()
    return editor_data(
        **{
            "acts-INITIAL_FORMS": "1",
            "acts-0-id": str(act.pk),
            "acts-0-perps-0-perpetrator": "Synthetic authorities",
            "sources-INITIAL_FORMS": "1",
            "sources-0-id": str(source.pk),
            **overrides,
        }
    )


# ------------------------------------------------------------------ context tags


@pytest.mark.parametrize("value", ["", "junk", "-1", "0", HUGE, "1.5", "\u202e"])
def test_a_context_tag_that_is_not_a_term_is_a_form_error(documenter_client, value):
    data = editor_data(context_tags=value)
    response, elapsed = timed_post(documenter_client, reverse("incidents:create"), data)
    refused(response, elapsed, 'value="Synthetic robustness incident"')
    assert not Incident.objects.exists()


def test_a_context_tag_of_another_vocabulary_is_a_form_error(documenter_client):
    data = editor_data(context_tags=str(term("violation_types", "arrest").pk))
    response, elapsed = timed_post(documenter_client, reverse("incidents:create"), data)
    refused(response, elapsed)
    assert not Incident.objects.exists()


def test_a_real_context_tag_is_still_saved(documenter_client):
    tag = term("context_tags", _first_code("context_tags"))
    response = documenter_client.post(
        reverse("incidents:create"), editor_data(context_tags=str(tag.pk))
    )
    assert response.status_code == 302
    assert list(Incident.objects.get().context_tags.all()) == [tag]


def _first_code(vocabulary: str) -> str:
    from solidarity.vocab.models import Term

    return Term.objects.of(vocabulary).filter(deprecated=False).values_list("code", flat=True)[0]


# ------------------------------------------------------------------ integers out of range


def test_a_victim_count_beyond_the_column_is_a_form_error(documenter_client):
    data = editor_data(**{"acts-0-victim_count": HUGE})
    response, elapsed = timed_post(documenter_client, reverse("incidents:create"), data)
    refused(response, elapsed, f'value="{HUGE}"')
    assert not Incident.objects.exists()


@pytest.mark.parametrize("field", ["acts-0-id", "sources-0-id"])
def test_a_huge_row_id_on_a_new_incident_is_a_form_error(documenter_client, field):
    data = editor_data(**{field: HUGE})
    response, elapsed = timed_post(documenter_client, reverse("incidents:create"), data)
    refused(response, elapsed, 'value="Synthetic robustness incident"')
    assert not Incident.objects.exists()


@pytest.mark.parametrize("field", ["acts-0-id", "sources-0-id"])
def test_a_huge_row_id_on_an_existing_incident_is_a_form_error(documenter_client, edited, field):
    data = edit_data(edited, **{field: HUGE})
    url = reverse("incidents:edit", args=[edited.code])
    response, elapsed = timed_post(documenter_client, url, data)
    refused(response, elapsed, 'value="Synthetic robustness incident"')
    edited.refresh_from_db()
    assert edited.title == "Synthetic edited incident"


# ------------------------------------------------------------------ ids of other rows


@pytest.mark.parametrize(
    "overrides",
    [
        {"acts-0-id": "-1"},
        {"sources-0-id": "-5"},
        {"acts-INITIAL_FORMS": "5"},
        {"sources-INITIAL_FORMS": "5"},
        {"acts-0-id": "0"},
        {"acts-0-id": "junk"},
    ],
    ids=lambda o: ",".join(f"{k}={v}" for k, v in o.items()),
)
def test_a_row_id_that_is_not_one_of_this_incidents_rows_is_a_form_error(
    documenter_client, edited, overrides
):
    data = edit_data(edited, **overrides)
    url = reverse("incidents:edit", args=[edited.code])
    response, elapsed = timed_post(documenter_client, url, data)
    refused(response, elapsed, 'value="Synthetic robustness incident"', NOT_A_ROW)
    edited.refresh_from_db()
    assert edited.title == "Synthetic edited incident"
    assert edited.acts.count() == 1 and edited.sources.count() == 1


def test_the_id_of_another_incidents_act_is_a_form_error(documenter_client, documenter, edited):
    other = make_incident(documenter, "Synthetic other incident", sources=1)
    data = edit_data(
        edited,
        **{
            "acts-0-id": str(other.acts.get().pk),
            "sources-0-id": str(other.sources.get().pk),
        },
    )
    url = reverse("incidents:edit", args=[edited.code])
    response, elapsed = timed_post(documenter_client, url, data)
    refused(response, elapsed)
    assert other.acts.count() == 1 and other.sources.count() == 1
    assert edited.acts.count() == 1 and edited.sources.count() == 1


def test_the_same_act_twice_is_a_form_error(documenter_client, edited):
    act = edited.acts.get()
    data = edit_data(edited)
    for key, value in list(data.items()):
        if key.startswith("acts-0-"):
            data[key.replace("acts-0-", "acts-1-", 1)] = value
    data["acts-TOTAL_FORMS"] = "2"
    data["acts-1-id"] = str(act.pk)
    url = reverse("incidents:edit", args=[edited.code])
    response, elapsed = timed_post(documenter_client, url, data)
    refused(response, elapsed)
    assert edited.acts.count() == 1


@pytest.mark.parametrize("perps_initial", ["0", "1"])
def test_editing_with_the_incidents_own_ids_still_saves(documenter_client, edited, perps_initial):
    data = edit_data(edited, title="Synthetic edited again")
    data["acts-0-perps-INITIAL_FORMS"] = perps_initial
    response = documenter_client.post(reverse("incidents:edit", args=[edited.code]), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    edited.refresh_from_db()
    assert edited.title == "Synthetic edited again"
    involvement = edited.acts.get().involvements.get()
    assert involvement.perpetrator_description == "Synthetic authorities"
    assert edited.sources.get().name == "Synthetic robustness report"


def test_rows_are_compared_with_the_record_their_id_names_not_their_position(
    documenter_client, documenter
):
    """The stored act posted second, after a new one: it is still that act, with its
    perpetrator row compared with its own perpetrators."""
    incident = make_incident(documenter, "Synthetic two acts")
    stored = incident.acts.get()
    data = editor_data(
        **{
            "acts-TOTAL_FORMS": "2",
            "acts-INITIAL_FORMS": "0",
            "acts-0-victim": "Synthetic Second Victim",
            "acts-1-id": str(stored.pk),
            "acts-1-victim_kind": "organisation",
            "acts-1-victim": f"Synthetic Centre [{stored.victim_organisation.code}]",
            "acts-1-violation_type": str(stored.violation_type_id),
            "acts-1-date": "2016-01-29",
            "acts-1-perps-TOTAL_FORMS": "1",
            "acts-1-perps-INITIAL_FORMS": "1",
            "acts-1-perps-0-perpetrator_kind": "unknown",
            "acts-1-perps-0-perpetrator": "Synthetic authorities",
            "acts-1-perps-0-perpetrator_type": str(term("perpetrator_types", "police").pk),
        }
    )
    response = documenter_client.post(reverse("incidents:edit", args=[incident.code]), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert incident.acts.count() == 2
    kept = incident.acts.get(pk=stored.pk)
    assert kept.victim_organisation.name == "Synthetic Centre"
    assert kept.involvements.get().perpetrator_description == "Synthetic authorities"


# ------------------------------------------------------------------ consent scopes


@pytest.mark.parametrize("value", [HUGE, "-1", "junk", ""])
def test_a_consent_scope_that_is_not_a_term_is_a_form_error(documenter_client, documenter, value):
    make_incident(documenter, victim_kind="person", victim_name="Synthetic Consenting Defender")
    person = Person.objects.get(display_name="Synthetic Consenting Defender")
    data = {
        "scopes": value,
        "given_by": "self",
        "method": "written",
        "given_on": "2024-01-02",
        "notes": "Synthetic note kept",
    }
    url = reverse("people:person-consent", args=[person.code])
    response, elapsed = timed_post(documenter_client, url, data)
    refused(response, elapsed, "Synthetic note kept")
    assert not person.consents.exists()


# ------------------------------------------------------------------ formset sizes


def test_a_huge_number_of_acts_is_refused_at_once(documenter_client):
    from solidarity.incidents.forms import MAX_ACTS

    data = editor_data(**{"acts-TOTAL_FORMS": HUGE})
    response, elapsed = timed_post(documenter_client, reverse("incidents:create"), data)
    content = refused(
        response,
        elapsed,
        'value="Synthetic robustness incident"',
        f"An incident takes at most {MAX_ACTS} acts.",
    )
    assert len(content) < 2_000_000
    assert not Incident.objects.exists()


@pytest.mark.parametrize("count", ["1000", HUGE])
def test_a_huge_number_of_perpetrators_is_refused_at_once(documenter_client, count):
    from solidarity.incidents.forms import MAX_PERPETRATORS

    data = editor_data(**{"acts-0-perps-TOTAL_FORMS": count})
    response, elapsed = timed_post(documenter_client, reverse("incidents:create"), data)
    content = refused(
        response,
        elapsed,
        'value="Synthetic robustness incident"',
        f"An act takes at most {MAX_PERPETRATORS} perpetrators.",
    )
    assert len(content) < 2_000_000
    assert not Incident.objects.exists()


def test_a_huge_number_of_sources_is_refused_at_once(documenter_client):
    from solidarity.incidents.forms import MAX_SOURCES

    data = editor_data(**{"sources-TOTAL_FORMS": HUGE})
    response, elapsed = timed_post(documenter_client, reverse("incidents:create"), data)
    content = refused(response, elapsed, f"An incident takes at most {MAX_SOURCES} sources.")
    assert len(content) < 2_000_000


def test_many_acts_each_with_many_perpetrators_are_refused_at_once(documenter_client):
    data = editor_data(**{"acts-TOTAL_FORMS": "1000"})
    for index in range(300):
        data[f"acts-{index}-perps-TOTAL_FORMS"] = "1000"
        data[f"acts-{index}-perps-INITIAL_FORMS"] = "0"
    response, elapsed = timed_post(documenter_client, reverse("incidents:create"), data)
    content = refused(response, elapsed)
    assert len(content) < 2_000_000


@pytest.mark.parametrize(
    "overrides",
    [
        {"add_act": "1", "acts-TOTAL_FORMS": HUGE},
        {"add_act": "1", "acts-TOTAL_FORMS": "junk"},
        {"add_perpetrator": "0", "acts-0-perps-TOTAL_FORMS": HUGE},
        {"add_perpetrator": "junk"},
        {"add_perpetrator": HUGE},
        {"add_perpetrator": "-1"},
        {"add_source": "1", "sources-TOTAL_FORMS": HUGE},
        {"add_source": "1", "sources-TOTAL_FORMS": "-3"},
    ],
    ids=lambda o: ",".join(f"{k}={v}" for k, v in o.items()),
)
def test_adding_a_row_beyond_the_limit_or_to_nothing_is_answered_quickly(
    documenter_client, overrides
):
    data = editor_data(**overrides)
    response, elapsed = timed_post(documenter_client, reverse("incidents:create"), data)
    assert response.status_code in (200, 400)
    assert elapsed < QUICK
    assert len(response.content) < 2_000_000
    assert "Synthetic robustness incident" in response.content.decode()
    assert not Incident.objects.exists()


def test_adding_acts_stops_at_the_limit(documenter_client):
    from solidarity.incidents.forms import MAX_ACTS

    data = editor_data(add_act="1", **{"acts-TOTAL_FORMS": str(MAX_ACTS)})
    response = documenter_client.post(reverse("incidents:create"), data)
    content = response.content.decode()
    assert f'name="acts-TOTAL_FORMS" value="{MAX_ACTS}"' in content
    assert f'name="acts-{MAX_ACTS}-victim"' not in content
    assert f"An incident takes at most {MAX_ACTS} acts." in content
    assert 'name="add_act"' not in content  # the button is gone at the limit
