"""CSV export: one row per claim, filters, RFC 4180, BOM, formula neutralising, streaming."""

from __future__ import annotations

import csv
import io

import pytest
from django.http import StreamingHttpResponse

from annotations.models import Claim
from tests.api.fixtures import helpers
from tests.api.fixtures.helpers import QUOTES, make_approved, make_claim, make_claims

ed_api = helpers.ed_api
outsider_api = helpers.outsider_api

pytestmark = pytest.mark.django_db
URL = "/api/v1/export/claims.csv"


def read_csv(response) -> list[dict[str, str]]:
    assert isinstance(response, StreamingHttpResponse)
    raw = b"".join(response.streaming_content)
    assert raw.startswith(b"\xef\xbb\xbf"), "UTF-8 byte-order mark for spreadsheets"
    text = raw.decode("utf-8-sig")
    assert "\r\n" in text
    return list(csv.DictReader(io.StringIO(text, newline="")))


def test_one_row_per_claim_with_every_column(ed_api, demo_article, editor, reviewer):
    demo_article.url = "https://edition.example.com/defector"
    demo_article.save()
    approved = make_approved(demo_article, editor, reviewer)
    make_claim(demo_article, editor, QUOTES[1])
    response = ed_api.get(URL)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    rows = read_csv(response)
    assert len(rows) == 2
    row = next(r for r in rows if r["claim_id"] == str(approved.pk))
    assert row["article_headline"] == demo_article.title  # curly apostrophe intact
    assert "’" in row["article_headline"]
    assert row["article_url"] == "https://edition.example.com/defector"
    assert row["quote"] == QUOTES[0]
    assert int(row["end"]) - int(row["start"]) == len(QUOTES[0])
    assert row["verdict"] == "Mostly true" and row["rating_value"] == "5"
    assert row["status"] == "approved"
    assert row["sources"] == "supports: Hospital briefing <https://example.org/hospital-briefing>"
    assert row["reviewer"] == "rev"
    assert row["created_by"] == "ed"
    assert row["reviewed_at"] and row["created_at"]


def test_filters_apply_and_bad_values_are_400_json(ed_api, demo_article, editor, reviewer):
    make_approved(demo_article, editor, reviewer)
    make_claim(demo_article, editor, QUOTES[1])
    assert len(read_csv(ed_api.get(URL + "?status=approved"))) == 1
    response = ed_api.get(URL + "?verdict=nonsense")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert "verdict" in response.json()


def test_formula_cells_are_neutralised_and_quotes_escaped(ed_api, demo_article, editor):
    make_claim(
        demo_article,
        editor,
        QUOTES[0],
        statement='=HYPERLINK("http://evil.example","click")',
        claimant="@attacker",
        explanation='-2+3 and a "quoted", comma\nnew line',
    )
    (row,) = read_csv(ed_api.get(URL))
    assert row["statement"] == '\'=HYPERLINK("http://evil.example","click")'
    assert row["claimant"] == "'@attacker"
    assert row["explanation"] == '\'-2+3 and a "quoted", comma\nnew line'


def test_deleted_claims_are_not_exported(ed_api, demo_article, editor):
    from annotations.services.claims import claim_delete

    claim_delete(claim=make_claim(demo_article, editor), user=editor)
    assert read_csv(ed_api.get(URL)) == []


@pytest.mark.parametrize("rows", [5, 50])
def test_query_count_does_not_grow(rows, ed_api, demo_article, editor, django_assert_num_queries):
    make_claims(demo_article, editor, rows)
    # 6 queries: token+user+roles; in a transaction of its own (a savepoint inside the
    # test's): SAVEPOINT, SET LOCAL jit = off, the claims' lines written by PostgreSQL's
    # COPY with their sources and confirmed earlier checks joined in SQL, then ROLLBACK TO
    # and RELEASE the savepoint (the export writes nothing; the rollback undoes the SET)
    with django_assert_num_queries(6) as captured:
        assert len(read_csv(ed_api.get(URL))) == rows
    copies = [q["sql"] for q in captured.captured_queries if q["sql"].startswith("COPY")]
    assert len(copies) == 1 and copies[0].endswith("TO STDOUT WITH (FORMAT csv)")


def test_outsider_and_wrong_accept(outsider_api, ed_api, demo_article):
    assert outsider_api.get(URL).status_code == 403
    response = ed_api.get(URL, HTTP_ACCEPT="application/xml")
    assert response.status_code == 406
    assert "text/csv" in response.json()["detail"]


def test_each_columns_cell_rule_matches_its_model_field():
    """The CSV presenter names each column's cell rule instead of reading the model (it
    imports no django.db); this keeps the two from drifting apart."""
    from django.core.exceptions import FieldDoesNotExist
    from django.db import models

    from annotations.models import Claim
    from annotations.presenters.csv import CHOICE, COLUMNS, FORMULA_START, PLAIN, TEXT, TIME

    for header, path, kind in COLUMNS:
        model, field = Claim, None
        try:
            for name in path.split("__"):
                field = model._meta.get_field(name)
                model = field.related_model
        except FieldDoesNotExist:
            field = None  # an annotation of the selector, such as sources_joined: text
        if field is not None and field.choices and kind == CHOICE:
            # Written as they are: the database holds only the choices, and none of them
            # needs neutralising or quoting.
            constraints = {c.name for c in Claim._meta.constraints}
            assert f"claim_{path}_valid" in constraints, header
            for value, _ in field.choices:
                assert not value.startswith(FORMULA_START), (header, value)
                assert not set(value) & set('",\r\n'), (header, value)
            expected = CHOICE
        elif isinstance(field, models.DateTimeField):
            expected = TIME
        elif field is None or isinstance(field, models.CharField | models.TextField):
            expected = TEXT
        else:
            expected = PLAIN
        assert kind == expected, header


# --- "Checked before?": confirmed earlier checks (issue 13) -------------------------------


def test_checked_before_holds_the_confirmed_earlier_checks_urls(
    ed_api, demo_article, editor, reviewer
):
    from annotations.models import KnownCheck

    known = helpers.import_known_checks(editor)
    published = make_approved(demo_article, editor, reviewer, QUOTES[1])
    claim = make_claim(demo_article, editor, QUOTES[0])
    other = make_claim(demo_article, editor, QUOTES[2])
    helpers.confirm(claim, editor, known_check=known[helpers.DEFECTOR_CHECK])
    helpers.confirm(claim, reviewer, earlier_claim=published)
    wind = KnownCheck.objects.get(url__contains="wind")
    helpers.confirm(claim, editor, known_check=wind, decision="not_same")
    rows = {int(r["claim_id"]): r for r in read_csv(ed_api.get(URL))}
    assert list(rows[claim.pk]).index("checked_before") == list(rows[claim.pk]).index("sources") + 1
    first, second = rows[claim.pk]["checked_before"].split(" | ")
    assert first == helpers.DEFECTOR_CHECK  # oldest answer first; "not the same" left out
    assert second.startswith("http")
    assert second.endswith(f"/published/{demo_article.pk}/#claim-{published.pk}")
    assert rows[other.pk]["checked_before"] == ""
    assert rows[published.pk]["checked_before"] == ""


def test_checked_before_is_in_the_one_query_whatever_the_chunk_size(
    ed_api, demo_article, editor, monkeypatch, django_assert_num_queries
):
    from annotations.selectors import exports

    known = helpers.import_known_checks(editor)
    claims = make_claims(demo_article, editor, 5)
    for claim in claims[::2]:
        helpers.confirm(claim, editor, known_check=known[helpers.DEFECTOR_CHECK])
    monkeypatch.setattr(exports, "CHUNK_SIZE", 2)
    # 6 queries: token+user+roles, SAVEPOINT, SET LOCAL, the one COPY of the lines with
    # their confirmed earlier checks, ROLLBACK TO and RELEASE the savepoint
    with django_assert_num_queries(6):
        response = ed_api.get(URL)
        pieces = list(response.streaming_content)
    assert len(pieces) == 1 + 3, "the header, then a piece per 2 lines"
    assert all(piece.endswith(b"\r\n") for piece in pieces), "whole lines in every piece"
    rows = list(csv.DictReader(io.StringIO(b"".join(pieces).decode("utf-8-sig"), newline="")))
    cells = {int(r["claim_id"]): r["checked_before"] for r in rows}
    assert cells == {
        c.pk: (helpers.DEFECTOR_CHECK if i % 2 == 0 else "") for i, c in enumerate(claims)
    }


def test_without_server_side_cursors_the_export_is_the_same(
    ed_api, demo_article, editor, reviewer, monkeypatch, django_assert_num_queries
):
    """PgBouncer in transaction mode (DATABASE_POOL_MODE=transaction) disables server-side
    cursors: COPY needs none, and JIT is off for its own transaction only."""
    from django.db import connection

    make_approved(demo_article, editor, reviewer)
    make_claims(demo_article, editor, 3)
    expected = b"".join(ed_api.get(URL).streaming_content)
    monkeypatch.setitem(connection.settings_dict, "DISABLE_SERVER_SIDE_CURSORS", True)
    # 6 queries: token+user+roles, and in a transaction (a savepoint inside the test's):
    # SAVEPOINT, SET LOCAL jit = off, the lines, ROLLBACK TO SAVEPOINT, RELEASE SAVEPOINT
    with django_assert_num_queries(6) as captured:
        body = b"".join(ed_api.get(URL).streaming_content)
    assert body == expected
    sql = [q["sql"] for q in captured.captured_queries]
    assert "SET LOCAL jit = off" in sql
    assert not [q for q in sql if q.startswith(("RESET", "DECLARE"))]


def test_line_ends_inside_quoted_cells_are_kept_and_lines_end_in_crlf(ed_api, demo_article, editor):
    """COPY ends each row with LF; only that LF becomes CRLF. A cell's own line breaks,
    LF, CRLF or CR, are written as they are, inside its quotes (as the csv module wrote)."""
    claim = make_claims(demo_article, editor, 1)[0]
    Claim.objects.filter(pk=claim.pk).update(
        explanation='One\nTwo\r\nThree\rFour, "five"', claimant="x\n"
    )
    body = b"".join(ed_api.get(URL).streaming_content).decode("utf-8-sig")
    header, line = body.split("\r\n", 1)
    assert header.startswith("claim_id,")
    assert '"One\nTwo\r\nThree\rFour, ""five"""' in line
    assert ',"x\n",' in line
    assert line.endswith("\r\n") and line.count("\r\n") == 2, "the cell's CRLF, the line's"
    assert read_csv(ed_api.get(URL))[0]["explanation"] == 'One\nTwo\r\nThree\rFour, "five"'


def test_a_row_copy_sent_in_two_parts_stops_the_export():
    """libpq hands COPY data over a row at a time; were it ever otherwise, the export stops
    rather than turn a cell's LF into a line end."""
    import tempfile

    from annotations.selectors.exports import _CopiedLines

    with tempfile.SpooledTemporaryFile() as spool:
        lines = _CopiedLines(spool)
        lines.write(b"1,a\n")
        with pytest.raises(ValueError, match="part of a row"):
            lines.write(b'2,"half')


def test_the_session_keeps_its_jit_setting(ed_api, demo_article, editor):
    """JIT is off for the export's plan only: the connection's settings are as they were."""
    from django.db import connection

    make_claims(demo_article, editor, 2)
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('jit'), current_setting('cursor_tuple_fraction')")
        before = cursor.fetchone()
        assert len(read_csv(ed_api.get(URL))) == 2
        cursor.execute("SELECT current_setting('jit'), current_setting('cursor_tuple_fraction')")
        assert cursor.fetchone() == before


def test_an_export_larger_than_the_memory_spool_goes_through_disk(
    ed_api, demo_article, editor, monkeypatch
):
    """The lines wait for COPY to end in a spooled file: past SPOOL_IN_MEMORY it is on
    disk, and the file sent is the same."""
    import tempfile

    from annotations.selectors import exports

    make_claims(demo_article, editor, 7)
    expected = b"".join(ed_api.get(URL).streaming_content)
    spools = []

    class Watched(tempfile.SpooledTemporaryFile):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            spools.append(self)

    monkeypatch.setattr(exports, "SPOOL_IN_MEMORY", 100)
    monkeypatch.setattr(exports, "CHUNK_SIZE", 2)
    monkeypatch.setattr(exports.tempfile, "SpooledTemporaryFile", Watched)
    assert b"".join(ed_api.get(URL).streaming_content) == expected
    assert len(spools) == 1 and spools[0]._rolled, "written to disk"
