"""End-to-end tests in real Chromium: a browser launched once, a fresh context per test.

They use Debian's ``chromium`` package (``/usr/bin/chromium``) rather than a
browser downloaded by ``playwright install``, and pytest-django's
``live_server``, so every test is transactional: the database is flushed after
it, and the ``vocab`` fixture (needed by ``documenter``) loads the vocabularies
again.
"""

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, expect, sync_playwright

# Playwright's sync API drives its own asyncio event loop from the test thread.
# Django sees that running loop and, to protect async code, refuses every ORM
# call from that thread with SynchronousOnlyOperation, including the ones made
# by fixtures such as ``documenter`` and by the tests that arrange data. Those
# calls are ordinary blocking calls made between browser steps, never from a
# coroutine, and the live server answers requests in its own thread; so telling
# Django to allow them is safe here. It must be set before the first ORM call.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path(os.environ.get("SOLIDARITY_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
HERE = Path(__file__).resolve().parent

# Long enough for a slow, busy machine; short enough to fail fast when stuck.
expect.set_options(timeout=10_000)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test in this folder is a browser test (``-m "not browser"`` leaves them out)."""
    for item in items:
        if HERE in Path(item.fspath).resolve().parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail(
            f"Chromium was not found at {CHROMIUM}. The browser tests need Debian's "
            "`chromium` package: install it with `sudo apt-get install chromium` "
            "(or point SOLIDARITY_CHROMIUM at a Chromium binary).",
            pytrace=False,
        )
    browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture
def browser_context_args(live_server) -> dict:
    """Options of each test's browser profile; a module may override this fixture
    (e.g. to switch JavaScript off). Relative URLs go to the live server."""
    return {"base_url": live_server.url, "locale": "en-GB"}


@pytest.fixture
def context(browser: Browser, browser_context_args: dict) -> Iterator[BrowserContext]:
    """A fresh browser profile: no cookies, no session, nothing cached."""
    context = browser.new_context(**browser_context_args)
    context.set_default_timeout(10_000)
    yield context
    context.close()


@pytest.fixture
def page(context: BrowserContext) -> Page:
    return context.new_page()


@pytest.fixture
def signed_in_page(page: Page, documenter) -> Page:
    """Dana, a documenter, signed in through the real login form."""
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill("dana")
    page.get_by_label("Password").fill("dana-password-1")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name="Sign out dana")).to_be_visible()
    return page
