"""Snapshots in real Chromium: a page full of scripts never runs one in its snapshot; the
snapshot page and the panel's archive states pass axe."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.archive.pages import ARTICLE, EXCERPT
from tests.archive.snapshots import again, attach
from tests.browser.test_accessibility import axe_violations
from tests.factories import make_claim

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_snapshot_of_a_scripted_page_runs_none_of_its_scripts(
    page, live_server, login, pages, demo_article, editor
):
    claim = make_claim(demo_article, editor, ready=False)
    archive = attach(claim, editor, pages.url("/scripted"), excerpt="")
    login(editor)

    page.goto(f"{live_server.url}/sources/{archive.source_id}/archive/{archive.pk}/")
    text = page.locator("#snapshot-text")
    expect(text).to_contain_text("visible article text that the snapshot must keep")
    text.get_by_text("bold words that react to a mouse").hover()
    page.wait_for_timeout(300)

    assert page.title().startswith("Snapshot of")
    assert page.evaluate("() => window.__pwned === undefined")
    assert page.locator("script").count() == 0
    assert page.locator("#snapshot-text [onerror], #snapshot-text [onmouseover]").count() == 0
    assert pages.beacons == []  # no script, image or link of the archived page reached out


def test_the_snapshot_page_and_the_panel_states_have_no_axe_violations(
    page, live_server, login, pages, demo_article, editor
):
    claim = make_claim(demo_article, editor, ready=False)
    kept = attach(claim, editor, pages.url("/changing"), title="Schools report")
    attach(claim, editor, pages.url("/gone"), title="A vanished page")
    pages.changing = ARTICLE.replace(EXCERPT, "the ministry stopped counting classrooms")
    again(kept.source, editor)
    login(editor)
    found: dict[str, list[str]] = {}

    page.goto(f"{live_server.url}/sources/{kept.source_id}/archive/{kept.pk}/")
    expect(page.locator("mark#excerpt-mark")).to_have_text(EXCERPT)
    found["snapshot with the passage marked"] = axe_violations(page)

    page.goto(f"{live_server.url}/articles/{demo_article.id}/?claim={claim.id}")
    panel = page.locator("#claim-panel")
    expect(panel).to_contain_text("Archive failed: 127.0.0.1 answered 404")
    expect(panel).to_contain_text("is no longer in its page")
    found["panel: archived, failed, passage lost"] = axe_violations(page)

    panel.locator(f"#source-archive-{kept.source_id}").get_by_role(
        "button", name="Archive again"
    ).click()
    expect(page.locator(f"#source-archive-{kept.source_id}")).to_contain_text("Archived")
    found["panel after archive again"] = axe_violations(page)

    assert {name: v for name, v in found.items() if v} == {}, found
