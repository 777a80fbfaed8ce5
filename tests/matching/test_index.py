"""Matching engine: the query rule, the fused ranking on a small fixture, storage, languages."""

import numpy as np
import pytest

from annotations.matching import (
    MatchIndex,
    embed_query,
    from_bytes,
    query_text,
    to_bytes,
    tokenize,
)
from annotations.matching.index import fuse

from .conftest import CHECKS, PARAPHRASES


def test_query_is_statement_sentence_and_claimant_not_the_bare_quote():
    query = query_text(
        statement="Unemployment among Black Americans is at a record low.",
        sentence="He said Black unemployment had hit at least five record lows this year.",
        claimant="Donald Trump",
    )
    assert query == (
        "Unemployment among Black Americans is at a record low. "
        "He said Black unemployment had hit at least five record lows this year. "
        "Donald Trump"
    )


def test_query_says_the_statement_once_when_it_is_the_sentence():
    sentence = "Wind turbines cause cancer, the senator said."
    assert query_text(sentence, "  " + sentence + "\n", "") == sentence
    # A statement inside its sentence is not repeated; nor is a claimant the text names.
    assert query_text("Wind turbines cause cancer", sentence, "the senator") == sentence
    assert query_text("", "", "") == ""


def test_tokens_are_lowercased_unicode_words_without_links():
    assert tokenize("Über-Café 5G! https://t.co/x pic.twitter.com/abc ¿Qué?") == [
        "uber",
        "cafe",
        "5g",
        "que",
    ]
    assert tokenize("الأخبار الكاذبة") == ["الاخبار", "الكاذبة"]


@pytest.mark.parametrize(("query", "expected"), PARAPHRASES)
def test_the_right_check_comes_first_for_a_paraphrase(index, query, expected):
    hits = index.search(query, k=5)
    assert hits[0].id == expected, hits
    assert len(hits) == 5
    assert 0 < hits[-1].score <= hits[0].score <= 1
    assert hits[0].semantic_rank is not None


def test_a_spanish_and_a_french_query_find_their_english_check(index):
    spanish = index.search("Bill Gates quiere implantar microchips con la vacuna del covid")
    assert spanish[0].id == 102
    french = index.search("Les antennes 5G propagent le coronavirus")
    assert french[0].id == 109


def test_bm25_alone_works_without_the_embedding_model(monkeypatch):
    import annotations.matching.embedding as embedding

    def refuse(*args, **kwargs):
        raise AssertionError("the model must not be loaded")

    monkeypatch.setattr(embedding, "_get_model", refuse)
    index = MatchIndex.build(CHECKS, None)
    hits = index.search("Did a con man sell the Eiffel Tower?", k=3)
    assert hits[0].id == 103
    assert hits[0].semantic_rank is None and hits[0].lexical_rank == 1
    assert hits[0].score == 1.0
    assert index.search("zzzz qqqq") == []
    assert index.search("   ") == []
    assert MatchIndex.build([], None).search("anything") == []


def test_a_given_query_vector_is_used_as_is(index, check_vectors):
    # The stored vector of check 107 as the query: that check is first on meaning.
    hits = index.search("carrots", query_embedding=check_vectors[6])
    assert hits[0].id == 107
    assert hits[0].lexical_rank == 1 and hits[0].semantic_rank == 1
    assert hits[0].score == 1.0


def test_vectors_round_trip_through_bytes(check_vectors):
    vector = embed_query("Do carrots help you see in the dark?")
    assert vector.dtype == np.float32 and vector.shape == (384,)
    assert abs(float(np.linalg.norm(vector)) - 1) < 1e-5
    data = to_bytes(vector)
    assert len(data) == 384 * 4
    back = from_bytes(data)
    assert back.dtype == np.float32
    assert np.array_equal(back, vector)
    assert check_vectors.dtype == np.float32 and check_vectors.shape == (len(CHECKS), 384)


def test_embeddings_must_have_one_row_per_check(check_vectors):
    with pytest.raises(ValueError, match="one row per doc"):
        MatchIndex.build(CHECKS[:3], check_vectors)


def test_fusion_rewards_agreement_and_reads_0_to_1():
    fused = fuse([1, 2, 3], [2, 1, 4], k=4, rrf_k=60)
    rows = [row for row, *_ in fused]
    assert rows[:2] == [2, 1]  # tie on RRF: the better semantic rank wins
    assert {row for row in rows} == {1, 2, 3, 4}
    assert all(0 < score <= 1 for _, score, _, _ in fused)
    assert fuse([], [], k=5) == []
    assert fuse([7], [], k=5) == [(7, 1.0, 1, None)]


def test_a_query_first_in_a_fresh_process_loads_the_model_once():
    # The first call of a process may be a query (a web worker): it loads the model itself.
    import subprocess
    import sys
    from pathlib import Path

    code = (
        "from annotations.matching import embed_query, load_seconds;"
        "v = embed_query('hello'); w = embed_query('world');"
        "print(v.shape, load_seconds() is not None)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert done.stdout.strip() == "(384,) True"


def test_the_vector_cache_is_keyed_by_texts_and_model(tmp_path, monkeypatch):
    from annotations.matching import embedding

    first, hit = embedding.cached_passage_embeddings(["a check", "another"], tmp_path)
    assert not hit
    again, hit = embedding.cached_passage_embeddings(["a check", "another"], tmp_path)
    assert hit and np.array_equal(first, again)
    _, hit = embedding.cached_passage_embeddings(["a check", "changed"], tmp_path)
    assert not hit
    monkeypatch.setattr(embedding, "MODEL_VERSION", "another-model")
    _, hit = embedding.cached_passage_embeddings(["a check", "another"], tmp_path)
    assert not hit
    assert len(list(tmp_path.glob("matching-*.npy"))) == 3
