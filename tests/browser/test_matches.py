""" "Checked before?" in real Chromium (issue 13): the section loads after the panel without
taking the focus, "Same claim" and "Not the same" are reached with Tab and given with Enter
or Space, the focus comes back to the answered button, a refusal shows in place (also under
DEBUG=1), a failed load says so and offers "Try again", the key m jumps to the section, and
axe-core finds nothing to fix."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from annotations.models import ClaimMatch, KnownCheck, MatchDecision
from annotations.selectors.matches import index_reset
from annotations.services.claims import claim_delete
from annotations.services.known_checks import known_checks_import
from tests.api.fixtures.helpers import make_claim
from tests.browser.selection import wait_for_htmx_idle
from tests.browser.test_accessibility import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

#: Each answer is a round trip through the matcher on a machine that other test runs share:
#: waits for the server are given room beyond Playwright's 5 s.
SLOW = 20_000

DEBUG_SCRIPT = 'script[src$="django_htmx/django-htmx.js"][data-debug="True"]'
DEFECTOR = "A North Korean defector was hit at least five times by gunfire while escaping."
SOLDIERS = "North Korean soldiers fired about 40 rounds at a defector crossing the border."


@pytest.fixture(autouse=True)
def _fresh_index():
    index_reset()
    yield
    index_reset()


def review(i: int, claim: str, rating: str, publisher: str) -> dict:
    return {
        "@type": "ClaimReview",
        "url": f"https://checks.example.net/{i}/",
        "claimReviewed": claim,
        "author": {"name": publisher},
        "inLanguage": "en",
        "datePublished": "2017-11-20",
        "reviewRating": {"alternateName": rating},
    }


@pytest.fixture
def checked(editor, demo_article):
    """A draft claim and two known checks about it (first the closer one)."""
    known_checks_import(
        data=[
            review(1, DEFECTOR, "Mostly true", "Snopes"),
            review(2, SOLDIERS, "True", "PolitiFact"),
            review(3, "Eating carrots greatly improves your night vision.", "False", "Lead"),
        ],
        user=editor,
    )
    claim = make_claim(
        demo_article, editor, statement="The defector was hit at least five times by gunfire."
    )
    checks = {c.url: c for c in KnownCheck.objects.all()}
    return claim, checks["https://checks.example.net/1/"], checks["https://checks.example.net/2/"]


def open_claim(page, live_server, claim):
    page.set_viewport_size({"width": 1400, "height": 900})
    page.goto(f"{live_server.url}/articles/{claim.article_id}/")
    expect(page.locator("html[data-workspace-ready]")).to_have_count(1)
    page.locator(f'[data-claim-link="{claim.pk}"]').click()
    expect(page.locator("#claim-panel")).to_have_attribute("data-claim", str(claim.pk))
    expect(page.locator("#claim-matches [data-match-answer]").first).to_be_visible(timeout=SLOW)
    wait_for_htmx_idle(page)


def button(page, check, decision: str):
    return page.locator(f'[data-match-answer="known_check:{check.pk}:{decision}"]')


def focused_answer(page) -> str:
    return page.evaluate("() => document.activeElement.dataset.matchAnswer || ''")


@pytest.mark.parametrize("debug", [False, True], ids=["debug-off", "debug-on"])
def test_answers_with_the_keyboard_alone(
    page, live_server, login, editor, checked, settings, debug
):
    settings.DEBUG = debug
    claim, first, second = checked
    login(editor)
    open_claim(page, live_server, claim)
    if debug:
        expect(page.locator(DEBUG_SCRIPT)).to_have_count(1)
    # The section arrived after the panel, and left the focus where the panel put it.
    expect(page.locator("#claim-panel-title")).to_be_focused()
    section = page.locator("#claim-matches")
    expect(section).not_to_have_attribute("aria-busy", "true")
    expect(section).to_contain_text("Snopes rated it: Mostly true")
    expect(section).to_contain_text("A match means the same topic, not agreement")
    link = section.get_by_role("link", name="Read the check (opens in a new tab)").first
    expect(link).to_have_attribute("target", "_blank")
    expect(link).to_have_attribute("rel", "noopener noreferrer")
    # Tab on from the claim form's last field, through the sources, comments and workflow
    # controls, to the first answer.
    page.locator("#claim-explanation").focus()
    for _ in range(60):
        page.keyboard.press("Tab")
        if focused_answer(page):
            break
    assert focused_answer(page) == f"known_check:{first.pk}:same"
    page.keyboard.press("Enter")
    expect(section).to_contain_text("Same claim: answered by ed", timeout=SLOW)
    expect(button(page, first, "same")).to_have_attribute("aria-pressed", "true")
    expect(button(page, first, "same")).to_be_focused()
    expect(page.locator("#live-status")).to_have_text(
        "Recorded: the same claim as this earlier check."
    )
    answer = ClaimMatch.objects.get()
    assert (answer.known_check, answer.decision, answer.decided_by) == (
        first,
        MatchDecision.SAME,
        editor,
    )
    # Changed with Space: Tab to "Not the same" of the same check.
    page.keyboard.press("Tab")
    expect(button(page, first, "not_same")).to_be_focused()
    page.keyboard.press("Space")
    expect(section).to_contain_text("Not the same: answered by ed", timeout=SLOW)
    expect(button(page, first, "not_same")).to_be_focused()
    expect(button(page, first, "same")).to_have_attribute("aria-pressed", "false")
    answer.refresh_from_db()
    assert answer.decision == MatchDecision.NOT_SAME
    # The next check: Tab past its link to "Same claim", Tab to "Not the same", Enter.
    page.keyboard.press("Tab")
    expect(page.locator(":focus")).to_have_text("Read the check (opens in a new tab)")
    page.keyboard.press("Tab")
    assert focused_answer(page).endswith(":same") and focused_answer(page) != (
        f"known_check:{first.pk}:same"
    )
    page.keyboard.press("Tab")
    assert focused_answer(page).endswith(":not_same")
    answered = focused_answer(page)
    page.keyboard.press("Enter")
    expect(page.locator(f'[data-match-answer="{answered}"]')).to_have_attribute(
        "aria-pressed", "true", timeout=SLOW
    )
    expect(page.locator(f'[data-match-answer="{answered}"]')).to_be_focused()
    assert ClaimMatch.objects.count() == 2
    assert set(ClaimMatch.objects.values_list("decision", flat=True)) == {MatchDecision.NOT_SAME}
    expect(page.locator("#page-alert")).to_be_hidden()


def test_the_key_m_jumps_to_the_section(page, live_server, login, editor, checked):
    claim, first, _second = checked
    login(editor)
    open_claim(page, live_server, claim)
    expect(page.locator("#claim-list .list-help")).to_contain_text("m to the open claim’s")
    page.locator(f'[data-claim-link="{claim.pk}"]').focus()
    page.keyboard.press("m")
    expect(page.locator("#claim-matches-title")).to_be_focused()
    page.keyboard.press("Tab")  # the first check's link, then its answers
    expect(page.locator(":focus")).to_have_text("Read the check (opens in a new tab)")
    page.keyboard.press("Tab")
    expect(button(page, first, "same")).to_be_focused()
    # Typed into a field, m is a letter.
    page.locator("#claim-claimant").fill("")
    page.locator("#claim-claimant").press("m")
    expect(page.locator("#claim-claimant")).to_have_value("m")
    expect(page.locator("#claim-claimant")).to_be_focused()


@pytest.mark.parametrize("debug", [False, True], ids=["debug-off", "debug-on"])
def test_an_answer_refused_is_shown_in_place(
    page, live_server, login, editor, checked, settings, debug
):
    settings.DEBUG = debug
    claim, first, _second = checked
    login(editor)
    open_claim(page, live_server, claim)
    claim_delete(claim=claim, user=editor)  # meanwhile, in another tab
    button(page, first, "same").click()
    alert = page.locator("#claim-matches [role=alert]")
    expect(alert).to_have_text("This claim was deleted; it takes no answer.", timeout=SLOW)
    expect(alert).to_be_focused()
    expect(page.locator("#live-status")).to_contain_text("This claim was deleted")
    expect(page.get_by_role("navigation", name="Main")).to_be_visible()
    expect(page.locator("#page-alert")).to_be_hidden()
    # The section as it is now: no buttons for a deleted claim.
    expect(page.locator("#claim-matches [data-match-answer]")).to_have_count(0)
    assert not ClaimMatch.objects.exists()


def test_a_failed_load_says_so_and_tries_again(
    page, live_server, login, editor, checked, monkeypatch
):
    """The live server runs in this process: the matcher failing there answers a real 500."""
    import annotations.views.matches as views

    claim, first, _second = checked
    login(editor)

    def broken(*args, **kwargs):
        raise RuntimeError("the matcher is down")

    monkeypatch.setattr(views, "matches_context", broken)
    page.set_viewport_size({"width": 1400, "height": 900})
    page.goto(f"{live_server.url}/articles/{claim.article_id}/?claim={claim.pk}")
    expect(page.locator("html[data-workspace-ready]")).to_have_count(1)
    status = page.locator("#claim-matches [data-matches-status]")
    expect(status).to_contain_text(
        "Earlier checks could not be loaded (the server answered 500).", timeout=SLOW
    )
    expect(page.locator("#claim-matches")).not_to_have_attribute("aria-busy", "true")
    expect(page.locator("#page-alert")).to_be_visible()
    monkeypatch.undo()
    page.locator("[data-matches-retry]").click()
    expect(button(page, first, "same")).to_be_visible(timeout=SLOW)
    expect(page.locator("#claim-matches-title")).to_be_focused()


def test_the_section_has_no_axe_violations(page, live_server, login, editor, checked):
    claim, first, _second = checked
    login(editor)
    open_claim(page, live_server, claim)
    found = {"loaded": axe_violations(page)}
    button(page, first, "same").click()
    expect(page.locator("#claim-matches")).to_contain_text(
        "Same claim: answered by ed", timeout=SLOW
    )
    found["answered"] = axe_violations(page)
    claim_delete(claim=claim, user=editor)
    button(page, first, "not_same").click()
    expect(page.locator("#claim-matches [role=alert]")).to_be_visible(timeout=SLOW)
    found["refused"] = axe_violations(page)
    assert {name: v for name, v in found.items() if v} == {}, found
