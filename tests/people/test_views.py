from django.urls import reverse

from solidarity.people.models import Organisation, Person
from tests.factories import make_incident


def test_an_organisation_page_lists_the_incidents_concerning_it(documenter_client, documenter):
    make_incident(documenter, "Closure", victim_name="Synthetic Centre")
    make_incident(documenter, "Other", victim_name="Synthetic Other Centre")
    centre = Organisation.objects.get(name="Synthetic Centre")
    response = documenter_client.get(centre.get_absolute_url())
    assert response.status_code == 200
    assert b"Closure" in response.content
    assert b"Other</a>" not in response.content


def test_a_person_page_lists_the_incidents_concerning_them(documenter_client, documenter):
    make_incident(
        documenter,
        "Arrest",
        violation="arrest",
        victim_kind="person",
        victim_name="Synthetic Defender",
    )
    person = Person.objects.get(display_name="Synthetic Defender")
    response = documenter_client.get(person.get_absolute_url())
    assert response.status_code == 200
    assert b"Arrest" in response.content


def test_the_person_and_organisation_lists_search_by_name(documenter_client, documenter):
    make_incident(documenter, victim_kind="person", victim_name="Synthetic Searchable")
    response = documenter_client.get(reverse("people:persons"), {"q": "searchable"})
    assert b"Synthetic Searchable" in response.content
    response = documenter_client.get(reverse("people:organisations"), {"q": "nothing-like-it"})
    assert b"None found." in response.content


def test_name_suggestions_offer_existing_records_with_their_code(documenter_client, documenter):
    make_incident(documenter, victim_name="Synthetic Centre")
    centre = Organisation.objects.get()
    response = documenter_client.get(reverse("people:suggestions"), {"acts-0-victim": "synth"})
    assert f'value="Synthetic Centre [{centre.code}]"'.encode() in response.content
    assert documenter_client.get(reverse("people:suggestions"), {"q": "s"}).content.strip() == b""


def test_an_unknown_person_is_not_found(documenter_client):
    response = documenter_client.get("/people/persons/00000000-0000-0000-0000-000000000000/")
    assert response.status_code == 404
