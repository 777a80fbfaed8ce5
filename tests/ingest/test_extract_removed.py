"""What HTML extraction leaves out is reported, by kind and place, and can be put back.

The page in ``fixtures/chrome-page.html`` is a WordPress article with everything a real
one has around it: a skip link, a masthead and menu, an advertisement and a newsletter
box in the middle of the article, share buttons, reader comments, a comment form, a
sidebar and a footer.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from annotations.ingest import NoReadableBody, extract_html
from tests.loading_pages import PARAGRAPHS, article_page

PAGE = (Path(__file__).resolve().parent / "fixtures" / "chrome-page.html").read_text("utf-8")
HEADLINE = "Council closes harbour bridge to cars after 80 years"


@pytest.fixture(scope="module")
def extracted():
    return extract_html(PAGE)


def _paragraphs(text: str) -> list[str]:
    return text.split("\n\n")


def test_the_article_is_extracted_without_any_chrome(extracted):
    paragraphs = _paragraphs(extracted.text)

    assert paragraphs[0] == HEADLINE
    assert len(paragraphs) == 5
    for chrome in ("Skip to content", "Home", "Advertisement", "Harbour Briefing", "Share this",
                   "Reader One", "Leave a Reply", "Recent Posts", "Proudly powered"):  # fmt: skip
        assert chrome not in extracted.text


def test_every_piece_of_chrome_is_listed_by_kind_in_page_order(extracted):
    assert [part.kind for part in extracted.parts] == [
        "navigation",
        "advertisement",
        "newsletter",
        "share",
        "comments",
        "sidebar",
        "footer",
    ]
    texts = {part.kind: part.text for part in extracted.parts}
    assert texts["navigation"].split("\n") == [
        "Skip to content", "", "The Daily Example", "Home", "World", "Politics"
    ]  # fmt: skip
    assert "Post Comment" in texts["comments"]  # a submit button's label is its value
    assert "Reader One says" in texts["comments"]
    assert texts["footer"] == "© 2023 The Daily Example\nProudly powered by WordPress"
    assert "We use cookies" not in extracted.removed  # hidden: nobody saw it


def test_each_piece_says_where_it_stood(extracted):
    at = {part.kind: part.at for part in extracted.parts}
    third_paragraph = extracted.text.index("The decision passed")

    assert at["navigation"] == 0
    assert at["advertisement"] == at["newsletter"] == third_paragraph  # mid-article
    for kind in ("share", "comments", "sidebar", "footer"):
        assert at[kind] == len(extracted.text)


def test_removed_lists_all_of_it_in_page_order(extracted):
    assert extracted.removed == "\n\n".join(part.text for part in extracted.parts)
    assert extracted.removed.index("Skip to content") < extracted.removed.index("Advertisement")


def test_keeping_one_piece_puts_it_back_in_its_place(extracted):
    newsletter = next(part for part in extracted.parts if part.kind == "newsletter")
    others = {part.n for part in extracted.parts} - {newsletter.n}

    kept = extract_html(PAGE, remove_only=others)

    paragraphs = _paragraphs(kept.text)
    assert paragraphs[3] == newsletter.text
    assert paragraphs[2].startswith("“We have waited long enough")
    assert paragraphs[4].startswith("The decision passed")
    assert [part.n for part in kept.parts] == sorted(others)
    assert [part.text for part in kept.parts] == [
        part.text for part in extracted.parts if part.n != newsletter.n
    ]


def test_keeping_nothing_removed_gives_the_whole_page_in_order(extracted):
    everything = extract_html(PAGE, remove_only=set())

    assert everything.parts == ()
    assert everything.text.startswith("Skip to content\n\nThe Daily Example\nHome")
    assert everything.text.endswith("Proudly powered by WordPress")


def test_a_wrapper_whose_class_says_comments_is_not_taken_for_chrome():
    body = "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    page = (
        "<html><body><div class='has-comments share-enabled'>"
        f"<h1>{HEADLINE}</h1>{body}</div></body></html>"
    )

    extracted = extract_html(page)

    assert extracted.parts == ()
    assert extracted.text.endswith(PARAGRAPHS[-1])


def test_the_test_page_of_the_loading_tests_reports_menu_comment_form_and_footer():
    extracted = extract_html(article_page())

    assert [(part.kind, part.at) for part in extracted.parts] == [
        ("navigation", 0),
        ("comments", len(extracted.text)),
        ("footer", len(extracted.text)),
    ]


def test_a_page_of_nothing_but_chrome_is_refused_with_a_message():
    page = (
        "<html><body><nav><ul><li>Home</li><li>World</li></ul></nav>"
        "<div id='comments'><p>Leave a Reply</p></div><footer>© 2023 Example</footer></body></html>"
    )

    with pytest.raises(NoReadableBody) as refused:
        extract_html(page)

    assert refused.value.field == "html"
    assert "article" in refused.value.message
