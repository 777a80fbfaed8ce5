"""extract_html and decode_upload: HTML and uploads → canonical text."""

from __future__ import annotations

import codecs
import datetime

import pytest

from annotations.ingest import (
    MAX_HTML_BYTES,
    MAX_UPLOAD_BYTES,
    EmptyInput,
    NoReadableBody,
    NotText,
    TooLarge,
    clean_text,
    decode_upload,
    extract_html,
)
from tests.loading_pages import HEADLINE as ARTICLE_HEADLINE
from tests.loading_pages import PARAGRAPHS as ARTICLE_PARAGRAPHS
from tests.loading_pages import article_page as news_page

from .xss_corpus import XSS_CORPUS


@pytest.fixture(scope="module")
def article_page() -> str:
    return news_page()


# --- extract_html ---------------------------------------------------------------------------


def test_extract_finds_text_and_metadata(article_page):
    extracted = extract_html(article_page, url="https://daily.example/2017/bridge")

    assert extracted.title == ARTICLE_HEADLINE
    assert extracted.byline == "Jane Doe"
    assert extracted.outlet == "The Daily Example"
    assert extracted.published_at == datetime.date(2017, 11, 22)
    for paragraph in ARTICLE_PARAGRAPHS:
        assert paragraph in extracted.text


def test_extract_gives_blank_line_separated_paragraphs(article_page):
    text = extract_html(article_page).text

    assert "\n\n\n" not in text
    assert text.split("\n\n")[-len(ARTICLE_PARAGRAPHS) :] == ARTICLE_PARAGRAPHS


def test_extract_leaves_out_navigation_scripts_and_comment_form(article_page):
    text = extract_html(article_page).text

    for chrome in ("Home", "Politics", "window.tracking", "font-family", "Leave a Reply",
                   "Connecting to %s", "Copyright 2017"):  # fmt: skip
        assert chrome not in text


def test_same_article_as_text_and_as_html_gives_the_same_canonical_text(
    defector_text, defector_html
):
    assert extract_html(defector_html).text == clean_text(defector_text).text


def test_extract_output_is_already_canonical(article_page):
    text = extract_html(article_page).text

    assert clean_text(text).text == text


def test_raw_html_is_sanitised_for_display(article_page):
    page = article_page.replace("</article>", "".join(p for _, p in XSS_CORPUS) + "</article>")

    sanitized = extract_html(page).raw_html_sanitized

    assert "<script" not in sanitized
    assert "javascript:" not in sanitized.lower()
    assert "onerror" not in sanitized
    assert "<h1>" in sanitized


def test_title_falls_back_to_og_title_or_title_tag():
    page = (
        "<html><head><title>Fallback &amp; title | Site</title></head><body>"
        + "".join(f"<p>{p}</p>" for p in ARTICLE_PARAGRAPHS)
        + "</body></html>"
    )

    extracted = extract_html(page)

    assert extracted.title  # trafilatura or the <title> fallback
    assert "&amp;" not in extracted.title


def test_title_falls_back_to_the_first_line():
    page = "<div>" + "".join(f"<p>{p}</p>" for p in ARTICLE_PARAGRAPHS) + "</div>"

    extracted = extract_html(page)

    assert extracted.title == extracted.text.split("\n", 1)[0][:300]


def test_unknown_metadata_is_empty_not_invented():
    page = "<html><body>" + "".join(f"<p>{p}</p>" for p in ARTICLE_PARAGRAPHS) + "</body></html>"

    extracted = extract_html(page)

    assert extracted.byline == ""
    assert extracted.published_at is None


@pytest.mark.parametrize("html", ["", "   \n  "])
def test_empty_html_raises_empty_input(html):
    with pytest.raises(EmptyInput) as caught:
        extract_html(html)

    assert caught.value.field == "html"


@pytest.mark.parametrize(
    "html",
    [
        "<html><head><title>x</title></head><body></body></html>",
        "<html><body><script>var a = 1;</script><style>p{}</style><img src=x></body></html>",
    ],
)
def test_page_without_body_raises_no_readable_body(html):
    with pytest.raises(NoReadableBody) as caught:
        extract_html(html)

    assert caught.value.status == 400
    assert caught.value.field == "html"


def test_html_over_the_cap_raises_too_large():
    with pytest.raises(TooLarge) as caught:
        extract_html("<p>" + "a" * MAX_HTML_BYTES + "</p>")

    assert caught.value.status == 413
    assert caught.value.field == "html"


def test_html_cap_counts_utf8_bytes():
    # 2 million three-byte characters: under the cap in characters, over it in bytes.
    with pytest.raises(TooLarge):
        extract_html("<p>" + "€" * 2_000_000 + "</p>")


# --- decode_upload --------------------------------------------------------------------------


def test_upload_utf8_text():
    assert decode_upload("Héllo “world”".encode(), "a.txt", "text/plain") == (
        "Héllo “world”",
        "text",
    )


def test_upload_utf8_bom_is_removed():
    text, kind = decode_upload(codecs.BOM_UTF8 + b"Bom text", "a.txt")

    assert (text, kind) == ("Bom text", "text")


def test_upload_utf16_with_bom():
    data = codecs.BOM_UTF16_LE + "Zürich news".encode("utf-16-le")

    assert decode_upload(data, "a.txt") == ("Zürich news", "text")


def test_upload_declared_charset_is_used():
    data = "Ceci est un café à Paris, évidemment.".encode("iso-8859-1")

    text, _ = decode_upload(data, "a.txt", "text/plain; charset=iso-8859-1")

    assert text == "Ceci est un café à Paris, évidemment."


def test_upload_windows_1252_is_detected_without_a_label():
    data = ("“Quoted” words — and a café, written in Windows-1252 by an old editor. " * 5).encode(
        "cp1252"
    )

    text, kind = decode_upload(data, "old.txt")

    assert "“Quoted”" in text
    assert "café" in text
    assert kind == "text"


def test_upload_meta_charset_is_used_for_html():
    data = '<html><head><meta charset="windows-1251"></head><body><p>Привет, мир</p>'.encode(
        "cp1251"
    )

    text, kind = decode_upload(data, "page.html")

    assert kind == "html"
    assert "Привет, мир" in text


@pytest.mark.parametrize(
    ("data", "filename", "content_type"),
    [
        (b"<!DOCTYPE html><html><body><p>x</p></body></html>", "", ""),
        (b"<html><p>x</p></html>", "a.txt", "text/plain"),
        (b"Plain <b>looking</b> text", "page.htm", ""),
        (b"Plain text", "", "text/html"),
        (b"  <p>First</p>\n<p>Second</p>", "", ""),
    ],
)
def test_upload_html_is_sniffed(data, filename, content_type):
    assert decode_upload(data, filename, content_type)[1] == "html"


def test_upload_plain_text_with_an_angle_bracket_stays_text():
    assert decode_upload(b"Profits rose 3% (<5% expected) in Q3.", "a.txt")[1] == "text"


@pytest.mark.parametrize(
    ("data", "label"),
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "PDF"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "PNG"),
        (b"PK\x03\x04\x14\x00\x06\x00", "ZIP"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "JPEG"),
        (b"GIF89a\x01\x00\x01\x00", "GIF"),
        (b"text with a \x00 NUL byte", "binary"),
        (bytes(range(1, 32)) * 20, "binary"),
    ],
)
def test_upload_binary_raises_not_text(data, label):
    with pytest.raises(NotText) as caught:
        decode_upload(data, "article.txt")

    assert caught.value.status == 415
    assert caught.value.field == "file"
    assert label in caught.value.message


def test_upload_binary_content_type_raises_not_text():
    with pytest.raises(NotText):
        decode_upload(b"looks like text", "x.bin", "application/pdf")


def test_upload_over_the_cap_raises_too_large():
    with pytest.raises(TooLarge) as caught:
        decode_upload(b"a" * (MAX_UPLOAD_BYTES + 1), "big.txt")

    assert caught.value.status == 413
    assert caught.value.field == "file"


@pytest.mark.parametrize("data", [b"", b"  \n\t "])
def test_upload_empty_raises_empty_input(data):
    with pytest.raises(EmptyInput) as caught:
        decode_upload(data, "a.txt")

    assert caught.value.field == "file"


def test_a_page_of_navigation_links_is_not_an_article():
    from annotations.ingest import NoReadableBody

    page = (
        "<html><head><title>Site</title></head><body><nav><a href='/'>Home</a></nav>"
        "<main><p>Home</p></main></body></html>"
    )
    with pytest.raises(NoReadableBody) as refused:
        extract_html(page)
    assert "does not look like an article" in refused.value.message
    assert refused.value.status == 400
