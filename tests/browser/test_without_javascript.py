"""The list filters are a plain form: they work with JavaScript switched off."""

import re

import pytest
from playwright.sync_api import Page, expect

from solidarity.incidents.models import Incident


@pytest.fixture
def browser_context_args(browser_context_args: dict) -> dict:
    return {**browser_context_args, "java_script_enabled": False}


def test_without_javascript_the_filter_button_reloads_the_list_filtered(signed_in_page: Page, home):
    page = signed_in_page
    Incident.objects.create(title="Synthetic case in China", country="CN", owner=home)
    Incident.objects.create(title="Synthetic case in Kenya", country="KE", owner=home)
    page.goto("/incidents/")
    results = page.locator("#results")
    expect(results.get_by_role("status")).to_have_text("2 incidents")

    filters = page.locator("form.filters")
    filters.get_by_label("Country:").select_option(label="Kenya")
    filters.get_by_label("Title contains:").fill("synthetic case")
    # Without htmx, choosing a country changes nothing until the form is sent.
    expect(results.get_by_role("status")).to_have_text("2 incidents")
    filters.get_by_role("button", name="Filter").click()

    expect(page).to_have_url(re.compile(r"\?q=synthetic\+case&country=KE&"))
    expect(results.get_by_role("status")).to_have_text("1 incident")
    expect(results.get_by_role("link", name="Synthetic case in Kenya")).to_be_visible()
    expect(results.get_by_role("link", name="Synthetic case in China")).to_have_count(0)
    expect(filters.get_by_label("Country:")).to_have_value("KE")
