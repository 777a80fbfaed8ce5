"""The admin, as a staff user meets it through the Django test client.

Every registered model's changelist and change page render at a cost that does not grow
with rows; and no admin edit skips a rule the services hold: approved claims stay locked, a
stale edit is refused with the other person's change named, sources and comments are
read-only here, revisions and claims cannot be deleted. The verdict scale is data the admin
edits, checked by the model's validators.
"""

from __future__ import annotations

import json

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.authtoken.models import Token

from annotations.models import (
    Article,
    ArticleRevision,
    Claim,
    ClaimMatch,
    ClaimSource,
    Comment,
    KnownCheck,
    MatchDecision,
    Source,
    Verdict,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEvent,
    WebhookSubscription,
)
from annotations.selectors.history import ClaimEvent
from annotations.services.articles import article_load, revision_load
from annotations.services.assignments import assignment_add
from annotations.services.claims import claim_update, comment_add, source_attach
from annotations.services.jobs import worker_register
from annotations.services.known_checks import known_checks_import
from annotations.services.matching import embeddings_fill, embeddings_fill_job, match_decide
from annotations.services.notifications import notification_preference_set
from annotations.services.webhooks import webhook_subscription_create
from annotations.services.workflow import claim_approve, claim_request_changes, claim_submit
from tests.factories import make_claim


def user_for_prefs(editor, i: int):
    return type(editor).objects.create_user(f"prefs{i}")


def known_check(i: int, **extra) -> dict:
    return {
        "@type": "ClaimReview",
        "url": f"https://checker{i}.example.net/check/",
        "claimReviewed": f"Claim {i} checked elsewhere.",
        "author": {"name": f"Checker {i}"},
        "inLanguage": "en",
        "datePublished": f"2020-02-{1 + i:02d}",
        "reviewRating": {"alternateName": "False" if i % 2 else "True"},
        **extra,
    }


REGISTERED = sorted(admin.site._registry, key=lambda model: model._meta.label)


def admin_url(model, view: str, *args) -> str:
    opts = model._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=args)


def counted_get(client, url: str) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    return response.status_code, len(queries)


def change_form_data(response) -> dict:
    """What the browser would post back from a rendered change page, unchanged."""
    data: dict = {}

    def add(form):
        for name in form.fields:
            value = form[name].value()
            if value is None or value is False:
                continue
            data[form.add_prefix(name)] = value

    add(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        add(formset.management_form)
        for form in formset.forms:
            add(form)
    return data


# --- Every page renders, at a flat cost ----------------------------------------------------


@pytest.fixture
def newsroom(demo_article, demo_text, editor, editor2, reviewer2, staff, settings):
    """One article and one claim (the first of each) that gain related rows with `grow`,
    and more of everything else around them."""
    settings.FACTCHECK_FETCH_ALLOW_LOOPBACK = True
    subject = make_claim(demo_article, editor2)
    Token.objects.create(user=editor)

    def grow(n: int, start: int = 0) -> None:
        nonlocal subject
        for i in range(start, start + n):
            # A webhook subscription first: the approval and revision below queue deliveries
            # (and their jobs); the first delivery gains an attempt.
            webhook_subscription_create(
                user=staff, url=f"http://127.0.0.1:9/hook{i}", events=WebhookEvent.values
            )
            # Around: another article with an approved claim, a verdict, a token, a user.
            other = article_load(user=editor, text=f"{demo_text}\n\nCorrection number {i}.")
            approved = claim_submit(claim=make_claim(other, editor2), user=editor2)
            claim_approve(claim=approved, reviewer=reviewer2)
            comment_add(claim=approved, user=reviewer2, body=f"Checked again ({i}).")
            # Issue 16: assigned (so notified), with an e-mail preference.
            assignment_add(user=editor2, person=reviewer2, role="reviewer", claim=approved)
            assignment_add(user=editor2, person=reviewer2, role="editor", article=other)
            notification_preference_set(user=user_for_prefs(editor, i), email=i % 2 == 0)
            Verdict.objects.create(
                slug=f"scale-{i}",
                label=f"Scale {i}",
                rating_value=1,
                colour="#eeeeee",
                description="An extra step of the scale.",
            )
            user = type(editor).objects.create_user(f"extra{i}")
            Token.objects.create(user=user)
            # django-axes' records (its admin lists them): a failure, a lockout, a log.
            AccessAttempt.objects.create(
                username=f"guess{i}", ip_address=f"10.9.0.{i}", failures_since_start=5
            )
            AccessFailureLog.objects.create(username=f"guess{i}", ip_address=f"10.9.0.{i}")
            AccessLog.objects.create(username=f"extra{i}", ip_address=f"10.9.1.{i}")
            # A known check from another publisher, imported by someone.
            known_checks_import(data=known_check(i), user=editor)
            # Answers to "Checked before?": the approved claim repeats the known check; the
            # subject is not the same as the approved claim.
            match_decide(
                claim=approved,
                user=reviewer2,
                decision=MatchDecision.SAME,
                known_check=KnownCheck.objects.get(url=known_check(i)["url"]),
                score=0.5,
            )
            match_decide(
                claim=subject, user=editor2, decision=MatchDecision.NOT_SAME, earlier_claim=approved
            )
            # On the subject: a review, a source, a comment, a revision of its article.
            subject = claim_submit(claim=subject, user=editor2)
            subject = claim_request_changes(claim=subject, reviewer=reviewer2, comment=f"Why {i}?")
            source_attach(claim=subject, user=editor2, title=f"Extra source {i}")
            comment_add(claim=subject, user=editor2, body=f"Added a source ({i}).")
            revision_load(article=demo_article, user=editor, text=f"{demo_text}\n\nUpdate {i}.")
            first = WebhookDelivery.objects.order_by("pk").first()
            if first is not None:
                WebhookAttempt.objects.create(
                    delivery=first,
                    number=first.attempts.count() + 1,
                    attempted_at=first.created_at,
                    response_status=500,
                    duration_ms=2,
                    requested_by=staff,
                )
            # The queue: a worker's heartbeat row and a job (the admin lists both).
            worker_register(worker_id=f"worker-{i}")
            embeddings_fill_job.enqueue()

    grow(1)
    return grow


def page_costs(client) -> dict[str, tuple[int, int]]:
    """(status, queries) of each model's changelist and of its first object's change page."""
    costs = {}
    for model in REGISTERED:
        costs[f"{model._meta.label} changelist"] = counted_get(
            client, admin_url(model, "changelist")
        )
        first = model._default_manager.order_by("pk").first()
        if first is not None:
            costs[f"{model._meta.label} change"] = counted_get(
                client, admin_url(model, "change", first.pk)
            )
    return costs


def test_every_admin_page_renders_for_staff_at_a_cost_that_does_not_grow(client, staff, newsroom):
    client.force_login(staff)
    small = page_costs(client)
    newsroom(3, start=1)
    large = page_costs(client)
    assert all(status == 200 for status, _ in large.values()), large
    # Every registered model has a changelist; every one with rows, a change page (the job
    # queue's results, django_tasks_db's admin, have none here).
    with_rows = [model for model in REGISTERED if model._default_manager.exists()]
    assert len(with_rows) >= len(REGISTERED) - 2
    assert len(large) == len(REGISTERED) + len(with_rows)
    # (Django's own pages may cost one query less the second time: its caches are warm.)
    grew = {
        page: (small[page][1], large[page][1])
        for page in large
        if page not in small or large[page][1] > small[page][1]
    }
    assert not grew, f"these pages cost more queries with more rows (before, after): {grew}"


# --- Claims: the services' rules hold in the admin -----------------------------------------


@pytest.fixture
def draft(demo_article, editor2):
    return make_claim(demo_article, editor2)


def test_admin_edit_of_a_draft_goes_through_claim_update(client, staff, draft):
    client.force_login(staff)
    url = admin_url(Claim, "change", draft.pk)
    data = change_form_data(client.get(url))
    assert data["read_version"] == draft.version
    response = client.post(url, {**data, "claimant": "The ministry"})
    assert response.status_code == 302
    claim = Claim.objects.get(pk=draft.pk)
    assert (claim.claimant, claim.version, claim.updated_by) == (
        "The ministry",
        draft.version + 1,
        staff,
    )
    assert claim.events.order_by("-pgh_id").first().pgh_context.metadata["action"] == (
        "claim_update"
    )


def test_stale_admin_edit_is_refused_with_what_the_other_person_changed(
    client, staff, draft, editor2
):
    client.force_login(staff)
    url = admin_url(Claim, "change", draft.pk)
    data = change_form_data(client.get(url))  # the admin reads version N
    claim_update(claim=draft, user=editor2, version=draft.version, claimant="Editor's claimant")
    response = client.post(url, {**data, "explanation": "The admin's explanation."}, follow=True)
    assert response.status_code == 200
    assert response.redirect_chain == [(url, 302)]
    errors = [m.message for m in get_messages(response.wsgi_request) if m.level_tag == "error"]
    assert len(errors) == 1
    assert "ed2 saved this claim while you were editing it" in errors[0]
    assert "Editor's claimant" in errors[0] and "Nothing of yours was saved" in errors[0]
    claim = Claim.objects.get(pk=draft.pk)
    assert claim.claimant == "Editor's claimant"
    assert claim.explanation != "The admin's explanation."
    assert claim.version == draft.version + 1


def test_admin_edit_without_the_version_read_is_refused(client, staff, draft):
    client.force_login(staff)
    url = admin_url(Claim, "change", draft.pk)
    data = change_form_data(client.get(url))
    del data["read_version"]
    response = client.post(url, {**data, "claimant": "Nobody"})
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["read_version"]
    assert Claim.objects.get(pk=draft.pk).claimant != "Nobody"


def test_admin_edit_of_an_approved_claim_is_refused_with_a_message(
    client, staff, draft, editor2, reviewer2
):
    claim = claim_approve(claim=claim_submit(claim=draft, user=editor2), reviewer=reviewer2)
    client.force_login(staff)
    url = admin_url(Claim, "change", claim.pk)
    data = change_form_data(client.get(url))
    events = ClaimEvent.objects.filter(pgh_obj_id=claim.pk).count()
    response = client.post(url, {**data, "claimant": "Someone else"})
    assert response.status_code == 200
    assert "approved and locked" in response.content.decode()
    assert Claim.objects.get(pk=claim.pk).claimant == "Joint Chiefs of Staff"
    assert ClaimEvent.objects.filter(pgh_obj_id=claim.pk).count() == events


def test_admin_shows_sources_and_comments_read_only(client, staff, draft, reviewer2):
    comment_add(claim=draft, user=reviewer2, body="Is the hospital named?")
    client.force_login(staff)
    url = admin_url(Claim, "change", draft.pk)
    page = client.get(url)
    inlines = {inline.formset.prefix: inline for inline in page.context["inline_admin_formsets"]}
    for prefix in ("claim_sources", "comments"):
        inline = inlines[prefix]
        assert not (inline.has_add_permission or inline.has_change_permission)
        assert not inline.has_delete_permission
    html = page.content.decode()
    assert "Hospital statement" in html and "Is the hospital named?" in html
    assert "in the workspace" in html
    # A crafted post can neither add, change nor delete a source or a comment.
    link = draft.claim_sources.get()
    data = change_form_data(page)
    data.update(
        {
            "claim_sources-TOTAL_FORMS": "2",
            "claim_sources-0-stance": "refutes",
            "claim_sources-0-DELETE": "on",
            "claim_sources-1-source": link.source_id,
            "claim_sources-1-stance": "context",
            "comments-TOTAL_FORMS": "2",
            "comments-1-body": "Sneaked in.",
        }
    )
    client.post(url, data)
    assert list(ClaimSource.objects.filter(claim=draft).values_list("pk", "stance")) == [
        (link.pk, "supports")
    ]
    assert list(Comment.objects.filter(claim=draft).values_list("body", flat=True)) == [
        "Is the hospital named?"
    ]


@pytest.mark.parametrize("model", [Source, Comment])
def test_sources_and_comments_cannot_be_added_changed_or_deleted_in_the_admin(
    client, staff, draft, reviewer2, model
):
    comment_add(claim=draft, user=reviewer2, body="A comment.")
    client.force_login(staff)
    obj = model.objects.first()
    assert client.get(admin_url(model, "add")).status_code == 403
    assert client.post(admin_url(model, "delete", obj.pk), {"post": "yes"}).status_code == 403
    field = "title" if model is Source else "body"
    client.post(admin_url(model, "change", obj.pk), {field: "Changed in the admin"})
    obj.refresh_from_db()
    assert getattr(obj, field) != "Changed in the admin"


@pytest.mark.parametrize("model", [Claim, ArticleRevision, Article])
def test_admin_cannot_delete_claims_revisions_or_articles(client, staff, draft, model):
    client.force_login(staff)
    obj = model.objects.first()
    before = model.objects.count()
    assert client.get(admin_url(model, "delete", obj.pk)).status_code == 403
    assert client.post(admin_url(model, "delete", obj.pk), {"post": "yes"}).status_code == 403
    bulk = client.post(
        admin_url(model, "changelist"),
        {"action": "delete_selected", "_selected_action": [obj.pk], "post": "yes"},
    )
    assert bulk.status_code in (200, 302)
    assert model.objects.count() == before


def test_admin_article_edit_goes_through_the_metadata_service(client, staff, demo_article):
    client.force_login(staff)
    url = admin_url(Article, "change", demo_article.pk)
    data = change_form_data(client.get(url))
    response = client.post(url, {**data, "outlet": "  CNN International  "})
    assert response.status_code == 302
    article = Article.objects.get(pk=demo_article.pk)
    assert (
        article.outlet == "CNN International"
    )  # the service strips, the admin form alone would not
    assert client.get(admin_url(Article, "add")).status_code == 403


# --- The verdict scale ---------------------------------------------------------------------


def test_admin_edits_the_verdict_scale(client, staff):
    client.force_login(staff)
    verdict = Verdict.objects.get(slug="mostly-true")
    url = admin_url(Verdict, "change", verdict.pk)
    data = change_form_data(client.get(url))
    response = client.post(url, {**data, "label": "Largely true", "colour": "#AACC88"})
    assert response.status_code == 302
    verdict.refresh_from_db()
    assert (verdict.label, verdict.colour) == ("Largely true", "#AACC88")


@pytest.mark.parametrize(
    ("colour", "message"),
    [
        ("green", "Enter a colour as #rrggbb."),
        ("#12345", "Enter a colour as #rrggbb."),
        ("#GGGGGG", "Enter a colour as #rrggbb."),
        ("#1234567", "Ensure this value has at most 7 characters (it has 8)."),
        ("", "This field is required."),
    ],
)
def test_admin_refuses_an_invalid_verdict_colour_with_a_message(client, staff, colour, message):
    client.force_login(staff)
    verdict = Verdict.objects.get(slug="mostly-true")
    url = admin_url(Verdict, "change", verdict.pk)
    data = change_form_data(client.get(url))
    response = client.post(url, {**data, "colour": colour})
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["colour"]
    assert message in response.context["adminform"].form.errors["colour"], colour
    assert "Please correct the error below." in response.content.decode()
    assert Verdict.objects.get(pk=verdict.pk).colour == verdict.colour


# --- Suggestions: shown with the model's outcome counts, never edited here -------------------


def test_the_suggestion_list_shows_the_outcome_counts_per_reason(
    client, staff, demo_article, editor, django_assert_num_queries
):
    from annotations.models import Suggestion, SuggestionStatus
    from annotations.selectors.suggestions import suggestions_for_revision
    from annotations.services.suggestions import suggestion_accept, suggestion_dismiss

    open_ = suggestions_for_revision(demo_article.current_revision)
    suggestion_accept(suggestion=open_.get(exact__contains="five times"), user=editor)
    suggestion_dismiss(suggestion=open_.get(exact__contains="40 rounds"), user=editor)
    client.force_login(staff)
    url = admin_url(Suggestion, "changelist")
    # 6 queries: session, staff user; the outcome counts (one GROUP BY); the filtered count
    # and the total count; the page of suggestions with their article and decider
    with django_assert_num_queries(6):
        response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="suggestion-outcomes"' in html and "Accepted of decided" in html
    rows = {row["label"]: row for row in response.context["suggestion_outcomes"]}
    assert rows["Quantity"]["accepted"] == 1 and rows["Quantity"]["dismissed"] == 1
    assert rows["Quantity"]["rate"] == "50%"
    total = sum(r["open"] + r["accepted"] + r["dismissed"] for r in rows.values())
    assert total == Suggestion.objects.count()
    assert "hit at least five times" in html
    assert client.get(url, {"status__exact": SuggestionStatus.DISMISSED}).status_code == 200
    searched = client.get(url, {"q": "40 rounds"})
    assert list(searched.context["cl"].result_list) == [
        Suggestion.objects.get(exact__contains="40 rounds")
    ]


def test_suggestions_cannot_be_added_changed_or_deleted_in_the_admin(client, staff, demo_article):
    from annotations.models import Suggestion, SuggestionStatus

    client.force_login(staff)
    suggestion = Suggestion.objects.first()
    before = Suggestion.objects.count()
    assert client.get(admin_url(Suggestion, "add")).status_code == 403
    assert client.get(admin_url(Suggestion, "change", suggestion.pk)).status_code == 200
    client.post(admin_url(Suggestion, "change", suggestion.pk), {"status": "dismissed"})
    assert (
        client.post(admin_url(Suggestion, "delete", suggestion.pk), {"post": "yes"}).status_code
        == 403
    )
    client.post(
        admin_url(Suggestion, "changelist"),
        {"action": "delete_selected", "_selected_action": [suggestion.pk], "post": "yes"},
    )
    suggestion.refresh_from_db()
    assert suggestion.status == SuggestionStatus.OPEN
    assert Suggestion.objects.count() == before


# --- Known checks: shown, searched and filtered; imported from a file, never edited ---------


def test_the_known_check_list_searches_and_filters(client, staff, editor):
    for i in range(3):
        known_checks_import(data=known_check(i), user=editor)
    client.force_login(staff)
    url = admin_url(KnownCheck, "changelist")
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Claim 1 checked elsewhere." in html and "Import ClaimReview…" in html
    searched = client.get(url, {"q": "claim 2"})
    assert [c.url for c in searched.context["cl"].result_list] == [
        "https://checker2.example.net/check/"
    ]
    filtered = client.get(url, {"publisher_name": "Checker 1", "rating_text": "False"})
    assert filtered.context["cl"].result_count == 1
    assert client.get(url, {"language": "en", "review_date__year": "2020"}).status_code == 200


def test_known_checks_are_read_only_in_the_admin(client, staff, editor):
    known_checks_import(data=known_check(1), user=editor)
    check = KnownCheck.objects.get()
    client.force_login(staff)
    assert client.get(admin_url(KnownCheck, "add")).status_code == 403
    assert client.get(admin_url(KnownCheck, "change", check.pk)).status_code == 200
    client.post(admin_url(KnownCheck, "change", check.pk), {"rating_text": "Edited"})
    assert client.post(admin_url(KnownCheck, "delete", check.pk), {"post": "yes"}).status_code == (
        403
    )
    check.refresh_from_db()
    assert check.rating_text == "False"


def test_the_admin_imports_a_file_through_the_service(client, staff):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(staff)
    url = reverse("admin:annotations_knowncheck_import")
    assert client.get(url).status_code == 200
    upload = SimpleUploadedFile(
        "checks.json", json.dumps([known_check(1), known_check(2)]).encode()
    )
    response = client.post(url, {"file": upload}, follow=True)
    assert response.redirect_chain[-1][0] == admin_url(KnownCheck, "changelist")
    notes = [m.message for m in get_messages(response.wsgi_request)]
    assert notes == [
        "checks.json: 2 created, 0 updated, 0 unchanged, 0 duplicates in the file, "
        "0 other JSON-LD objects ignored."
    ]
    assert set(KnownCheck.objects.values_list("imported_by", flat=True)) == {staff.pk}
    bad = SimpleUploadedFile(
        "bad.json", json.dumps([known_check(3), known_check(4, claimReviewed="")]).encode()
    )
    response = client.post(url, {"file": bad})
    assert response.status_code == 200
    errors = [m.message for m in get_messages(response.wsgi_request) if m.level_tag == "error"]
    assert errors == [
        "bad.json: item 2 (https://checker4.example.net/check/): claimReviewed is missing or "
        "empty. Nothing was imported."
    ]
    assert KnownCheck.objects.count() == 2


# --- "Checked before?": the answers, read-only; the known checks' vector progress ---------


def test_the_match_answers_are_listed_read_only_and_filtered_by_answer(
    client, staff, editor, reviewer2, draft, django_assert_max_num_queries
):
    known_checks_import(data=[known_check(1), known_check(2)], user=editor)
    first, second = KnownCheck.objects.order_by("id")
    match_decide(claim=draft, user=editor, decision=MatchDecision.SAME, known_check=first)
    match_decide(claim=draft, user=reviewer2, decision=MatchDecision.NOT_SAME, known_check=second)
    client.force_login(staff)
    url = admin_url(ClaimMatch, "changelist")
    # 5 queries: session, staff user, the filtered count, the total count, the page of
    # answers with their claim, known check, earlier claim and who answered
    with django_assert_max_num_queries(5):
        response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Checker 1: Claim 1 checked elsewhere." in html
    assert f"#{draft.pk} " in html and "Same claim" in html and "Not the same" in html
    same = client.get(url, {"decision__exact": MatchDecision.SAME})
    assert [m.known_check for m in same.context["cl"].result_list] == [first]
    answer = ClaimMatch.objects.get(known_check=first)
    assert client.get(admin_url(ClaimMatch, "change", answer.pk)).status_code == 200
    assert client.get(admin_url(ClaimMatch, "add")).status_code == 403
    client.post(admin_url(ClaimMatch, "change", answer.pk), {"decision": "not_same"})
    assert client.post(admin_url(ClaimMatch, "delete", answer.pk), {"post": "yes"}).status_code == (
        403
    )
    answer.refresh_from_db()
    assert answer.decision == MatchDecision.SAME and ClaimMatch.objects.count() == 2


def test_the_known_check_list_shows_how_many_have_their_vector(client, staff, editor):
    for i in range(3):
        known_checks_import(data=known_check(i), user=editor)
    client.force_login(staff)
    url = admin_url(KnownCheck, "changelist")
    html = client.get(url).content.decode()
    assert (
        '<p class="help" id="vector-progress">0 of 3 known checks have their vector; the rest '
        "match by words until then.</p>" in html
    )
    embeddings_fill()
    html = client.get(url).content.decode()
    assert "All 3 known checks have their vector." in html


# --- Webhooks (issue 15) ---------------------------------------------------------------------


def test_the_admin_subscribes_a_receiver_through_the_service(client, staff, settings):
    settings.FACTCHECK_FETCH_ALLOW_LOOPBACK = True
    client.force_login(staff)
    url = admin_url(WebhookSubscription, "add")
    answer = client.post(
        url,
        {"url": "http://127.0.0.1:9/cms", "events": ["claim.approved"], "is_active": "on"},
    )
    assert answer.status_code == 302, answer.content.decode()[:2000]
    subscription = WebhookSubscription.objects.get()
    assert subscription.secret.startswith("whsec_")  # made by the service
    assert subscription.created_by == staff
    page = client.get(admin_url(WebhookSubscription, "change", subscription.pk))
    assert subscription.secret in page.content.decode()


def test_the_admin_refuses_a_private_receiver_with_the_services_words(client, staff):
    client.force_login(staff)
    answer = client.post(
        admin_url(WebhookSubscription, "add"),
        {"url": "http://10.0.0.7/cms", "events": ["claim.approved"], "is_active": "on"},
        follow=True,
    )
    assert "a private network" in answer.content.decode()
    assert not WebhookSubscription.objects.exists()


def test_the_delivery_log_sends_again(client, staff, settings):
    settings.FACTCHECK_FETCH_ALLOW_LOOPBACK = True
    from django_tasks_db.models import DBTaskResult

    subscription = webhook_subscription_create(
        user=staff, url="http://127.0.0.1:9/cms", events=["claim.approved"]
    )
    delivery = WebhookDelivery.objects.create(
        subscription=subscription, message_id="msg_a", event="claim.approved", payload={},
        status="failed",
    )  # fmt: skip
    client.force_login(staff)
    answer = client.post(
        admin_url(WebhookDelivery, "changelist"),
        {"action": "send_again", "_selected_action": [delivery.pk]},
        follow=True,
    )
    assert "queued to be sent again" in answer.content.decode()
    delivery.refresh_from_db()
    assert delivery.status == "pending"
    assert DBTaskResult.objects.filter(
        task_path__endswith=".deliver_webhook", args_kwargs__args=[delivery.pk]
    ).exists()


# --- Source snapshots (issue 15) -------------------------------------------------------------


def test_snapshots_are_listed_read_only_and_filtered_by_outcome(client, staff, draft):
    from annotations.models import SourceArchive

    pending = SourceArchive.objects.get(source=draft.claim_sources.get().source)
    SourceArchive.objects.filter(pk=pending.pk).update(
        status="failed", failure_reason="example.org answered 404 Not Found.", attempts=5
    )
    client.force_login(staff)
    listed = client.get(admin_url(SourceArchive, "changelist") + "?status__exact=failed")
    assert listed.status_code == 200
    assert str(draft.claim_sources.get().source) in listed.content.decode()
    assert (
        client.get(admin_url(SourceArchive, "changelist") + "?status__exact=archived")
        .context["cl"]
        .result_count
        == 0
    )
    page = client.get(admin_url(SourceArchive, "change", pending.pk))
    assert "answered 404" in page.content.decode()
    assert client.get(admin_url(SourceArchive, "add")).status_code == 403
