"""The Content-Security-Policy is on in the browser, and the suite would notice a breach."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.selection import wait_for_htmx_idle

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_inline_style_is_blocked_and_reported(browser, live_server):
    """What the shared `context` fixture relies on: Chromium reports each violation."""
    ctx = browser.new_context()  # not the checked fixture: this test breaks the rule
    try:
        page = ctx.new_page()
        messages: list[str] = []
        page.on("console", lambda m: messages.append(m.text))
        page.goto(live_server.url + "/accounts/login/")
        page.evaluate(
            "document.body.insertAdjacentHTML('beforeend', "
            '\'<p id="x" style="color: rgb(255, 0, 0)">x</p>\')'
        )
        page.wait_for_timeout(200)
        colour = page.evaluate("getComputedStyle(document.getElementById('x')).color")
        assert colour != "rgb(255, 0, 0)"  # the style attribute was not applied
        assert any("Content Security Policy" in m for m in messages)
    finally:
        ctx.close()


def test_swagger_ui_runs_under_the_csp(page, live_server):
    """/api/docs/ renders the operations (its script is a file, not inline)."""
    page.goto(live_server.url + "/api/docs/")
    page.wait_for_selector(".opblock", timeout=20_000)
    assert page.locator(".opblock").count() > 10


def test_an_htmx_swap_over_a_positioned_element_breaks_no_csp_rule(
    page, live_server, login, draft, editor
):
    """Scripts position the popover and the caret through `element.style` (CSSOM, allowed);
    htmx's settle step used to copy that `style` attribute onto the element swapped in with
    the same id, with setAttribute, which the CSP refuses (the `context` fixture fails the
    test on the violation)."""
    login(editor)
    page.goto(f"{live_server.url}/articles/{draft.article_id}/?claim={draft.pk}")
    panel = page.locator("#claim-panel")
    expect(panel).to_have_attribute("data-claim", str(draft.pk))
    page.evaluate(
        """(id) => {
            document.getElementById("claim-panel").style.outline = "1px solid red";
            htmx.ajax("GET", `/claims/${id}/`, {target: "#claim-panel", swap: "outerHTML"});
        }""",
        draft.pk,
    )
    expect(panel).not_to_have_attribute("style", re.compile("."))
    wait_for_htmx_idle(page)


def test_the_browsable_api_breaks_no_csp_rule(page, live_server, login, editor, draft):
    """DRF's HTML pages: its Pygments <style> is left out and its template's style
    attributes are allowed there (annotations/api/renderers.py); the `context` fixture
    fails the test on any violation. The claims list has DRF's Filters button."""
    login(editor)
    for path in ("/api/v1/me/", "/api/v1/verdicts/", "/api/v1/claims/"):
        page.goto(live_server.url + path)
        expect(page.locator(".response-info")).to_be_visible()
    expect(page.get_by_role("button", name="Filters")).to_be_visible()
