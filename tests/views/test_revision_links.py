"""Revision pages link each later revision to its diff with the one before and to the
re-anchoring report of its load."""

from __future__ import annotations

import pytest
from django.urls import reverse

from annotations.services.articles import revision_load

pytestmark = pytest.mark.django_db


@pytest.fixture
def three_revisions(editor, demo_article, demo_text):
    revision_load(article=demo_article, user=editor, text=demo_text + "\n\nA new last line.")
    revision_load(article=demo_article, user=editor, text=demo_text + "\n\nAnother last line.")
    return demo_article


def diff_url(article, old: int, new: int) -> str:
    return f"{reverse('revision_diff', args=[article.id])}?from={old}&amp;to={new}"


def report_url(article, number: int) -> str:
    return reverse("reanchor_report", args=[article.id, number])


def test_revision_list_links_later_revisions_to_diff_and_report(client, reviewer, three_revisions):
    article = three_revisions
    client.force_login(reviewer)
    html = client.get(reverse("revision_list", args=[article.id])).content.decode()
    for number in (2, 3):
        assert f'href="{diff_url(article, number - 1, number)}"' in html
        assert f'href="{report_url(article, number)}"' in html
    assert f'href="{report_url(article, 1)}"' not in html
    assert "?from=0" not in html
    assert html.count('data-testid="diff-link"') == 2


def test_revision_detail_links_to_its_diff_and_report(client, editor, three_revisions):
    article = three_revisions
    client.force_login(editor)
    html = client.get(reverse("revision_detail", args=[article.id, 2])).content.decode()
    assert f'href="{diff_url(article, 1, 2)}"' in html
    assert f'href="{report_url(article, 2)}"' in html
    first = client.get(reverse("revision_detail", args=[article.id, 1])).content.decode()
    assert 'data-testid="diff-link"' not in first and 'data-testid="report-link"' not in first


def test_the_linked_diff_and_report_answer(client, editor, three_revisions):
    article = three_revisions
    client.force_login(editor)
    diff = client.get(reverse("revision_diff", args=[article.id]), {"from": 2, "to": 3})
    assert diff.status_code == 200
    assert client.get(report_url(article, 3)).status_code == 200
