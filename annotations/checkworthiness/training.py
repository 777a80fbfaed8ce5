"""Training and measurement on CheckThat! 2019 Task 1 transcripts (needs scikit-learn).

Only the management commands and the bench import this module; the app scores with
:mod:`.model`, which is pure Python. Measurement always goes through
:func:`.model.rank_sentences`, the code ``suggest`` uses.
"""

from __future__ import annotations

import csv
import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from .features import CUE_NAMES, featurize
from .model import Model, rank_sentences

__all__ = [
    "Scores",
    "Transcript",
    "average_precision",
    "default_transcripts",
    "evaluate",
    "leave_one_out",
    "load_transcripts",
    "train",
]

DEFAULT_C = 0.3
_DATA = Path("shared") / "data" / "checkthat2019-task1" / "training"


def default_transcripts() -> Path:
    """The lab's training folder beside the checkout (``../shared/data/…``), or a worktree's."""
    root = Path(__file__).resolve().parents[2]
    for base in (root.parent, root.parent.parent):
        if (base / _DATA).is_dir():
            return base / _DATA
    return root.parent / _DATA


WORD_MIN_DF = 2
CHAR_MIN_DF = 3


@dataclass(frozen=True)
class Transcript:
    name: str
    sentences: list[str]
    labels: list[int]


@dataclass(frozen=True)
class Scores:
    """The lab's measures over transcripts: mean average precision, P@5, P@10."""

    map: float
    p5: float
    p10: float
    per_transcript: list[tuple[str, float]]

    def lines(self) -> list[str]:
        return [
            f"transcripts {len(self.per_transcript)}",
            f"P@5 {self.p5:.3f}",
            f"P@10 {self.p10:.3f}",
            f"MAP {self.map:.3f}",
        ]


def load_transcripts(folder: Path, *, subset: int | None = None, seed: int = 0) -> list[Transcript]:
    """Read ``line_number, speaker, text, label`` TSV files, sorted by name.

    ``subset`` keeps that many transcripts, chosen with ``seed``.
    """
    paths = sorted(Path(folder).glob("*.tsv"))
    if not paths:
        raise FileNotFoundError(f"no .tsv transcripts in {folder}")
    if subset is not None and subset < len(paths):
        paths = sorted(random.Random(seed).sample(paths, subset))
    transcripts = []
    for path in paths:
        sentences: list[str] = []
        labels: list[int] = []
        with path.open(encoding="utf-8", newline="") as stream:
            for row in csv.reader(stream, delimiter="\t", quoting=csv.QUOTE_NONE):
                if len(row) < 4:
                    continue
                sentences.append(row[2])
                labels.append(1 if row[3].strip() == "1" else 0)
        transcripts.append(Transcript(path.stem, sentences, labels))
    return transcripts


def average_precision(scores: Sequence[float], labels: Sequence[int]) -> float:
    """Average precision of a ranking (ties broken by position, as ``suggest`` does)."""
    order = sorted(range(len(scores)), key=lambda i: (-scores[i], i))
    hits = 0
    total = 0.0
    for rank, i in enumerate(order, start=1):
        if labels[i]:
            hits += 1
            total += hits / rank
    return total / hits if hits else 0.0


def precision_at(scores: Sequence[float], labels: Sequence[int], k: int) -> float:
    order = sorted(range(len(scores)), key=lambda i: (-scores[i], i))[:k]
    return sum(labels[i] for i in order) / k


def _measure(ranked: list[tuple[Transcript, list[float]]]) -> Scores:
    per = [(t.name, average_precision(s, t.labels)) for t, s in ranked]
    n = len(ranked)
    return Scores(
        map=sum(ap for _, ap in per) / n,
        p5=sum(precision_at(s, t.labels, 5) for t, s in ranked) / n,
        p10=sum(precision_at(s, t.labels, 10) for t, s in ranked) / n,
        per_transcript=per,
    )


def evaluate(transcripts: list[Transcript], model: Model | None = None) -> Scores:
    """Rank each transcript with the app's scorer and measure."""
    return _measure([(t, rank_sentences(t.sentences, model=model)) for t in transcripts])


class _Matrix:
    """Every sentence featurized once; per-fold vocabularies cut from one sparse matrix."""

    def __init__(self, transcripts: list[Transcript]) -> None:
        import numpy as np
        from scipy import sparse

        index: dict[str, int] = {}
        groups: list[int] = []  # 0 words, 1 chars
        rows: list[int] = []
        cols: list[int] = []
        values: list[float] = []
        cue_rows: list[list[float]] = []
        labels: list[int] = []
        owner: list[int] = []
        import math

        row = 0
        for number, transcript in enumerate(transcripts):
            for sentence, label in zip(transcript.sentences, transcript.labels, strict=True):
                words, chars, cue_values = featurize(sentence)
                for group, counts in ((0, words), (1, chars)):
                    for term, count in counts.items():
                        key = f"{group}{term}"
                        col = index.get(key)
                        if col is None:
                            col = index[key] = len(index)
                            groups.append(group)
                        rows.append(row)
                        cols.append(col)
                        values.append(1.0 + math.log(count))
                cue_rows.append([cue_values[name] for name in CUE_NAMES])
                labels.append(label)
                owner.append(number)
                row += 1
        self.terms = sorted(index, key=index.__getitem__)
        self.groups = np.array(groups, dtype=np.int8)
        self.tf = sparse.csr_matrix(
            (np.array(values), (np.array(rows), np.array(cols))), shape=(row, len(index))
        )
        self.cues = np.array(cue_rows, dtype=np.float64)
        self.labels = np.array(labels)
        self.owner = np.array(owner)

    def fit(self, keep_rows: Any, *, c: float, seed: int, meta: dict[str, Any]) -> Model:
        import numpy as np
        from scipy import sparse
        from sklearn.linear_model import LogisticRegression

        tf = self.tf[keep_rows]
        n = tf.shape[0]
        df = np.asarray((tf > 0).sum(axis=0)).ravel()
        min_df = np.where(self.groups == 0, WORD_MIN_DF, CHAR_MIN_DF)
        columns = np.flatnonzero(df >= min_df)
        idf = np.log((1.0 + n) / (1.0 + df[columns])) + 1.0
        blocks = []
        for group in (0, 1):
            mask = self.groups[columns] == group
            block = tf[:, columns[mask]] @ sparse.diags(idf[mask])
            norms = np.sqrt(np.asarray(block.multiply(block).sum(axis=1)).ravel())
            norms[norms == 0] = 1.0
            blocks.append(sparse.diags(1.0 / norms) @ block)
            blocks[-1] = (blocks[-1], columns[mask], idf[mask])
        x = sparse.hstack(
            [blocks[0][0], blocks[1][0], sparse.csr_matrix(self.cues[keep_rows])]
        ).tocsr()
        classifier = LogisticRegression(
            C=c, class_weight="balanced", solver="liblinear", random_state=seed, max_iter=1000
        )
        classifier.fit(x, self.labels[keep_rows])
        coef = classifier.coef_.ravel()
        offset = 0
        tables: list[dict[str, tuple[float, float]]] = []
        for _, cols, idfs in blocks:
            table = {
                self.terms[col][1:]: (float(i), float(w))
                for col, i, w in zip(cols, idfs, coef[offset : offset + len(cols)], strict=True)
            }
            tables.append(table)
            offset += len(cols)
        cue_coef = {name: float(w) for name, w in zip(CUE_NAMES, coef[offset:], strict=True)}
        return Model(
            intercept=float(classifier.intercept_[0]),
            words=tables[0],
            chars=tables[1],
            cues=cue_coef,
            meta=meta,
        )


def train(
    transcripts: list[Transcript],
    *,
    c: float = DEFAULT_C,
    seed: int = 0,
    meta: dict[str, Any] | None = None,
) -> Model:
    """Fit the scorer on all ``transcripts``."""
    import numpy as np

    matrix = _Matrix(transcripts)
    info = {
        "trained": date.today().isoformat(),
        "transcripts": [t.name for t in transcripts],
        "sentences": int(matrix.labels.size),
        "positives": int(matrix.labels.sum()),
        "C": c,
        "seed": seed,
        "word_min_df": WORD_MIN_DF,
        "char_min_df": CHAR_MIN_DF,
        **(meta or {}),
    }
    return matrix.fit(np.arange(matrix.labels.size), c=c, seed=seed, meta=info)


def _folds(
    transcripts: list[Transcript], c: float, seed: int
) -> Iterator[tuple[Transcript, Model]]:
    import numpy as np

    matrix = _Matrix(transcripts)
    for number, transcript in enumerate(transcripts):
        keep = np.flatnonzero(matrix.owner != number)
        yield transcript, matrix.fit(keep, c=c, seed=seed, meta={})


def leave_one_out(transcripts: list[Transcript], *, c: float = DEFAULT_C, seed: int = 0) -> Scores:
    """Train without each transcript in turn and rank it with that model."""
    return _measure(
        [(t, rank_sentences(t.sentences, model=model)) for t, model in _folds(transcripts, c, seed)]
    )
