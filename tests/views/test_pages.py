"""The pages a newcomer sees first: login, the article list, the demo article."""

import pytest
from django.urls import reverse


def test_login_page_renders(client, db):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert b"Log in to factcheck" in response.content


def test_article_list_sends_anonymous_users_to_login(client, db):
    response = client.get(reverse("article_list"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_article_list_refuses_an_account_without_a_role(client, outsider):
    client.force_login(outsider)
    response = client.get(reverse("article_list"))
    assert response.status_code == 403
    assert b"no newsroom role" in response.content


@pytest.mark.parametrize("persona", ["editor", "reviewer", "staff"])
def test_newsroom_members_see_the_demo_article(client, demo_article, persona, request):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(reverse("article_list"))
    assert response.status_code == 200
    assert "harrowing escape" in response.content.decode()
    detail = client.get(reverse("article_detail", args=[demo_article.id]))
    assert detail.status_code == 200
    assert "hit at least five times" in detail.content.decode()


def test_api_refuses_anonymous_clients_but_serves_the_schema(client, db):
    assert client.get("/api/v1/verdicts/").status_code in (401, 403)
    schema = client.get("/api/schema/")
    assert schema.status_code == 200
    docs = client.get("/api/docs/")
    assert docs.status_code == 200
    assert b"cdn" not in docs.content.lower()


def test_a_form_post_too_large_to_read_gets_a_page_that_says_so(client, editor, settings):
    from annotations.models import Article

    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1_000
    client.force_login(editor)
    response = client.post(reverse("article_new"), {"mode": "text", "text": "x" * 5_000})
    assert response.status_code == 400
    assert b"too large" in response.content
    assert not Article.objects.exists()
