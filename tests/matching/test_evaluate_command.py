"""evaluate_matching on tiny TSV files in the lab's format, through the API's matching code."""

import io
import re

import pytest
from django.core.management import CommandError, call_command

from annotations.models import KnownCheck

from .conftest import CHECKS, PARAPHRASES

pytestmark = pytest.mark.django_db


def write_fixture(folder):
    corpus = folder / "verified_claims.docs.tsv"
    lines = ["\tvclaim\ttitle"]
    for check_id, text in CHECKS:
        claim, _, title = text.partition(". ")
        lines.append(f'{check_id}\t"{claim}."\t{title}')
    corpus.write_text("\n".join(lines) + "\n", encoding="utf-8")
    # The last query's check is not in the corpus (withdrawn since it was judged): MAP < 1.
    pairs = [*PARAPHRASES, ("Our team won the derby 3-1 last night!", 999)]
    queries = folder / "tweets.queries.tsv"
    queries.write_text(
        "\ttweet_content\n"
        + "".join(f"{n}\t{text} https://t.co/abc\n" for n, (text, _) in enumerate(pairs)),
        encoding="utf-8",
    )
    qrels = folder / "tweet-vclaim-pairs.qrels"
    qrels.write_text("".join(f"{n}\t0\t{c}\t1\n" for n, (_, c) in enumerate(pairs)))
    return corpus, queries, qrels


def run(folder, *extra):
    corpus, queries, qrels = write_fixture(folder)
    out = io.StringIO()
    call_command(
        "evaluate_matching",
        "--corpus", str(corpus),
        "--queries", str(queries),
        "--qrels", str(qrels),
        "--cache-dir", str(folder / "cache"),
        *extra,
        stdout=out,
        stderr=io.StringIO(),
    )  # fmt: skip
    return out.getvalue().splitlines()


def test_evaluate_prints_the_figures_and_map_last(tmp_path):
    lines = run(tmp_path)
    assert re.fullmatch(r"MAP@5 0\.\d{3}", lines[-1]), lines
    assert re.fullmatch(r"Recall@5 \d\.\d{3}", lines[-2])
    assert any(line.startswith("fused (BM25 + e5): MAP@5") for line in lines)
    assert any(re.match(r"per query .*p50 \d+ ms, p95 \d+ ms", line) for line in lines)
    assert lines[-1] == "MAP@5 0.889"  # 8 of 9 first; the 9th has nothing to find
    assert not KnownCheck.objects.exists()  # the corpus was loaded and rolled back
    # The corpus vectors were cached, keyed by the texts and the model version.
    assert len(list((tmp_path / "cache").glob("matching-*.npy"))) == 1
    again = run(tmp_path, "--limit", "3")
    assert any("read from the cache" in line for line in again)
    assert any("(3 judged queries)" in line for line in again)


def test_evaluate_lexical_only(tmp_path):
    lines = run(tmp_path, "--lexical-only")
    assert re.fullmatch(r"MAP@5 0\.\d{3}", lines[-1]), lines
    assert any(line.startswith("lexical (BM25): MAP@5") for line in lines)
    assert not (tmp_path / "cache").exists()


def test_checks_already_in_the_database_are_ranked_but_not_scored(tmp_path):
    # A check that would take first place for the first paraphrase: skipped when scoring.
    first_text, _ = PARAPHRASES[0]
    KnownCheck.objects.create(claim_reviewed=first_text, url="https://elsewhere.test/1")
    lines = run(tmp_path)
    assert any("already holds 1 earlier checks" in line for line in lines)
    assert lines[-1] == "MAP@5 0.889"
    assert KnownCheck.objects.get().url == "https://elsewhere.test/1"


def test_unreadable_files_are_refused(tmp_path):
    with pytest.raises(CommandError, match="cannot read the files"):
        call_command(
            "evaluate_matching",
            "--corpus", str(tmp_path / "missing.tsv"),
            "--queries", str(tmp_path / "q.tsv"),
            "--qrels", str(tmp_path / "qrels"),
            stdout=io.StringIO(),
        )  # fmt: skip
