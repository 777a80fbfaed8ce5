"""The "removed when loading" report and its Keep it buttons, through the browser views."""

from __future__ import annotations

import pytest
from django.urls import reverse

from annotations.models import ArticleRevision
from annotations.services.articles import article_load
from tests.services.test_keep_removed import CHROME_PAGE, PASTE

pytestmark = pytest.mark.django_db


@pytest.fixture
def pasted(editor):
    return article_load(user=editor, text=PASTE)


def _detail(client, article, number=1) -> str:
    response = client.get(reverse("revision_detail", args=[article.id, number]))
    assert response.status_code == 200
    return response.content.decode()


def test_the_report_says_what_each_piece_was_and_where(client, editor, pasted):
    client.force_login(editor)

    html = _detail(client, pasted)

    assert "Removed when loading (5 pieces" in html
    assert 'Site navigation</strong>, <span class="removed-where">at the start, before' in html
    assert "Advertisement</strong>, <span class=\"removed-where\">in the middle, between " \
        "paragraphs 3 and 4, after “…" in html  # fmt: skip
    assert 'Comments and comment form</strong>, <span class="removed-where">at the end' in html
    assert html.count('name="part"') == 5
    assert "Keep it (put it back between paragraphs 3 and 4)" in html
    assert "Keep every piece, each in its place" in html


def test_the_html_report_names_the_chrome_extraction_dropped(client, editor):
    client.force_login(editor)
    article = article_load(user=editor, html=CHROME_PAGE)

    html = _detail(client, article)

    for label in ("Site navigation", "Advertisement", "Newsletter sign-up", "Share and like",
                  "Comments and comment form", "Sidebar", "Site footer"):  # fmt: skip
        assert f"<strong>{label}" in html
    assert "in the middle, between paragraphs 3 and 4" in html


def test_keeping_one_piece_makes_a_revision_with_it_in_place(client, editor, pasted):
    client.force_login(editor)
    ad = next(p for p in pasted.current_revision.removed_parts if p["kind"] == "advertisement")
    keep = reverse("revision_keep_removed", args=[pasted.id, 1])

    response = client.post(keep, {"part": ad["n"]}, follow=True)

    assert response.redirect_chain[-1][0] == reverse("revision_detail", args=[pasted.id, 2])
    page = response.content.decode()
    assert "Kept the advertisement: in revision 2, it is back between paragraphs 3 and 4." in page
    text = ArticleRevision.objects.get(article=pasted, number=2).text
    assert "on Tuesday to close the old harbour bridge to cars, ending eighty years of traffic " \
        "across the estuary.\n\nAdvertisement\n\n“We have waited" in text  # fmt: skip
    assert "Removed when loading (4 pieces" in page


@pytest.mark.parametrize("part", ["abc", "-1", "1.5", "9999999", "99"])
def test_a_bad_part_is_refused_with_a_message_and_nothing_is_made(client, editor, pasted, part):
    client.force_login(editor)
    keep = reverse("revision_keep_removed", args=[pasted.id, 1])

    response = client.post(keep, {"part": part}, follow=True)

    assert response.redirect_chain[-1][0] == reverse("revision_detail", args=[pasted.id, 1])
    messages = [str(m) for m in response.context["messages"]]
    assert any("nothing was" in m for m in messages), messages
    assert pasted.revisions.count() == 1


def test_keep_it_refuses_an_outsider_and_an_anonymous_visitor(client, outsider, pasted):
    keep = reverse("revision_keep_removed", args=[pasted.id, 1])
    assert client.post(keep, {"part": 0}).status_code == 302  # to the log-in page
    client.force_login(outsider)
    assert client.post(keep, {"part": 0}).status_code == 403
    assert client.get(reverse("revision_detail", args=[pasted.id, 1])).status_code == 403
    assert pasted.revisions.count() == 1


def test_an_earlier_revision_shows_its_report_without_buttons(client, editor, pasted):
    client.force_login(editor)
    client.post(reverse("revision_keep_removed", args=[pasted.id, 1]), {"part": 1})

    html = _detail(client, pasted, 1)

    assert "Removed when loading (5 pieces" in html
    assert "Keep it (" not in html


def test_the_report_costs_the_same_queries_for_one_piece_or_many(
    client, editor, django_assert_num_queries
):
    client.force_login(editor)
    few = article_load(user=editor, text="Headline\n\nA real paragraph of the story.\n\nShare")
    many = article_load(user=editor, html=CHROME_PAGE)
    assert len(few.current_revision.removed_parts) == 1
    assert len(many.current_revision.removed_parts) == 7
    for article in (few, many):
        # 4 queries: session, user, the user's groups, the revision with its article and
        # the article's current revision; the pieces come from the revision's own row.
        # +1: the bell's unread count (issue 16).
        with django_assert_num_queries(5):
            _detail(client, article)
