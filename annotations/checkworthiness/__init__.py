"""Check-worthiness: which spans of an article are worth checking (issue 14).

Pure Python and free of Django, so the web process, the API and the management commands
share it. ``training`` (scikit-learn) is imported only by the commands and the bench.
"""

from .model import Model, default_model, rank_sentences
from .sentences import Span, sentences
from .suggest import REASONS, Suggestion, suggest

__all__ = [
    "REASONS",
    "Model",
    "Span",
    "Suggestion",
    "default_model",
    "rank_sentences",
    "sentences",
    "suggest",
]
