"""`python manage.py import_claimreviews FILE [--user NAME]`: the import service on a file."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command, execute_from_command_line
from django.core.management.base import CommandError
from django.db import connections

from annotations.models import KnownCheck

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).resolve().parent / "api" / "fixtures" / "known_checks"


def run(*args: str) -> str:
    out = StringIO()
    call_command("import_claimreviews", *args, stdout=out)
    return out.getvalue()


def test_a_good_file_imports_and_prints_the_report(editor):
    out = run(str(FIXTURES / "claimreviews.jsonld"), "--user", "ed")
    assert "2 created, 0 updated, 0 unchanged" in out
    assert set(KnownCheck.objects.values_list("imported_by__username", flat=True)) == {"ed"}
    again = run(str(FIXTURES / "claimreviews.jsonld"), "--items")
    assert "0 created, 0 updated, 2 unchanged" in again
    assert again.splitlines()[0].startswith("1\tunchanged\t")
    assert KnownCheck.objects.count() == 2


def test_a_page_and_fact_check_tools_results_import_without_a_user(db):
    assert "2 created" in run(str(FIXTURES / "page_with_jsonld.html"))
    assert "2 created" in run(str(FIXTURES / "factcheck_tools.json"))
    assert KnownCheck.objects.filter(imported_by=None).count() == 4


def test_a_bad_file_is_refused_and_nothing_is_written(tmp_path, db):
    items = json.loads((FIXTURES / "claimreviews.jsonld").read_text())
    items[1]["reviewRating"]["ratingValue"] = "lots"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(items))
    with pytest.raises(CommandError, match=r"item 2 \(https://verificado.example.org/"):
        run(str(bad))
    assert not KnownCheck.objects.exists()


def test_refusals_for_a_missing_file_an_unknown_user_and_a_user_without_a_role(outsider):
    with pytest.raises(CommandError, match="Cannot read"):
        run("/nonexistent/checks.json")
    with pytest.raises(CommandError, match="no user named 'ghost'"):
        run(str(FIXTURES / "claimreviews.jsonld"), "--user", "ghost")
    with pytest.raises(CommandError, match="Only editors and reviewers may import"):
        run(str(FIXTURES / "claimreviews.jsonld"), "--user", "nobody")
    assert not KnownCheck.objects.exists()


def test_bad_input_exits_with_status_1_and_the_message(tmp_path, capsys, monkeypatch):
    # As from the shell: Django turns the CommandError into the message and exit status 1.
    # (It closes the database connections on the way out; the test still needs its own.)
    monkeypatch.setattr(connections, "close_all", lambda: None)
    bad = tmp_path / "bad.json"
    bad.write_text('[{"@type": "ClaimReview", "url": "https://x.example/1", "claimReviewed": ""}]')
    with pytest.raises(SystemExit) as exited:
        execute_from_command_line(["manage.py", "import_claimreviews", str(bad)])
    assert exited.value.code == 1
    assert "item 1 (https://x.example/1): claimReviewed is missing or empty" in (
        capsys.readouterr().err
    )
    assert not KnownCheck.objects.exists()


def test_the_import_computes_the_vectors_with_progress_and_embed_finds_none_left(editor):
    err = StringIO()
    out = StringIO()
    call_command(
        "import_claimreviews", str(FIXTURES / "claimreviews.jsonld"), stdout=out, stderr=err
    )
    assert "2 matching vectors computed; 2 of 2 known checks have theirs." in out.getvalue()
    assert "vectors: 2 of 2" in err.getvalue()
    assert not KnownCheck.objects.filter(embedding__isnull=True).exists()
    again = StringIO()
    call_command("embed_known_checks", stdout=again, stderr=StringIO())
    assert "0 vectors computed; 2 of 2 known checks have their vector." in again.getvalue()


def test_no_vectors_leaves_them_to_embed_known_checks(db):
    out = run(str(FIXTURES / "claimreviews.jsonld"), "--no-vectors")
    assert "matching vectors" not in out
    assert KnownCheck.objects.filter(embedding__isnull=True).count() == 2
    later = StringIO()
    call_command("embed_known_checks", stdout=later, stderr=StringIO())
    assert "0 of 2 known checks have their vector." in later.getvalue().splitlines()[0]
    assert "2 vectors computed; 2 of 2" in later.getvalue()
