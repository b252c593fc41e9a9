"""Suggested themes: clusters of a wave's comments, with their top words and typical comments.

TF-IDF on content lemmas (words in at least two comments, sublinear term frequency), then
NMF (nndsvd start, so the same comments give the same themes). Each comment goes to its
strongest component when that weight clears a floor; components with too few comments are
dropped. A theme's top words are its heaviest lemmas, each shown as the form the comments
use most (a Snowball stem such as "servic" or a lemma a reader would not write is never
shown); its examples are the comments that weigh most on it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from .lemmas import content_words

TOP_WORDS = 8
PHRASES = 4
EXAMPLES = 5
MIN_SHARE = 0.01  # a theme needs at least 1% of the comments ...
MIN_COMMENTS = 3  # ... and never fewer than 3
WEIGHT_FLOOR = 1e-3
MAX_FEATURES = 5_000


@dataclass(frozen=True)
class Suggestion:
    """One proposed theme: words best first, ready phrases, example indices, comments assigned."""

    top_words: tuple[str, ...]
    phrases: tuple[str, ...]
    examples: tuple[int, ...]
    size: int


def _identity(tokens: list[str]) -> list[str]:
    return tokens


def suggest(
    texts: Sequence[str],
    *,
    max_themes: int = 10,
    seed: int = 16,
    progress: Callable[[int], None] | None = None,
) -> list[Suggestion]:
    """Up to ``max_themes`` suggested themes, largest first; [] when there is nothing to group."""
    report = progress or (lambda _: None)
    report(0)
    documents = []
    forms: Counter[tuple[str, str]] = Counter()
    step = max(1, len(texts) // 10)
    for index, text in enumerate(texts):
        pairs = content_words(text)
        forms.update(pairs)
        documents.append([lemma for _word, lemma in pairs])
        if index % step == 0:
            report(min(50, 50 * index // max(1, len(texts))))
    result = _suggest(documents, max_themes=max_themes, seed=seed, report=report)
    report(100)
    return [_as_written(suggestion, _usual_forms(forms)) for suggestion in result]


def _usual_forms(forms: Counter[tuple[str, str]]) -> dict[str, str]:
    """Each lemma's most frequent written form (ties: shorter, then alphabetical)."""
    usual: dict[str, str] = {}
    for word, lemma in sorted(forms, key=lambda pair: (-forms[pair], len(pair[0]), pair[0])):
        usual.setdefault(lemma, word)
    return usual


def _as_written(suggestion: Suggestion, usual: dict[str, str]) -> Suggestion:
    words = tuple(usual.get(lemma, lemma) for lemma in suggestion.top_words)
    return Suggestion(
        top_words=words,
        phrases=words[:PHRASES],
        examples=suggestion.examples,
        size=suggestion.size,
    )


def _suggest(
    documents: list[list[str]], *, max_themes: int, seed: int, report: Callable[[int], None]
) -> list[Suggestion]:
    import numpy as np
    from sklearn.decomposition import NMF
    from sklearn.feature_extraction.text import TfidfVectorizer

    report(50)
    usable = sum(1 for document in documents if document)
    min_size = max(MIN_COMMENTS, int(MIN_SHARE * usable))
    if usable < 2 * min_size or max_themes < 1:
        return []
    vectorizer = TfidfVectorizer(
        analyzer=_identity,
        min_df=2,
        max_df=0.5,
        sublinear_tf=True,
        max_features=MAX_FEATURES,
        dtype=np.float32,
    )
    try:
        matrix = vectorizer.fit_transform(documents)
    except ValueError:  # no lemma in two comments
        return []
    components = min(max_themes, matrix.shape[1], usable // min_size)
    if components < 1:
        return []
    report(60)
    model = NMF(n_components=components, init="nndsvd", random_state=seed, max_iter=300)
    weights: Any = model.fit_transform(matrix)
    report(90)
    words = vectorizer.get_feature_names_out()
    strongest = weights.argmax(axis=1)
    assigned = weights.max(axis=1) > WEIGHT_FLOOR
    suggestions = []
    for component in range(components):
        members = np.flatnonzero(assigned & (strongest == component))
        if len(members) < min_size:
            continue
        top = tuple(str(words[i]) for i in np.argsort(-model.components_[component])[:TOP_WORDS])
        # Typical: most of the comment's weight is on this theme, and plenty of it.
        purity = weights[members, component] / weights[members].sum(axis=1)
        typical = members[np.argsort(-(purity * weights[members, component]))[:EXAMPLES]]
        suggestions.append(
            Suggestion(
                top_words=top,
                phrases=top[:PHRASES],
                examples=tuple(int(i) for i in typical),
                size=len(members),
            )
        )
    suggestions.sort(key=lambda s: -s.size)
    return suggestions
