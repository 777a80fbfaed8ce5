"""The Content-Security-Policy is on in the browser, and the suite would notice a breach."""

from __future__ import annotations

import pytest

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
