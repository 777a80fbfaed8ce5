"""axe-core, run inside real Chromium, finds no violations on the pages editors use most."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from annotations.services.claims import claim_create, source_attach

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"


def axe_violations(page) -> list[str]:
    # Evaluated through the DevTools protocol, not an inline <script> (the CSP forbids one).
    page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate("async () => await axe.run(document)")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(node["target"][0] for node in v["nodes"][:5])
        for v in result["violations"]
    ]


@pytest.fixture
def checked_article(editor, demo_article):
    text = demo_article.current_revision.text
    claims = []
    for quote, verdict in [
        ("The defector was hit at least five times, but lives.", "mostly-true"),
        ("hit at least five times", "true"),
        ("estimated 40 rounds", None),
    ]:
        start = text.index(quote)
        claims.append(
            claim_create(
                article=demo_article,
                user=editor,
                selector={"exact": quote, "start": start, "end": start + len(quote)},
                verdict=verdict,
            )
        )
    source_attach(claim=claims[1], user=editor, title="UNC", url="https://www.unc.un.org/")
    return demo_article, claims


def test_login_page_has_no_axe_violations(page, live_server):
    page.goto(live_server.url + "/accounts/login/")
    assert axe_violations(page) == []


def test_article_list_has_no_axe_violations(page, live_server, login, editor, checked_article):
    login(editor)
    page.goto(live_server.url + "/")
    expect(page.get_by_role("link", name=re.compile("harrowing escape"))).to_be_visible()
    assert axe_violations(page) == []


def test_workspace_and_claim_panel_have_no_axe_violations(
    page, live_server, login, editor, checked_article
):
    article, claims = checked_article
    login(editor)
    page.goto(f"{live_server.url}/articles/{article.id}/")
    expect(page.locator("mark[data-claims]").first).to_be_visible()
    assert axe_violations(page) == []
    page.locator(f'[data-claim-link="{claims[1].id}"]').click()
    expect(page.locator("#claim-panel")).to_have_attribute("data-claim", str(claims[1].id))
    page.get_by_text("Add a source").click()
    assert axe_violations(page) == []


def test_workspace_with_the_skip_link_and_the_caret_shown_has_no_axe_violations(
    page, live_server, login, editor, checked_article
):
    article, claims = checked_article
    login(editor)
    page.goto(f"{live_server.url}/articles/{article.id}/")
    expect(page.locator("html[data-workspace-ready]")).to_have_count(1)
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to the article text")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    assert axe_violations(page) == []
    page.keyboard.press("Enter")
    for _ in range(3):
        page.keyboard.press("Control+ArrowDown")
    expect(page.locator("#text-caret")).to_be_visible()
    expect(page.locator("#text-caret-live")).to_contain_text("Paragraph 4")
    assert axe_violations(page) == []
