"""cxaudit.themes.suggest on the planted corpus, and on empty, tiny and wordless input.

Suggestion recall: a planted theme is found when some suggestion's examples are mostly
(at least 3 of 5) comments carrying that theme. Planted themes: those in at least 5% of the
comments (all 8). Russian and English comments share no lemmas, so a theme tends to come out
once per language: the test asks for max_themes=30. Measured on corpus(2000, seed=16):
6 of 8 found (0.75; price vs its noise sentence and rude vs polite staff are the hard ones).
"""

from collections import Counter

import pytest

from cxaudit.themes.codebook import Matcher, ThemeSpec
from cxaudit.themes.suggest import Suggestion, suggest
from tests.themes_corpus import CODEBOOK, corpus

PRECISION_BAR = 0.96  # measured 0.986 (micro, over comment×theme pairs)
RECALL_BAR = 0.96  # measured 0.982
SUGGESTION_RECALL_BAR = 0.7  # measured 0.75


@pytest.fixture(scope="module")
def comments():
    return corpus(2000, seed=16)


def test_auto_tagging_precision_and_recall(comments):
    tags = Matcher(CODEBOOK).match_many(c.text for c in comments)
    tp = sum(len(t & c.themes) for t, c in zip(tags, comments, strict=True))
    fp = sum(len(t - c.themes) for t, c in zip(tags, comments, strict=True))
    fn = sum(len(c.themes - t) for t, c in zip(tags, comments, strict=True))
    assert tp / (tp + fp) >= PRECISION_BAR
    assert tp / (tp + fn) >= RECALL_BAR


def test_suggestion_finds_the_planted_themes(comments):
    seen = []
    suggestions = suggest([c.text for c in comments], max_themes=30, progress=seen.append)
    counts = Counter(k for c in comments for k in c.themes)
    planted = {k for k, n in counts.items() if n >= 0.05 * len(comments)}
    found = set()
    for suggestion in suggestions:
        votes = Counter(k for i in suggestion.examples for k in comments[i].themes)
        found |= {k for k, n in votes.items() if n >= 3}
        assert len(suggestion.top_words) == 8
        assert suggestion.phrases == suggestion.top_words[:4]
    assert len(found & planted) / len(planted) >= SUGGESTION_RECALL_BAR
    assert seen[0] == 0 and seen[-1] == 100 and seen == sorted(seen)


def test_deterministic(comments):
    texts = [c.text for c in comments[:600]]
    assert suggest(texts, seed=1) == suggest(texts, seed=1)


@pytest.mark.parametrize(
    "texts",
    [[], ["одно"], ["a", "b", "c"], ["123", "!!!", ""] * 20, ["и", "the", "а"] * 30],
)
def test_nothing_to_group(texts):
    assert suggest(texts) == []


def test_tiny_input_gives_at_most_as_many_themes_as_it_can_fill():
    texts = ["долго ждал в очереди", "очередь и ожидание", "ждал в очереди долго"] * 3
    result = suggest(texts, max_themes=10)
    assert all(isinstance(s, Suggestion) and s.size >= 3 for s in result)
    assert sum(s.size for s in result) <= len(texts)


def test_top_words_are_shown_as_written_not_as_stems():
    texts = (
        ["The service was slow", "service desk ignored me", "slow service again"] * 4
        + ["Бариста был груб", "бариста нагрубил", "грубый бариста"] * 4
        + ["waiting for ages", "long waiting in line", "waiting and waiting"] * 4
    )
    words = {word for s in suggest(texts, max_themes=5) for word in s.top_words}
    assert "service" in words and "servic" not in words
    assert "бариста" in words and "барист" not in words
    assert "waiting" in words and "wait" not in words


def test_a_shown_word_finds_the_comments_it_came_from():
    """Phrases are written forms; the codebook matches them by lemma, so each still finds
    the comments whose lemma it stands for."""
    texts = ["долго ждали заказ", "ждали очень долго", "долго ждал кофе"] * 4 + [
        "грязные столы",
        "столы грязные",
        "стол был грязный",
    ] * 4
    suggestions = suggest(texts, max_themes=4)
    assert suggestions
    for suggestion in suggestions:
        for phrase in suggestion.phrases:
            matcher = Matcher([ThemeSpec(key="t", phrases=(phrase,))])
            assert sum(matcher.match(text) == {"t"} for text in texts) >= 2
