"""The new-version form's "Start from the current text": the default without a URL (or with
?start=current), a diff preview that saves nothing, the save, and its refusals."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from annotations.services.articles import revision_load
from annotations.services.claims import claim_create

pytestmark = pytest.mark.django_db

OLD = "The defector was hit at least five times"
NEW = "The defector was hit at least six times"


def url(article) -> str:
    return reverse("revision_new", args=[article.id])


def edited_post(article, **extra) -> dict:
    text = article.current_revision.text.replace(OLD, NEW)
    return {"source": "edit", "edited_text": text, "base_revision": "1", **extra}


def test_without_a_url_the_form_starts_from_the_current_text(client, editor, demo_article):
    client.force_login(editor)
    html = client.get(url(demo_article)).content.decode()
    assert checked_source(html) == "edit"
    form = html[html.index('data-source="edit"') :]
    assert OLD in form  # the current text, ready to edit
    assert 'name="base_revision" value="1"' in html


def test_with_a_url_fetching_stays_the_default_unless_asked(client, editor, demo_article):
    demo_article.url = "https://example.org/defector"
    demo_article.save()
    client.force_login(editor)
    html = client.get(url(demo_article)).content.decode()
    assert checked_source(html) == "url"
    html = client.get(url(demo_article) + "?start=current").content.decode()
    assert checked_source(html) == "edit"


def checked_source(html: str) -> str:
    (value,) = re.findall(r'<input type="radio" name="source" value="(\w+)"[^>]*checked', html)
    return value


def test_preview_shows_the_diff_and_saves_nothing(client, editor, demo_article):
    client.force_login(editor)
    response = client.post(url(demo_article), edited_post(demo_article, preview="1"))
    assert response.status_code == 200
    html = response.content.decode()
    preview = html[html.index('id="revision-preview"') :]
    assert "<del>five</del><ins>six</ins>" in preview
    assert "1 word added, 1 removed" in preview
    assert NEW in html[html.index('data-source="edit"') :]  # the edit is kept in the form
    assert demo_article.revisions.count() == 1


def test_preview_of_an_unchanged_text_says_so(client, editor, demo_article):
    client.force_login(editor)
    post = {
        "source": "edit",
        "edited_text": demo_article.current_revision.text,
        "base_revision": "1",
        "preview": "1",
    }
    html = client.post(url(demo_article), post).content.decode()
    assert "Nothing changed yet" in html
    assert demo_article.revisions.count() == 1


def test_saving_loads_the_next_revision_and_shows_the_report(client, editor2, demo_article):
    claim = claim_create(
        article=demo_article, user=editor2, selector={"exact": "Heat-signature video"}
    )
    client.force_login(editor2)
    response = client.post(url(demo_article), edited_post(demo_article))
    assert response.status_code == 302
    assert response.url == reverse("reanchor_report", args=[demo_article.id, 2])
    demo_article.refresh_from_db()
    assert NEW in demo_article.current_revision.text
    claim.refresh_from_db()
    assert claim.revision_id == demo_article.current_revision_id
    assert demo_article.current_revision.text[claim.start : claim.end] == "Heat-signature video"


def test_an_edit_of_an_older_revision_is_refused_with_409(
    client, editor, editor2, demo_article, demo_text
):
    post = edited_post(demo_article)
    revision_load(article=demo_article, user=editor2, text=demo_text + "\n\nA late paragraph.")
    client.force_login(editor)
    response = client.post(url(demo_article), post)
    assert response.status_code == 409
    assert "revision 2 was loaded since; nothing was saved" in response.content.decode()
    assert demo_article.revisions.count() == 2


def test_an_unchanged_text_is_refused_on_the_text(client, editor, demo_article):
    client.force_login(editor)
    post = {"source": "edit", "edited_text": demo_article.current_revision.text,
            "base_revision": "1"}  # fmt: skip
    response = client.post(url(demo_article), post)
    assert response.status_code == 409
    html = response.content.decode()
    field = html[html.index('id="field-edited_text"') :]
    assert "same as revision 1" in field[: field.index("</div>")]
    assert demo_article.revisions.count() == 1


def test_the_other_ways_in_still_work(client, editor, demo_article, demo_text):
    client.force_login(editor)
    response = client.post(
        url(demo_article), {"source": "text", "text": demo_text.replace(OLD, NEW)}
    )
    assert response.status_code == 302
    assert demo_article.revisions.count() == 2
