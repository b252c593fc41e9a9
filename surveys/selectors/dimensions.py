"""The one breakdown dimension of the results page (A4) and the groups anonymity hides.

A page is broken down by the survey's default grouping (channels of a customer survey,
teams of an employee survey) or by the answers to one own single-choice or yes/no
question (its options, plus "no answer"): never two at a time, and no free filters; the
only filter shows one group of the chosen dimension that every breakdown shows anyway.

Comment and text lists must read the same in every view, or the difference between two
views would tie a comment to the intersection of two groups: they leave out the
respondents of every group any dimension hides (A6), whichever dimension is shown.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Exists, F, OuterRef, Q, Subquery, Value
from django.utils.translation import gettext as _

from cxaudit import questions as rules
from cxaudit import stats

from ..models import Channel, Question, QuestionAnswer, Survey, Wave
from .counts import Tally, WaveCounts, count_expressions
from .groups import group_dimension, hidden_groups
from .own_figures import OwnCounts, question_label

NO_ANSWER = "-"  # the page key of "did not answer the grouping question"


@dataclass
class Dimension:
    key: str  # "" for the survey's default grouping, "q<pk>" for an own question
    label: str
    question: Question | None = None
    groups: dict[str, tuple[str, Tally]] = field(default_factory=dict)  # page key: label, counts


@dataclass
class DimensionView:
    options: list[Dimension]
    chosen: Dimension | None
    own_groups: dict[str, tuple[str, OwnCounts]] = field(default_factory=dict)
    filters: list[tuple[str, str]] = field(default_factory=list)  # groups one may show alone
    only: str = ""
    only_label: str = ""
    excluded: Q | None = None  # responses whose comments and texts are never listed

    @property
    def by_question(self) -> bool:
        return self.chosen is not None and self.chosen.question is not None

    @property
    def key(self) -> str:
        return self.chosen.key if self.chosen else ""


def _default_dimension(
    survey: Survey, tally: WaveCounts, channels: dict[int, Channel]
) -> Dimension | None:
    dimension = group_dimension(survey)
    if dimension == "team":
        groups = {
            team or NO_ANSWER: (team or _("Team not given"), counts)
            for team, counts in tally.teams.items()
        }
        return Dimension(key="", label=_("Team"), groups=groups)
    if dimension == "channel" and channels:
        groups = {
            str(pk): (channel.name, tally.channels.get(pk, Tally()))
            for pk, channel in channels.items()
        }
        if tally.channels.get(None, Tally()).n:
            groups[NO_ANSWER] = (_("Main link"), tally.channels[None])
        return Dimension(key="", label=_("Channel"), groups=groups)
    return None


def _option_labels(question: Question) -> dict[str, str]:
    if question.kind == rules.YES_NO:
        return {str(rules.YES): _("Yes"), str(rules.NO): _("No")}
    return {str(option.pk): option.label() for option in question.choices.all()}


def _question_dimensions(
    survey: Survey, wave: Wave, questions: list[Question], total: Tally, *, by: str | None
) -> list[Dimension]:
    """Every own grouping question answered in the wave, with the counts of the built-in
    answers per option from ONE grouped query. Under anonymity every dimension is counted
    (the comment lists leave out the groups any of them hides); otherwise only the
    chosen one, so the default page of a big customer wave reads no answers for it."""
    grouping = [q for q in questions if q.groups_respondents]
    if not grouping:
        return []
    counted = [q.pk for q in grouping if survey.anonymous or by == f"q{q.pk}"]
    rows = _grouping_rows(survey, [wave], counted) if counted else []
    return _dimensions_of(grouping, counted, rows, total)


def _grouping_rows(survey: Survey, waves: list[Wave], question_ids: list[int]) -> list[dict]:
    """The built-in answers' counts per (wave, question, option): one grouped query."""
    return list(
        QuestionAnswer.objects.filter(wave__in=waves, question_id__in=question_ids)
        .values("wave_id", "question_id", "choice_id", "number")
        .annotate(**count_expressions(survey, prefix="response__"))
        .order_by()
    )


def _dimensions_of(
    grouping: list[Question], counted: list[int], rows: list[dict], total: Tally
) -> list[Dimension]:
    parts: dict[int, dict[str, Tally]] = {q.pk: {} for q in grouping}
    for row in rows:
        value = row["choice_id"] if row["choice_id"] is not None else row["number"]
        tally = parts[row["question_id"]].setdefault(str(value), Tally())
        tally.add(row)
    dimensions = []
    for question in grouping:
        labels = _option_labels(question)
        found = parts[question.pk]
        groups = {key: (label, found.get(key, Tally())) for key, label in labels.items()}
        rest = total.minus(list(found.values()))
        if question.pk in counted and rest.n:
            groups[NO_ANSWER] = (_("No answer"), rest)
        dimensions.append(
            Dimension(
                key=f"q{question.pk}",
                label=question_label(question),
                question=question,
                groups=groups,
            )
        )
    return dimensions


def _excluded(survey: Survey, options: list[Dimension], k: int) -> Q | None:
    """The responses in a group any of ``options`` hides (A6), under anonymity."""
    excluded: Q | None = None
    if not survey.anonymous:
        return None
    for dimension in options:
        page_groups = {key: counts for key, (_label, counts) in dimension.groups.items()}
        hidden = hidden_groups(survey, page_groups, k=k)
        if hidden:
            condition = _exclusion(survey, dimension, hidden)
            excluded = condition if excluded is None else excluded | condition
    return excluded


def waves_excluded(
    *,
    survey: Survey,
    waves: list[Wave],
    tallies: dict[int, WaveCounts],
    channels: dict[int, Channel],
    thresholds: dict[int, int],
) -> dict[int, Q | None]:
    """Each wave's ``DimensionView.excluded`` as its own page computes it, for several
    waves in three queries whatever their number (the grouping questions, their options,
    the answers' counts): a trend point then counts the respondents its wave's page does,
    so that no difference between the two gives a hidden group away."""
    if not survey.anonymous or not waves:
        return {}
    grouping = list(
        Question.objects.filter(survey_id=survey.pk, kind__in=rules.GROUPING)
        .prefetch_related("choices")
        .order_by("position", "key", "version")
    )
    rows = _grouping_rows(survey, waves, [q.pk for q in grouping]) if grouping else []
    result = {}
    for wave in waves:
        tally = tallies[wave.pk]
        mine = [row for row in rows if row["wave_id"] == wave.pk]
        answered = {row["question_id"] for row in mine}
        questions = [q for q in grouping if q.pk in answered]
        default = _default_dimension(survey, tally, channels)
        options = [
            d
            for d in [
                default,
                *_dimensions_of(questions, [q.pk for q in questions], mine, tally.total),
            ]
            if d is not None
        ]
        result[wave.pk] = _excluded(survey, options, thresholds[wave.pk])
    return result


def group_expression(survey: Survey, dimension: Dimension) -> Any:
    """What names a QuestionAnswer row's group in ``dimension`` (its respondent's group)."""
    question = dimension.question
    if question is None:
        return (
            F("response__team") if group_dimension(survey) == "team" else F("response__channel_id")
        )
    column = "number" if question.kind == rules.YES_NO else "choice_id"
    return Subquery(
        QuestionAnswer.objects.filter(
            response_id=OuterRef("response_id"), question_id=question.pk
        ).values(column)[:1]
    )


def response_group_expression(survey: Survey, dimension: Dimension, *, prefix: str = "") -> Any:
    """What names the group in ``dimension`` of a Response (``prefix`` "") or of a row
    pointing to one (``prefix`` "response__", e.g. a ThemeTag); ``page_key`` of it is
    the group's key on the page."""
    question = dimension.question
    if question is None:
        default = group_dimension(survey)
        if default == "team":
            return F(prefix + "team")
        if default == "channel":
            return F(prefix + "channel_id")
        return Value("")
    column = "number" if question.kind == rules.YES_NO else "choice_id"
    outer = OuterRef(prefix.removesuffix("__") + "_id") if prefix else OuterRef("pk")
    return Subquery(
        QuestionAnswer.objects.filter(response_id=outer, question_id=question.pk).values(column)[:1]
    )


def page_key(value: Any) -> str:
    """The group's key on the page (and in the filter's parameter)."""
    return NO_ANSWER if value is None or value == "" else str(value)


def own_counts_by_group(
    *, survey: Survey, wave: Wave, questions: list[Question], dimension: Dimension
) -> dict[str, OwnCounts]:
    """The own questions' counts per group of ``dimension``: one GROUP BY per storage type
    (numbers; options; respondents of choice questions), the group from the respondent."""
    result: dict[str, OwnCounts] = {key: OwnCounts() for key in dimension.groups}
    numbered = [q.pk for q in questions if q.kind in rules.NUMBERED]
    chosen = [q.pk for q in questions if q.is_choice]
    group = group_expression(survey, dimension)

    def counts(key: str) -> OwnCounts:
        return result.setdefault(key, OwnCounts())

    base = QuestionAnswer.objects.filter(wave=wave).annotate(group=group)
    if numbered:
        rows = (
            base.filter(question_id__in=numbered, number__isnull=False)
            .values("group", "question_id", "number")
            .annotate(n=Count("pk"))
            .order_by()
        )
        for row in rows:
            key = page_key(row["group"])
            counts(key).numbers[row["question_id"]][row["number"]] = row["n"]
    if chosen:
        rows = (
            base.filter(question_id__in=chosen, choice__isnull=False)
            .values("group", "question_id", "choice_id")
            .annotate(n=Count("pk"))
            .order_by()
        )
        for row in rows:
            key = page_key(row["group"])
            counts(key).choices[row["question_id"]][row["choice_id"]] = row["n"]
        rows = (
            base.filter(question_id__in=chosen, choice__isnull=False)
            .values("group", "question_id")
            .annotate(n=Count("response_id", distinct=True))
            .order_by()
        )
        for row in rows:
            key = page_key(row["group"])
            counts(key).respondents[row["question_id"]] = row["n"]
    return result


def _own_hidden(
    dimension: Dimension, own: dict[str, OwnCounts], questions: list[Question], k: int
) -> set[str]:
    """Groups A2 and A3 hide in any own question's breakdown by ``dimension``."""
    hidden: set[str] = set()
    for question in questions:
        if question.is_text:
            continue
        sizes = {key: own.get(key, OwnCounts()).answered(question) for key in dimension.groups}
        shown = stats.suppress(sizes, k).shown
        hidden.update(key for key, size in sizes.items() if size and not shown[key])
    return hidden


def _exclusion(survey: Survey, dimension: Dimension, hidden: frozenset) -> Q:
    """Responses in ``hidden`` groups of ``dimension``, as a condition on Response."""
    question = dimension.question
    if question is None:
        if group_dimension(survey) == "team":
            return Q(team__in=["" if key == NO_ANSWER else key for key in hidden])
        condition = Q(channel_id__in=[int(key) for key in hidden if key != NO_ANSWER])
        return condition | Q(channel__isnull=True) if NO_ANSWER in hidden else condition
    column = "number" if question.kind == rules.YES_NO else "choice_id"
    values = [int(key) for key in hidden if key != NO_ANSWER]
    answers = QuestionAnswer.objects.filter(response_id=OuterRef("pk"), question_id=question.pk)
    condition = Q(Exists(answers.filter(**{f"{column}__in": values}))) if values else Q(pk=None)
    if NO_ANSWER in hidden:
        condition |= ~Exists(answers)
    return condition


def dimension_view(
    *,
    survey: Survey,
    wave: Wave,
    tally: WaveCounts,
    channels: dict[int, Channel],
    questions: list[Question],
    k: int,
    by: str | None = None,
    only: str | None = None,
) -> DimensionView:
    """The dimensions offered, the chosen one with its groups' counts, the groups one may
    show alone and the responses every comment and text list leaves out."""
    default = _default_dimension(survey, tally, channels)
    by_questions = _question_dimensions(survey, wave, questions, tally.total, by=by)
    if default is None and by_questions:
        default = Dimension(key="", label=_("No breakdown"))
    options = [d for d in [default, *by_questions] if d is not None]
    chosen = next((d for d in options if d.key == (by or "")), default)
    view = DimensionView(options=options, chosen=chosen)
    anonymous = survey.anonymous
    view.excluded = _excluded(survey, options, k)
    if chosen is None or len(chosen.groups) < 2:
        return view
    own = own_counts_by_group(survey=survey, wave=wave, questions=questions, dimension=chosen)
    view.own_groups = {
        key: (label, own.get(key, OwnCounts())) for key, (label, _t) in chosen.groups.items()
    }
    hidden_here: set[str] = set()
    if anonymous:
        page_groups = {key: counts for key, (_label, counts) in chosen.groups.items()}
        hidden_here = set(hidden_groups(survey, page_groups, k=k))
        hidden_here |= _own_hidden(chosen, own, questions, k)
    view.filters = [
        (key, label)
        for key, (label, counts) in chosen.groups.items()
        if counts.n and key not in hidden_here
    ]
    if only is not None and any(key == only for key, _label in view.filters):
        view.only = only
        view.only_label = chosen.groups[only][0]
    return view
