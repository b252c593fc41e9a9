"""Tagging comments with a codebook's themes: a phrase matches as a contiguous lemma sequence.

A theme lists phrases, one or more words each. Both the phrase and the comment are reduced to
lemmas (``lemmas.lemmas``), so «долго ждал» meets the phrase «долго ждать» and «ожидания»
meets «ожидание». A one-word phrase matches its lemma anywhere; a longer one only when its
lemmas stand next to each other in the comment, in order.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .lemmas import lemmas, stop_lemmas

MAX_PHRASE_WORDS = 6
MAX_PHRASE_CHARS = 200

PHRASE_EMPTY = "phrase_empty"
PHRASE_TOO_LONG = "phrase_too_long"
PHRASE_STOP_WORDS_ONLY = "phrase_stop_words_only"


@dataclass(frozen=True)
class ThemeSpec:
    """A theme as the matcher sees it: its key and its phrases (any language)."""

    key: str
    phrases: tuple[str, ...]


def phrase_problems(phrase: str) -> str | None:
    """A message key for a phrase that cannot work as written, or None when it is fine."""
    if len(phrase) > MAX_PHRASE_CHARS:
        return PHRASE_TOO_LONG
    words = lemmas(phrase)
    if not words:
        return PHRASE_EMPTY
    if len(words) > MAX_PHRASE_WORDS:
        return PHRASE_TOO_LONG
    if all(word in stop_lemmas() for word in words):
        return PHRASE_STOP_WORDS_ONLY
    return None


class Matcher:
    """Finds a codebook's themes in comments; each phrase is lemmatised once, here."""

    def __init__(self, themes: Sequence[ThemeSpec]) -> None:
        # First lemma → (the phrase's lemmas, theme key): a comment's lemma is looked up
        # once, and only phrases starting with it are compared further.
        self._by_first: dict[str, list[tuple[tuple[str, ...], str]]] = {}
        for theme in themes:
            for phrase in theme.phrases:
                words = tuple(lemmas(phrase))
                if words:
                    self._by_first.setdefault(words[0], []).append((words, theme.key))

    def match(self, text: str) -> frozenset[str]:
        """The keys of the themes one of whose phrases occurs in ``text``."""
        words = lemmas(text)
        found: set[str] = set()
        for start, word in enumerate(words):
            for phrase, key in self._by_first.get(word, ()):
                if key not in found and tuple(words[start : start + len(phrase)]) == phrase:
                    found.add(key)
        return frozenset(found)

    def match_many(self, texts: Iterable[str]) -> list[frozenset[str]]:
        """``match`` for each text, in order."""
        return [self.match(text) for text in texts]
