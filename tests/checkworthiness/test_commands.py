"""train_checkworthiness and evaluate_checkworthiness on a few small transcripts.

The commands touch no database: no ``django_db`` mark.
"""

import io
import re
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command

from annotations.checkworthiness import Model, rank_sentences

#: Three of the lab's training transcripts, committed beside these tests (see its README),
#: so the retraining tests run on any checkout, never skipped.
SOURCE = Path(__file__).parent / "transcripts"
SMALL = ["20181010_medicare.tsv", "20190108_oval_office.tsv", "20170601_paris_climate_n.tsv"]


@pytest.fixture
def transcripts(tmp_path):
    source = SOURCE
    folder = tmp_path / "transcripts"
    folder.mkdir()
    for name in SMALL:
        shutil.copy(source / name, folder / name)
    return folder


def run(*args):
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_retraining_on_a_subset_is_reproducible(transcripts, tmp_path):
    first, second = tmp_path / "a.json.gz", tmp_path / "b.json.gz"
    for path in (first, second):
        run(
            "train_checkworthiness",
            f"--transcripts={transcripts}",
            f"--out={path}",
            "--subset=3",
            "--seed=7",
        )
    a, b = Model.load(first), Model.load(second)
    assert a.to_json() == b.to_json()
    assert a.words and a.chars and set(a.cues) >= {"number", "question", "opinion"}
    sentences = ["The deficit rose by $40 billion in 2018.", "Thank you all for coming."]
    assert rank_sentences(sentences, model=a) == rank_sentences(sentences, model=b)


def test_training_prints_its_leave_one_out_figures(transcripts, tmp_path):
    output = run(
        "train_checkworthiness", f"--transcripts={transcripts}", f"--out={tmp_path / 'm.json.gz'}"
    )
    assert "leave-one-transcript-out" in output
    assert re.search(r"^MAP 0\.\d{3}$", output.strip().splitlines()[-1])
    assert Model.load(tmp_path / "m.json.gz").meta["leave_one_out"]["MAP"] >= 0


def test_evaluation_ends_with_the_map_line(transcripts, tmp_path):
    model = tmp_path / "m.json.gz"
    run("train_checkworthiness", f"--transcripts={transcripts}", f"--out={model}", "--no-evaluate")
    lines = run(
        "evaluate_checkworthiness", f"--transcripts={transcripts}", f"--model={model}"
    ).splitlines()
    assert any(line.startswith("P@5 ") for line in lines)
    assert any(line.startswith("P@10 ") for line in lines)
    assert re.fullmatch(r"MAP 0\.\d{3}", lines[-1])


def test_leave_one_out_evaluation_ends_with_the_map_line(transcripts):
    lines = run(
        "evaluate_checkworthiness", f"--transcripts={transcripts}", "--leave-one-out"
    ).splitlines()
    assert len([line for line in lines if " AP " in line]) == 3
    assert re.fullmatch(r"MAP 0\.\d{3}", lines[-1])


def test_the_committed_model_scores_with_the_same_code():
    from annotations.checkworthiness import default_model

    model = default_model()
    assert model.meta["leave_one_out"]["MAP"] > 0.166
    assert rank_sentences(["Taxes rose 4% to $212 million."]) == [
        model.score("Taxes rose 4% to $212 million.")
    ]
