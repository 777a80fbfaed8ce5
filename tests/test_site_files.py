"""Files every site is asked for: the icon, and the API docs page's basics."""

from __future__ import annotations

import re

import pytest
from django.contrib.staticfiles import finders
from django.test import Client

pytestmark = pytest.mark.django_db


def test_favicon_is_served_from_the_static_files():
    response = Client().get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"] == "/static/annotations/favicon.ico"
    assert "max-age=86400" in response["Cache-Control"]
    path = finders.find("annotations/favicon.ico")
    assert path, "the icon is missing from the static files"
    with open(path, "rb") as icon:
        assert icon.read(4) == b"\0\0\1\0"  # an ICO file's magic number


def test_favicon_refuses_other_methods():
    response = Client().post("/favicon.ico")
    assert response.status_code == 405


def test_api_docs_page_names_its_language_and_has_no_inline_code():
    response = Client().get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert re.search(r'<html lang="en">', html)
    assert "<style" not in html and "style=" not in html
    # Every script is a file: the start-up script comes from the same view with ?script.
    assert not re.search(r"<script>", html)
    (init,) = re.findall(r'<script src="([^"]*script[^"]*)"></script>', html)[-1:]
    script = Client().get(init.replace("&amp;", "&"))
    assert script.status_code == 200
    assert "SwaggerUIBundle" in script.content.decode()
