"""Loading articles in real headless Chromium: the three ways in, duplicates, XSS."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from annotations.models import Article
from tests import loading_pages
from tests.ingest.xss_corpus import XSS_CORPUS
from tests.loading_pages import BYLINE, HEADLINE, article_page

page_server = loading_pages.page_server

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def fetch_loopback(settings):
    settings.FACTCHECK_FETCH_ALLOW_LOOPBACK = True
    settings.FACTCHECK_FETCH_TIMEOUT = 3
    return settings


def _load(page, live_server, *, way: str, value: str) -> None:
    page.goto(live_server.url + "/articles/new/")
    if way == "text":
        page.get_by_label("Paste text").check()
        page.get_by_label("Article text").fill(value)
    elif way == "html":
        page.get_by_label("Paste or upload HTML").check()
        page.get_by_label("HTML of the page").fill(value)
    else:
        page.get_by_label("Fetch a web address").check()
        page.get_by_label("Web address to fetch").fill(value)
    page.get_by_role("button", name="Load the article").click()


def test_editor_pastes_the_demo_text_and_keeps_the_removed_comment_form(
    page, live_server, login, editor, demo_text
):
    login(editor)
    page.goto(live_server.url + "/")
    expect(page.get_by_text("No articles yet.")).to_be_visible()
    page.get_by_role("link", name="Load an article").first.click()
    _load(page, live_server, way="text", value=demo_text)
    expect(page.locator(".messages")).to_contain_text("Cleaning removed 10 paragraphs")
    article = Article.objects.get()
    assert article.current_revision.text.endswith(
        "violent infringement upon our dignified country.”"
    )
    page.goto(f"{live_server.url}/articles/{article.id}/revisions/1/")
    page.get_by_text("Removed when loading").click()
    expect(page.get_by_text("You are commenting using your Twitter account").first).to_be_visible()
    page.get_by_role("button", name=re.compile("Keep it")).click()
    expect(page).to_have_url(re.compile(rf"/articles/{article.id}/revisions/2/$"))
    expect(page.get_by_text("Connecting to %s")).to_be_visible()


def test_url_form_fills_headline_byline_and_date_and_offers_the_existing_article(
    page, live_server, login, editor, page_server, fetch_loopback
):
    login(editor)
    url = page_server.url("/article")
    _load(page, live_server, way="url", value=url)
    article = Article.objects.get()
    expect(page).to_have_url(re.compile(rf"/articles/{article.id}/$"))
    page.goto(f"{live_server.url}/articles/{article.id}/edit/")
    expect(page.get_by_label("Headline")).to_have_value(HEADLINE)
    expect(page.get_by_label("Byline")).to_have_value(BYLINE)
    expect(page.get_by_label("Published on")).to_have_value("2017-11-22")
    expect(page.get_by_label("Web address")).to_have_value(url)
    # The same page pasted as HTML is the same text: the existing article is offered.
    _load(page, live_server, way="html", value=article_page())
    notice = page.locator("#duplicate-notice")
    expect(notice).to_contain_text(HEADLINE)
    notice.get_by_role("link", name="Open the existing article").click()
    expect(page).to_have_url(re.compile(rf"/articles/{article.id}/$"))
    assert Article.objects.count() == 1


def test_bad_input_shows_a_message_in_the_form(page, live_server, login, editor):
    login(editor)
    _load(page, live_server, way="url", value="http://10.1.2.3/story")
    expect(page.get_by_role("alert").filter(has_text="private network")).to_be_visible()
    _load(page, live_server, way="text", value="   ")
    expect(page.get_by_role("alert").filter(has_text="no readable text")).to_be_visible()
    assert Article.objects.count() == 0


def _hostile_text() -> str:
    blocks = [f"Paragraph {i}: {payload}" for i, (_name, payload) in enumerate(XSS_CORPUS)]
    return "Hostile <img src=x onerror=window.__xss=1> text\n\n" + "\n\n".join(blocks)


def _hostile_page(n: int) -> str:
    payloads = [payload for _name, payload in XSS_CORPUS]
    return loading_pages.xss_page(payloads).replace(
        "Hostile <b>page</b> &amp; friends", f"Hostile &lt;img src=x onerror=window.__xss=1&gt; {n}"
    )


def test_the_xss_corpus_never_runs_through_any_way_in(
    page, live_server, login, editor, page_server, fetch_loopback
):
    # The check itself works: an unescaped payload does set window.__xss.
    page.set_content('<img src="x" onerror="window.__xss=1">')
    page.wait_for_function("window.__xss === 1")
    login(editor)
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    url = page_server.serve("/xss", _hostile_page(3))
    for way, value in [("text", _hostile_text()), ("html", _hostile_page(2)), ("url", url)]:
        _load(page, live_server, way=way, value=value)
        expect(page).to_have_url(re.compile(r"/articles/\d+/$"))
        assert page.evaluate("window.__xss") is None, way
    articles = list(Article.objects.select_related("current_revision"))
    assert len(articles) == 3
    pages = ["/", "/?q=hostile"]
    for article in articles:
        pages += [
            f"/articles/{article.id}/",
            f"/articles/{article.id}/edit/",
            f"/articles/{article.id}/revisions/",
            f"/articles/{article.id}/revisions/1/",
            f"/articles/{article.id}/revisions/1/raw/",
        ]
    for path in pages:
        page.goto(live_server.url + path)
        page.wait_for_load_state("load")
        # Open every disclosure and hover everything, to give event handlers a chance.
        page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
        page.mouse.move(200, 300)
        assert page.evaluate("window.__xss") is None, path
        assert page.locator("img, iframe, svg, math, object, embed").count() == 0, path
    assert dialogs == []
