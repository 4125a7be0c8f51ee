"""A documenter records incidents through the editor and finds them again in the list."""

import re

from playwright.sync_api import Locator, Page, expect

from solidarity.incidents.models import Incident, VictimKind
from solidarity.incidents.services import ActInput, PartyRef, save_incident
from solidarity.lib.fuzzydate import FuzzyDate
from solidarity.vocab.models import Term

TITLE = "Synthetic case: arrest of a defender and closure of her centre"
OTHER_TITLE = "Synthetic case: smear campaign against a lawyers' collective"


# ------------------------------------------------------------------ helpers


def choose(select: Locator, label: str) -> None:
    """Pick the option shown as ``label``.

    Vocabulary options are indented with em spaces by their depth in the tree
    ("\u2003Arrest" under "Arbitrary detention"), so Playwright's exact
    ``select_option(label=...)`` would not find them.
    """
    option = select.locator("option").filter(has_text=re.compile(rf"^\s*{re.escape(label)}\s*$"))
    select.select_option(option.get_attribute("value"))


def expect_chosen(select: Locator, label: str, **options) -> None:
    expect(select.locator("option:checked")).to_have_text(label, **options)


def fuzzy_date_input(scope: Page | Locator, name: str) -> Locator:
    # The "Date:" label of a fuzzy date is not tied to its text box (no
    # for=...), so the box can only be found by its name.
    return scope.locator(f'input[type="text"][name="{name}"]')


def an_incident_recorded_earlier(user) -> Incident:
    """Another incident, in another country, year and violation, to be filtered out."""
    incident = Incident(title=OTHER_TITLE, country="KE")
    incident.date = FuzzyDate(2017, 5)
    return save_incident(
        user=user,
        incident=incident,
        context_tags=[],
        acts=[
            ActInput(
                victim=PartyRef(kind=VictimKind.GROUP, name="members of a synthetic collective"),
                violation_type=Term.objects.of("violation_types").get(code="smear_campaign"),
            )
        ],
        sources=[],
    )


def expect_results(page: Page, *, count: str, listed: list[str], not_listed: list[str]) -> None:
    results = page.locator("#results")
    expect(results.get_by_role("status")).to_have_text(count)
    for title in not_listed:
        expect(results.get_by_role("link", name=title)).to_have_count(0)
    for title in listed:
        expect(results.get_by_role("link", name=title)).to_be_visible()


# ------------------------------------------------------------------ journeys


def test_a_documenter_records_an_incident_with_two_acts_and_finds_it_through_the_filters(
    signed_in_page: Page, documenter, tmp_path
):
    page = signed_in_page
    an_incident_recorded_earlier(documenter)

    page.get_by_role("link", name="Document an incident").click()
    expect(page.get_by_role("heading", name="Document an incident")).to_be_visible()

    incident = page.get_by_role("group", name="The incident")
    incident.get_by_label("Title:").fill(TITLE)
    choose(incident.get_by_label("Country:"), "China")
    fuzzy_date_input(incident, "date").fill("2016-03")

    act = page.locator("#act-0")
    choose(act.get_by_label("Violation:"), "Arrest")
    act.get_by_label("Victim is:").select_option(label="Person")
    act.get_by_label("Victim:", exact=True).fill("Synthetic Defender Alpha")
    fuzzy_date_input(act, "acts-0-date").fill("2016-03-08")
    perpetrator = act.locator(".perp-form").first
    perpetrator.get_by_label("Perpetrator is:").select_option(label="Unknown or unnamed actor")
    choose(perpetrator.get_by_label("Perpetrator type:"), "Police")

    # "Add an act" posts the whole form and comes back with one more act...
    page.get_by_role("button", name="Add an act").click()
    second_act = page.locator("#act-1")
    expect(second_act.get_by_role("heading", name="Act 2")).to_be_visible()
    # ...without an error and without losing anything typed so far.
    expect(page.get_by_role("alert")).to_have_count(0)
    expect(incident.get_by_label("Title:")).to_have_value(TITLE)
    expect_chosen(incident.get_by_label("Country:"), "China")
    expect(fuzzy_date_input(incident, "date")).to_have_value("2016-03")
    expect_chosen(act.get_by_label("Violation:"), "Arrest")
    expect_chosen(act.get_by_label("Victim is:"), "Person")
    expect(act.get_by_label("Victim:", exact=True)).to_have_value("Synthetic Defender Alpha")
    expect(fuzzy_date_input(act, "acts-0-date")).to_have_value("2016-03-08")
    expect_chosen(perpetrator.get_by_label("Perpetrator is:"), "Unknown or unnamed actor")
    expect_chosen(perpetrator.get_by_label("Perpetrator type:"), "Police")

    choose(second_act.get_by_label("Violation:"), "Forced closure")
    second_act.get_by_label("Victim is:").select_option(label="Organisation")
    second_act.get_by_label("Victim:", exact=True).fill("Synthetic Women's Centre")
    fuzzy_date_input(second_act, "acts-1-date").fill("2016-03")
    # The new act's perpetrator row must be filled in: left empty, it would
    # block saving (see test_rows_added_by_the_add_buttons_start_from_their_defaults).
    second_perpetrator = second_act.locator(".perp-form").first
    second_perpetrator.get_by_label("Perpetrator is:").select_option(label="Organisation")
    second_perpetrator.get_by_label("Perpetrator:", exact=True).fill(
        "Synthetic District Civil Affairs Bureau"
    )
    choose(second_perpetrator.get_by_label("Perpetrator type:"), "Local government officials")

    source = page.get_by_role("group", name="Sources").locator(".source-form").first
    source.get_by_label("Source:").fill("Synthetic monitoring report")
    source.get_by_label("Material:").select_option(label="News article")
    source.get_by_label("Reliability:").select_option(label="High: reliable source, corroborated")
    source.get_by_label("Address:").fill("https://example.org/synthetic-report")

    page.get_by_role("button", name="Save incident").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.get_by_text("The incident was saved.")).to_be_visible()
    facts = page.locator("dl.facts").first
    expect(facts).to_contain_text("March 2016")
    expect(facts).to_contain_text("China")
    first = page.locator("article.act").filter(
        has=page.get_by_role("heading", name="Arrest — Synthetic Defender Alpha")
    )
    expect(first.get_by_role("link", name="Synthetic Defender Alpha")).to_be_visible()
    expect(first).to_contain_text("8 March 2016")
    expect(first).to_contain_text("unknown actor · Police")
    second = page.locator("article.act").filter(
        has=page.get_by_role("heading", name="Forced closure — Synthetic Women's Centre")
    )
    expect(second.get_by_role("link", name="Synthetic Women's Centre")).to_be_visible()
    expect(second).to_contain_text("Organisation")
    bureau = second.get_by_role("link", name="Synthetic District Civil Affairs Bureau")
    expect(bureau).to_be_visible()
    expect(second).to_contain_text("· Local government officials")
    expect(page.locator("article.act")).to_have_count(2)
    sources = page.locator("section").filter(has=page.get_by_role("heading", name="Sources"))
    expect(sources.get_by_role("link", name="Synthetic monitoring report")).to_have_attribute(
        "href", "https://example.org/synthetic-report"
    )
    expect(sources).to_contain_text("High: reliable source, corroborated")
    page.screenshot(path=tmp_path / "incident.png", full_page=True)

    # Finding it again: each filter on its own, from a cleared list. The form
    # refreshes #results through htmx on every change and puts the filters in
    # the address, so waiting for the address means the request was answered.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Incidents").click()
    filters = page.locator("form.filters")
    expect_results(page, count="2 incidents", listed=[TITLE, OTHER_TITLE], not_listed=[])

    # (a) The parent of "Arrest" finds it: a violation filter includes the terms below.
    choose(filters.get_by_label("Violation:"), "Arbitrary detention")
    expect(page).to_have_url(re.compile(r"violation_type=\d+"))
    expect_results(page, count="1 incident", listed=[TITLE], not_listed=[OTHER_TITLE])

    # (b) The country.
    filters.get_by_role("link", name="Clear").click()
    expect_results(page, count="2 incidents", listed=[TITLE, OTHER_TITLE], not_listed=[])
    choose(filters.get_by_label("Country:"), "China")
    expect(page).to_have_url(re.compile(r"country=CN"))
    expect_results(page, count="1 incident", listed=[TITLE], not_listed=[OTHER_TITLE])

    # (c) A date range that contains March 2016, then one that does not.
    filters.get_by_role("link", name="Clear").click()
    expect_results(page, count="2 incidents", listed=[TITLE, OTHER_TITLE], not_listed=[])
    filters.get_by_label("From:").fill("2016-01")
    filters.get_by_label("To:").fill("2016-06")
    filters.get_by_label("To:").press("Enter")
    expect(page).to_have_url(re.compile(r"date_from=2016-01.*date_to=2016-06"))
    expect_results(page, count="1 incident", listed=[TITLE], not_listed=[OTHER_TITLE])

    filters.get_by_label("From:").fill("2017")
    filters.get_by_label("To:").fill("2017")
    filters.get_by_role("button", name="Filter").click()
    expect(page).to_have_url(re.compile(r"date_from=2017&date_to=2017"))
    expect_results(page, count="1 incident", listed=[OTHER_TITLE], not_listed=[TITLE])

    # (d) Words of the title, sent with the plain "Filter" button.
    filters.get_by_role("link", name="Clear").click()
    expect_results(page, count="2 incidents", listed=[TITLE, OTHER_TITLE], not_listed=[])
    filters.get_by_label("Title contains:").fill("closure of her CENTRE")
    filters.get_by_role("button", name="Filter").click()
    expect(page).to_have_url(re.compile(r"q=closure(%20|\+)of(%20|\+)her(%20|\+)CENTRE"))
    expect_results(page, count="1 incident", listed=[TITLE], not_listed=[OTHER_TITLE])

    # The address htmx pushed is a real, shareable list: loading it afresh gives the same.
    page.reload()
    expect(filters.get_by_label("Title contains:")).to_have_value("closure of her CENTRE")
    expect_results(page, count="1 incident", listed=[TITLE], not_listed=[OTHER_TITLE])
    page.get_by_role("link", name=TITLE).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)


def test_a_documenter_who_mistypes_loses_nothing_and_can_fix_it(signed_in_page: Page):
    page = signed_in_page
    page.goto("/incidents/new/")

    incident = page.get_by_role("group", name="The incident")
    incident.get_by_label("Title:").fill("Synthetic case: a mistyped date")
    fuzzy_date_input(incident, "date").fill("2016-13-45")
    choose(incident.get_by_label("Country:"), "China")
    incident.get_by_label("Narrative:").fill("Synthetic narrative, typed once.")
    act = page.locator("#act-0")
    choose(act.get_by_label("Violation:"), "House arrest")
    fuzzy_date_input(act, "acts-0-date").fill("2016-04")
    act.locator('[name="acts-0-date_estimated"]').check()
    choose(act.locator(".perp-form").get_by_label("Perpetrator type:"), "Police")
    source = page.locator(".source-form").first
    source.get_by_label("Source:").fill("Synthetic interview notes")

    with page.expect_response(lambda r: r.request.method == "POST") as answer:
        page.get_by_role("button", name="Save incident").click()

    # Not saved, not redirected: the same form comes back with the errors.
    assert answer.value.status == 400
    expect(page).to_have_url(re.compile(r"/incidents/new/$"))
    expect(page.get_by_role("alert")).to_contain_text("Nothing was saved")
    expect(incident.locator(".field.invalid")).to_contain_text(
        "Enter a date as YYYY, YYYY-MM or YYYY-MM-DD, or leave it empty."
    )
    expect(act.locator(".field.invalid")).to_contain_text(
        "Name the victim, or choose 'Unnamed group'."
    )
    # Everything typed is still there, the mistakes included.
    expect(incident.get_by_label("Title:")).to_have_value("Synthetic case: a mistyped date")
    expect(fuzzy_date_input(incident, "date")).to_have_value("2016-13-45")
    expect_chosen(incident.get_by_label("Country:"), "China")
    expect(incident.get_by_label("Narrative:")).to_have_value("Synthetic narrative, typed once.")
    expect_chosen(act.get_by_label("Violation:"), "House arrest")
    expect_chosen(act.get_by_label("Victim is:"), "Person")
    expect(act.get_by_label("Victim:", exact=True)).to_have_value("")
    expect(fuzzy_date_input(act, "acts-0-date")).to_have_value("2016-04")
    expect(act.locator('[name="acts-0-date_estimated"]')).to_be_checked()
    expect_chosen(act.locator(".perp-form").get_by_label("Perpetrator type:"), "Police")
    expect(source.get_by_label("Source:")).to_have_value("Synthetic interview notes")
    assert not Incident.objects.exists()

    fuzzy_date_input(incident, "date").fill("2016-04")
    act.get_by_label("Victim:", exact=True).fill("Synthetic Defender Beta")
    page.get_by_role("button", name="Save incident").click()

    expect(page.get_by_text("The incident was saved.")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("Synthetic case: a mistyped date")
    act_heading = page.get_by_role("heading", name="House arrest — Synthetic Defender Beta")
    expect(act_heading).to_be_visible()
    expect(page.locator("article.act")).to_contain_text("about April 2016")
    expect(page.get_by_text("Synthetic narrative, typed once.")).to_be_visible()
    expect(page.get_by_role("cell", name="Synthetic interview notes")).to_be_visible()


def test_rows_added_by_the_add_buttons_start_from_their_defaults_and_may_be_left_empty(
    signed_in_page: Page,
):
    page = signed_in_page
    page.goto("/incidents/new/")
    page.get_by_role("group", name="The incident").get_by_label("Title:").fill(
        "Synthetic case: rows added and left empty"
    )
    act = page.locator("#act-0")
    choose(act.get_by_label("Violation:"), "Arrest")
    act.get_by_label("Victim:", exact=True).fill("Synthetic Defender Gamma")

    page.get_by_role("button", name="Add a perpetrator").click()
    added_perpetrator = page.locator("#act-0 .perp-form").nth(1)
    expect(added_perpetrator).to_be_visible()
    page.get_by_role("button", name="Add an act").click()
    added_act = page.locator("#act-1")
    expect(added_act).to_be_visible()
    page.get_by_role("button", name="Add a source").click()
    added_source = page.locator(".source-form").nth(1)
    expect(added_source).to_be_visible()

    # The added rows show the same defaults as the rows of a fresh form.
    expect_chosen(
        added_perpetrator.get_by_label("Perpetrator is:"), "Unknown or unnamed actor", timeout=1_000
    )
    expect_chosen(
        added_act.locator(".perp-form").get_by_label("Perpetrator is:"),
        "Unknown or unnamed actor",
        timeout=1_000,
    )
    expect(added_source.get_by_label("Independent of the other sources")).to_be_checked(
        timeout=1_000
    )

    # Left empty, they are ignored, like the empty rows of a fresh form.
    page.get_by_role("button", name="Save incident").click()
    expect(page.get_by_text("The incident was saved.")).to_be_visible()
    expect(page.locator("article.act")).to_have_count(1)
