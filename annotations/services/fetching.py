"""Fetching a URL with the site's settings: one place for the timeout and loopback rule that
loading an article and archiving a source share (the fetcher itself, `ingest.fetch_url`,
reads no settings: it is an engine)."""

from __future__ import annotations

from typing import Any

from django.conf import settings

from annotations import ingest


def fetch_configured(url: str, **options: Any) -> ingest.Fetched:
    """`ingest.fetch_url` with the site's timeout and loopback rule; `options` add to it
    (the archive job takes any content type and the HTML size limit)."""
    timeout = settings.FACTCHECK_FETCH_TIMEOUT
    return ingest.fetch_url(
        url,
        allow_loopback=settings.FACTCHECK_FETCH_ALLOW_LOOPBACK,
        connect_timeout=min(5, timeout),
        read_timeout=timeout,
        total_timeout=timeout,
        **options,
    )
