"""A date known only to the year may fall inside a narrower range: the list says so."""

import re

from playwright.sync_api import Page, expect

from solidarity.accounts.models import MemberOrganisation
from solidarity.core.models import fuzzy_columns
from solidarity.incidents.models import Incident
from solidarity.lib.fuzzydate import FuzzyDate

YEAR_ONLY = "Synthetic case known only by its year, 2016"
KNOWN_DAY = "Synthetic case known to the day, 10 April 2016"
EARLIER = "Synthetic case of March 2015"


def an_incident(title: str, date: FuzzyDate) -> Incident:
    owner = MemberOrganisation.objects.get(name="Synthetic Home Organisation")
    return Incident.objects.create(title=title, country="CN", owner=owner, **fuzzy_columns(date))


def test_a_year_only_date_is_possibly_in_range_and_left_out_when_only_certain_dates_are_wanted(
    signed_in_page: Page,
):
    page = signed_in_page
    an_incident(YEAR_ONLY, FuzzyDate(2016))
    an_incident(KNOWN_DAY, FuzzyDate(2016, 4, 10))
    an_incident(EARLIER, FuzzyDate(2015, 3))
    page.goto("/incidents/")
    filters = page.locator("form.filters")
    results = page.locator("#results")
    expect(results.get_by_role("status")).to_have_text("3 incidents")

    filters.get_by_label("From:").fill("2016-03")
    filters.get_by_label("To:").fill("2016-06")
    filters.get_by_role("button", name="Filter").click()

    expect(page).to_have_url(re.compile(r"date_from=2016-03&date_to=2016-06"))
    expect(results.get_by_role("status")).to_have_text("2 incidents")
    expect(results.get_by_role("link", name=EARLIER)).to_have_count(0)
    year_row = results.get_by_role("row").filter(has=page.get_by_role("link", name=YEAR_ONLY))
    day_row = results.get_by_role("row").filter(has=page.get_by_role("link", name=KNOWN_DAY))
    expect(year_row).to_contain_text("2016")
    expect(year_row).to_contain_text("possibly in range")
    expect(day_row).to_contain_text("10 April 2016")
    expect(day_row).not_to_contain_text("possibly in range")

    filters.get_by_label("Only certainly in range").check()

    expect(page).to_have_url(re.compile(r"certain_only=on"))
    expect(results.get_by_role("status")).to_have_text("1 incident")
    expect(results.get_by_role("link", name=YEAR_ONLY)).to_have_count(0)
    expect(results.get_by_role("link", name=KNOWN_DAY)).to_be_visible()
    expect(results).not_to_contain_text("possibly in range")
