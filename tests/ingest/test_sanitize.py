"""sanitize_html: the display policy for any HTML we keep."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from annotations.ingest import sanitize_html
from annotations.ingest.sanitize import ALLOWED_ATTRIBUTES, ALLOWED_TAGS

from .xss_corpus import FORBIDDEN, XSS_CORPUS


class _Collector(HTMLParser):
    """Every start tag and attribute the browser would see."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))


def _parsed(html: str) -> list[tuple[str, list[tuple[str, str | None]]]]:
    collector = _Collector()
    collector.feed(html)
    collector.close()
    return collector.tags


@pytest.mark.parametrize(("name", "payload"), XSS_CORPUS, ids=[n for n, _ in XSS_CORPUS])
def test_xss_payload_does_not_survive(name, payload):
    out = sanitize_html(payload)

    lowered = out.lower()
    for forbidden in FORBIDDEN:
        assert forbidden not in lowered, f"{name}: {forbidden!r} survived in {out!r}"
    for tag, attrs in _parsed(out):
        assert tag in ALLOWED_TAGS, f"{name}: tag <{tag}> survived"
        for attr, value in attrs:
            allowed = ALLOWED_ATTRIBUTES.get(tag, set()) | ({"rel"} if tag == "a" else set())
            assert attr in allowed, f"{name}: attribute {attr} on <{tag}> survived"
            if attr == "href":
                assert re.match(r"^(https?:|mailto:)", value or ""), f"{name}: href {value!r}"


@pytest.mark.parametrize(("name", "payload"), XSS_CORPUS, ids=[n for n, _ in XSS_CORPUS])
def test_xss_payload_does_not_survive_with_a_base_url(name, payload):
    out = sanitize_html(payload, base_url="https://news.example/world/story.html")

    for _tag, attrs in _parsed(out):
        for attr, value in attrs:
            if attr == "href":
                assert re.match(r"^(https?:|mailto:)", value or ""), f"{name}: href {value!r}"
    assert "javascript:" not in out.lower().replace("%20", "")


def test_sanitising_is_stable():
    for _, payload in XSS_CORPUS:
        once = sanitize_html(payload)
        assert sanitize_html(once) == once


def test_article_structure_is_kept():
    html = (
        "<article><h1>Title</h1><p>Some <em>emphasis</em> and <strong>weight</strong>.</p>"
        "<blockquote><p>A quote</p></blockquote><ul><li>one</li></ul>"
        '<table><tr><th scope="col">A</th></tr><tr><td colspan="2">1</td></tr></table></article>'
    )

    out = sanitize_html(html)

    for fragment in (
        "<h1>Title</h1>",
        "<em>emphasis</em>",
        "<strong>weight</strong>",
        "<blockquote>",
        "<li>one</li>",
        '<th scope="col">A</th>',
        '<td colspan="2">1</td>',
    ):
        assert fragment in out


def test_absolute_links_are_kept_with_safe_rel():
    out = sanitize_html('<a href="https://example.org/a" target="_blank" class="x">x</a>')

    assert out == '<a href="https://example.org/a" rel="noopener noreferrer nofollow">x</a>'


def test_mailto_is_allowed():
    assert 'href="mailto:desk@example.org"' in sanitize_html(
        '<a href="mailto:desk@example.org">mail</a>'
    )


def test_relative_urls_are_denied_by_default():
    assert "href" not in sanitize_html('<a href="/world/story">story</a>')


def test_relative_urls_are_rewritten_with_a_base_url():
    out = sanitize_html('<a href="../politics/x">x</a>', base_url="https://news.example/world/a")

    assert 'href="https://news.example/politics/x"' in out


def test_non_http_base_url_is_ignored():
    out = sanitize_html('<a href="/x">x</a>', base_url="javascript:alert(1)//")

    assert "href" not in out


def test_images_are_dropped_so_readers_do_not_call_third_parties():
    assert "<img" not in sanitize_html('<p><img src="https://tracker.example/p.gif">text</p>')


def test_style_and_script_content_does_not_leak_as_text():
    out = sanitize_html("<style>.a{color:red}</style><script>var secret=1</script><p>ok</p>")

    assert out == "<p>ok</p>"
