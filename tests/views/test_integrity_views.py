"""The browser side of issue 11: the workflow forms carry the version the person saw and a
stale one answers 409 in place; "Add claim" sent twice with one key makes one claim."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from annotations.models import Claim, ClaimStatus, IdempotencyKey, Review
from annotations.services.claims import claim_update
from annotations.services.workflow import claim_request_changes, claim_submit
from tests.factories import QUOTE

pytestmark = pytest.mark.django_db

HX = {"HTTP_HX_REQUEST": "true"}


def step_url(claim, step):
    return reverse("claim_workflow_step", args=[claim.pk, step])


def hidden_version(html: str) -> int:
    return int(re.search(r'name="version" value="(\d+)"', html).group(1))


def test_the_workflow_partial_carries_the_version_it_shows(client, reviewer, in_review):
    client.force_login(reviewer)
    html = client.get(reverse("claim_workflow", args=[in_review.pk])).content.decode()
    assert hidden_version(html) == in_review.version


def test_the_review_queue_item_carries_the_version_it_shows(client, reviewer, in_review):
    client.force_login(reviewer)
    html = client.get(reverse("review_queue")).content.decode()
    assert hidden_version(html) == in_review.version


@pytest.mark.parametrize("partial", ["workflow", "review_item"])
def test_an_approve_on_a_stale_version_answers_409_in_place_and_changes_nothing(
    client, editor, reviewer, reviewer2, in_review, partial
):
    seen = in_review.version
    back = claim_request_changes(claim=in_review, reviewer=reviewer2, comment="Check again.")
    changed = claim_update(claim=back, user=editor, version=back.version, verdict="true")
    resubmitted = claim_submit(claim=changed, user=editor)
    client.force_login(reviewer)
    response = client.post(
        step_url(in_review, "approve"), {"version": seen, "partial": partial}, **HX
    )
    assert response.status_code == 409
    html = response.content.decode()
    target = "claim-workflow" if partial == "workflow" else f"review-item-{in_review.pk}"
    assert f'id="{target}"' in html
    assert "changed since you read it" in html
    assert "verdict: “Mostly true” → “True”" in html
    # The answer shows the claim as it is now, so the next click decides on what was read.
    assert hidden_version(html) == resubmitted.version
    assert "HX-Trigger" not in response
    fresh = Claim.objects.get(pk=in_review.pk)
    assert (fresh.status, fresh.version) == (ClaimStatus.IN_REVIEW, resubmitted.version)
    assert not Review.objects.filter(claim=in_review, decision="approved").exists()


@pytest.mark.parametrize("version", [None, "", "abc", "0"])
def test_a_step_without_a_valid_version_is_refused_with_a_message(
    client, reviewer, in_review, version
):
    client.force_login(reviewer)
    data = {} if version is None else {"version": version}
    response = client.post(step_url(in_review, "approve"), data, **HX)
    assert response.status_code == 400
    assert "version" in response.content.decode()
    assert Claim.objects.get(pk=in_review.pk).status == ClaimStatus.IN_REVIEW


def test_add_claim_sent_twice_with_one_key_creates_one_claim(client, editor, demo_article):
    client.force_login(editor)
    url = reverse("claim_create", args=[demo_article.pk])
    data = {"exact": QUOTE, "idempotency_key": "0f3c9a7e5b1d4c2a8e6f0a1b2c3d4e5f"}
    first = client.post(url, data, **HX)
    second = client.post(url, data, **HX)
    assert first.status_code == second.status_code == 200
    claim = Claim.objects.get(article=demo_article)
    assert f'id="claim-{claim.pk}' in second.content.decode() or str(claim.pk) in (
        second.content.decode()
    )
    assert IdempotencyKey.objects.get().claim_id == claim.pk


def test_the_add_claim_form_has_the_key_field(client, editor, demo_article):
    client.force_login(editor)
    html = client.get(reverse("article_detail", args=[demo_article.pk])).content.decode()
    assert '<input type="hidden" name="idempotency_key">' in html
