"""Fixtures for the archive tests: the page server, loopback fetching allowed, a short
fetch timeout (the slow page), and claims whose sources point at the server."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.archive.pages import PageServer, page_server


@pytest.fixture
def pages(settings) -> Iterator[PageServer]:
    settings.FACTCHECK_FETCH_ALLOW_LOOPBACK = True
    settings.FACTCHECK_FETCH_TIMEOUT = 1
    with page_server() as server:
        yield server
