"""The sentence scorer: a logistic regression over TF-IDF terms and cues, in pure Python.

The trained weights live in ``model.json.gz`` beside this file (written by
``manage.py train_checkworthiness``). Scoring a sentence is a sparse dot product, so the
web process needs neither scikit-learn nor numpy.
"""

from __future__ import annotations

import gzip
import json
import math
from collections import Counter
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from .features import CUE_NAMES, featurize

__all__ = ["DEFAULT_ARTIFACT", "Model", "default_model", "rank_sentences"]

DEFAULT_ARTIFACT = Path(__file__).with_name("model.json.gz")
FORMAT = "factcheck-checkworthiness/1"


@dataclass(frozen=True)
class Model:
    """Weights of the scorer. ``words``/``chars`` map a term to ``(idf, weight)``."""

    intercept: float
    words: dict[str, tuple[float, float]]
    chars: dict[str, tuple[float, float]]
    cues: dict[str, float]
    meta: dict[str, Any] = field(default_factory=dict)

    def decision(self, features: tuple[Counter[str], Counter[str], dict[str, float]]) -> float:
        """The linear score of one featurized sentence."""
        words, chars, cue_values = features
        total = self.intercept + _group(words, self.words) + _group(chars, self.chars)
        weights = self.cues
        for name, value in cue_values.items():
            if value:
                total += weights.get(name, 0.0) * value
        return total

    def score_features(
        self, features: tuple[Counter[str], Counter[str], dict[str, float]]
    ) -> float:
        """Probability-like check-worthiness of one featurized sentence, 0..1."""
        return _sigmoid(self.decision(features))

    def score(self, sentence: str) -> float:
        """Probability-like check-worthiness of one sentence, 0..1."""
        return self.score_features(featurize(sentence))

    def to_json(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "meta": self.meta,
            "intercept": round(self.intercept, 6),
            "cues": {name: round(self.cues.get(name, 0.0), 6) for name in CUE_NAMES},
            "words": {t: [round(i, 4), _round(w)] for t, (i, w) in sorted(self.words.items())},
            "chars": {t: [round(i, 4), _round(w)] for t, (i, w) in sorted(self.chars.items())},
        }

    def save(self, path: Path) -> None:
        """Write the artifact (byte-for-byte deterministic for the same weights)."""
        data = json.dumps(self.to_json(), ensure_ascii=False, separators=(",", ":"))
        with path.open("wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as out:
            out.write(data.encode())

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Model:
        if data.get("format") != FORMAT:
            raise ValueError(f"not a check-worthiness model: {data.get('format')!r}")
        return cls(
            intercept=float(data["intercept"]),
            words={t: (float(i), float(w)) for t, (i, w) in data["words"].items()},
            chars={t: (float(i), float(w)) for t, (i, w) in data["chars"].items()},
            cues={k: float(v) for k, v in data["cues"].items()},
            meta=dict(data.get("meta", {})),
        )

    @classmethod
    def load(cls, path: Path) -> Model:
        with gzip.open(path, "rt", encoding="utf-8") as stream:
            return cls.from_json(json.load(stream))


def _round(value: float) -> float:
    return float(f"{value:.5g}")


def _group(counts: Counter[str], table: dict[str, tuple[float, float]]) -> float:
    """Dot product of the l2-normalised sublinear TF-IDF vector with the weights."""
    dot = 0.0
    norm = 0.0
    get = table.get
    for term, count in counts.items():
        entry = get(term)
        if entry is not None:
            value = entry[0] if count == 1 else (1.0 + math.log(count)) * entry[0]
            norm += value * value
            dot += value * entry[1]
    return dot / math.sqrt(norm) if norm else 0.0


def _sigmoid(z: float) -> float:
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


@cache
def default_model() -> Model:
    """The committed model, loaded once per process."""
    return Model.load(DEFAULT_ARTIFACT)


def rank_sentences(sentences: list[str], *, model: Model | None = None) -> list[float]:
    """Check-worthiness of each sentence (0..1), in order: the scorer ``suggest`` uses."""
    model = model or default_model()
    return [model.score(sentence) for sentence in sentences]
