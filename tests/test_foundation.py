"""The ground everything stands on: PostgreSQL, the invariants it holds, the scale, roles."""

from __future__ import annotations

import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.db import IntegrityError, InternalError, connection, transaction
from django.db.models import ProtectedError

from annotations.models import Article, ArticleRevision, Claim, Verdict

ROOT = Path(__file__).resolve().parent.parent


def make_claim(article, **overrides):
    revision = article.current_revision
    start = revision.text.index("hit at least five times")
    fields = dict(
        article=article,
        revision=revision,
        exact="hit at least five times",
        start=start,
        end=start + len("hit at least five times"),
        created_by=article.created_by,
    )
    fields.update(overrides)
    return Claim.objects.create(**fields)


def test_the_database_is_postgresql_with_pg_trgm(db):
    assert connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        cursor.execute("SELECT similarity('defector', 'defectors')")
        assert cursor.fetchone()[0] > 0.5


def test_the_rating_scale_is_seeded_in_order(db):
    scale = list(Verdict.objects.values_list("slug", "rating_value"))
    assert scale == [
        ("true", 6),
        ("mostly-true", 5),
        ("half-true", 4),
        ("misleading", 3),
        ("mostly-false", 2),
        ("false", 1),
        ("unverifiable", 0),
    ]
    assert all(v.description and v.colour.startswith("#") for v in Verdict.objects.all())


def _contrast(hex_colour: str, ink: str = "#1b1f24") -> float:
    def luminance(h: str) -> float:
        channels = [int(h[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    a, b = sorted([luminance(hex_colour), luminance(ink)], reverse=True)
    return (a + 0.05) / (b + 0.05)


def test_verdict_colours_keep_text_readable(db):
    for verdict in Verdict.objects.all():
        assert _contrast(verdict.colour) >= 7, verdict.slug


def test_roles_exist_with_their_permissions(db):
    editor = Group.objects.get(name="editor")
    reviewer = Group.objects.get(name="reviewer")
    editor_perms = set(editor.permissions.values_list("codename", flat=True))
    reviewer_perms = set(reviewer.permissions.values_list("codename", flat=True))
    assert {"add_claim", "change_claim", "add_source", "add_articlerevision"} <= editor_perms
    assert "add_review" not in editor_perms
    assert "add_review" in reviewer_perms


def test_database_rejects_a_claim_whose_start_is_not_before_its_end(demo_article):
    # PostgreSQL checks constraints by name; either one names the broken offsets.
    broken = "claim_(start_before_end|offsets_match_quote)"
    with pytest.raises(IntegrityError, match=broken), transaction.atomic():
        make_claim(demo_article, start=10, end=9, exact="x")
    # Even with a quote whose length would fit, end must lie after start.
    with pytest.raises(IntegrityError, match="claim_"), transaction.atomic():
        make_claim(demo_article, start=10, end=10, exact="x")


def test_database_rejects_an_unknown_status(demo_article):
    with pytest.raises(IntegrityError, match="claim_status_valid"), transaction.atomic():
        make_claim(demo_article, status="published")
    assert not Claim.objects.exists()


def test_database_rejects_an_unknown_anchor_state(demo_article):
    with pytest.raises(IntegrityError, match="claim_anchor_state_valid"), transaction.atomic():
        make_claim(demo_article, anchor_state="lost")


def test_database_rejects_an_empty_quote(demo_article):
    with pytest.raises(IntegrityError), transaction.atomic():
        make_claim(demo_article, exact="", start=0, end=0)


def test_database_rejects_offsets_that_do_not_span_the_quote(demo_article):
    with pytest.raises(IntegrityError, match="claim_offsets_match_quote"), transaction.atomic():
        make_claim(demo_article, end=10_000)


def test_database_rejects_a_negative_start(demo_article):
    with pytest.raises(IntegrityError), transaction.atomic():
        make_claim(demo_article, start=-1, end=22)


def test_revisions_are_immutable_in_the_database(demo_article):
    revision = demo_article.current_revision
    with pytest.raises(InternalError, match="revision_is_immutable"), transaction.atomic():
        ArticleRevision.objects.filter(pk=revision.pk).update(text="rewritten")
    with pytest.raises((InternalError, ProtectedError)), transaction.atomic():
        ArticleRevision.objects.filter(pk=revision.pk).delete()
    revision.refresh_from_db()
    assert revision.text.startswith("Video shows North Korean defector")


def test_revision_numbers_are_unique_per_article(demo_article):
    revision = demo_article.current_revision
    with pytest.raises(IntegrityError, match="revision_number_unique"), transaction.atomic():
        ArticleRevision.objects.create(
            article=demo_article,
            number=revision.number,
            text="Another text.",
            input_format="text",
            content_hash="x",
            created_by=demo_article.created_by,
        )


def test_deleting_an_article_never_cascades_to_checked_work(demo_article):
    make_claim(demo_article)
    with pytest.raises(ProtectedError), transaction.atomic():
        Article.objects.filter(pk=demo_article.pk).delete()
    assert Claim.objects.filter(article=demo_article).count() == 1


def test_claim_changes_are_recorded_by_database_triggers(demo_article):
    claim = make_claim(demo_article)
    # A bulk update skips model code entirely; the trigger still records it.
    Claim.objects.filter(pk=claim.pk).update(claimant="Gen. James Marks")
    events = list(claim.events.order_by("pgh_id").values_list("pgh_label", "claimant"))
    assert events == [("insert", ""), ("update", "Gen. James Marks")]


# --- Management commands -----------------------------------------------------------------


def test_load_demo_loads_users_and_the_cleaned_article_once(db, settings):
    settings.DEBUG = True
    out = StringIO()
    call_command("load_demo", stdout=out)
    call_command("load_demo", stdout=StringIO())
    assert Article.objects.count() == 1
    article = Article.objects.get()
    assert article.title == "Video shows North Korean defector’s harrowing escape amid gunfire"
    text = article.current_revision.text
    assert text.endswith("violent infringement upon our dignified country.”")
    assert "Leave a Reply" not in text
    assert "Leave a Reply" in article.current_revision.removed
    assert "editor-demo-pass" in out.getvalue()
    assert "reviewer-demo-pass" in out.getvalue()
    # Known checks for "Checked before?", with their vectors, once.
    from annotations.models import KnownCheck
    from annotations.selectors.matches import index_reset, matches_for_text

    assert KnownCheck.objects.count() == 8
    assert not KnownCheck.objects.filter(embedding__isnull=True).exists()
    index_reset()
    found = matches_for_text("the defector was hit at least five times")
    assert found[0].url == "https://checks.example.org/demo/defector-shot-five-times"


def test_load_demo_refuses_to_run_without_debug(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("load_demo", stdout=StringIO())
    assert not Article.objects.exists()


def test_create_api_token_prints_a_working_token(editor, client):
    out = StringIO()
    call_command("create_api_token", "ed", stdout=out)
    key = out.getvalue().strip()
    assert len(key) == 40
    response = client.get("/api/v1/verdicts/", HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == 200


def test_create_api_token_refuses_an_unknown_user(db):
    with pytest.raises(CommandError, match="no user named 'ghost'"):
        call_command("create_api_token", "ghost", stdout=StringIO())


# --- Configuration from the environment -------------------------------------------------


def _run_manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    clean_env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    clean_env.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=clean_env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_a_malformed_database_url_stops_with_one_sentence():
    result = _run_manage("check", DATABASE_URL="mysql://root@localhost/x")
    assert result.returncode == 2
    assert "DATABASE_URL must be a PostgreSQL URL" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_missing_secret_key_with_debug_off_stops_with_one_sentence():
    result = _run_manage("check", DEBUG="0", DATABASE_URL="postgres://u@127.0.0.1:1/x")
    assert result.returncode == 2
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr
    assert "Traceback" not in result.stderr


def test_an_unreachable_database_stops_with_one_sentence():
    result = _run_manage("migrate", DATABASE_URL="postgres://u@127.0.0.1:1/x")
    assert result.returncode == 2
    assert "could not connect to the database named by DATABASE_URL" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_bad_debug_value_is_named():
    result = _run_manage("check", DEBUG="maybe", DATABASE_URL="postgres://u@127.0.0.1:1/x")
    assert result.returncode == 2
    assert "DEBUG must be one of" in result.stderr


def test_production_settings_pass_check_deploy():
    result = _run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="0",
        SECRET_KEY="k3J9x!q2Lm0pZr8TvW4yB6nH1cF5dG7sA9eU2iO4lP8kQ3wE6rT",
        ALLOWED_HOSTS="example.org",
        DATABASE_URL="postgres://u@127.0.0.1:1/x",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
