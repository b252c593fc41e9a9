"""Results of the consultant's own questions in a wave: figures, breakdowns, trends, texts.

The questions are every version answered in the wave (in survey order). Their counts come
from one GROUP BY per storage type — numbers (ratings, yes/no) for all shown waves at once,
which also gives the trends; options; respondents of choice questions — and the texts from
one more query, so the page's queries do not grow with the number of questions.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Exists, F, OuterRef, Q, Window
from django.db.models.functions import RowNumber
from django.utils.translation import gettext as _

from cxaudit import charts, stats
from cxaudit import questions as rules
from cxaudit.l10n import decimal_mark

from ..models import Question, QuestionAnswer, Response, Wave
from .charts import safe_svg
from .figures import number_text
from .own_figures import OwnCounts, OwnFigure, hidden_own_figure, own_figure, question_label

TEXT_LIMIT = 100  # text answers listed per question at most, like comments


def wave_questions(wave: Wave) -> list[Question]:
    """Every version of an own question answered in ``wave``, in survey order (2 queries)."""
    answered = QuestionAnswer.objects.filter(wave=wave, question_id=OuterRef("pk"))
    return list(
        Question.objects.filter(survey_id=wave.survey_id)
        .filter(Exists(answered))
        .prefetch_related("choices")
        .order_by("position", "key", "version")
    )


def own_counts(
    *, wave: Wave, waves: list[Wave], questions: list[Question]
) -> tuple[OwnCounts, dict[int, OwnCounts]]:
    """The wave's counts, and the numbers of its numbered questions in every one of
    ``waves`` (their trends): one GROUP BY per storage type."""
    total = OwnCounts()
    by_wave: dict[int, OwnCounts] = {w.pk: OwnCounts() for w in waves}
    by_wave[wave.pk] = total
    numbered = [q.pk for q in questions if q.kind in rules.NUMBERED]
    chosen = [q.pk for q in questions if q.is_choice]
    if numbered:
        rows = (
            QuestionAnswer.objects.filter(
                wave_id__in=list(by_wave), question_id__in=numbered, number__isnull=False
            )
            .values("wave_id", "question_id", "number")
            .annotate(n=Count("pk"))
            .order_by()
        )
        for row in rows:
            by_wave[row["wave_id"]].numbers[row["question_id"]][row["number"]] = row["n"]
    if chosen:
        picked = QuestionAnswer.objects.filter(
            wave=wave, question_id__in=chosen, choice__isnull=False
        )
        for row in picked.values("question_id", "choice_id").annotate(n=Count("pk")).order_by():
            total.choices[row["question_id"]][row["choice_id"]] = row["n"]
        respondents = (
            picked.values("question_id").annotate(n=Count("response_id", distinct=True)).order_by()
        )
        total.respondents = {row["question_id"]: row["n"] for row in respondents}
    return total, by_wave


def own_texts(
    *, wave: Wave, questions: list[Question], excluded: Q | None
) -> dict[int, tuple[list[dict], bool]]:
    """Text answers per question like comments: a random order that never changes (random
    UUID keys), no dates, at most ``TEXT_LIMIT``, never of ``excluded`` respondents (A6).
    Each is ``{"id", "response_id", "question_id", "text"}``; the ids are for the themes
    of the answer and their correction, never shown to who may not correct."""
    ids = [q.pk for q in questions if q.is_text]
    if not ids:
        return {}
    rows = QuestionAnswer.objects.filter(wave=wave, question_id__in=ids).exclude(text="")
    if excluded is not None:
        rows = rows.exclude(
            response_id__in=Response.objects.filter(wave=wave).filter(excluded).values("pk")
        )
    rows = rows.annotate(
        row=Window(RowNumber(), partition_by=[F("question_id")], order_by=F("id").asc())
    ).filter(row__lte=TEXT_LIMIT + 1)
    texts: dict[int, list[dict]] = {pk: [] for pk in ids}
    fields = ("id", "response_id", "question_id", "text")
    for row in rows.values(*fields, "row").order_by("question_id", "row"):
        texts[row["question_id"]].append({name: row[name] for name in fields})
    return {pk: (found[:TEXT_LIMIT], len(found) > TEXT_LIMIT) for pk, found in texts.items()}


# --------------------------------------------------------------------------- breakdowns


@dataclass
class OwnBreakdown:
    title: str
    rows: list[tuple[str, OwnFigure]]
    svg: str = ""
    note: str = ""


def own_breakdown(
    question: Question,
    groups: Mapping[str, tuple[str, OwnCounts]],
    *,
    k: int,
    anonymous: bool,
    title: str,
) -> OwnBreakdown | None:
    """The question's figure per group; under anonymity with A2 and A3. ``title`` has a
    ``%(metric)s`` for the question's text."""
    if len(groups) < 2 or question.is_text:
        return None
    sizes = {key: counts.answered(question) for key, (_label, counts) in groups.items()}
    shown = stats.suppress(sizes, k).shown if anonymous else dict.fromkeys(sizes, True)
    rows = []
    for key, (label, counts) in groups.items():
        if shown[key]:
            figure = own_figure(question, counts, k=k, anonymous=anonymous, chart=False)
        else:
            figure = hidden_own_figure(question, k)
        rows.append((label, figure))
    title = title % {"metric": question_label(question)}
    svg = ""
    if not question.is_choice:
        svg = safe_svg(
            charts.bar_chart(
                [(label, figure.raw if figure.shown else None) for label, figure in rows],
                title=title,
                value_format=lambda v: number_text(stats.display(v, 1), "%"),
                missing_text=_("hidden"),
                fluid=True,
                decimal=decimal_mark(),
                chart_id=f"own-breakdown-{question.pk}",
            )
        )
    note = ""
    if anonymous:
        note = _(
            "Groups with fewer than %(k)d answers are hidden, and so is the smallest other "
            "group when needed to keep them from being worked out."
        ) % {"k": k}
    return OwnBreakdown(title=title, rows=rows, svg=svg, note=note)


# --------------------------------------------------------------------------- trends


@dataclass
class OwnTrendPoint:
    wave: Wave
    figure: OwnFigure


def own_trend(
    question: Question,
    waves: list[Wave],
    by_wave: Mapping[int, OwnCounts],
    *,
    thresholds: Mapping[int, int],
    anonymous: bool,
) -> tuple[list[OwnTrendPoint], str]:
    """The version's mean and top-2-box (or yes share) per wave under each wave's own k,
    from the first to the last wave it was answered in: a new version is a new series."""
    if question.kind not in rules.NUMBERED:
        return [], ""
    answered = [w for w in waves if by_wave.get(w.pk, OwnCounts()).answered(question)]
    if not answered:
        return [], ""
    first, last = waves.index(answered[0]), waves.index(answered[-1])
    points = [
        OwnTrendPoint(
            wave=w,
            figure=own_figure(
                question,
                by_wave.get(w.pk, OwnCounts()),
                k=thresholds.get(w.pk, stats.DEFAULT_ANONYMITY_THRESHOLD),
                anonymous=anonymous,
                chart=False,
            ),
        )
        for w in waves[first : last + 1]
    ]
    if len(points) < 2:
        return points, ""
    title = (
        _("Share of yes across waves: %(question)s")
        if question.kind == rules.YES_NO
        else _("Top-2-box across waves: %(question)s")
    ) % {"question": question_label(question)}
    svg = charts.trend_chart(
        [
            (
                _("Wave %(number)d") % {"number": p.wave.number},
                p.figure.raw if p.figure.shown else None,
                p.figure.low if p.figure.shown else None,
                p.figure.high if p.figure.shown else None,
            )
            for p in points
        ],
        title=title,
        y_range=(0, 100),
        value_format=lambda v: number_text(stats.display(v, 1), "%"),
        interval_label=_("Interval (95%)"),
        missing_text=_("hidden"),
        fluid=True,
        decimal=decimal_mark(),
        chart_id=f"own-trend-{question.pk}",
    )
    return points, safe_svg(svg)


# --------------------------------------------------------------------------- the section


@dataclass
class OwnQuestionResult:
    question: Question
    label: str
    figure: OwnFigure
    multiple: bool = False
    breakdown: OwnBreakdown | None = None
    trend: list[OwnTrendPoint] = field(default_factory=list)
    trend_svg: str = ""
    texts: list[str] = field(default_factory=list)
    texts_more: bool = False
    # The texts with their themes (``own_texts`` rows, plus "themes", "themes_by_hand").
    text_items: list[dict] = field(default_factory=list)


def own_results(
    *,
    wave: Wave,
    waves: list[Wave],
    questions: list[Question],
    counts: OwnCounts,
    by_wave: Mapping[int, OwnCounts],
    thresholds: Mapping[int, int],
    k: int,
    anonymous: bool,
    groups: Mapping[str, tuple[str, OwnCounts]] | None = None,
    title: str = "",
    texts: Mapping[int, tuple[list[dict], bool]] | None = None,
    with_trends: bool = True,
) -> list[OwnQuestionResult]:
    """Each question's result in the wave (or in the one group ``counts`` are of)."""
    results = []
    for question in questions:
        result = OwnQuestionResult(
            question=question,
            label=question_label(question),
            figure=own_figure(question, counts, k=k, anonymous=anonymous),
            multiple=question.kind == rules.MULTIPLE,
        )
        if groups:
            result.breakdown = own_breakdown(
                question, groups, k=k, anonymous=anonymous, title=title
            )
        if with_trends:
            result.trend, result.trend_svg = own_trend(
                question, waves, by_wave, thresholds=thresholds, anonymous=anonymous
            )
        if texts and question.pk in texts:
            result.text_items, result.texts_more = texts[question.pk]
            result.texts = [item["text"] for item in result.text_items]
        results.append(result)
    return results


def own_context(
    results: list[OwnQuestionResult], by_wave: Mapping[int, OwnCounts]
) -> dict[str, Any]:
    """The page's (and the PDF's) context; ``own_by_wave`` lets a report end the trends
    at the wave it sums up (``own_trends_until``)."""
    return {
        "own_questions": results,
        "own_versions": any(r.question.retired_at is not None for r in results),
        "own_by_wave": by_wave,
    }


def own_trends_until(context: dict[str, Any], waves: list[Wave]) -> None:
    """Trends of the context's own questions over ``waves`` only (a report of an earlier
    wave shows no later one)."""
    for result in context.get("own_questions", []):
        result.trend, result.trend_svg = own_trend(
            result.question,
            waves,
            context["own_by_wave"],
            thresholds=context["thresholds"],
            anonymous=context["anonymous"],
        )
