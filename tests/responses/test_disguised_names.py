"""A name disguised in the markup of a statement is still a name: publication is
refused, and a revocation withdraws the page, its PDF, the feed and the list."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from solidarity.core import demo
from solidarity.incidents.models import Act
from solidarity.lib.markup import html_text
from solidarity.lib.names import fold, mentions
from solidarity.people.models import Person
from solidarity.people.services import revoke_consent
from solidarity.responses import services
from tests.factories import term
from tests.responses.test_statement_workflow import pdf_text, publish_both_languages

DISGUISES = [
    "Synthetic **Unconsenting** Lawyer",
    "Synthetic Unconsenting\nLawyer",
    "Synthetic&nbsp;Unconsenting&nbsp;Lawyer",
    "Synthetic Uncon\u00adsenting Lawyer",
    "Synthetic Uncon&shy;senting Lawyer",
    "Synthetic Unconsen\u200bting Lawyer",
    "Synthetic <b>Unconsenting</b> Lawyer",
    "SYNTHETIC unconsenting lawyer",
]


@pytest.mark.parametrize("written", DISGUISES)
def test_a_statement_naming_someone_in_disguise_is_not_published(
    statement, demo_coordinator, demo_case, written
):
    hidden = Person.objects.create(
        display_name="Synthetic Unconsenting Lawyer", owner=demo_case.owner
    )
    Act.objects.create(
        incident=demo_case,
        victim_kind="person",
        victim_person=hidden,
        violation_type=term("violation_types", "threat"),
    )
    services.save_version(
        user=demo_coordinator,
        response=statement,
        language="en",
        text=statement.latest("en").text + f"\n{written} was threatened.\n",
    )
    services.approve(user=demo_coordinator, response=statement)
    with pytest.raises(ValidationError, match="Synthetic Unconsenting Lawyer"):
        services.publish(user=demo_coordinator, response=statement)


@pytest.mark.parametrize(
    "written", ["Guo **Jian**mei", "Guo\nJianmei", "Guo&nbsp;Jianmei", "Guo Jian\u00admei"]
)
def test_a_revocation_withdraws_a_statement_that_names_her_in_disguise_from_every_output(
    client, statement, demo_coordinator, partner_coordinator, partner_org, written
):
    services.save_version(
        user=demo_coordinator,
        response=statement,
        language="en",
        text=statement.latest("en").text + f"\nWe stand with {written}.\n",
    )
    publish_both_languages(statement, demo_coordinator, partner_coordinator, partner_org)
    page = reverse("public:statement", args=[statement.code, "en"])
    pdf = reverse("public:statement-pdf", args=[statement.code, "en"])
    assert client.get(page).status_code == 200
    director = Person.objects.get(code=demo.DIRECTOR)
    revoke_consent(user=demo_coordinator, code=director.consents.get().code)

    assert client.get(page).status_code == 404
    assert client.get(pdf).status_code == 404
    for url in (reverse("public:list"), reverse("public:statement-feed")):
        content = client.get(url).content.decode()
        assert str(statement.code) not in content, url
        assert not mentions(html_text(content), "Guo Jianmei"), url


def test_the_public_pdf_shows_what_the_consent_check_read(
    client, statement, demo_coordinator, partner_coordinator, partner_org
):
    services.save_version(
        user=demo_coordinator,
        response=statement,
        language="en",
        text=statement.latest("en").text + "\nWe stand with Guo **Jian**mei.\n",
    )
    publish_both_languages(statement, demo_coordinator, partner_coordinator, partner_org)
    pdf = client.get(reverse("public:statement-pdf", args=[statement.code, "en"]))
    assert fold("Guo Jianmei") in fold(pdf_text(pdf.content))
