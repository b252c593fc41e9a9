"""Each band's meaning is true for every value in the band (METHODOLOGY §2-§5)."""

import pytest
from django.utils import translation

from surveys.selectors.counts import Tally
from surveys.selectors.figures import BAND_LABELS, BAND_MEANINGS, metric_figure


def _tally(key: str, answers: dict[int, int]) -> Tally:
    tally = Tally()
    for value, count in answers.items():
        tally.counts[f"{key}_{value}"] = count
    return tally


@pytest.mark.parametrize(
    ("key", "answers", "band", "meaning"),
    [
        # eNPS 0.0 (as many promoters as detractors) is acceptable, not "mostly positive".
        ("enps", {10: 5, 0: 5}, "acceptable", "at best outnumber detractors by under 30"),
        ("enps", {10: 3, 0: 4}, "concern", "More employees are detractors"),
        ("enps", {10: 4, 8: 1}, "strong", "30 points or more"),
        ("nps", {10: 5, 0: 5}, "problems", "at best outnumber detractors by under 30"),
        ("nps", {10: 2, 0: 3}, "critical", "More customers are detractors"),
        ("nps", {10: 4, 8: 1, 0: 1}, "good", "by 30 to 50 points"),
        ("nps", {10: 5, 8: 1}, "excellent", "More than half of the customers"),
        # All answers 3 stars: weak, although none is "at the low end".
        ("csat", {3: 10}, "weak", "Fewer than 70 in 100"),
        ("csat", {4: 7, 3: 3}, "acceptable", "70 to 85 in 100"),
        ("ces", {4: 10}, "weak", "Fewer than 60 in 100"),
        ("state_at_work", {6: 5}, "acceptable", "6 to 8 of 10"),
        ("state_at_work", {5: 5}, "concern", "below 6 of 10"),
    ],
)
def test_the_band_text_is_true_at_the_band_edge(key, answers, band, meaning):
    with translation.override("en"):
        figure = metric_figure(key, _tally(key, answers), k=5, anonymous=False)
    assert figure.band == band
    assert meaning in figure.band_meaning


def test_every_band_meaning_has_a_label_and_a_russian_text():
    for (_key, band), meaning in BAND_MEANINGS.items():
        assert band in BAND_LABELS
        with translation.override("en"):
            english = str(meaning)
        with translation.override("ru"):
            assert str(meaning) != english
