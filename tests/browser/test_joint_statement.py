"""From the demo case to a co-signed joint statement, published in two languages.

Four people, each in a browser profile of their own: the author (a coordinator
of the demo's member organisation), a documenter of the same organisation who
comments, the coordinator of a second organisation who signs, and an anonymous
visitor who reads the published statement and its PDFs.
"""

import re
import time
from datetime import timedelta
from io import BytesIO

import pytest
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
    yield_hotp_counters_from_time,
)
from django.utils import timezone
from playwright.sync_api import Browser, BrowserContext, Page, expect
from pypdf import PdfReader

from solidarity.accounts.models import MemberOrganisation, Membership, Role, User
from solidarity.core.demo import demo_member_organisation
from solidarity.responses.models import Response
from tests.browser.test_documenting_incidents import choose

TITLE = "Joint statement on the closure of a women's legal aid centre"
CENTRE = "Beijing Zhongze Women's Legal Counseling and Service Centre"
DEMO_ORGANISATION = "Coalition secretariat (demo)"
PARTNER_ORGANISATION = "Synthetic Partner Organisation"
# Short enough to stay on one row of the side-by-side diff (it wraps at 70 columns).
NEW_SENTENCE = "The policy environment for civil society keeps narrowing."


# ------------------------------------------------------------------ helpers


def person(username: str, organisation: MemberOrganisation, role: str) -> tuple[User, str | None]:
    """A member of the organisation; a coordinator gets an authenticator app whose
    secret the test knows, so that it can type the codes the app would show."""
    user = User.objects.create_user(username, password=f"{username}-password-1")
    Membership.objects.create(user=user, organisation=organisation, role=role)
    if role != Role.COORDINATOR:
        return user, None
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return user, secret


def current_code(secret: str) -> str:
    """The code the app shows now; near the end of a period, the next period's code,
    so that the server still accepts it when the form arrives."""
    period = mfa_settings.TOTP_PERIOD
    left = period - time.time() % period
    if left < 3:
        time.sleep(left + 0.1)
    return format_hotp_value(hotp_value(secret, next(yield_hotp_counters_from_time())))


def profile(browser: Browser, live_server) -> BrowserContext:
    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    context.set_default_timeout(10_000)
    return context


def sign_in(context: BrowserContext, username: str, secret: str | None = None) -> Page:
    """Signs in through the real forms: the password, then (for a coordinator) a code.

    Allauth refuses a code used once already by the same user, so each user signs
    in once per test.
    """
    page = context.new_page()
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(f"{username}-password-1")
    page.get_by_role("button", name="Sign in").click()
    if secret is not None:
        expect(page).to_have_url(re.compile(r"/accounts/2fa/authenticate/$"))
        expect(page.get_by_role("heading", name="Two-Factor Authentication")).to_be_visible()
        page.get_by_placeholder("Code").fill(current_code(secret))
        page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name=f"Sign out {username}")).to_be_visible()
    return page


def pdf_text(content: bytes) -> str:
    """The text of every page, each run of white space (line breaks too) made one space."""
    text = "\n".join(page.extract_text() for page in PdfReader(BytesIO(content)).pages)
    return " ".join(text.split())


def fetch_pdf(context: BrowserContext, url: str) -> str:
    answer = context.request.get(url)
    assert answer.ok, f"{url} answered {answer.status}"
    assert answer.headers["content-type"] == "application/pdf"
    return pdf_text(answer.body())


def paragraph(page: Page, number: int):
    """The paragraph shown as "paragraph <number>" (the ids count from 0)."""
    return page.locator(f"#p{number - 1}")


def signatories_line(page: Page):
    return page.locator("p").filter(has_text=re.compile(r"^\s*Signatories:"))


# ------------------------------------------------------------------ fixtures


@pytest.fixture
def contexts(browser: Browser, live_server):
    """Opens browser profiles on demand; closes them all at the end."""
    opened: list[BrowserContext] = []

    def open_one() -> BrowserContext:
        opened.append(profile(browser, live_server))
        return opened[-1]

    yield open_one
    for context in opened:
        context.close()


# ------------------------------------------------------------------ the journey


def test_a_statement_drafted_from_the_demo_case_is_commented_revised_co_signed_and_published_with_its_pdfs(  # noqa: E501
    demo_case, partner_org, contexts, tmp_path
):
    demo_organisation = demo_member_organisation()
    _, author_secret = person("amara", demo_organisation, Role.COORDINATOR)
    person("dora", demo_organisation, Role.DOCUMENTER)
    _, partner_secret = person("petra", partner_org, Role.COORDINATOR)

    # The author drafts a statement from the demo incident, in English.
    author_context = contexts()
    page = sign_in(author_context, "amara", author_secret)
    page.goto(demo_case.get_absolute_url())
    expect(page.get_by_role("heading", level=1)).to_have_text(demo_case.title)
    page.get_by_role("link", name="Draft a statement").click()
    expect(page.get_by_role("heading", name="Draft a statement")).to_be_visible()
    page.get_by_label("Title").fill(TITLE)
    choose(page.get_by_label("Type"), "Joint statement or press release")
    page.get_by_label("Language of the first draft").select_option(label="English")
    expect(page.get_by_label("Requests")).to_have_value(
        re.compile(r"^Halt the harassment of human rights defenders\n")
    )
    page.get_by_role("button", name="Write the first draft").click()

    expect(page.get_by_text("A first draft was written from the records.")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.get_by_role("heading", name="Text, version 1")).to_be_visible()
    statement = page.locator("section.statement")
    expect(statement).to_have_attribute("lang", "en")
    expect(paragraph(page, 1)).to_contain_text("On 29 January 2016")
    expect(paragraph(page, 1)).to_contain_text(CENTRE)
    expect(statement).to_contain_text("Halt the harassment of human rights defenders")
    response_url = page.url
    response = Response.objects.get(title=TITLE)
    assert response_url.endswith(response.get_absolute_url())

    # She adds a Chinese version, drafted from the same records.
    page.get_by_label("Add a language version").select_option(label="Simplified Chinese")
    page.get_by_role("button", name="Draft it").click()
    expect(page).to_have_url(re.compile(r"\?lang=zh-hans$"))
    expect(statement).to_have_attribute("lang", "zh-hans")
    expect(paragraph(page, 1)).to_contain_text("2016年1月29日")
    expect(statement).not_to_contain_text("On 29 January")
    chinese_draft = response.latest("zh-hans").text
    # A run of Chinese characters from the draft, to be found again in the PDF.
    chinese_words = max(re.findall(r"[\u4e00-\u9fff]+", chinese_draft), key=len)
    assert len(chinese_words) >= 4, chinese_draft

    # She invites the second organisation to sign, before a deadline three days away.
    page.get_by_role("navigation", name="Language versions").get_by_role(
        "link", name="English"
    ).click()
    deadline = timezone.localtime() + timedelta(days=3)
    page.get_by_label(PARTNER_ORGANISATION).check()
    page.get_by_label("Deadline").fill(deadline.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_role("button", name="Invite to sign").click()
    expect(page.get_by_text("The invitations were sent.")).to_be_visible()
    sign_on = page.locator("section").filter(
        has=page.get_by_role("heading", name="Sign-on", exact=True)
    )
    expect(sign_on.get_by_role("listitem").filter(has_text=PARTNER_ORGANISATION)).to_contain_text(
        "Invited"
    )
    expect(page.locator("dl.facts")).to_contain_text("Open for sign-on")

    # A documenter of the same organisation comments on paragraph 2 and mentions her.
    documenter_context = contexts()
    dora = sign_in(documenter_context, "dora")
    dora.goto(response_url)
    second = paragraph(dora, 2)
    expect(second).to_contain_text("works on")
    second.get_by_text("Comment on paragraph 2").click()
    comment = "@amara the policy environment should be mentioned"
    second.get_by_label("Comment").fill(comment)
    second.get_by_role("button", name="Add comment").click()
    expect(second.locator(".comment")).to_have_text(re.compile(rf"dora:\s*{re.escape(comment)}"))
    expect(paragraph(dora, 1).locator(".comment")).to_have_count(0)

    # The author finds the mention among her notifications, and follows it.
    page.reload()
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Notifications").click()
    mention = page.get_by_role("link", name=f"dora mentioned you on “{TITLE}”.")
    expect(mention).to_be_visible()
    mention.click()
    expect(page).to_have_url(re.compile(r"#comment-[0-9a-f-]+$"))
    expect(paragraph(page, 2).locator(".comment")).to_contain_text(comment)

    # She revises the text: a new paragraph on the policy environment, version 2.
    page.get_by_role("link", name="Edit the text").click()
    text = page.get_by_label("Text (Markdown)")
    text.fill(text.input_value().rstrip("\n") + f"\n\n{NEW_SENTENCE}\n")
    page.get_by_role("button", name="Save as a new version").click()
    expect(page.get_by_text("Saved as a new version.")).to_be_visible()
    expect(page.get_by_role("heading", name="Text, version 2")).to_be_visible()
    expect(statement.locator(".paragraph").last).to_contain_text(NEW_SENTENCE)
    # The comment belonged to version 1: it is listed apart now.
    expect(statement).to_contain_text(f"v1 ¶2 · dora: {comment}")
    versions = page.locator("section").filter(
        has=page.get_by_role("heading", name="Versions", exact=True)
    )
    expect(versions.get_by_role("listitem")).to_have_count(2)
    versions.get_by_role("link", name="changes").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Changes from version 1 to version 2")
    # Two lines were added: the blank line that starts a paragraph, and the sentence.
    added = page.locator(".diff .diff_add")
    expect(added).to_have_count(2)
    expect(added.filter(has_text=NEW_SENTENCE)).to_be_visible()
    expect(page.locator(".diff .diff_sub, .diff .diff_chg")).to_have_count(0)
    page.get_by_role("link", name="Back to the statement").click()
    expect(page.get_by_role("heading", name="Text, version 2")).to_be_visible()

    # The second organisation's coordinator signs.
    partner_context = contexts()
    petra = sign_in(partner_context, "petra", partner_secret)
    petra.goto(response_url)
    expect(petra.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(petra.get_by_role("link", name="Edit the text")).to_have_count(0)
    expect(signatories_line(petra)).to_have_text(f"Signatories: {DEMO_ORGANISATION}")
    petra.get_by_role("button", name="Sign", exact=True).click()
    expect(petra.get_by_text("Your answer was recorded.")).to_be_visible()
    expect(signatories_line(petra)).to_have_text(
        f"Signatories: {DEMO_ORGANISATION}, {PARTNER_ORGANISATION}"
    )

    # The author approves the final text and publishes it.
    page.reload()
    expect(signatories_line(page)).to_contain_text(PARTNER_ORGANISATION)
    page.get_by_role("button", name="Approve the final text").click()
    expect(page.locator("dl.facts")).to_contain_text("Approved")
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_text("The statement was published.")).to_be_visible()
    expect(page.get_by_role("link", name="Edit the text")).to_have_count(0)
    addresses = page.locator("dl.facts dt").filter(has_text="Public address").locator("+ dd")
    expect(addresses.get_by_role("link", name="English")).to_be_visible()
    expect(addresses.get_by_role("link", name="Simplified Chinese")).to_be_visible()
    expect(addresses.get_by_role("link", name="PDF")).to_have_count(2)
    english_url = addresses.get_by_role("link", name="English").get_attribute("href")

    # Anyone may read it, signed in or not.
    public_context = contexts()
    visitor = public_context.new_page()
    visitor.goto(english_url)
    expect(visitor).to_have_url(re.compile(rf"{re.escape(english_url)}$"))
    article = visitor.locator("article.statement")
    expect(article).to_have_attribute("lang", "en")
    expect(visitor.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(article).to_contain_text(f"On 29 January 2016, {CENTRE}")
    expect(article).to_contain_text(NEW_SENTENCE)
    expect(article).not_to_contain_text(comment)
    expect(visitor.get_by_role("heading", name="Signatories")).to_be_visible()
    expect(article.locator("ul.signatories li")).to_have_text(
        [DEMO_ORGANISATION, PARTNER_ORGANISATION]
    )
    english_pdf = article.get_by_role("link", name="PDF").get_attribute("href")
    chinese_url = article.get_by_role("link", name="Simplified Chinese").get_attribute("href")

    text = fetch_pdf(public_context, english_pdf)
    assert TITLE in text
    assert "29 January 2016" in text
    assert DEMO_ORGANISATION in text and PARTNER_ORGANISATION in text

    visitor.goto(chinese_url)
    expect(article).to_have_attribute("lang", "zh-hans")
    expect(article).to_contain_text("2016年1月29日")
    chinese_pdf = article.get_by_role("link", name="PDF").get_attribute("href")
    text = fetch_pdf(public_context, chinese_pdf)
    assert "2016年1月29日" in text
    assert chinese_words in text.replace(" ", "")
    assert DEMO_ORGANISATION in text and PARTNER_ORGANISATION in text

    visitor.goto(english_url)
    visitor.screenshot(path=tmp_path / "published-statement.png", full_page=True)
