"""Figures of the consultant's own questions, from the counts one GROUP BY gives.

Ratings: the distribution, the mean with its 95 % interval (1.96 s/√n from n ≥ 30, as for
the built-in means) and the top-2-box share (4–5 of 1–5, 9–10 of 0–10) with its interval.
Yes/no: the share of "yes". Choices: each option's share of the people who answered the
question (for several choices the shares add up to more than 100 %), with its interval.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from .common import Distribution, counts_distribution
from .intervals import Interval, MeanResult, mean_and_sd, proportion_interval


@dataclass(frozen=True)
class RatingResult:
    n: int
    distribution: Distribution
    mean: MeanResult
    top_box: int  # how many answered in the top box (the "yes" count for yes/no)
    top_box_share: Interval | None  # percent, with its interval


@dataclass(frozen=True)
class ChoiceShare:
    key: str
    count: int
    share: Interval | None  # percent of respondents, with its interval


@dataclass(frozen=True)
class ChoiceResult:
    n: int  # people who answered the question
    shares: tuple[ChoiceShare, ...]


def rating_result(
    counts: Mapping[int, int], *, scale: range, top: frozenset[int]
) -> RatingResult | None:
    """None when the counts do not fit the scale (see ``counts_distribution``)."""
    distribution = counts_distribution(counts, scale=scale)
    if distribution is None:
        return None
    n = distribution.n
    top_count = distribution.count(top)
    return RatingResult(
        n=n,
        distribution=distribution,
        mean=mean_and_sd(n=n, total=distribution.total, total_squares=distribution.total_squares),
        top_box=top_count,
        top_box_share=proportion_interval(successes=top_count, n=n),
    )


def choice_result(
    counts: Mapping[str, int], *, respondents: int, choices: Sequence[str]
) -> ChoiceResult:
    """Shares of ``respondents``; options nobody picked are listed with 0."""
    return ChoiceResult(
        n=respondents,
        shares=tuple(
            ChoiceShare(
                key=key,
                count=counts.get(key, 0),
                share=proportion_interval(successes=counts.get(key, 0), n=respondents),
            )
            for key in choices
        ),
    )
