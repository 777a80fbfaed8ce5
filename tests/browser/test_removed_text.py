"""An editor sees what loading removed and where, keeps one piece, and reads it in place.

Real headless Chromium against ``live_server``: the paste goes through the load form,
the report is read from the revision page, and "Keep it" is a real form submission.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from annotations.models import Article
from tests.browser.test_accessibility import axe_violations
from tests.services.test_keep_removed import CHROME_PAGE, PASTE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _paste(page, live_server, *, way: str, value: str) -> None:
    page.goto(live_server.url + "/articles/new/")
    if way == "text":
        page.get_by_label("Paste text").check()
        page.get_by_label("Article text").fill(value)
    else:
        page.get_by_label("Paste or upload HTML").check()
        page.get_by_label("HTML of the page").fill(value)
    page.get_by_role("button", name="Load the article").click()


def test_editor_keeps_the_mid_article_advertisement_and_reads_it_in_place(
    page, live_server, login, editor
):
    login(editor)
    _paste(page, live_server, way="text", value=PASTE)
    messages = page.locator(".messages")
    expect(messages).to_contain_text("site navigation (start)")
    expect(messages).to_contain_text("advertisement (middle)")
    expect(messages).to_contain_text("comments and comment form (end)")
    article = Article.objects.get()
    assert article.title == "Council closes harbour bridge to cars after 80 years"

    page.goto(f"{live_server.url}/articles/{article.id}/revisions/1/")
    text = page.locator("#revision-text p")
    expect(text).to_have_count(5)
    expect(page.locator("#revision-text")).not_to_contain_text("Advertisement")
    page.get_by_text("Removed when loading").click()
    pieces = page.locator(".removed-part")
    expect(pieces).to_have_count(5)
    ad = pieces.filter(has=page.locator("strong", has_text=re.compile("^Advertisement$")))
    expect(ad.locator(".removed-where")).to_contain_text(
        "in the middle, between paragraphs 3 and 4, after “…ending eighty years of traffic "
        "across the estuary.”"
    )
    expect(pieces.first.locator(".removed-where")).to_contain_text("at the start")
    expect(pieces.last.locator(".removed-where")).to_contain_text("at the end")
    assert axe_violations(page) == []

    ad.get_by_role("button", name="Keep it (put it back between paragraphs 3 and 4)").click()

    expect(page).to_have_url(re.compile(rf"/articles/{article.id}/revisions/2/$"))
    expect(page.locator(".messages")).to_contain_text(
        "Kept the advertisement: in revision 2, it is back between paragraphs 3 and 4."
    )
    expect(text).to_have_count(6)
    expect(text.nth(2)).to_contain_text("across the estuary.")
    expect(text.nth(3)).to_have_text("Advertisement")
    expect(text.nth(4)).to_contain_text("We have waited long enough")
    page.get_by_text("Removed when loading").click()
    expect(page.locator(".removed-part")).to_have_count(4)


def test_editor_sees_what_html_extraction_dropped_and_keeps_the_newsletter_box(
    page, live_server, login, editor
):
    login(editor)
    _paste(page, live_server, way="html", value=CHROME_PAGE)
    article = Article.objects.get()
    page.goto(f"{live_server.url}/articles/{article.id}/revisions/1/")
    page.get_by_text("Removed when loading").click()
    labels = page.locator(".removed-part strong")
    expect(labels).to_have_text(
        [
            "Site navigation",
            "Advertisement",
            "Newsletter sign-up",
            "Share and like buttons",
            "Comments and comment form",
            "Sidebar",
            "Site footer",
        ]
    )
    box = page.locator(".removed-part").nth(2)
    expect(box.locator(".removed-where")).to_contain_text("between paragraphs 3 and 4")

    box.get_by_role("button", name=re.compile("^Keep it")).click()

    expect(page).to_have_url(re.compile(rf"/articles/{article.id}/revisions/2/$"))
    paragraphs = page.locator("#revision-text p")
    expect(paragraphs.nth(3)).to_contain_text("Get the Harbour Briefing")
    expect(paragraphs.nth(4)).to_contain_text("The decision passed by 31 votes to 12.")
