"""Re-anchoring in real headless Chromium: an editor loads an edited version of the demo
article, reads the report, finds a moved claim at its new place and an orphan in the
orphaned section, and anchors the orphan again by selecting its new words (issue #7)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from annotations.models import Claim
from annotations.services.claims import claim_create
from tests.browser.selection import drag_select
from tests.services.test_reanchor import DELETED, MOVES, TYPO, edited

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NEW_WORDS = "Heat-signature video shows him lying by a retaining wall"


def test_editor_loads_an_edited_version_and_follows_the_claims(
    page, live_server, login, editor, demo_article, demo_text
):
    claims = {
        name: claim_create(article=demo_article, user=editor, selector={"exact": quote})
        for name, quote in [("moved", MOVES), ("fuzzy", TYPO), ("orphaned", DELETED)]
    }
    login(editor)

    # Load the edited version through the new-revision form.
    page.goto(f"{live_server.url}/articles/{demo_article.id}/revisions/new/")
    page.locator("input[name=source][value=text]").check()
    page.get_by_label("Article text").fill(edited(demo_text))
    page.get_by_role("button", name="Load the new version").click()

    # The report: one claim in each state but anchored, with links.
    expect(page).to_have_url(re.compile(rf"/articles/{demo_article.id}/revisions/2/report/$"))
    expect(page.get_by_role("heading", name="Re-anchoring report: revision 2")).to_be_visible()
    expect(page.locator("#count-moved")).to_have_text(re.compile(r"^\s*1\s+moved"))
    expect(page.locator("#count-fuzzy")).to_have_text(re.compile(r"^\s*1\s+fuzzy"))
    expect(page.locator("#count-orphaned")).to_have_text(re.compile(r"^\s*1\s+orphaned"))
    expect(page.locator("#count-anchored")).to_have_text(re.compile(r"^\s*0\s+anchored"))
    expect(page.locator("#report-orphaned")).to_contain_text(DELETED[:40])

    # The moved claim, at its new place in the workspace.
    moved = claims["moved"]
    page.locator(f"#report-claim-{moved.id} a").click()
    expect(page).to_have_url(re.compile(rf"/articles/{demo_article.id}/\?claim={moved.id}$"))
    page.wait_for_load_state("load")  # deferred scripts (workspace, re-anchoring) have run
    expect(page.locator(f"#hl-{moved.id}")).to_have_text(MOVES)
    new_start = Claim.objects.get(pk=moved.pk).start
    assert new_start > moved.start
    assert new_start == demo_article.revisions.get(number=2).text.index(MOVES)

    # The orphan, in the orphaned section, with its quote and not highlighted anywhere.
    orphan = claims["orphaned"]
    section = page.locator("#orphaned-claims")
    item = section.locator(f"#orphaned-claim-{orphan.id}")
    expect(item).to_contain_text(DELETED)
    expect(page.locator(f"#hl-{orphan.id}")).to_have_count(0)
    expect(section.locator(f"#fuzzy-claim-{claims['fuzzy'].id}")).to_contain_text("converged")

    # Anchor it again: arm, then select the words it should point at. Words selected before
    # arming are not taken for the answer: the click on the button only arms (were they
    # taken, the claim would end on "as two South Korean soldiers" and the checks below fail).
    drag_select(page, "as two South Korean soldiers")
    expect(page.locator("#add-claim")).to_be_visible()
    item.get_by_role("button", name="Anchor again").click()
    expect(section.locator(".reanchor-hint")).to_contain_text("Now select the words")
    drag_select(page, NEW_WORDS)
    expect(section.locator(f"#orphaned-claim-{orphan.id}")).to_have_count(0)
    expect(section).to_contain_text("Anchored")
    expect(page.locator(f"#hl-{orphan.id}")).to_have_text(NEW_WORDS)
    expect(page.locator("#add-claim")).to_be_hidden()
    orphan.refresh_from_db()
    assert (orphan.anchor_state, orphan.exact, orphan.revision.number) == (
        "anchored",
        NEW_WORDS,
        2,
    )

    # The fuzzy one is confirmed with a click.
    fuzzy = claims["fuzzy"]
    section.locator(f"#fuzzy-claim-{fuzzy.id}").get_by_role(
        "button", name="Confirm placement"
    ).click()
    expect(section.locator(f"#fuzzy-claim-{fuzzy.id}")).to_have_count(0)
    expect(section).to_contain_text("Every claim is anchored")
    assert Claim.objects.get(pk=fuzzy.pk).anchor_state == "anchored"


def test_diff_between_revisions_in_the_browser(page, live_server, login, editor, demo_article):
    from annotations.services.articles import revision_load

    text = demo_article.current_revision.text
    revision_load(article=demo_article, user=editor, text=edited(text))
    login(editor)
    page.goto(f"{live_server.url}/articles/{demo_article.id}/diff/?from=1&to=2")
    diff = page.locator("#revision-diff")
    expect(diff.locator("ins").first).to_be_visible()
    expect(diff.locator("del", has_text="They drag him")).to_be_visible()
    page.get_by_label("From").select_option("2")
    page.get_by_role("button", name="Compare").click()
    expect(page.locator("#diff-empty")).to_be_visible()


def test_an_orphan_is_anchored_again_with_the_keyboard_alone(
    page, live_server, login, editor, demo_article, demo_text
):
    """Shift + arrows grow the selection one key at a time: while the claim is armed, each step
    only updates the hint, and Enter anchors it, so a keyboard user is not held to the first
    character they select."""
    from annotations.services.articles import revision_load

    orphan = claim_create(article=demo_article, user=editor, selector={"exact": DELETED})
    revision_load(article=demo_article, user=editor, text=edited(demo_text))
    login(editor)
    page.goto(f"{live_server.url}/articles/{demo_article.id}/")
    expect(page.locator("html[data-workspace-ready]")).to_have_count(1)
    section = page.locator("#orphaned-claims")
    hint = section.locator(".reanchor-hint")

    section.locator(f"#orphaned-claim-{orphan.id}").get_by_role(
        "button", name="Anchor again"
    ).focus()
    page.keyboard.press("Enter")
    expect(hint).to_contain_text("Now select the words")

    # The caret before the words, where the arrow keys would have taken it.
    page.locator("#article-text").focus()
    page.evaluate(
        """(words) => {
          const walker = document.createTreeWalker(
            document.getElementById("article-text"), NodeFilter.SHOW_TEXT);
          while (walker.nextNode()) {
            const at = walker.currentNode.data.indexOf(words);
            if (at >= 0) { getSelection().collapse(walker.currentNode, at); return; }
          }
        }""",
        NEW_WORDS,
    )
    page.keyboard.press("Shift+ArrowRight")
    expect(hint).to_contain_text("Press Enter to anchor it on “H”")
    for _ in NEW_WORDS[1:]:
        page.keyboard.press("Shift+ArrowRight")
    expect(hint).to_contain_text(f"Press Enter to anchor it on “{NEW_WORDS}”")
    expect(page.locator("#add-claim")).to_be_hidden()
    assert Claim.objects.get(pk=orphan.pk).anchor_state == "orphaned"

    page.keyboard.press("Enter")
    expect(section.locator(f"#orphaned-claim-{orphan.id}")).to_have_count(0)
    expect(page.locator(f"#hl-{orphan.id}")).to_have_text(NEW_WORDS)
    orphan.refresh_from_db()
    assert (orphan.anchor_state, orphan.exact, orphan.revision.number) == (
        "anchored",
        NEW_WORDS,
        2,
    )
