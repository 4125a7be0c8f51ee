"""From the demo incident to a communication to the UN Special Procedures, exported.

A documenter of the demo's member organisation confirms the reprisal the
platform proposes (the Centre's closure, after its part in China's 2014 CEDAW
review), drafts the communication, reviews and completes it, records the UN's
reference, and exports it as text and as PDF.
"""

import re
from pathlib import Path

from playwright.sync_api import Page, expect

from solidarity.accounts.models import Role
from solidarity.core.demo import demo_member_organisation
from solidarity.un.models import Communication, ReprisalLink, ReprisalStatus
from tests.browser.test_joint_statement import pdf_text
from tests.conftest import member

CENTRE = "Beijing Zhongze Women's Legal Counseling and Service Centre"
MANDATE = "Special Rapporteur on human rights defenders"
# The engagement is known to the year (2014), the closure to the day (29 January 2016).
TIME_BETWEEN = "at least 394 and at most 758 days after the engagement"
ADDED = "The authorities gave no reason and no remedy was offered to the Centre."
REFERENCE = "AL CHN 1/2016"
NOTE = "Closure within two years of the CEDAW review."


def sign_in(page: Page, username: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(f"{username}-password-1")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name=f"Sign out {username}")).to_be_visible()


def download(page: Page, link_name: str) -> tuple[str, bytes]:
    """Clicks an export link; returns the suggested file name and the content."""
    with page.expect_download() as info:
        page.get_by_role("link", name=link_name).click()
    saved = info.value
    return saved.suggested_filename, Path(saved.path()).read_bytes()


def test_a_documenter_confirms_the_proposed_reprisal_and_sends_the_special_procedures_a_reviewed_communication_exported_as_text_and_pdf(  # noqa: E501
    demo_case, page: Page
):
    member("dora", demo_member_organisation(), Role.DOCUMENTER)
    sign_in(page, "dora")

    # The demo incident, from the list of incidents.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Incidents").click()
    page.get_by_role("link", name=demo_case.title).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(demo_case.title)
    incident_url = page.url

    # The platform proposes the closure as a reprisal for the 2014 CEDAW engagement.
    reprisals = page.locator("section.reprisals")
    expect(
        reprisals.get_by_role("heading", name="Possible reprisals for UN engagement")
    ).to_be_visible()
    expect(reprisals).to_contain_text(
        "No act of this incident is linked to UN engagement as a reprisal."
    )
    expect(reprisals.get_by_role("heading", name="Proposed links to decide")).to_be_visible()
    proposals = reprisals.locator("ul.proposals > li")
    expect(proposals).to_have_count(1)
    proposal = proposals.first
    expect(proposal).to_contain_text(f"Forced closure — {CENTRE} (29 January 2016)")
    expect(proposal).to_contain_text("Submitted a report · CEDAW Committee · 2014")
    expect(
        proposal.get_by_role("link", name="Combined 7th and 8th periodic reports")
    ).to_be_visible()
    expect(proposal).to_contain_text(TIME_BETWEEN)

    # She confirms it as alleged, with a note.
    proposal.get_by_label("Decision").select_option(label="Alleged")
    proposal.get_by_label("Note").fill(NOTE)
    proposal.get_by_role("button", name="Record decision").click()

    # Back on the incident page, the link is shown as confirmed; nothing is left to decide.
    expect(page).to_have_url(incident_url)
    expect(page.locator("ul.messages")).to_contain_text("The decision was recorded.")
    expect(reprisals.get_by_role("heading", name="Proposed links to decide")).to_have_count(0)
    row = reprisals.locator("table tbody tr")
    expect(row).to_have_count(1)
    act, engagement, time_between, status = (row.locator("td").nth(i) for i in range(4))
    expect(act).to_have_text(f"Forced closure — {CENTRE} (29 January 2016)")
    expect(engagement).to_contain_text("Submitted a report · CEDAW Committee · 2014")
    expect(time_between).to_have_text(TIME_BETWEEN)
    expect(status).to_have_text(re.compile(rf"^\s*Alleged\s*{re.escape(NOTE)}\s*$"))
    link = ReprisalLink.objects.get()
    assert link.status == ReprisalStatus.ALLEGED
    assert link.decided_by.username == "dora"

    # The communication to the UN: the mandate of human rights defenders is preselected.
    page.get_by_role("link", name="Communication to the UN").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Communication to the Special Procedures"
    )
    mandates = page.get_by_role("group", name="Special Procedures mandates")
    expect(mandates.get_by_label(MANDATE, exact=True)).to_be_checked()
    expect(mandates.locator("input[type=checkbox]:checked")).to_have_count(1)
    page.get_by_role("button", name="Draft the communication").click()

    # The review page: the draft, with the Centre's consent answers.
    title = f"Communication: {demo_case.title}"
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    communication = Communication.objects.get()
    expect(page).to_have_url(re.compile(rf"{re.escape(communication.get_absolute_url())}$"))
    review = page.locator("section.statement")
    expect(review).to_contain_text(f"To: {MANDATE}")
    expect(review).to_contain_text(CENTRE)
    expect(review).to_contain_text("May the name be transmitted to the State: no")
    expect(review).to_contain_text("May the name appear in public reports: no")
    expect(review).to_contain_text("29 January 2016, Beijing, China: Forced closure")
    expect(review.get_by_role("heading", name="Action by the authorities")).to_be_visible()
    expect(review).to_contain_text("[To complete:")
    expect(page.get_by_role("link", name=demo_case.title)).to_have_attribute(
        "href", demo_case.get_absolute_url()
    )

    # She completes the part on action by the authorities and records the UN's reference.
    text = page.get_by_label(re.compile(r"^Text:?$"))
    draft = text.input_value()
    placeholder = re.search(r"\[To complete:[^\]]*\]", draft).group(0)
    text.fill(draft.replace(placeholder, ADDED))
    page.get_by_label("UN reference").fill(REFERENCE)
    page.get_by_role("button", name="Save").click()

    expect(page.locator("ul.messages")).to_contain_text("Saved.")
    expect(review).to_contain_text(ADDED)
    expect(review).not_to_contain_text("[To complete:")
    expect(page.get_by_label("UN reference")).to_have_value(REFERENCE)
    communication.refresh_from_db()
    assert communication.reference == REFERENCE

    # The exports: the reviewed text, as text and as PDF.
    name, content = download(page, "Export as text")
    assert name == f"communication-{communication.code}.txt"
    exported = content.decode()
    assert ADDED in exported
    assert "[To complete:" not in exported
    assert "May the name be transmitted to the State: no" in exported
    assert CENTRE in exported

    name, content = download(page, "Export as PDF")
    assert name == f"communication-{communication.code}.pdf"
    assert content.startswith(b"%PDF")
    text_of_pdf = pdf_text(content)
    assert CENTRE in text_of_pdf
    assert ADDED in text_of_pdf
    assert title in text_of_pdf

    # The overview of reprisals counts the confirmed link: China, 2016, one.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="UN").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Reprisals for UN engagement")
    expect(page.locator("table tbody tr")).to_have_count(1)
    expect(page.locator("table tbody tr td")).to_have_text(["China", "2016", "1"])
    expect(page.locator("table tfoot")).to_contain_text("Total")
    expect(page.locator("table tfoot td")).to_have_text("1")
