"""The workspace's per-claim markup, written in Python since issue 17
(`annotations.presenters.workspace`): byte for byte what the template loops wrote, still
escaped, and with a query count that does not grow with the claims."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.template import Context, engines
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from annotations.models import AnchorState, Claim, ClaimStatus, Suggestion, Verdict
from annotations.presenters.workspace import epoch_ms, truncate_chars
from annotations.services.articles import revision_load
from annotations.views.panel import workspace_context

pytestmark = pytest.mark.django_db

WORDS = re.compile(r"\w+(?: \w+){2}")

#: The loops of claim_list.html and article_text.html as they were before issue 17: the
#: presenter must write exactly what they wrote.
TEMPLATE_ITEMS = """{% load review_tags %}
    {% for c in workspace.listed %}
    <li class="claim-item st-{{ c.status }}" data-claim-item="{{ c.id }}" data-updated="{{ c.updated_at|epoch_ms }}">
      <a href="{% url 'article_detail' article.id %}?claim={{ c.id }}" hx-get="{% url 'claim_panel' c.id %}" hx-target="#claim-panel" hx-swap="outerHTML" data-claim-link="{{ c.id }}">
        <span class="swatch v-{{ c.verdict.slug|default:'none' }}" aria-hidden="true"></span>
        <span class="claim-item-quote">{{ c.statement|default:c.exact|truncatechars:110 }}</span>
        <span class="claim-item-meta">{{ c.verdict.label|default:"No verdict" }} · {{ c.get_status_display }}{% if c.claimant %} · {{ c.claimant|truncatechars:40 }}{% endif %}{% if c.revision_id != revision.id %} · refers to revision {{ c.revision_number }}{% elif c.anchor_state != "anchored" %} · {{ c.get_anchor_state_display }}{% endif %}</span>
      </a>
    </li>
    {% endfor %}
  """  # noqa: E501
TEMPLATE_PARAGRAPHS = """{% for paragraph in paragraphs %}<p data-start="{{ paragraph.start }}">{% for s in paragraph.segments %}{% if s.claims %}{% with c=s.innermost %}<mark class="hl st-{{ c.status }} v-{{ c.verdict.slug|default:'none' }}{% if s.claims|length > 1 %} hl-overlap{% endif %}" data-claims="{{ s.claim_ids }}"{% if s.begins %} id="hl-{{ s.begins.0.id }}" tabindex="0" role="button" aria-label="{% for b in s.begins %}Claim: {{ b.exact|truncatechars:90 }}; verdict: {{ b.verdict.label|default:'none yet' }}; status: {{ b.get_status_display }}. {% endfor %}"{% endif %}>{{ s.text }}</mark>{% endwith %}{% elif s.suggestion %}<mark class="sg" data-suggestion="{{ s.suggestion.id }}" data-reason="{{ s.suggestion.get_reason_display }}"{% if s.suggestion_begins %} id="sg-{{ s.suggestion.id }}"{% endif %}>{{ s.text }}</mark>{% else %}{{ s.text }}{% endif %}{% endfor %}</p>{% endfor %}"""  # noqa: E501

#: Statements that test the escaping and the truncation: markup, quotes, combining accents
#: (NFC), a character NFC makes longer, text over the limit, none (the quote shows).
STATEMENTS = [
    "<b>\"quoted\" & 'x'</b>",
    "e\u0301te\u0301 cafe\u0301 " * 20,
    "x" * 200,
    "",
    "\u0344 " * 60,
    "<script>alert(1)</script>",
]


@pytest.fixture
def varied(demo_article, editor):
    """An article with claims of every status, verdict (and none), anchor state, with and
    without statement and claimant, nested and overlapping, some on an earlier revision,
    and open suggestions beside them."""
    article = demo_article
    first = article.current_revision
    text = first.text
    spans = [m.span() for m in WORDS.finditer(text)]
    scale = [*Verdict.objects.all(), None]
    claims = []
    for i in range(60):
        start, end = spans[i % 40]
        if i % 7 == 3 and i % 40 < 38:  # longer, around the next ones: nested, overlapping
            end = spans[i % 40 + 2][1]
        claims.append(
            Claim(
                article=article,
                revision=first,
                exact=text[start:end],
                start=start,
                end=end,
                statement=STATEMENTS[i % len(STATEMENTS)] if i % 3 else "",
                claimant=f'Claimant <{"z" * (i % 50)}> & "co"' if i % 4 == 0 else "",
                verdict=scale[i % len(scale)],
                status=ClaimStatus.values[i % len(ClaimStatus.values)],
                anchor_state=AnchorState.values[i % 4] if i % 5 == 0 else "anchored",
                created_by=editor,
            )
        )
    Claim.objects.bulk_create(claims)
    for start, end in spans[-4:]:
        Suggestion.objects.create(
            article=article,
            revision=first,
            exact=text[start:end],
            start=start,
            end=end,
            sentence_start=start,
            sentence_end=end,
            score=0.5,
            reason="quantity",
        )
    return article


def _old_and_new(article, data=None):
    context = workspace_context(article, data or {})
    django = engines["django"].engine
    old_items = django.from_string(TEMPLATE_ITEMS).render(Context(context))
    old_text = django.from_string(TEMPLATE_PARAGRAPHS).render(Context(context))
    new = django.from_string(
        "{% load workspace_tags %}\n    {% claim_items workspace.listed article.id revision.id %}"
        "\n  |{% article_paragraphs paragraphs %}"
    ).render(Context(context))
    new_items, new_text = new.split("|")
    return (old_items, old_text), (new_items, new_text), context


def test_claim_items_and_highlights_are_what_the_template_loops_wrote(varied):
    old, new, context = _old_and_new(varied)
    assert len(context["workspace"].listed) == 60
    assert context["suggestions"], "the fixture's suggestions should show beside the claims"
    assert new == old


def test_the_markup_is_the_same_filtered_and_on_a_newer_revision(varied, editor, demo_text):
    old, new, _ = _old_and_new(varied, {"filter_status": "draft", "filter_verdict": "none"})
    assert new == old
    first = varied.current_revision
    revision_load(article=varied, text=demo_text.replace("the", "teh", 2), user=editor)
    varied.refresh_from_db()
    # Re-anchoring moves what it can; these stay on the first revision.
    Claim.objects.bulk_create(
        Claim(
            article=varied,
            revision=first,
            exact=c.exact,
            start=c.start,
            end=c.end,
            created_by=editor,
        )
        for c in Claim.objects.filter(article=varied).order_by("id")[:3]
    )
    old, new, context = _old_and_new(varied)
    assert "refers to revision 1" in new[0]
    assert new == old


def test_claim_text_is_escaped_in_the_list_and_the_highlights(client, editor, varied):
    client.force_login(editor)
    html = client.get(reverse("article_detail", args=[varied.id])).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "Claimant &lt;&gt; &amp; &quot;co&quot;" in html
    assert '<b>"quoted"' not in html


def test_each_item_links_its_panel_and_carries_its_update_time(client, editor, varied):
    client.force_login(editor)
    html = client.get(reverse("article_detail", args=[varied.id])).content.decode()
    claim = Claim.objects.filter(article=varied).order_by("id").last()
    item = re.search(rf'<li [^>]*data-claim-item="{claim.id}"[^>]*>\s*<a [^>]*>', html).group(0)
    assert f'data-updated="{epoch_ms(claim.updated_at)}"' in item
    assert f'href="{reverse("article_detail", args=[varied.id])}?claim={claim.id}"' in item
    assert f'hx-get="{reverse("claim_panel", args=[claim.id])}"' in item


def test_truncate_chars_is_the_filters_answer():
    from django.template.defaultfilters import truncatechars

    for text in [*STATEMENTS, "a" * 110, "a" * 111, "e\u0301" * 110, ""]:
        for length in (1, 40, 90, 110):
            assert truncate_chars(text, length) == truncatechars(text, length)


def test_500_claims_take_the_same_10_queries(client, editor, varied):
    Claim.objects.bulk_create(
        Claim(
            article=varied,
            revision=varied.current_revision,
            exact=c.exact,
            start=c.start,
            end=c.end,
            created_by=editor,
        )
        for c in Claim.objects.filter(article=varied)[:1]
        for _ in range(440)
    )
    assert Claim.objects.filter(article=varied).count() == 500
    client.force_login(editor)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("article_detail", args=[varied.id]))
    assert response.status_code == 200
    assert response.content.decode().count('class="claim-item ') == 500
    # 10 queries, as with 20 claims (tests/views/test_workspace.py names them).
    assert len(captured) == 10, [q["sql"] for q in captured.captured_queries]
