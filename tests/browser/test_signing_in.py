"""Nothing is shown to someone who has not signed in."""

import re

from playwright.sync_api import Page, expect

from solidarity.incidents.models import Incident

TITLE = "Synthetic case that only signed-in users may read"


def test_an_anonymous_visitor_asking_for_the_incident_list_is_sent_to_the_login_page(page: Page):
    page.goto("/incidents/")

    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/incidents/$"))
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    expect(page.get_by_role("navigation", name="Main")).to_have_count(0)


def test_an_anonymous_visitor_asking_for_an_incident_signs_in_first_and_is_then_shown_it(
    page: Page, documenter, home
):
    incident = Incident.objects.create(title=TITLE, country="CN", owner=home)

    page.goto(incident.get_absolute_url())

    expect(page).to_have_url(
        re.compile(rf"/accounts/login/\?next={re.escape(incident.get_absolute_url())}$")
    )
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    expect(page.get_by_text(TITLE)).to_have_count(0)

    page.get_by_label("Username").fill("dana")
    page.get_by_label("Password").fill("dana-password-1")
    page.get_by_role("button", name="Sign in").click()

    expect(page).to_have_url(re.compile(rf"{re.escape(incident.get_absolute_url())}$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
