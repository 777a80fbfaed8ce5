"""Browser views for articles: the list, loading, metadata, revisions.

Every newsroom role may load articles (reviewers are senior editors: roles.may_edit), so
the refused persona is the outsider (a logged-in account without a role: 403) and the
anonymous visitor (sent to log in).
"""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from annotations.models import Article, ArticleRevision, Claim, ClaimStatus
from annotations.services.articles import article_load, revision_load
from tests import loading_pages
from tests.loading_pages import BYLINE, HEADLINE, article_page

page_server = loading_pages.page_server
allow_loopback = loading_pages.allow_loopback
closed_port = loading_pages.closed_port

pytestmark = pytest.mark.django_db


def _claim(article, status, quote="hit at least five times"):
    # Claim services belong to another issue; a row is all the counts need.
    revision = article.current_revision
    start = revision.text.index(quote)
    return Claim.objects.create(
        article=article,
        revision=revision,
        exact=quote,
        start=start,
        end=start + len(quote),
        status=status,
        created_by=article.created_by,
    )


def _load_post(**data):
    base = {"source": "text", "text": "", "html": "", "fetch_url": ""}
    base.update(data)
    return base


# --- the article list ---------------------------------------------------------------------


def test_list_shows_an_empty_state_with_a_load_button(client, editor):
    client.force_login(editor)
    response = client.get(reverse("article_list"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "No articles yet." in html
    assert reverse("article_new") in html
    assert "Load an article" in html


def test_list_shows_claim_counts_per_status(client, editor, demo_article):
    for status in [ClaimStatus.DRAFT, ClaimStatus.DRAFT, ClaimStatus.APPROVED]:
        _claim(demo_article, status)
    client.force_login(editor)
    response = client.get(reverse("article_list"))
    row = response.content.decode().split(f'id="article-row-{demo_article.id}"')[1]
    row = row.split("</tr>")[0]
    cells = [
        re.sub(r"<[^>]*>", "", c.split(">", 1)[1].split("</td>")[0])
        for c in row.split('<td class="num"')[1:]
    ]
    assert cells == ["2", "0", "0", "1", "0"]
    # A count is a link to the article's workspace listing those claims; a zero is not.
    url = reverse("article_detail", args=[demo_article.id])
    assert f'<a href="{url}?filter_status=draft#claim-list">2</a>' in row
    assert f'<a href="{url}?filter_status=approved#claim-list">1</a>' in row
    assert "filter_status=rejected" not in row


def test_list_searches_headline_and_outlet(client, editor, demo_article):
    article_load(user=editor, text="Bridge closes\n\nCouncil vote.", outlet="Harbour Herald")
    client.force_login(editor)
    by_title = client.get(reverse("article_list"), {"q": "DEFECTOR"}).content.decode()
    assert "harrowing escape" in by_title and "Bridge closes" not in by_title
    by_outlet = client.get(reverse("article_list"), {"q": "herald"}).content.decode()
    assert "Bridge closes" in by_outlet and "harrowing escape" not in by_outlet
    nothing = client.get(reverse("article_list"), {"q": "zebra"}).content.decode()
    assert "No articles match “zebra”" in nothing


def test_list_search_finds_words_of_a_claim_quote_statement_or_claimant(
    client, editor, demo_article
):
    from annotations.services.claims import claim_create

    other = article_load(user=editor, text="Bridge closes\n\nCouncil vote on the 40 rounds.")
    claim_create(
        article=demo_article,
        user=editor,
        selector={"exact": "an estimated 40 rounds"},
        statement="Soldiers fired about forty shots",
        claimant="United Nations Command",
    )
    client.force_login(editor)

    def found(q):
        html = client.get(reverse("article_list"), {"q": q}).content.decode()
        return {a.pk for a in (demo_article, other) if f'id="article-row-{a.pk}"' in html}

    # "40 rounds" is in the claim's quote; the other article has the words but no claim.
    assert found("estimated 40 ROUNDS") == {demo_article.pk}
    assert found("forty shots") == {demo_article.pk}
    assert found("nations command") == {demo_article.pk}
    assert found("Bridge") == {other.pk}


def test_list_search_ignores_deleted_claims(client, editor, demo_article):
    from annotations.services.claims import claim_create, claim_delete

    claim = claim_create(
        article=demo_article, user=editor, selector={"exact": "an estimated 40 rounds"}
    )
    claim_delete(claim=claim, user=editor)
    client.force_login(editor)
    html = client.get(reverse("article_list"), {"q": "estimated 40"}).content.decode()
    assert "No articles match" in html


def test_list_search_keeps_its_query_count(client, editor, django_assert_num_queries):
    from annotations.services.claims import claim_create

    for i in range(30):
        article = article_load(user=editor, text=f"Story {i}: an estimated 40 rounds.\n\nB.")
        claim_create(article=article, user=editor, selector={"exact": "an estimated 40 rounds"})
    client.force_login(editor)
    # 5 queries: session, user, user's groups, the paginator's count, the page of
    # articles with their claim counts (the claims matched in a subquery, not per article).
    # +1: the bell's unread count (issue 16).
    with django_assert_num_queries(6):
        response = client.get(reverse("article_list"), {"q": "40 rounds"})
    assert response.content.decode().count('id="article-row-') == 25


def test_list_search_answers_htmx_with_the_rows_partial(client, editor, demo_article):
    client.force_login(editor)
    response = client.get(reverse("article_list"), {"q": "escape"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="article-rows">')
    assert "<html" not in html
    assert "harrowing escape" in html


def test_list_is_newest_activity_first_and_paginated(client, editor):
    for i in range(27):
        article_load(user=editor, text=f"Story number {i}\n\nBody {i}.")
    client.force_login(editor)
    first = client.get(reverse("article_list")).content.decode()
    assert first.index("Story number 26") < first.index("Story number 25")
    assert "Story number 1<" not in first
    assert "Page 1 of 2" in first
    second = client.get(reverse("article_list"), {"page": 2}).content.decode()
    assert "Story number 1<" in second and "Story number 0<" in second


def test_list_keeps_its_query_count(client, editor, django_assert_num_queries):
    for i in range(30):
        article = article_load(user=editor, text=f"Story {i} hit at least five times\n\nB.")
        _claim(article, ClaimStatus.IN_REVIEW)
    client.force_login(editor)
    # 5 queries: session, user, user's groups, the count for the paginator,
    # then the page of articles with their claim counts (one GROUP BY query).
    # +1: the bell's unread count (issue 16).
    with django_assert_num_queries(6):
        response = client.get(reverse("article_list"))
    assert response.status_code == 200


def test_list_refuses_an_outsider(client, outsider):
    client.force_login(outsider)
    assert client.get(reverse("article_list")).status_code == 403


# --- loading --------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["editor", "reviewer", "staff"])
def test_newsroom_members_see_the_load_form(client, persona, request):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(reverse("article_new"))
    assert response.status_code == 200
    html = response.content.decode()
    for label in ["Paste text", "Paste or upload HTML", "Fetch a web address"]:
        assert label in html


def test_load_form_refuses_an_outsider(client, outsider):
    client.force_login(outsider)
    assert client.get(reverse("article_new")).status_code == 403
    response = client.post(reverse("article_new"), _load_post(text="Headline\n\nBody."))
    assert response.status_code == 403
    assert Article.objects.count() == 0


def test_load_form_sends_anonymous_visitors_to_log_in(client, db):
    response = client.post(reverse("article_new"), _load_post(text="Headline\n\nBody."))
    assert response.status_code == 302
    assert Article.objects.count() == 0


def test_pasted_text_loads_and_says_what_was_removed(client, editor, demo_text):
    client.force_login(editor)
    response = client.post(reverse("article_new"), _load_post(text=demo_text), follow=True)
    article = Article.objects.get()
    assert response.redirect_chain[-1][0] == reverse("article_detail", args=[article.id])
    revision = article.current_revision
    assert revision.text.startswith("Video shows North Korean defector’s harrowing escape")
    assert revision.text.endswith("violent infringement upon our dignified country.”")
    assert "Leave a Reply" in revision.removed
    html = response.content.decode()
    assert "Cleaning removed" in html


def test_pasted_html_loads_with_its_metadata(client, editor):
    client.force_login(editor)
    response = client.post(reverse("article_new"), _load_post(source="html", html=article_page()))
    assert response.status_code == 302
    article = Article.objects.get()
    assert (article.title, article.byline) == (HEADLINE, BYLINE)


def test_uploaded_html_file_loads(client, editor):
    client.force_login(editor)
    upload = SimpleUploadedFile("page.html", article_page().encode(), "text/html")
    response = client.post(reverse("article_new"), _load_post(source="html", file=upload))
    assert response.status_code == 302
    assert Article.objects.get().title == HEADLINE


def test_url_loads_with_headline_byline_and_date(client, editor, page_server, allow_loopback):
    client.force_login(editor)
    url = page_server.url("/article")
    response = client.post(reverse("article_new"), _load_post(source="url", fetch_url=url))
    assert response.status_code == 302
    article = Article.objects.get()
    assert (article.title, article.byline, article.url) == (HEADLINE, BYLINE, url)
    assert article.published_at.year == 2017


def test_given_metadata_wins(client, editor, demo_text):
    client.force_login(editor)
    client.post(
        reverse("article_new"),
        _load_post(text=demo_text, title="Mine", outlet="CNN", published_at="2017-11-22"),
    )
    article = Article.objects.get()
    assert (article.title, article.outlet, str(article.published_at.date())) == (
        "Mine",
        "CNN",
        "2017-11-22",
    )


def test_loading_the_same_article_twice_offers_the_existing_one(client, editor, demo_article):
    client.force_login(editor)
    text = demo_article.current_revision.raw
    response = client.post(reverse("article_new"), _load_post(text=text))
    assert response.status_code == 409
    html = response.content.decode()
    assert "already loaded" in html
    assert reverse("article_detail", args=[demo_article.id]) in html
    assert f'name="as_revision" value="{demo_article.id}"' in html
    assert Article.objects.count() == 1
    # The editor chooses to load it as a new revision instead.
    changed = text.replace("five times", "six times")
    response = client.post(
        reverse("article_new"), _load_post(text=changed, as_revision=demo_article.id)
    )
    assert response.status_code == 302
    assert Article.objects.count() == 1
    assert demo_article.revisions.count() == 2


BAD_INPUTS = {
    "empty text": (lambda s, p: _load_post(text="  \n "), 400, "There is no readable text"),
    "text over 2 MB": (lambda s, p: _load_post(text="word " * 420_000), 413, "too long to load"),
    "binary file": (
        lambda s, p: _load_post(
            source="html",
            file=SimpleUploadedFile("x.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n" * 20, "text/html"),
        ),
        415,
        "does not look like text or HTML",
    ),
    "html without readable body": (
        lambda s, p: _load_post(source="html", html=s.pages["/no-body"][2].decode()),
        400,
        "No article text could be found",
    ),
    "unreachable url": (
        lambda s, p: _load_post(source="url", fetch_url=f"http://127.0.0.1:{p}/x"),
        400,
        "Could not reach",
    ),
    "timeout": (lambda s, p: _load_post(source="url", fetch_url=s.url("/slow")), 400, "longer"),
    "non-html content type": (
        lambda s, p: _load_post(source="url", fetch_url=s.url("/pdf")),
        415,
        "not a web page or plain text",
    ),
    "private address": (
        lambda s, p: _load_post(source="url", fetch_url="http://192.168.1.10/"),
        400,
        "private network",
    ),
}


@pytest.mark.parametrize("case", list(BAD_INPUTS))
def test_bad_input_shows_a_message_in_the_form_and_creates_nothing(
    case, client, editor, page_server, allow_loopback, closed_port
):
    make_data, status, message = BAD_INPUTS[case]
    client.force_login(editor)
    response = client.post(reverse("article_new"), make_data(page_server, closed_port))
    assert response.status_code == status
    html = response.content.decode()
    assert message in html.replace("&#x27;", "'")
    assert 'class="error"' in html
    assert Article.objects.count() == 0
    assert ArticleRevision.objects.count() == 0


def test_pasted_xss_is_shown_escaped(client, editor):
    client.force_login(editor)
    payload = '<img src=x onerror="window.__xss=1"> says <script>window.__xss=1</script>'
    client.post(reverse("article_new"), _load_post(text=f"Headline {payload}\n\nBody {payload}"))
    article = Article.objects.get()
    for url in [
        reverse("article_list"),
        reverse("revision_detail", args=[article.id, 1]),
        reverse("revision_list", args=[article.id]),
        reverse("article_edit", args=[article.id]),
    ]:
        html = client.get(url).content.decode()
        assert "<img src=x" not in html and "<script>window" not in html, url
        assert "&lt;img src=x" in html or "&lt;script&gt;" in html, url


# --- metadata -------------------------------------------------------------------------------


def test_edit_form_is_prefilled_and_saves(client, editor, demo_article):
    client.force_login(editor)
    url = reverse("article_edit", args=[demo_article.id])
    form = client.get(url).content.decode()
    assert "harrowing escape" in form and 'value="CNN"' in form
    response = client.post(
        url,
        {
            "title": "Edited",
            "outlet": "CNN",
            "byline": "Ben Westcott",
            "published_at": "2017-11-22",
            "url": "https://edition.cnn.com/x",
        },
    )
    assert response.status_code == 302
    demo_article.refresh_from_db()
    assert (demo_article.title, demo_article.byline) == ("Edited", "Ben Westcott")
    assert demo_article.url == "https://edition.cnn.com/x"
    assert demo_article.revisions.count() == 1


def test_edit_refuses_an_empty_headline(client, editor, demo_article):
    client.force_login(editor)
    response = client.post(reverse("article_edit", args=[demo_article.id]), {"title": ""})
    assert response.status_code == 400
    assert "This field is required" in response.content.decode()


def test_edit_refuses_an_outsider(client, outsider, demo_article):
    client.force_login(outsider)
    url = reverse("article_edit", args=[demo_article.id])
    assert client.get(url).status_code == 403
    assert client.post(url, {"title": "Hijacked"}).status_code == 403
    demo_article.refresh_from_db()
    assert demo_article.title != "Hijacked"


def test_edit_of_an_unknown_article_is_404(client, editor):
    client.force_login(editor)
    assert client.get(reverse("article_edit", args=[999999])).status_code == 404


# --- revisions ------------------------------------------------------------------------------


def test_new_revision_form_loads_the_next_revision(client, editor2, demo_article, demo_text):
    client.force_login(editor2)
    url = reverse("revision_new", args=[demo_article.id])
    assert client.get(url).status_code == 200
    changed = demo_text.replace("five times", "six times")
    response = client.post(url, _load_post(text=changed))
    assert response.status_code == 302
    demo_article.refresh_from_db()
    assert demo_article.current_revision.number == 2
    assert "six times" in demo_article.current_revision.text


def test_new_revision_with_the_same_text_is_refused(client, editor, demo_article, demo_text):
    client.force_login(editor)
    response = client.post(
        reverse("revision_new", args=[demo_article.id]), _load_post(text=demo_text)
    )
    assert response.status_code == 409
    assert "same as revision 1" in response.content.decode()
    assert demo_article.revisions.count() == 1


def test_new_revision_refuses_an_outsider(client, outsider, demo_article, demo_text):
    client.force_login(outsider)
    response = client.post(
        reverse("revision_new", args=[demo_article.id]), _load_post(text=demo_text + " more")
    )
    assert response.status_code == 403
    assert demo_article.revisions.count() == 1


def test_earlier_revisions_stay_viewable(client, editor, demo_article, demo_text):
    revision_load(
        article=demo_article, user=editor, text=demo_text.replace("five times", "six times")
    )
    client.force_login(editor)
    listing = client.get(reverse("revision_list", args=[demo_article.id])).content.decode()
    assert "Revision 1" in listing and "Revision 2" in listing and "(current)" in listing
    old = client.get(reverse("revision_detail", args=[demo_article.id, 1])).content.decode()
    assert "hit at least five times" in old
    assert "an earlier version, read-only" in old
    assert "Keep it" not in old
    new = client.get(reverse("revision_detail", args=[demo_article.id, 2])).content.decode()
    assert "six times" in new


def test_revision_detail_keeps_its_query_count(
    client, editor, demo_article, django_assert_num_queries
):
    client.force_login(editor)
    # 4 queries: session, user, user's groups, the revision with its article and loader.
    # +1: the bell's unread count (issue 16).
    with django_assert_num_queries(5):
        response = client.get(reverse("revision_detail", args=[demo_article.id, 1]))
    assert response.status_code == 200


def test_revision_list_keeps_its_query_count(
    client, editor, demo_article, django_assert_num_queries
):
    client.force_login(editor)
    # 5 queries: session, user, user's groups, the article, its revisions with loaders.
    # +1: the bell's unread count (issue 16).
    with django_assert_num_queries(6):
        response = client.get(reverse("revision_list", args=[demo_article.id]))
    assert response.status_code == 200


def test_revision_pages_refuse_an_outsider(client, outsider, demo_article):
    client.force_login(outsider)
    for name, args in [
        ("revision_list", [demo_article.id]),
        ("revision_detail", [demo_article.id, 1]),
        ("revision_raw", [demo_article.id, 1]),
    ]:
        assert client.get(reverse(name, args=args)).status_code == 403


def test_unknown_revision_is_404(client, editor, demo_article):
    client.force_login(editor)
    assert client.get(reverse("revision_detail", args=[demo_article.id, 9])).status_code == 404


def test_raw_input_is_served_as_plain_text(client, editor):
    client.force_login(editor)
    article = article_load(user=editor, html=article_page())
    response = client.get(reverse("revision_raw", args=[article.id, 1]))
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert "sandbox" in response["Content-Security-Policy"]
    assert response.content.decode() == article_page()


def test_removed_text_is_shown_and_can_be_kept(client, editor, demo_article):
    client.force_login(editor)
    detail = client.get(reverse("revision_detail", args=[demo_article.id, 1])).content.decode()
    assert "Removed when loading" in detail
    assert "You are commenting using your Twitter account" in detail
    keep = reverse("revision_keep_removed", args=[demo_article.id, 1])
    assert keep in detail
    response = client.post(keep)
    assert response.status_code == 302
    assert response.url == reverse("revision_detail", args=[demo_article.id, 2])
    demo_article.refresh_from_db()
    assert demo_article.current_revision.text.endswith("Connecting to %s")
    # Keeping twice is refused with a message, nothing new is made.
    client.post(keep)
    assert demo_article.revisions.count() == 2


def test_keep_removed_refuses_an_outsider_and_get(client, outsider, editor, demo_article):
    keep = reverse("revision_keep_removed", args=[demo_article.id, 1])
    client.force_login(editor)
    assert client.get(keep).status_code == 405
    client.force_login(outsider)
    assert client.post(keep).status_code == 403
    assert demo_article.revisions.count() == 1


def test_article_meta_partial_has_a_stable_root_and_the_links(client, editor, demo_article):
    from django.template.loader import render_to_string

    html = render_to_string(
        "annotations/partials/article_meta.html",
        {"article": Article.objects.select_related("current_revision").get(pk=demo_article.pk)},
    )
    assert html.strip().startswith('<section id="article-meta"')
    for name in ["article_edit", "revision_new", "revision_list"]:
        assert reverse(name, args=[demo_article.id]) in html
