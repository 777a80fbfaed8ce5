"""Suggested claims in real Chromium (issue 14): accepted with the keyboard alone (from the
list, and from the text), dismissed for good, refused in place (also under DEBUG=1), and
the list's keys."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from annotations.models import Claim, Suggestion, SuggestionStatus
from annotations.services.articles import article_load
from annotations.services.suggestions import suggestion_accept
from tests.browser.selection import wait_for_htmx_idle

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DEBUG_SCRIPT = 'script[src$="django_htmx/django-htmx.js"][data-debug="True"]'
#: The first words of paragraph 3 of the demo article: a suggestion ("Quantity").
SOLDIER = "The 24-year-old soldier"


@pytest.fixture
def debug_on(settings):
    """What `make run` serves: DEBUG=1 loads django-htmx's debug error handler."""
    settings.DEBUG = True


def open_workspace(page, live_server, article):
    page.set_viewport_size({"width": 1280, "height": 720})
    page.goto(f"{live_server.url}/articles/{article.id}/")
    expect(page.locator("html[data-workspace-ready]")).to_have_count(1)


def suggestion_on(article, words: str) -> Suggestion:
    return Suggestion.objects.get(revision=article.current_revision, exact__contains=words)


def sentence_of(suggestion: Suggestion) -> str:
    text = suggestion.revision.text[suggestion.sentence_start : suggestion.sentence_end]
    return " ".join(text.split())


def focused(page) -> str:
    return page.evaluate(
        """() => { const e = document.activeElement;
        return e.dataset.suggestionAccept ? "accept:" + e.dataset.suggestionAccept
          : e.dataset.suggestionDismiss ? "dismiss:" + e.dataset.suggestionDismiss
          : e.id ? "#" + e.id : e.tagName; }"""
    )


def assert_draft_panel(page, suggestion: Suggestion) -> Claim:
    panel = page.locator("#claim-panel")
    expect(panel).to_have_attribute("data-claim", re.compile(r"^\d+$"))
    wait_for_htmx_idle(page)
    claim = Claim.objects.get(article=suggestion.article)
    expect(panel).to_have_attribute("data-claim", str(claim.pk))
    expect(panel.locator(".claim-quote")).to_have_text(suggestion.exact)
    expect(panel.get_by_label("Statement")).to_have_value(sentence_of(suggestion))
    expect(panel.get_by_label("Claimant")).to_be_focused()
    expect(page.locator("#live-status")).to_contain_text("Claim added from the suggestion.")
    # The text shows the claim where the suggestion was; the list has it no more.
    expect(page.locator(f'#article-text mark[data-claims="{claim.pk}"]')).to_have_text(
        suggestion.exact
    )
    expect(page.locator(f'[data-suggestion="{suggestion.pk}"]')).to_have_count(0)
    expect(page.locator(f"#suggestion-{suggestion.pk}")).to_have_count(0)
    assert (claim.exact, claim.start, claim.end, claim.status) == (
        suggestion.exact,
        suggestion.start,
        suggestion.end,
        "draft",
    )
    return claim


def test_accept_a_suggestion_from_the_list_with_the_keyboard_alone(
    page, live_server, login, editor, demo_article
):
    five = suggestion_on(demo_article, "hit at least five times")
    login(editor)
    open_workspace(page, live_server, demo_article)
    # Tab into the list: its first entry's "Check this claim" is the one stop it holds.
    for _ in range(30):
        page.keyboard.press("Tab")
        if focused(page).startswith("accept:"):
            break
    first = page.locator("#suggestion-list [data-suggestion-accept]").first
    expect(first).to_be_focused()
    # ↓ to the entry, Enter on "Check this claim".
    for _ in range(10):
        if focused(page) == f"accept:{five.pk}":
            break
        page.keyboard.press("ArrowDown")
    assert focused(page) == f"accept:{five.pk}"
    expect(page.locator(f'#article-text mark[data-suggestion="{five.pk}"]')).to_have_class(
        re.compile(r"\bsg-current\b")
    )
    page.keyboard.press("Enter")
    assert_draft_panel(page, five)
    five.refresh_from_db()
    assert five.status == SuggestionStatus.ACCEPTED


def test_accept_a_suggestion_from_the_text_with_the_keyboard_alone(
    page, live_server, login, editor, demo_article
):
    soldier = suggestion_on(demo_article, SOLDIER)
    login(editor)
    open_workspace(page, live_server, demo_article)
    page.keyboard.press("Tab")  # the skip link
    page.keyboard.press("Enter")
    expect(page.locator("#article-text")).to_be_focused()
    page.keyboard.press("Control+ArrowDown")
    page.keyboard.press("Control+ArrowDown")  # paragraph 3, in the suggestion
    expect(page.locator("#text-caret-live")).to_contain_text("Suggested claim (Quantity)")
    page.keyboard.press("Enter")  # goes to its entry in the list
    expect(page.locator(f'[data-suggestion-accept="{soldier.pk}"]')).to_be_focused()
    page.keyboard.press("Enter")  # Check this claim
    assert_draft_panel(page, soldier)


def test_the_list_keeps_one_entry_in_the_tab_order_and_show_all_joins_it(
    page, live_server, login, editor, demo_text
):
    article = article_load(user=editor, text="\n\n".join([demo_text] * 3), outlet="CNN")
    count = Suggestion.objects.filter(revision=article.current_revision).count()
    login(editor)
    open_workspace(page, live_server, article)
    accepts = page.locator("#suggestion-list [data-suggestion-accept]")
    expect(page.locator("#suggestion-list [data-suggestion-accept][tabindex='0']")).to_have_count(1)
    accepts.first.focus()
    page.keyboard.press("End")
    expect(accepts.nth(7)).to_be_focused()  # the 8th: the rest are under "Show all"
    page.keyboard.press("Tab")
    expect(page.locator("#suggestion-list [data-suggestion-dismiss]").nth(7)).to_be_focused()
    page.keyboard.press("Tab")
    summary = page.locator("#suggestion-list summary")
    expect(summary).to_be_focused()
    expect(summary).to_have_text(f"Show all {count}")
    page.keyboard.press("Enter")
    accepts.nth(7).focus()
    page.keyboard.press("ArrowDown")
    expect(accepts.nth(8)).to_be_focused()
    page.keyboard.press("End")
    expect(accepts.nth(count - 1)).to_be_focused()
    expect(page.locator("#suggestion-list [data-suggestion-accept][tabindex='0']")).to_have_count(1)


def test_a_click_on_a_suggestion_in_the_text_goes_to_its_entry(
    page, live_server, login, editor, demo_article
):
    soldier = suggestion_on(demo_article, SOLDIER)
    login(editor)
    open_workspace(page, live_server, demo_article)
    page.locator(f"#sg-{soldier.pk}").click()
    expect(page.locator(f'[data-suggestion-accept="{soldier.pk}"]')).to_be_focused()
    assert not Claim.objects.exists()  # never a claim by itself


def test_a_dismissed_suggestion_stays_gone_after_a_reload(
    page, live_server, login, editor, demo_article
):
    ranked = list(Suggestion.objects.filter(revision=demo_article.current_revision, status="open"))
    first, second = ranked[0], ranked[1]
    login(editor)
    open_workspace(page, live_server, demo_article)
    page.locator(f'[data-suggestion-accept="{first.pk}"]').focus()
    page.keyboard.press("Tab")  # Dismiss
    expect(page.locator(f'[data-suggestion-dismiss="{first.pk}"]')).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator(f"#suggestion-{first.pk}")).to_have_count(0)
    expect(page.locator(f'#article-text [data-suggestion="{first.pk}"]')).to_have_count(0)
    expect(page.locator("#live-status")).to_have_text("Suggestion dismissed.")
    # Focus moves to the suggestion ranked next.
    expect(page.locator(f'[data-suggestion-accept="{second.pk}"]')).to_be_focused()
    expect(page.locator("#suggestion-list-title")).to_contain_text(f"({len(ranked) - 1})")
    page.reload()
    expect(page.locator("html[data-workspace-ready]")).to_have_count(1)
    expect(page.locator(f"#suggestion-{second.pk}")).to_be_visible()
    expect(page.locator(f"#suggestion-{first.pk}")).to_have_count(0)
    expect(page.locator(f'#article-text [data-suggestion="{first.pk}"]')).to_have_count(0)
    first.refresh_from_db()
    assert first.status == SuggestionStatus.DISMISSED and first.decided_by == editor


@pytest.mark.parametrize("debug", [False, True], ids=["debug-off", "debug-on"])
def test_accepting_what_a_colleague_accepted_is_refused_in_place(
    page, live_server, login, editor, editor2, demo_article, settings, debug
):
    settings.DEBUG = debug
    five = suggestion_on(demo_article, "hit at least five times")
    login(editor)
    # The page's live stream is cut (a flaky connection): with it, the colleague's claim
    # would take the suggestion off the list before the click (tests/browser/test_live.py).
    page.route("**/live/**", lambda route: route.abort())
    open_workspace(page, live_server, demo_article)
    if debug:
        expect(page.locator(DEBUG_SCRIPT)).to_have_count(1)
    theirs = suggestion_accept(suggestion=five, user=editor2)  # meanwhile
    page.locator(f'[data-suggestion-accept="{five.pk}"]').click()
    alert = page.locator("#suggestion-list [role=alert]")
    expect(alert).to_contain_text(f"claim {theirs.pk}")
    expect(alert).to_be_focused()
    expect(page.locator("#live-status")).to_contain_text("already accepted")
    # The page is still the page; the list no longer offers it; nothing written.
    expect(page.get_by_role("navigation", name="Main")).to_be_visible()
    expect(page.locator(f"#suggestion-{five.pk}")).to_have_count(0)
    expect(page.locator("#page-alert")).to_be_hidden()
    assert list(Claim.objects.values_list("pk", flat=True)) == [theirs.pk]


def test_accepting_with_unsaved_edits_in_the_panel_asks_first(
    page, live_server, login, editor, demo_article, draft
):
    five = suggestion_on(demo_article, "estimated 40 rounds")  # the draft is elsewhere
    login(editor)
    page.goto(f"{live_server.url}/articles/{demo_article.id}/?claim={draft.pk}")
    expect(page.locator("html[data-workspace-ready]")).to_have_count(1)
    page.locator("#claim-claimant").fill("Someone else")
    asked = []
    page.on("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    page.locator(f'[data-suggestion-accept="{five.pk}"]').click()
    wait_for_htmx_idle(page)
    assert asked and "unsaved changes" in asked[0]
    expect(page.locator("#claim-panel")).to_have_attribute("data-claim", str(draft.pk))
    expect(page.locator("#claim-claimant")).to_have_value("Someone else")
    assert Claim.objects.count() == 1
