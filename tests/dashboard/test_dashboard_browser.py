"""The dashboard in real Chromium: no axe-core violations with data, empty and refused;
the keyboard reaches each table; the period is chosen with the form."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.test_accessibility import axe_violations
from tests.dashboard.desk import build

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TABLES = ["per-day-caption", "verdicts-caption", "reviewers-caption"]


def focused(page) -> str:
    return page.evaluate(
        """() => {
          const e = document.activeElement;
          const name = e.getAttribute("aria-labelledby") || e.id;
          return name || e.tagName + ":" + e.textContent.trim();
        }"""
    )


def test_the_dashboard_with_data_passes_axe_and_tabs_to_every_table(
    page, live_server, login, reviewer, reviewer2, editor, demo_article
):
    build(demo_article, editor, reviewer, reviewer2)
    login(reviewer)
    page.goto(live_server.url + "/dashboard/")
    expect(page.get_by_role("heading", name="Dashboard", level=1)).to_be_visible()
    expect(page.get_by_role("img", name="Claims created per day")).to_be_visible()
    expect(page.get_by_role("table", name="Claims per day")).to_be_visible()
    expect(page.get_by_role("region", name="Decisions per reviewer")).to_be_visible()
    assert axe_violations(page) == []

    page.get_by_role("button", name="Show").focus()
    reached = []
    for _ in range(12):
        page.keyboard.press("Tab")
        reached.append(focused(page))
        if reached[-1] == TABLES[-1]:
            break
    assert [name for name in reached if name in TABLES] == TABLES, reached

    # The focused region scrolls with the arrow keys: the per-day table is taller than it.
    region = page.get_by_role("region", name="Claims per day")
    region.focus()
    page.keyboard.press("End")
    page.wait_for_function(
        "() => document.querySelector('[aria-labelledby=per-day-caption]').scrollTop > 0"
    )


def test_choosing_a_period_and_the_empty_state_pass_axe(page, live_server, login, reviewer):
    login(reviewer)
    page.goto(live_server.url + "/dashboard/")
    page.get_by_label("Period").select_option("7")
    page.get_by_role("button", name="Show").click()
    expect(page).to_have_url(live_server.url + "/dashboard/?days=7")
    expect(page.locator("#dashboard-empty")).to_contain_text("No claims in these days")
    expect(page.locator("#dashboard-period-text")).to_contain_text("the last 7 days")
    assert page.get_by_role("img").count() == 0
    assert axe_violations(page) == []


def test_a_refused_period_passes_axe(page, live_server, login, reviewer):
    login(reviewer)
    response = page.goto(live_server.url + "/dashboard/?days=365")
    assert response.status == 400
    expect(page.get_by_role("alert").filter(has_text="365")).to_contain_text(
        "choose 7, 30 or 90 days"
    )
    assert axe_violations(page) == []
