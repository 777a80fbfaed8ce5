"""In real headless Chromium: an editor fixes one sentence by starting from the current text,
sees the diff, saves, and the claims follow; an approved check whose words changed stays on
the public page with its note and reaches the reviewer with its badge (issue 10)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from annotations.models import Claim
from annotations.services.articles import revision_load
from annotations.services.claims import claim_create
from tests.browser.test_accessibility import axe_violations
from tests.services.test_reanchor import MOVES, TYPO, approved, edited

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

OLD = "The defector was hit at least five times, but lives."
NEW = "The defector was hit at least six times, but lives."
LATER = "Heat-signature video shows him lying by a retaining wall"


def test_editor_fixes_one_sentence_from_the_current_text(
    page, live_server, login, editor, demo_article
):
    later = claim_create(article=demo_article, user=editor, selector={"exact": LATER})
    login(editor)
    page.goto(f"{live_server.url}/articles/{demo_article.id}/revisions/new/")

    # No web address: the form starts from the current text, the other inputs hidden.
    expect(page.get_by_label("Start from the current text")).to_be_checked()
    expect(page.get_by_label("Web address to fetch")).to_be_hidden()
    text_box = page.get_by_label("The article's text")
    expect(text_box).to_have_value(demo_article.current_revision.text)

    # Edit one sentence, see the diff.
    text_box.fill(text_box.input_value().replace(OLD, NEW))
    page.get_by_role("button", name="Show the changes").click()
    diff = page.locator("#revision-preview-diff")
    expect(diff.locator("del")).to_have_text(["five"])
    expect(diff.locator("ins")).to_have_text(["six"])
    expect(page.locator("#revision-preview")).to_contain_text("1 word added, 1 removed")
    expect(page.get_by_label("The article's text")).to_have_value(re.compile("six times"))
    assert demo_article.revisions.count() == 1  # a preview saves nothing
    assert axe_violations(page) == []

    # Save: the next revision, the report, and the claims followed.
    page.get_by_role("button", name="Load the new version").click()
    expect(page).to_have_url(re.compile(rf"/articles/{demo_article.id}/revisions/2/report/$"))
    expect(page.locator("#count-moved")).to_have_text(re.compile(r"^\s*1\s+moved"))
    later.refresh_from_db()
    revision = demo_article.revisions.get(number=2)
    assert later.revision_id == revision.pk
    assert revision.text[later.start : later.end] == LATER
    assert NEW in revision.text and OLD not in revision.text


def test_a_changed_approved_check_stays_public_and_reaches_the_reviewer(
    page, live_server, login, editor, editor2, reviewer, reviewer2, verdicts, demo_article,
    demo_text,
):  # fmt: skip
    claim = approved(demo_article, editor, reviewer, verdicts, TYPO)
    approved(demo_article, editor, reviewer, verdicts, MOVES)
    revision_load(article=demo_article, user=editor2, text=edited(demo_text))

    page.goto(f"{live_server.url}/published/{demo_article.id}/")
    item = page.locator(f"#claim-{claim.id}")
    expect(item.locator(".public-rereview-note")).to_contain_text("this check is being re-reviewed")
    expect(item.locator(".public-statement")).to_contain_text(TYPO)  # statement = the quote
    expect(page.locator(".public-rereview-note")).to_have_count(1)  # the moved one is as is
    assert axe_violations(page) == []

    login(reviewer2)
    page.goto(f"{live_server.url}/review/")
    badge = page.locator(f"#review-item-{claim.id} .rereview")
    expect(badge).to_contain_text("Was approved; words changed in revision 2")
    expect(badge.locator(".rereview-old")).to_have_text(TYPO)
    expect(badge.locator(".rereview-new")).to_have_text(Claim.objects.get(pk=claim.pk).exact)
    assert axe_violations(page) == []
