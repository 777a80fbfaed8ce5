"""Double-clicking "Add claim" in real Chromium makes one claim: workspace.js gives each
selection an idempotency key and both posts carry it (issue 11, item 5)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from annotations.models import Claim, IdempotencyKey
from tests.browser.selection import drag_select, wait_for_htmx_idle

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_double_clicking_add_claim_creates_one_claim(
    page, live_server, login, editor, demo_article
):
    login(editor)
    page.goto(f"{live_server.url}/articles/{demo_article.id}/")
    expect(page.locator("html[data-workspace-ready]")).to_have_count(1)
    drag_select(page, "hit at least five times")
    popover = page.locator("#add-claim")
    expect(popover).to_be_visible()
    key = popover.locator('input[name="idempotency_key"]').input_value()
    assert re.fullmatch(r"[0-9a-f]{32}", key)
    popover.get_by_role("button", name="Add claim").dblclick()
    panel = page.locator("#claim-panel")
    expect(panel.locator("blockquote.claim-quote")).to_have_text("hit at least five times")
    wait_for_htmx_idle(page)
    assert Claim.objects.filter(article=demo_article).count() == 1
    assert IdempotencyKey.objects.get(key=key).claim == Claim.objects.get()
    # A new selection gets a new key, so the next claim is a new one.
    drag_select(page, "estimated 40 rounds")
    expect(popover).to_be_visible()
    assert popover.locator('input[name="idempotency_key"]').input_value() != key
