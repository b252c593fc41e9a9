"""Counts of answers, from one aggregate query per page (STYLE 14)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, Value

from cxaudit import stats

from .. import library
from ..models import Response, Survey, Wave

GROUP_COLUMNS = ("wave_id", "channel_id", "question_id", "choice_id", "number")
ONE = Value(1)  # COUNT(1) FILTER (...): no column is read, so the scan stays narrow


def count_expressions(survey: Survey, *, prefix: str = "") -> dict[str, Count]:
    """Conditional counts for every answer value the survey can hold; ``prefix`` reaches
    the response from another model (``"response__"`` from an own question's answer)."""
    expressions: dict[str, Count] = {"n": Count("*")}
    for question in library.questions_for(survey.blocks):
        if question.kind == "scale":
            for value in question.scale:
                expressions[f"{question.key}_{value}"] = Count(
                    ONE, filter=Q(**{f"{prefix}{question.key}": value})
                )
        elif question.kind == "choice":
            for key, _text in question.choices:
                expressions[f"{question.key}__{key}"] = Count(
                    ONE, filter=Q(**{f"{prefix}{question.key}": key})
                )
    expressions["comments"] = Count(ONE, filter=~Q(**{f"{prefix}comment": ""}))
    return expressions


@dataclass
class Tally:
    """Counts of one group (a wave, a channel of it, a team of it), summed from SQL rows."""

    counts: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    def add(self, row: dict[str, Any]) -> None:
        for key, value in row.items():
            if isinstance(value, int) and key not in GROUP_COLUMNS:
                self.counts[key] += value

    def minus(self, parts: list[Tally]) -> Tally:
        """What is left of these counts without ``parts`` (the respondents of no part)."""
        rest = Tally()
        for key, value in self.counts.items():
            rest.counts[key] = value - sum(part.counts.get(key, 0) for part in parts)
        return rest

    @property
    def n(self) -> int:
        return self.counts.get("n", 0)

    def scale(self, key: str) -> dict[int, int]:
        question = library.SCALE_QUESTIONS[key]
        return {value: self.counts.get(f"{key}_{value}", 0) for value in question.scale}

    def answered(self, key: str) -> int:
        return sum(self.scale(key).values())

    def nps_counts(self, key: str = "nps") -> stats.NpsCounts:
        counts = self.scale(key)
        return stats.NpsCounts(
            promoters=counts[9] + counts[10],
            passives=counts[7] + counts[8],
            detractors=sum(counts[v] for v in range(7)),
        )

    def choice(self, key: str) -> dict[str, int]:
        question = library.CHOICE_QUESTIONS[key]
        return {choice: self.counts.get(f"{key}__{choice}", 0) for choice, _t in question.choices}


@dataclass
class WaveCounts:
    total: Tally
    channels: dict[int | None, Tally]
    teams: dict[str, Tally]


def wave_counts(
    *, survey: Survey, waves: list[Wave], by_channel: bool = False
) -> dict[int, WaveCounts]:
    """Counts of every wave in ONE aggregate query, served by the ``response_wave_groups``
    index: per channel too when ``by_channel`` (the channel comparison), per team for an
    employee survey with teams (the team breakdown). Grouping only by what is shown keeps
    the aggregate nearly as cheap as one plain count."""
    result = {
        wave.pk: WaveCounts(total=Tally(), channels=defaultdict(Tally), teams=defaultdict(Tally))
        for wave in waves
    }
    if not waves:
        return result
    by_team = survey.is_employee and bool(survey.teams)
    groups = ["wave_id", *(["channel_id"] if by_channel else []), *(["team"] if by_team else [])]
    rows = (
        Response.objects.filter(wave_id__in=[wave.pk for wave in waves])
        .values(*groups)
        .annotate(**count_expressions(survey))
        .order_by()
    )
    for row in rows:
        counts = result[row["wave_id"]]
        counts.total.add(row)
        if by_channel:
            counts.channels[row["channel_id"]].add(row)
        if by_team:
            counts.teams[row["team"]].add(row)
    return result
