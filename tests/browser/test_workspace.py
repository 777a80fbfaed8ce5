"""The editor's workspace in real headless Chromium: mouse and keyboard selections,
overlapping highlights, the claim panel, and two editors on one claim."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from annotations.models import Claim, ClaimSource
from annotations.services.claims import claim_create, source_attach
from annotations.services.workflow import claim_submit
from tests.browser.selection import drag_select, wait_for_htmx_idle

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
#: Written on every run (var/ is git-ignored).
SCREENSHOT = ROOT / "var" / "screenshots" / "workspace.png"
#: The committed screenshot: refreshed only with FACTCHECK_UPDATE_SCREENSHOTS=1.
DOCS_SCREENSHOT = ROOT / "docs" / "screenshot-workspace.png"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
LONG = "The defector was hit at least five times, but lives."
ROUNDS_SENTENCE = (
    "Immediately, other North Korean soldiers converge just a few feet behind him and open "
    "fire, releasing an estimated 40 rounds."
)


def _quote(article, quote):
    text = article.current_revision.text
    start = text.index(quote)
    return {"exact": quote, "start": start, "end": start + len(quote)}


def open_workspace(page, live_server, article):
    page.goto(f"{live_server.url}/articles/{article.id}/")
    expect(page.locator("#article-text")).to_be_visible()
    expect(page.locator("html[data-workspace-ready]")).to_have_count(1)


def test_editor_highlights_a_claim_with_the_mouse_and_checks_it(page, live_server, demo_article):
    page.goto(live_server.url + "/")
    page.get_by_label("Username").fill("ed")
    page.get_by_label("Password").fill("ed-pass")
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("link", name=re.compile("harrowing escape")).click()
    expect(page.locator("#article-text")).to_be_visible()
    expect(page.locator("html[data-workspace-ready]")).to_have_count(1)

    drag_select(page, "hit at least five times")
    popover = page.locator("#add-claim")
    expect(popover).to_be_visible()
    expect(popover).to_contain_text("hit at least five times")
    popover.get_by_label("Verdict").select_option("mostly-true")
    popover.get_by_role("button", name="Add claim").click()

    panel = page.locator("#claim-panel")
    expect(panel.get_by_role("heading", name=re.compile("Claim"))).to_be_visible()
    expect(panel.get_by_label("Claimant")).to_be_focused()
    panel.get_by_label("Claimant").fill("United Nations Command")
    panel.get_by_role("button", name="Save", exact=True).click()
    expect(panel.get_by_text("Saved.")).to_be_visible()

    panel.get_by_text("Add a source").click()
    panel.locator("#source-new-url").fill("https://www.unc.un.org/")
    panel.locator("#source-new-title").fill("UNC press release")
    panel.locator("#source-new-kind").select_option("official_statement")
    panel.locator("#source-new-stance").get_by_label("Supports").check()  # no default: chosen
    panel.get_by_role("button", name="Add source").click()
    expect(panel.locator("#claim-sources")).to_contain_text("UNC press release")

    claim = Claim.objects.get()
    assert (claim.exact, claim.verdict.slug, claim.claimant) == (
        "hit at least five times",
        "mostly-true",
        "United Nations Command",
    )
    assert ClaimSource.objects.filter(claim=claim).count() == 1

    page.reload()
    marks = page.locator(f'mark[data-claims~="{claim.id}"]')
    expect(marks).to_have_count(1)
    expect(marks).to_have_text("hit at least five times")


def test_overlapping_claims_both_show_and_open_their_own_claim(
    page, live_server, login, editor, demo_article
):
    outer = claim_create(
        article=demo_article, user=editor, selector=_quote(demo_article, ROUNDS_SENTENCE)
    )
    login(editor)
    open_workspace(page, live_server, demo_article)
    drag_select(page, "estimated 40 rounds")
    page.locator("#add-claim").get_by_role("button", name="Add claim").click()
    panel = page.locator("#claim-panel")
    expect(panel.locator("blockquote.claim-quote")).to_have_text("estimated 40 rounds")
    inner = Claim.objects.exclude(pk=outer.pk).get()
    assert inner.exact == "estimated 40 rounds"

    expect(page.locator(f'mark[data-claims="{outer.id}"]')).to_have_count(2)
    both = page.locator(f'mark[data-claims="{outer.id} {inner.id}"]')
    expect(both).to_have_text("estimated 40 rounds")

    page.locator(f'mark[data-claims="{outer.id}"]').first.click()
    expect(panel).to_have_attribute("data-claim", str(outer.id))
    both.click()
    expect(panel).to_have_attribute("data-claim", str(inner.id))


def test_second_of_two_editors_sees_the_conflict_and_the_first_ones_work_survives(
    browser, live_server, login, editor, editor2, demo_article
):
    claim = claim_create(
        article=demo_article, user=editor, selector=_quote(demo_article, "estimated 40 rounds")
    )
    pages = []
    for user in (editor, editor2):
        ctx = browser.new_context()
        login(user, ctx)
        page = ctx.new_page()
        page.goto(f"{live_server.url}/articles/{demo_article.id}/?claim={claim.id}")
        expect(page.locator("#claim-form")).to_be_visible()
        pages.append(page)
    first, second = pages
    first.get_by_label("Claimant").fill("U.N. Command")
    first.locator("#claim-verdict").select_option("true")
    second.get_by_label("Claimant").fill("Gen. Marks")
    second.get_by_label("Explanation").fill("Second editor's careful explanation")
    first.get_by_role("button", name="Save", exact=True).click()
    # In the panel (the page's live region says it too).
    expect(first.locator("#claim-panel").get_by_text("Saved.")).to_be_visible()
    second.get_by_role("button", name="Save", exact=True).click()
    conflict = second.locator(".conflict")
    expect(conflict).to_be_visible()
    expect(conflict).to_contain_text("ed saved this claim while you were editing it")
    expect(conflict).to_contain_text("U.N. Command")
    expect(second.get_by_label("Claimant")).to_have_value("Gen. Marks")
    expect(second.get_by_label("Explanation")).to_have_value("Second editor's careful explanation")
    claim.refresh_from_db()
    assert (claim.claimant, claim.verdict.slug, claim.version) == ("U.N. Command", "true", 2)
    for page in pages:
        page.context.close()


def _tab_to(page, selector: str, limit: int = 40) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


def test_the_whole_flow_works_with_the_keyboard_alone(
    page, live_server, login, editor, demo_article
):
    login(editor)
    open_workspace(page, live_server, demo_article)
    _tab_to(page, "#article-text")
    page.keyboard.press("Control+Shift+ArrowRight")
    page.keyboard.press("Control+Shift+ArrowRight")
    expect(page.locator("#add-claim")).to_be_visible()
    page.keyboard.press("Enter")
    verdict = page.locator("#add-claim-verdict")
    expect(verdict).to_be_focused()
    verdict.select_option("false")  # a focused <select> takes arrow keys; this is the same
    page.keyboard.press("Tab")
    expect(page.locator("#add-claim").get_by_role("button", name="Add claim")).to_be_focused()
    page.keyboard.press("Enter")
    claimant = page.locator("#claim-claimant")
    expect(claimant).to_be_focused()
    page.keyboard.type("CNN")
    page.keyboard.press("Enter")  # submits the claim form
    expect(page.locator("#claim-panel .panel-notice", has_text="Saved.")).to_be_visible()
    claim = Claim.objects.get()
    assert (claim.exact, claim.verdict.slug, claim.claimant) == ("Video shows", "false", "CNN")

    page.keyboard.press("Escape")
    expect(page.locator("#claim-panel")).not_to_have_attribute("data-claim", str(claim.id))
    page.locator("body").press("j")
    link = page.locator(f'[data-claim-link="{claim.id}"]')
    expect(link).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#claim-panel")).to_have_attribute("data-claim", str(claim.id))
    page.keyboard.press("Escape")
    expect(link).to_be_focused()
    # The highlight itself: Tab reaches it, Enter opens its claim.
    mark = page.locator(f'mark[data-claims="{claim.id}"]')
    mark.focus()
    page.keyboard.press("Enter")
    expect(page.locator("#claim-panel")).to_have_attribute("data-claim", str(claim.id))


def test_emoji_and_right_to_left_text_anchor_exactly(page, live_server, login, editor):
    from annotations.services.articles import article_load

    text = (
        "Emoji 🇰🇷 and 😀 come first.\n\n"
        "The mayor said «השכר עלה ב-20%» 👍🏽 on Tuesday.\n\n"
        "قال الوزير إن البطالة انخفضت 📉 بنسبة عشرة."
    )
    article = article_load(user=editor, text=text, title="Emoji and RTL")
    login(editor)
    open_workspace(page, live_server, article)
    text = article.current_revision.text
    for quote in ("on Tuesday", "השכר עלה", "😀 come"):
        drag_select(page, quote)
        detail = page.evaluate("() => window.factcheckWorkspace.currentSelector()")
        start = text.index(quote)
        assert detail["exact"] == quote
        assert (detail["start"], detail["end"]) == (start, start + len(quote))
        assert detail["prefix"] == text[max(0, start - 32) : start]
    page.locator("#add-claim").get_by_role("button", name="Add claim").click()
    expect(page.locator("#claim-panel blockquote")).to_have_text("😀 come")
    claim = Claim.objects.get()
    assert text[claim.start : claim.end] == "😀 come"
    # The answer also swaps the highlighted text in: select only once it has settled.
    expect(page.locator(f'#article-text mark[data-claims~="{claim.id}"]')).to_have_count(1)
    wait_for_htmx_idle(page)
    # A selection across two paragraphs counts the break as two code points.
    page.evaluate(
        """() => { const ps = document.querySelectorAll('#article-text p');
          const r = document.createRange(); r.setStart(ps[0].firstChild, 0);
          r.setEnd(ps[1].lastChild, ps[1].lastChild.length);
          const s = getSelection(); s.removeAllRanges(); s.addRange(r); }"""
    )
    detail = page.evaluate("() => window.factcheckWorkspace.currentSelector()")
    end = text.index("Tuesday.") + len("Tuesday.")
    assert (detail["start"], detail["end"]) == (0, end)
    assert detail["exact"] == text[:end]


def test_a_selection_outside_the_article_does_nothing(
    page, live_server, login, editor, demo_article
):
    login(editor)
    open_workspace(page, live_server, demo_article)
    heading = page.locator("h1")
    heading.dblclick()
    expect(page.locator("#add-claim")).to_be_hidden()
    assert page.evaluate("() => window.factcheckWorkspace.currentSelector()") is None


def test_screenshot_of_the_workspace_with_several_claims(
    page, live_server, login, editor, demo_article
):
    spans = [
        (ROUNDS_SENTENCE, "mostly-true"),
        ("estimated 40 rounds", "half-true"),
        (LONG, "true"),
        ("hit at least five times", "mostly-true"),
        ("The 24-year-old soldier", "unverifiable"),
        ("a violation of the armistice", "misleading"),
        ("placed North Korea back on the U.S. list of state sponsors of terrorism", "true"),
    ]
    claims = []
    for quote, verdict in spans:
        claim = claim_create(
            article=demo_article,
            user=editor,
            selector=_quote(demo_article, quote),
            verdict=verdict,
            claimant="James Marks" if "rounds" in quote else "",
        )
        claims.append(claim)
    source_attach(claim=claim, user=editor, title="State Department", url="https://www.state.gov/")
    for submitted in claims[2:4]:
        claim_submit(claim=submitted, user=editor)  # dotted markers next to dashed drafts
    shown = claims[1]
    source_attach(claim=shown, user=editor, title="UNC video release", url="https://www.unc.mil/")
    login(editor)
    page.set_viewport_size({"width": 1440, "height": 1000})
    page.goto(f"{live_server.url}/articles/{demo_article.id}/?claim={shown.id}")
    expect(page.locator("#claim-panel")).to_have_attribute("data-claim", str(shown.id))
    expect(page.locator("html[data-workspace-ready]")).to_have_count(1)
    # Scroll the text to where the highlights are; the list and the panel stay in view.
    page.evaluate(
        "(id) => { const m = document.getElementById('hl-' + id);"
        " window.scrollTo(0, m.getBoundingClientRect().top + window.scrollY - 160);"
        " document.activeElement.blur(); }",
        claims[0].id,
    )
    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    png = page.screenshot(path=str(SCREENSHOT), full_page=False)
    assert SCREENSHOT.read_bytes().startswith(PNG_SIGNATURE)
    assert SCREENSHOT.stat().st_size > 10_000
    if os.environ.get("FACTCHECK_UPDATE_SCREENSHOTS") == "1":
        DOCS_SCREENSHOT.write_bytes(png)
