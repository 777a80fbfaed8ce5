"""Long unbroken URLs wrap inside their box instead of overflowing it sideways."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from annotations.services.claims import source_attach
from tests.factories import make_claim

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LONG_URL = "https://archive.example.org/web/20171122000000/" + "x" * 40 + "/" + "a1b2c3" * 40

#: How far, in CSS pixels, an element's content reaches past its own right edge.
OVERFLOW = "el => el.scrollWidth - el.clientWidth"


def test_a_long_source_url_stays_inside_the_claim_panel(
    page, live_server, login, editor, demo_article
):
    claim = make_claim(demo_article, editor)
    source_attach(claim=claim, user=editor, title=LONG_URL, url=LONG_URL)
    login(editor)
    page.set_viewport_size({"width": 1100, "height": 900})
    page.goto(f"{live_server.url}/articles/{demo_article.pk}/?claim={claim.pk}")
    panel = page.locator(".workspace-panel")
    expect(panel.get_by_role("link", name=LONG_URL[:30])).to_be_visible()
    assert panel.evaluate(OVERFLOW) <= 0
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_a_long_source_url_stays_inside_the_review_queue(
    page, live_server, login, editor, reviewer, demo_article
):
    from annotations.services.workflow import claim_submit

    claim = make_claim(demo_article, editor)
    source_attach(claim=claim, user=editor, title=LONG_URL, url=LONG_URL)
    claim_submit(claim=claim, user=editor)
    login(reviewer)
    page.set_viewport_size({"width": 900, "height": 900})
    page.goto(f"{live_server.url}/review/")
    item = page.locator(f"#review-item-{claim.pk}")
    expect(item.get_by_role("link", name=LONG_URL[:30])).to_be_visible()
    assert item.evaluate(OVERFLOW) <= 0
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
