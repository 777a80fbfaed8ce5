"""The claim search's language: FACTCHECK_SEARCH_CONFIG, and the check that warns when the
index was built for another one (issue 16)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from annotations.apps import search_config_check
from annotations.models import Claim
from annotations.selectors.search import FULL_TEXT, claim_relevance, claim_search
from annotations.services.articles import article_load
from annotations.services.claims import claim_create

ROOT = Path(__file__).resolve().parent.parent


def test_the_default_is_english_from_language_code_and_no_warning(settings):
    assert settings.LANGUAGE_CODE == "en-us"
    assert settings.FACTCHECK_SEARCH_CONFIG == "english"
    assert search_config_check() == []


def test_another_language_warns_that_the_index_is_not_used(settings):
    settings.FACTCHECK_SEARCH_CONFIG = "german"
    (warning,) = search_config_check()
    assert warning.id == "annotations.W001"
    assert "'german'" in warning.msg and "without its index" in warning.msg


@pytest.mark.django_db
def test_search_follows_the_configured_language(settings, editor):
    article = article_load(user=editor, text="Die Soldaten wurden an der Grenze beschossen.")
    claim = claim_create(article=article, user=editor, selector={"exact": "an der Grenze"})

    def relevance() -> int:
        found = Claim.objects.filter(claim_search("Grenzen")).annotate(r=claim_relevance("Grenzen"))
        assert list(found) == [claim]
        return found[0].r

    # English stems "Grenzen" and "Grenze" apart: found as a close word only.
    assert relevance() < FULL_TEXT
    settings.FACTCHECK_SEARCH_CONFIG = "german"
    assert relevance() >= FULL_TEXT  # German stems both to "grenz": a full-text match


def test_an_unknown_configuration_stops_the_process_naming_the_setting():
    env = {**os.environ, "FACTCHECK_SEARCH_CONFIG": "klingon"}
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "factcheck.settings"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "FACTCHECK_SEARCH_CONFIG must be one of" in result.stderr
    assert "'klingon'" in result.stderr
