"""fetch_url against a real HTTP server on 127.0.0.1, plus the SSRF guard."""

from __future__ import annotations

import datetime
import socket
import time

import pytest

from annotations.ingest import (
    BadURL,
    BlockedAddress,
    FetchError,
    NotText,
    TooLarge,
    UnsupportedContentType,
    extract_html,
    fetch_url,
)
from annotations.ingest.fetch import _blocked_reason
from tests.loading_pages import HEADLINE as ARTICLE_HEADLINE
from tests.loading_pages import PARAGRAPHS as ARTICLE_PARAGRAPHS
from tests.loading_pages import article_page

from .conftest import SLOW_SECONDS


def fetch(server, path: str, **kwargs):
    return fetch_url(server.url(path), allow_loopback=True, **kwargs)


@pytest.fixture
def connections(monkeypatch):
    """Record every address fetch_url opens a connection to."""
    opened: list[tuple[str, int]] = []
    real = socket.create_connection

    def spy(address, *args, **kwargs):
        opened.append(address)
        return real(address, *args, **kwargs)

    monkeypatch.setattr(socket, "create_connection", spy)
    return opened


# --- pages that load -----------------------------------------------------------------------


def test_html_page_is_fetched_and_decoded(local_server):
    fetched = fetch(local_server, "/article")

    assert fetched.url == local_server.url("/article")
    assert fetched.content_type == "text/html"
    assert fetched.charset == "utf-8"
    assert fetched.body.startswith(b"<!DOCTYPE html>")
    assert ARTICLE_HEADLINE in fetched.text


def test_fetched_page_extracts_headline_byline_and_date(local_server):
    fetched = fetch(local_server, "/article")

    extracted = extract_html(fetched.text, url=fetched.url)

    assert extracted.title == ARTICLE_HEADLINE
    assert extracted.byline == "Jane Doe"
    assert extracted.published_at == datetime.date(2017, 11, 22)
    assert extracted.text.split("\n\n")[-len(ARTICLE_PARAGRAPHS) :] == ARTICLE_PARAGRAPHS


def test_fetched_and_pasted_html_give_the_same_canonical_text(local_server):
    fetched = fetch(local_server, "/article")
    pasted = article_page()

    assert extract_html(fetched.text, url=fetched.url).text == extract_html(pasted).text


def test_declared_latin1_page_is_decoded(local_server):
    fetched = fetch(local_server, "/latin1")

    assert fetched.charset == "cp1252"  # browsers read iso-8859-1 as windows-1252
    assert "Café società" in fetched.text


def test_plain_text_page(local_server):
    fetched = fetch(local_server, "/plain")

    assert fetched.content_type == "text/plain"
    assert fetched.text == "Plain headline\n\nA plain paragraph.\n"


def test_original_host_header_is_sent(local_server):
    fetched = fetch(local_server, "/echo-host")

    assert fetched.text == f"127.0.0.1:{local_server.port}"


def test_connects_to_the_vetted_ip_and_sends_the_name_as_host(
    local_server, monkeypatch, connections
):
    """DNS rebinding: the name is resolved once, and the connection goes to that IP."""
    real_getaddrinfo = socket.getaddrinfo
    answers = iter(["127.0.0.1", "10.0.0.9", "10.0.0.9"])  # a rebinding resolver

    def rebinding(host, port, *args, **kwargs):
        if host == "news.example":
            return real_getaddrinfo(next(answers), port, *args, **kwargs)
        return real_getaddrinfo(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", rebinding)

    fetched = fetch_url(f"http://news.example:{local_server.port}/echo-host", allow_loopback=True)

    assert fetched.text == f"news.example:{local_server.port}"
    assert connections == [("127.0.0.1", local_server.port)]


# --- redirects ------------------------------------------------------------------------------


def test_three_redirects_are_followed(local_server):
    fetched = fetch(local_server, "/chain/3")

    assert fetched.url == local_server.url("/chain/0")
    assert ARTICLE_HEADLINE in fetched.text


def test_exactly_max_redirects_is_allowed(local_server):
    assert fetch(local_server, "/chain/5").url == local_server.url("/chain/0")


def test_six_redirects_are_refused(local_server):
    with pytest.raises(FetchError) as caught:
        fetch(local_server, "/chain/6")

    assert "redirected more than 5 times" in caught.value.message
    assert caught.value.field == "url"


def test_max_redirects_is_configurable(local_server):
    with pytest.raises(FetchError, match="more than 1 times"):
        fetch(local_server, "/chain/2", max_redirects=1)


def test_redirect_to_private_address_is_refused_before_connecting(local_server, connections):
    with pytest.raises(BlockedAddress) as caught:
        fetch(local_server, "/to-private")

    assert "private network (10.0.0.1)" in caught.value.message
    assert caught.value.status == 400
    assert all(host == "127.0.0.1" for host, _ in connections)


def test_redirect_to_metadata_service_is_refused(local_server, connections):
    with pytest.raises(BlockedAddress, match="metadata"):
        fetch(local_server, "/to-metadata")

    assert all(host == "127.0.0.1" for host, _ in connections)


def test_redirect_to_ftp_is_refused(local_server):
    with pytest.raises(BadURL, match="http:// or https://"):
        fetch(local_server, "/to-ftp")


# --- refused content --------------------------------------------------------------------------


def test_pdf_content_type_is_refused_naming_the_type(local_server):
    with pytest.raises(UnsupportedContentType) as caught:
        fetch(local_server, "/pdf")

    assert caught.value.status == 415
    assert "application/pdf" in caught.value.message


def test_missing_content_type_is_refused(local_server):
    with pytest.raises(UnsupportedContentType, match="no content type"):
        fetch(local_server, "/no-type")


def test_binary_body_labelled_html_is_refused(local_server):
    with pytest.raises(NotText) as caught:
        fetch(local_server, "/binary-as-html")

    assert caught.value.status == 415
    assert caught.value.field == "url"


def test_huge_streamed_body_stops_at_the_cap(local_server):
    started = time.monotonic()

    with pytest.raises(TooLarge) as caught:
        fetch(local_server, "/huge")

    assert caught.value.status == 413
    assert "5 MB" in caught.value.message
    assert time.monotonic() - started < 5


def test_declared_content_length_over_the_cap_is_refused_up_front(local_server):
    with pytest.raises(TooLarge):
        fetch(local_server, "/huge-declared")


def test_smaller_cap(local_server):
    with pytest.raises(TooLarge, match="1 KB"):
        fetch(local_server, "/article", max_bytes=1000)


@pytest.mark.parametrize(("path", "status"), [("/missing", "404"), ("/broken", "500")])
def test_error_status_names_the_status(local_server, path, status):
    with pytest.raises(FetchError) as caught:
        fetch(local_server, path)

    assert status in caught.value.message
    assert caught.value.status == 400


# --- timeouts ---------------------------------------------------------------------------------


def test_slow_server_hits_the_read_timeout(local_server):
    started = time.monotonic()

    with pytest.raises(FetchError) as caught:
        fetch(local_server, "/slow", read_timeout=0.5)

    assert "stopped answering for 0.5 seconds" in caught.value.message
    assert time.monotonic() - started < SLOW_SECONDS


def test_trickling_body_hits_the_total_deadline(local_server):
    started = time.monotonic()

    with pytest.raises(FetchError) as caught:
        fetch(local_server, "/trickle", read_timeout=0.5, total_timeout=1.0)

    elapsed = time.monotonic() - started
    assert "took longer than 1 second" in caught.value.message
    assert 0.9 < elapsed < 2


def test_unreachable_port_gives_a_clear_error(closed_port):
    with pytest.raises(FetchError) as caught:
        fetch_url(f"http://127.0.0.1:{closed_port}/", allow_loopback=True)

    assert caught.value.message == "Could not reach 127.0.0.1: the connection was refused."


def test_connect_timeout_message(monkeypatch):
    def timing_out(*args, **kwargs):
        raise TimeoutError("timed out")

    monkeypatch.setattr(socket, "create_connection", timing_out)

    with pytest.raises(FetchError) as caught:
        fetch_url("http://127.0.0.1:9/", allow_loopback=True)

    assert caught.value.message == (
        "Could not reach 127.0.0.1: the connection timed out after 5 seconds."
    )


def test_unknown_host_gives_a_clear_error():
    with pytest.raises(FetchError, match="does not resolve"):
        fetch_url("http://no-such-host.invalid/")


# --- the SSRF guard -------------------------------------------------------------------------


def test_loopback_is_refused_without_allow_loopback(local_server, connections):
    with pytest.raises(BlockedAddress) as caught:
        fetch_url(local_server.url("/article"))

    assert "127.0.0.1" in caught.value.message
    assert connections == []


@pytest.mark.parametrize(
    "url",
    [
        "http://localhost/",
        "http://[::1]/",
        "http://0x7f.1/",
        "http://2130706433/",
        "http://127.1/",
        "http://10.0.0.5/",
        "http://172.16.3.4/",
        "http://192.168.1.1/",
        "http://100.64.0.1/",
        "http://169.254.169.254/latest/meta-data/",
        "http://[fd00:ec2::254]/",
        "http://[fe80::1]/",
        "http://[fc00::1]/",
        "http://[::ffff:10.0.0.1]/",
        "http://[::ffff:127.0.0.1]/",
        "http://0.0.0.0/",
        "http://224.0.0.1/",
        "http://240.0.0.1/",
        "http://255.255.255.255/",
    ],
)
def test_internal_addresses_are_refused_before_connecting(url, connections):
    with pytest.raises(BlockedAddress) as caught:
        fetch_url(url)

    assert caught.value.status == 400
    assert caught.value.field == "url"
    assert "which factcheck does not fetch from" in caught.value.message
    assert connections == []


def test_private_address_message():
    with pytest.raises(BlockedAddress) as caught:
        fetch_url("http://10.0.0.5/")

    assert caught.value.message == (
        "That address points to a private network (10.0.0.5), which factcheck does not fetch from."
    )


def test_any_blocked_address_among_several_refuses(monkeypatch, connections):
    def mixed(host, port, *args, **kwargs):
        return [
            (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.215.14", port)),
            (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.1.2.3", port)),
        ]

    monkeypatch.setattr(socket, "getaddrinfo", mixed)

    with pytest.raises(BlockedAddress, match="10.1.2.3"):
        fetch_url("http://mixed.example/")

    assert connections == []


def test_allow_loopback_does_not_open_private_networks():
    with pytest.raises(BlockedAddress):
        fetch_url("http://10.0.0.5/", allow_loopback=True)


@pytest.mark.parametrize(
    ("address", "blocked"),
    [
        ("93.184.215.14", False),
        ("2606:2800:21f:cb07:6820:80da:af6b:8b2c", False),
        ("8.8.8.8", False),
        ("64:ff9b::a00:1", True),  # NAT64 of 10.0.0.1
        ("2002:a00:1::", True),  # 6to4 of 10.0.0.1
        ("198.18.0.1", True),
        ("192.0.2.1", True),
        ("fec0::1", True),
    ],
)
def test_blocked_reason(address, blocked):
    import ipaddress

    assert (_blocked_reason(ipaddress.ip_address(address), allow_loopback=False) is not None) is (
        blocked
    )


@pytest.mark.parametrize(
    ("url", "fragment"),
    [
        ("ftp://example.org/file", "http:// or https://"),
        ("file:///etc/passwd", "http:// or https://"),
        ("javascript:alert(1)", "http:// or https://"),
        ("gopher://example.org/", "http:// or https://"),
        ("example.org/story", "http:// or https://"),
        ("http://user:secret@example.org/", "user name or password"),
        ("http://:@example.org/", "user name or password"),
        ("http:///path", "no host"),
        ("http://example.org:99999/", "not valid"),
        ("http://exa mple.org/", "spaces"),
        ("", "Enter the web address"),
    ],
)
def test_bad_urls_are_refused(url, fragment, connections):
    with pytest.raises(BadURL) as caught:
        fetch_url(url)

    assert fragment in caught.value.message
    assert caught.value.field == "url"
    assert connections == []


# --- https ----------------------------------------------------------------------------------


@pytest.fixture
def news_example_is_loopback(monkeypatch):
    """Resolve news.example to 127.0.0.1, as a public name pointing at our test server."""
    real_getaddrinfo = socket.getaddrinfo

    def resolve(host, port, *args, **kwargs):
        return real_getaddrinfo(
            "127.0.0.1" if host == "news.example" else host, port, *args, **kwargs
        )

    monkeypatch.setattr(socket, "getaddrinfo", resolve)


def test_https_sends_sni_and_checks_the_certificate_against_the_name(
    tls_server, news_example_is_loopback, monkeypatch, connections
):
    import ssl

    import annotations.ingest.fetch as fetch_module

    monkeypatch.setattr(
        fetch_module, "_ssl_context", lambda: ssl.create_default_context(cafile=tls_server.cafile)
    )

    fetched = fetch_url(f"https://news.example:{tls_server.port}/echo-host", allow_loopback=True)

    assert fetched.text == f"news.example:{tls_server.port}"
    assert tls_server.sni_names[-1] == "news.example"
    assert connections == [("127.0.0.1", tls_server.port)]


def test_https_with_an_untrusted_certificate_is_refused(tls_server, news_example_is_loopback):
    with pytest.raises(FetchError) as caught:
        fetch_url(f"https://news.example:{tls_server.port}/article", allow_loopback=True)

    assert caught.value.message.startswith("Could not connect securely to news.example")
    assert "certificate" in caught.value.message
