"""A newcomer's first minute, in real headless Chromium."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_editor_logs_in_and_opens_the_demo_article(page, live_server, demo_article):
    page.goto(live_server.url + "/")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    page.get_by_label("Username").fill("ed")
    page.get_by_label("Password").fill("ed-pass")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Articles")).to_be_visible()
    page.get_by_role("link", name=re.compile("harrowing escape")).click()
    text = page.locator("#article-text")  # the words are also a suggestion in the list
    expect(text.get_by_text("hit at least five times", exact=False)).to_be_visible()
    # htmx loaded from our own static files, not a CDN (deferred: wait for it).
    page.wait_for_function("() => typeof window.htmx === 'object'")
    assert page.evaluate("document.querySelector('script[src*=htmx]').src").startswith(
        live_server.url + "/static/"
    )
