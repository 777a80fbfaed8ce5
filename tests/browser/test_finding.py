"""Finding things in real Chromium: long URLs wrap inside their box instead of overflowing
it sideways; the review queue's filters, status links and public links work and pass axe."""

from __future__ import annotations

import re

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


def test_review_queue_filters_and_my_claims_have_no_axe_violations(
    page, live_server, login, editor, reviewer, demo_article
):
    from annotations.services.workflow import claim_approve, claim_submit
    from tests.browser.test_accessibility import axe_violations

    waiting = claim_submit(claim=make_claim(demo_article, editor), user=editor)
    approved = claim_approve(
        claim=claim_submit(claim=make_claim(demo_article, editor), user=editor), reviewer=reviewer
    )
    login(reviewer)
    page.goto(f"{live_server.url}/review/?verdict=bogus")
    expect(page.get_by_role("alert")).to_contain_text("“bogus” is not a verdict")
    assert axe_violations(page) == []
    page.goto(f"{live_server.url}/review/")
    expect(page.locator(f"#review-item-{waiting.pk}")).to_be_visible()
    # Choosing a status count lists that status; the approved claim links to its public page.
    page.get_by_role("link", name=re.compile("Approved")).click()
    expect(page.locator(f"#review-item-{approved.pk}")).to_be_visible()
    expect(page.get_by_label("Status", exact=True)).to_have_value("approved")
    assert axe_violations(page) == []
    page.get_by_role("link", name="See it on the public page").click()
    expect(page).to_have_url(re.compile(rf"/published/{demo_article.pk}/#claim-{approved.pk}$"))
    login(editor)
    page.goto(f"{live_server.url}/my-claims/")
    expect(page.locator(f"#my-claim-{approved.pk}")).to_be_visible()
    assert axe_violations(page) == []
