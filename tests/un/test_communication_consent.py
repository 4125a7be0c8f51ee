"""A reviewed UN communication is checked again at export, with the seam's one name
matcher: a name its consent does not allow, however written, stops the export."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from solidarity.core import demo
from solidarity.people.models import Person
from solidarity.people.services import revoke_consent
from solidarity.un import communications
from tests.factories import term


@pytest.fixture
def communication(demo_case, demo_coordinator):
    return communications.draft_sp_communication(
        user=demo_coordinator,
        incident=demo_case,
        mandates=[term("un_mechanisms", "sr_hrd")],
    )


def add_line(user, communication, line: str):
    return communications.update_communication(
        user=user, communication=communication, text=communication.text + f"\n{line}\n"
    )


def test_a_reviewed_text_naming_a_consenting_director_is_exported(communication, demo_coordinator):
    add_line(demo_coordinator, communication, "Its director, Guo Jianmei, was summoned.")
    content, _type, _name = communications.export(
        user=demo_coordinator, communication=communication, kind="txt"
    )
    assert "Guo Jianmei" in content.decode()


@pytest.mark.parametrize("written", ["Guo **Jian**mei", "Guo\nJianmei", "Guo&nbsp;Jian\u00admei"])
def test_after_a_revocation_the_export_is_refused_however_the_name_is_written(
    client, communication, demo_coordinator, written
):
    add_line(demo_coordinator, communication, f"Its director, {written}, was summoned.")
    director = Person.objects.get(code=demo.DIRECTOR)
    revoke_consent(user=demo_coordinator, code=director.consents.get().code)
    for kind in ("txt", "pdf"):
        with pytest.raises(ValidationError, match="Guo Jianmei"):
            communications.export(user=demo_coordinator, communication=communication, kind=kind)
    client.force_login(demo_coordinator)
    url = reverse("un:communication-export", args=[communication.code, "txt"])
    response = client.get(url, follow=True)
    assert response.redirect_chain[-1][0] == communication.get_absolute_url()
    assert "consent does not allow" in response.content.decode()


def test_an_alias_wrapped_over_a_line_never_leaves_even_with_consent(
    communication, demo_coordinator
):
    add_line(demo_coordinator, communication, "中心主任郭建\n梅被传唤。")
    with pytest.raises(ValidationError, match="郭建梅"):
        communications.export(user=demo_coordinator, communication=communication, kind="txt")
