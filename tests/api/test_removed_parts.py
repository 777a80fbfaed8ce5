"""The API lists what loading removed, piece by piece, with where each piece stood."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from tests.services.test_keep_removed import CHROME_PAGE

pytestmark = pytest.mark.django_db


def test_loaded_html_lists_each_removed_piece_with_its_kind_and_place(editor):
    api = APIClient()
    api.force_authenticate(editor)

    response = api.post("/api/v1/articles/", {"html": CHROME_PAGE}, format="json")

    assert response.status_code == 201
    revision = response.json()["current_revision"]
    parts = revision["removed_parts"]
    assert [part["kind"] for part in parts] == [
        "navigation", "advertisement", "newsletter", "share", "comments", "sidebar", "footer"
    ]  # fmt: skip
    assert parts[0]["at"] == 0
    assert revision["text"][parts[2]["at"] :].startswith("The decision passed")
    assert revision["removed"] == "\n\n".join(part["text"] for part in parts)
    assert [part["n"] for part in parts] == list(range(7))
