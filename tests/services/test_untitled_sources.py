"""A source saved without a title keeps an empty title; pages show its URL instead."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction
from django.test import Client

from annotations.models import ClaimSource, Source
from annotations.services.claims import source_attach, source_update
from annotations.services.errors import InvalidInput
from annotations.services.workflow import claim_approve, claim_submit
from tests.factories import make_claim

pytestmark = pytest.mark.django_db
URL = "https://example.org/reports/2017/defector-hospital-briefing"


def test_an_untitled_source_stores_an_empty_title_and_shows_its_url(editor, demo_article):
    claim = make_claim(demo_article, editor)
    link = source_attach(claim=claim, user=editor, url=URL, title="  ")
    assert Source.objects.get(pk=link.source_id).title == ""
    assert link.source.display_title == URL and str(link.source) == URL
    client = Client()
    client.force_login(editor)
    html = client.get(f"/articles/{demo_article.pk}/?claim={claim.pk}").content.decode()
    assert f'rel="noopener noreferrer nofollow" target="_blank">{URL}</a>' in html


def test_the_url_shows_in_the_queue_and_on_the_public_page(editor, reviewer, demo_article):
    claim = make_claim(demo_article, editor)
    source_attach(claim=claim, user=editor, url=URL)
    claim_submit(claim=claim, user=editor)
    client = Client()
    client.force_login(reviewer)
    assert f'rel="noopener noreferrer">{URL}</a>' in client.get("/review/").content.decode()
    claim_approve(claim=claim, reviewer=reviewer)
    public = Client().get(f"/published/{demo_article.pk}/").content.decode()
    assert f'rel="noopener nofollow">{URL}</a>' in public


def test_removing_the_title_keeps_it_empty_and_removing_both_is_refused(editor, demo_article):
    claim = make_claim(demo_article, editor)
    link = source_attach(claim=claim, user=editor, url=URL, title="Hospital briefing")
    source_update(claim_source=link, user=editor, title="")
    assert Source.objects.get(pk=link.source_id).title == ""
    link = ClaimSource.objects.select_related("source").get(pk=link.pk)
    with pytest.raises(InvalidInput, match="A source needs a title or a URL."):
        source_update(claim_source=link, user=editor, url="")
    assert Source.objects.get(pk=link.source_id).url == URL


def test_the_database_refuses_a_source_with_neither_title_nor_url(editor):
    with pytest.raises(IntegrityError, match="source_title_or_url"), transaction.atomic():
        Source.objects.create(title="", url="", created_by=editor)
