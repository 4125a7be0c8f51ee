"""From a coalition statement to a reviewed incident, in a few clicks, in real Chromium.

Dana pastes the statement on the closure of the Zhongze centre, reads the
proposed record beside the highlighted text, and creates the incident. Then
she uploads two files and watches the batch being read by the demo's worker.
"""

import re

from playwright.sync_api import Page, expect

from solidarity.core.management.commands.demo import start_worker
from solidarity.incidents.models import Incident
from tests.intake.intake_helpers import CENTRE, seed_text


def test_a_pasted_statement_becomes_a_reviewed_incident_in_a_few_clicks(signed_in_page: Page):
    page = signed_in_page
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Intake").click()
    page.get_by_label("Paste a text").fill(seed_text())
    page.get_by_label("Publication date").fill("2016-02-09")
    page.get_by_role("button", name="Read and propose a record").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Review:")
    text = page.locator(".intake-text .text")
    expect(text.locator("mark#mark-date-0")).to_have_text("29 January")
    victims = page.locator("#victims")
    expect(victims.locator(f'input[value="{CENTRE}"]')).to_be_visible()
    expect(page.locator("#when")).to_contain_text("The year is inferred from the publication date")
    expect(page.get_by_label("Country")).to_have_value("CN")
    # Following a value's evidence jumps to the highlighted words.
    page.locator("#when .evidence-links a").first.click()
    expect(page).to_have_url(re.compile(r"#mark-date-0$"))

    page.get_by_role("button", name="Create incident").click()

    expect(page.get_by_text("The incident was created from the document.")).to_be_visible()
    incident = Incident.objects.get()
    expect(page.get_by_role("heading", level=1)).to_have_text(incident.title)
    expect(
        page.get_by_role("heading", name=re.compile(f"Forced closure — {CENTRE}"))
    ).to_be_visible()
    expect(page.get_by_role("link", name="pasted-text.txt")).to_be_visible()


def test_a_batch_is_read_by_the_worker_while_the_page_follows_it(signed_in_page: Page, tmp_path):
    page = signed_in_page
    (tmp_path / "statement.txt").write_text(
        "Synthetic statement. On 3 March 2021 police arrested the lawyer Synthetic Person "
        "Gamma in Nairobi, Kenya.",
        encoding="utf-8",
    )
    (tmp_path / "broken.pdf").write_bytes(b"%PDF-1.4\nnot a pdf at all\n%%EOF")
    page.goto("/intake/")
    page.get_by_label("Or upload files").set_input_files(
        [tmp_path / "statement.txt", tmp_path / "broken.pdf"]
    )
    page.get_by_role("button", name="Read and propose a record").click()
    expect(page.get_by_role("status")).to_have_text(re.compile(r"^0 of 2 done"))

    worker = start_worker()  # as `make demo` runs it beside the web server
    try:
        # No reload: htmx polls the progress until both files are done.
        expect(page.get_by_role("status")).to_have_text("2 of 2 done", timeout=20_000)
    finally:
        worker.running = False
        worker.thread.join(timeout=10)
    expect(page.get_by_role("row", name=re.compile("broken.pdf"))).to_contain_text("Failed")
    page.get_by_role("link", name="Review").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("statement.txt")
