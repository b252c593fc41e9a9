"""The survey results page: figures, trends, breakdowns and comments of a wave."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from cxaudit import questions as rules
from cxaudit import stats

from .. import library, policy
from ..models import Channel, QuestionAnswer, Response, Survey, Wave
from .access import anonymity_threshold, wave_threshold
from .charts import choice_chart, distribution_svg, tally_shares
from .counts import Tally, WaveCounts, count_expressions, wave_counts
from .dimensions import DimensionView, dimension_view, waves_excluded
from .figures import METRIC_LABELS, NPS_CLASSES, message_text, metric_figure, survey_metrics
from .groups import Breakdown, breakdown, group_dimension, hidden_groups, in_hidden_groups
from .own_figures import question_label
from .own_results import own_context, own_counts, own_results, own_texts, wave_questions
from .themes import (
    answer_theme_filter,
    comment_themes,
    survey_theme_list,
    survey_themes,
    theme_filter,
)
from .trends import trend

COMMENT_LIMIT = 100  # comments listed on the page at most


def comment_classes(
    survey: Survey, tally: Tally, *, k: int, visible: list[Tally] | None = None
) -> list[tuple[str, str]]:
    """Promoter/passive/detractor filters; under anonymity only classes that may be shown.

    ``visible`` are the tallies of the groups whose comments are listed (when some groups
    are hidden): a class is counted over those groups only, so that a filter never narrows
    the comments down to fewer than k people of the visible groups."""
    key = "enps" if survey.is_employee else "nps"
    if key not in survey_metrics(survey):
        return []
    parts = [tally] if visible is None else visible
    sizes = {"promoter": 0, "passive": 0, "detractor": 0}
    for part in parts:
        counts = part.nps_counts(key)
        sizes["promoter"] += counts.promoters
        sizes["passive"] += counts.passives
        sizes["detractor"] += counts.detractors
    shown = stats.suppress(sizes, k).shown if survey.anonymous else dict.fromkeys(sizes, True)
    return [(name, str(label)) for name, label in NPS_CLASSES if shown[name] and sizes[name]]


CLASS_FILTERS = {
    "promoter": {"gte": 9},
    "passive": {"gte": 7, "lte": 8},
    "detractor": {"lte": 6},
}


def comment_list(
    *,
    survey: Survey,
    wave: Wave,
    group: str | None,
    allowed: list[str],
    hidden: frozenset = frozenset(),
    excluded: Q | None = None,
    moderator: bool = False,
    theme: int | None = None,
    labels: Mapping[int, str] | None = None,
) -> tuple[list[dict], bool]:
    """Comments in a random order that never changes (random UUID keys), with no dates.

    Never those of ``hidden`` groups (A6: teams or channels hidden after A3), whatever
    the filter, nor of ``excluded`` responses (groups hidden in an own question's
    breakdown); comments hidden by the consultant only for the consultant (``moderator``),
    who sees them marked. A ``theme`` lists where it was found: built-in comments and own
    text answers (each with its question's label from ``labels``), one query each.
    Each row keeps ``id`` (the response's, or the answer's), ``response_id`` and
    ``question_id`` (None for a built-in comment) for ``comment_themes_attach``."""
    key = "enps" if survey.is_employee else "nps"
    responses = Response.objects.filter(wave=wave)
    hidden_responses = in_hidden_groups(survey, hidden)
    if hidden_responses is not None:
        responses = responses.exclude(hidden_responses)
    if excluded is not None:
        responses = responses.exclude(excluded)
    queryset = responses.exclude(comment="")
    if not moderator:
        queryset = queryset.filter(comment_hidden=False)
    if theme is not None:  # a theme's comments (only a clickable theme gets here)
        queryset = queryset.filter(theme_filter(theme))
    elif group in allowed and group in CLASS_FILTERS:
        queryset = queryset.filter(
            **{f"{key}__{op}": value for op, value in CLASS_FILTERS[group].items()}
        )
    fields = ["id", "comment", key, *(["comment_hidden"] if moderator else [])]
    rows = [
        {**row, "response_id": row["id"], "question_id": None, "question": ""}
        for row in queryset.order_by("id").values(*fields)[: COMMENT_LIMIT + 1]
    ]
    if theme is not None:
        answers = (
            QuestionAnswer.objects.filter(wave=wave, question__kind__in=rules.TEXTS)
            .exclude(text="")
            .filter(response__in=responses.values("pk"))
            .filter(answer_theme_filter(theme))
            .order_by("id")
            .values("id", "response_id", "question_id", "text", f"response__{key}")
        )
        rows += [
            {
                "id": row["id"],
                "response_id": row["response_id"],
                "question_id": row["question_id"],
                "question": (labels or {}).get(row["question_id"], ""),
                "comment": row["text"],
                key: row[f"response__{key}"],
            }
            for row in answers[: COMMENT_LIMIT + 1]
        ]
        rows.sort(key=lambda row: row["id"])
    more, rows = len(rows) > COMMENT_LIMIT, rows[:COMMENT_LIMIT]
    for row in rows:
        score = row[key]
        row["score"] = score
        row["class"] = (
            ""
            if score is None
            else "promoter"
            if score >= 9
            else "passive"
            if score >= 7
            else "detractor"
        )
    return rows, more


def comment_themes_attach(
    comments: list[dict], texts: list[dict], *, themed: bool, with_ids: bool
) -> None:
    """Each listed comment's and own text answer's themes (``themed``: the survey has
    themes), in one query for both lists; then the ids go, but the one the correction
    and moderation forms need when ``with_ids``: the response's for a built-in comment,
    the answer's for an own text answer."""
    rows = [*comments, *texts]
    found = comment_themes((r["response_id"], r["question_id"]) for r in rows) if themed else {}
    for row in rows:
        item = found.get((row["response_id"], row["question_id"]))
        row["themes"] = item.themes if item else []
        row["themes_by_hand"] = bool(item and item.by_hand)
        del row["response_id"]
        if not with_ids:
            del row["id"]


def results_waves(survey: Survey, waves: list[Wave], *, can_manage: bool) -> list[Wave]:
    """Waves whose results may be shown: closed ones under anonymity (A5) and to staff;
    managers of a non-anonymous customer survey also follow an open wave live."""
    today = timezone.localdate()
    return [w for w in waves if policy.wave_results_shown(w, managing=can_manage, today=today)]


def survey_results(
    *,
    survey: Survey,
    can_manage: bool,
    wave_number: int | None = None,
    group: str | None = None,
    moderator: bool = False,
    by: str | None = None,
    only: str | None = None,
    theme: int | None = None,
    corrector: bool = False,
) -> dict[str, Any]:
    """Everything the results page shows, in a bounded number of queries whatever the
    number of own questions: waves, channels, the aggregate, the own questions' counts
    (one GROUP BY per storage type), the chosen dimension's and the comments. ``by`` picks
    the one breakdown dimension (A4) and ``only`` one group of it to show alone.
    ``moderator`` (the consultant, on the page only) also lists the comments the consultant
    hid, to show them again; reports never pass it."""
    k = anonymity_threshold(survey.company)
    anonymous = survey.anonymous
    waves = list(survey.waves.order_by("number"))
    channels = {channel.pk: channel for channel in survey.channels.all()}
    shown_waves = results_waves(survey, waves, can_manage=can_manage)
    by_channel = bool(channels) and not survey.is_employee
    counts = wave_counts(survey=survey, waves=waves, by_channel=by_channel)
    today = timezone.localdate()
    open_waves = [  # no count so far under anonymity (see response_count_shown)
        (wave, None if anonymous else counts[wave.pk].total.n)
        for wave in waves
        if wave.status_on(today) == Wave.Status.OPEN and wave not in shown_waves
    ]
    context: dict[str, Any] = {
        "k": k,
        "thresholds": {},
        "anonymous": anonymous,
        "waves": shown_waves,
        "pending_waves": open_waves,
        "wave": None,
    }
    if not shown_waves:
        return context
    wave = next((w for w in shown_waves if w.number == wave_number), shown_waves[-1])
    k = context["k"] = wave_threshold(wave)  # each wave keeps the k it closed under
    thresholds = context["thresholds"] = {w.pk: wave_threshold(w) for w in shown_waves}
    wave_tally = counts[wave.pk]
    total = wave_tally.total
    context["wave"] = wave
    context["n"] = total.n
    context["n_hidden"] = anonymous and total.n < k
    questions = wave_questions(wave)
    own_total, own_by_wave = own_counts(wave=wave, waves=shown_waves, questions=questions)
    view = dimension_view(
        survey=survey,
        wave=wave,
        tally=wave_tally,
        channels=channels,
        questions=questions,
        k=k,
        by=by,
        only=only,
    )
    context["view"] = view
    shown = view.chosen.groups[view.only][1] if view.only else total  # the group shown
    own_shown = view.own_groups[view.only][1] if view.only else own_total
    metrics = survey_metrics(survey)

    def split(key: str, groups: dict, title: str):
        """A figure per group, shown only for groups of at least k answers."""
        return breakdown(
            key, groups, k=k, anonymous=anonymous, title=title % {"metric": METRIC_LABELS[key]}
        )

    sections = []
    for key in metrics:
        figure = metric_figure(key, shown, k=k, anonymous=anonymous)
        section: dict[str, Any] = {"figure": figure}
        if figure.shown:
            section["distribution"] = distribution_svg(key, shown)
            if key == "nps":
                section["shares"] = tally_shares(shown)
        if not view.only:
            section["trend"], section["trend_svg"] = trend(
                key, shown_waves, counts, thresholds=thresholds, anonymous=anonymous
            )
            _metric_breakdowns(section, key, survey, wave_tally, channels, view, split)
        sections.append(section)
    context["sections"] = sections
    if library.EXIT in survey.blocks:
        if anonymous and shown.n < k:
            context["exit_hidden"] = message_text(("hidden_below_threshold", {"k": k}))
        else:
            context["exit_charts"] = [
                choice_chart(
                    "exit_reason", shown, title=_("Why customers left (share of answers)")
                ),
                choice_chart("exit_where", shown, title=_("Where they went (share of answers)")),
            ]
    comments_visible = not (anonymous and total.n < k)
    context["comments_visible"] = comments_visible
    # Until the consultant releases them, only the consultant reads employee comments.
    context["comments_held"] = held = policy.comments_held(wave)
    context["has_comments"] = bool(total.counts.get("comments"))
    context.update({"comments": [], "comment_classes": [], "group": ""})
    context["moderator"] = moderator
    context["corrector"] = corrector
    texts_readable = comments_visible and (moderator or not held)
    texts = (
        own_texts(wave=wave, questions=questions, excluded=view.excluded) if texts_readable else {}
    )
    context.update(
        own_context(
            own_results(
                wave=wave,
                waves=shown_waves,
                questions=questions,
                counts=own_shown,
                by_wave=own_by_wave,
                thresholds=thresholds,
                k=k,
                anonymous=anonymous,
                groups=None if view.only else view.own_groups,
                title=_breakdown_title(survey, view),
                texts=texts,
                with_trends=not view.only,
            ),
            own_by_wave,
        )
    )
    context["texts_readable"] = texts_readable
    has_texts = any(items for items, _more in texts.values())
    if texts_readable and (context["has_comments"] or has_texts):
        themes = context["themes"] = _themes(
            survey, wave, shown_waves, counts, channels, moderator, view
        )
        clickable = {r.theme.pk for r in themes.rows if r.clickable} if themes else set()
        context["theme"] = theme if theme in clickable else None
        context["theme_choices"] = themes.themes if themes else []
        labels = {q.pk: question_label(q) for q in questions if q.is_text}
        if context["has_comments"] or context["theme"] is not None:
            _comments(context, survey, wave, wave_tally, view, k=k, group=group, labels=labels)
    comment_themes_attach(
        context["comments"],
        [item for result in context["own_questions"] for item in result.text_items],
        themed=bool(context.get("theme_choices")),
        with_ids=moderator or corrector,
    )
    return context


def _breakdown_title(survey: Survey, view: DimensionView) -> str:
    """The title of a breakdown by the chosen dimension, with ``%(metric)s``."""
    if view.chosen is None:
        return ""
    if view.by_question:
        return _("%(metric)s by the answer to “%(question)s”").replace(
            "%(question)s", view.chosen.label.replace("%", "%%")
        )
    if group_dimension(survey) == "team":
        return _("%(metric)s by team")
    return _("%(metric)s by channel")


def _metric_breakdowns(
    section: dict[str, Any],
    key: str,
    survey: Survey,
    wave_tally: WaveCounts,
    channels: dict[int, Channel],
    view: DimensionView,
    split: Callable[[str, dict, str], Breakdown | None],
) -> None:
    """The built-in metric by the chosen dimension: an own question's options, or (by
    default) the channels of a customer survey or the teams of an employee survey."""
    if view.by_question:
        section["question_groups"] = split(key, view.chosen.groups, _breakdown_title(survey, view))
        return
    if bool(channels) and not survey.is_employee:
        groups = {
            str(pk): (channel.name, wave_tally.channels.get(pk, Tally()))
            for pk, channel in channels.items()
        }
        if wave_tally.channels.get(None, Tally()).n:
            groups["-"] = (_("Main link"), wave_tally.channels[None])
        section["channels"] = split(key, groups, _("%(metric)s by channel"))
    if survey.is_employee and survey.teams:
        groups = {
            team: (team or _("Team not given"), tally) for team, tally in wave_tally.teams.items()
        }
        section["teams"] = split(key, groups, _("%(metric)s by team"))


def _comments(
    context: dict[str, Any],
    survey: Survey,
    wave: Wave,
    wave_tally: WaveCounts,
    view: DimensionView,
    *,
    k: int,
    group: str | None,
    labels: Mapping[int, str],
) -> None:
    """The comment list and its promoter/passive/detractor filters: never of a group any
    dimension hides, so that every view lists the same comments (A6)."""
    total = wave_tally.total
    dimension = group_dimension(survey)
    by_group = wave_tally.teams if dimension == "team" else wave_tally.channels
    hidden = hidden_groups(survey, by_group, k=k) if dimension else frozenset()
    visible: list[Tally] | None = None
    if hidden:
        visible = [tally for name, tally in by_group.items() if name not in hidden]
    if view.excluded is not None and any(d.question is not None for d in view.options):
        # Own questions' groups hide respondents too: count the classes of the rest.
        rest = Tally()
        queryset = Response.objects.filter(wave=wave).exclude(view.excluded)
        rest.add(queryset.aggregate(**count_expressions(survey)))
        visible = [rest]
    classes = comment_classes(survey, total, k=k, visible=visible)
    allowed = [name for name, _label in classes]
    context["comment_classes"] = classes
    context["group"] = group if group in allowed else ""
    context["comments"], context["comments_more"] = comment_list(
        survey=survey,
        wave=wave,
        group=group,
        allowed=allowed,
        hidden=hidden,
        excluded=view.excluded,
        moderator=context["moderator"],
        theme=context.get("theme"),
        labels=labels,
    )


def _themes(survey, wave, shown_waves, counts, channels, moderator, view):
    """The comment themes of the wave and their trend up to it (waves whose comments may
    be read), by the page's dimension; each wave with its own k and the respondents its
    own page leaves out (A6, every dimension), so a trend point counts what that wave's
    page counts."""
    themes = survey_theme_list(survey=survey)
    if not themes:  # before the exclusions' queries: a survey without themes reads one
        return None
    waves = [w for w in shown_waves if w.number <= wave.number]
    waves = [w for w in waves if moderator or not policy.comments_held(w) or w == wave]
    thresholds = {w.pk: wave_threshold(w) for w in waves}
    excluded = waves_excluded(
        survey=survey,
        waves=[w for w in waves if w != wave],
        tallies=counts,
        channels=channels,
        thresholds=thresholds,
    )
    excluded[wave.pk] = view.excluded
    left_out = None
    for pk, condition in excluded.items():
        if condition is not None:
            condition = Q(wave_id=pk) & condition
            left_out = condition if left_out is None else left_out | condition
    return survey_themes(
        survey=survey,
        wave=wave,
        waves=waves,
        thresholds=thresholds,
        dimension=view.chosen,
        excluded=left_out,
        themes=themes,
    )
