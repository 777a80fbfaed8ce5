"""evaluate_matching on tiny TSV files in the lab's format. It touches no database."""

import io
import re

from django.core.management import call_command

from .conftest import CHECKS, PARAPHRASES


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
    assert any(line.startswith("lexical (BM25): MAP@5") for line in lines)
    assert any(line.startswith("semantic (e5): MAP@5") for line in lines)
    assert lines[-1] == "MAP@5 0.889"  # 8 of 9 first; the 9th has nothing to find
    # The corpus vectors were cached, keyed by the texts and the model version.
    assert len(list((tmp_path / "cache").glob("matching-*.npy"))) == 1
    again = run(tmp_path, "--limit", "3")
    assert any("read from the cache" in line for line in again)
    assert any("(3 judged queries)" in line for line in again)


def test_evaluate_lexical_only(tmp_path):
    lines = run(tmp_path, "--lexical-only")
    assert re.fullmatch(r"MAP@5 0\.\d{3}", lines[-1]), lines
    assert not (tmp_path / "cache").exists()
