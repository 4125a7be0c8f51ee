"""Guards that keep the house tidy: migrations, headings, translations, the demo."""

import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from solidarity.core import demo
from solidarity.incidents.models import Incident
from solidarity.people.models import Organisation, Person


@pytest.mark.django_db
def test_there_are_no_pending_migrations():
    out = StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)
    assert "No changes detected" in out.getvalue()


def pages(incident: Incident) -> list[str]:
    centre = Organisation.objects.get(code=demo.CENTRE)
    director = Person.objects.get(code=demo.DIRECTOR)
    return [
        reverse("incidents:list"),
        reverse("incidents:list") + "?date_from=2016&date_to=2015",
        reverse("incidents:create"),
        incident.get_absolute_url(),
        reverse("incidents:edit", args=[incident.code]),
        reverse("people:persons"),
        reverse("people:organisations"),
        centre.get_absolute_url(),
        director.get_absolute_url(),
        "/incidents/00000000-0000-0000-0000-000000000000/",
    ]


def test_every_page_has_exactly_one_h1(client, demo_coordinator, demo_case):
    client.force_login(demo_coordinator)
    for url in pages(demo_case):
        content = client.get(url).content.decode()
        assert len(re.findall(r"<h1[\s>]", content)) == 1, url
    client.logout()
    for url in (
        reverse("account_login"),
        reverse("public:list"),
        reverse("public:detail", args=[demo_case.code]),
        "/public/incidents/00000000-0000-0000-0000-000000000000/",
    ):
        assert len(re.findall(r"<h1[\s>]", client.get(url).content.decode())) == 1, url


def test_a_zh_hans_page_renders_translated_strings_and_term_labels(
    client, demo_coordinator, demo_case
):
    client.force_login(demo_coordinator)
    response = client.get(demo_case.get_absolute_url(), headers={"Accept-Language": "zh-hans"})
    content = response.content.decode()
    assert '<html lang="zh-hans">' in content
    with translation.override("zh-hans"):
        assert translation.gettext("Sources") != "Sources"
        assert translation.gettext("Sources") in content
    assert "强制关闭" in content or "被迫关闭" in content  # the violation type's Chinese label
    assert "2016年1月29日" in content


def test_the_language_can_be_switched_without_javascript(client, administrator):
    client.force_login(administrator)
    response = client.post(reverse("set_language"), {"language": "es", "next": "/incidents/"})
    assert response.status_code == 302
    assert "Incidentes" in client.get("/incidents/").content.decode()


def test_the_demo_case_holds_the_reference_facts(demo_case):
    centre = Organisation.objects.get(code=demo.CENTRE)
    [act] = demo_case.acts.all()
    assert act.victim_organisation == centre
    assert act.violation_type.code == "forced_closure"
    assert act.date.iso() == "2016-01-29"
    [involvement] = act.involvements.all()
    assert involvement.perpetrator_kind == "unknown"
    assert involvement.perpetrator_type.code == "relevant_authorities_unspecified"
    assert centre.current_legal_status.status.code == "forcibly_closed"
    assert centre.head.display_name == "Guo Jianmei"
    assert "CEDAW" in demo_case.narrative
    assert "National Security Law (2015)" in demo_case.related_law_list
    coalition = Organisation.objects.get(code=demo.COALITION)
    assert coalition.org_type.code == "network_coalition"


@pytest.mark.django_db
def test_the_demo_command_sets_everything_up_once_and_prints_the_login_once(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    first, second = StringIO(), StringIO()
    call_command("demo", "--no-serve", stdout=first)
    call_command("demo", "--no-serve", stdout=second)
    assert re.search(
        r"Demo login \(shown once\): user 'demo', password '\S{12,}'", first.getvalue()
    )
    assert "password '" not in second.getvalue()
    assert Incident.objects.filter(code=demo.INCIDENT).count() == 1
    assert Organisation.objects.filter(code=demo.CENTRE).count() == 1
