"""Themes of the comments of a wave whose results are shown: share of commented responses
per theme with its interval, by NPS group (detractors against promoters), by the groups of
the page's dimension (teams, channels or an own question's answers), and across waves.

Only comments that may be shown are counted: not hidden by the consultant, not held for
the consultant, not of a group any breakdown hides (A6), and nothing of a pool of fewer
than k commented responses under anonymity (A2, with A3 across groups and NPS classes).
A response counts once per theme, whether the theme is in its comment or in an own text
answer. A comment's effective themes are its manual ``present`` rows plus its automatic
rows for themes without a manual row for that comment.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Case, CharField, Count, Exists, OuterRef, Q, Value, When

from cxaudit import questions as rules
from cxaudit import stats
from cxaudit.themes.figures import compare, share

from ..models import QuestionAnswer, Response, Survey, Wave
from ..models.themes import TagSource, Theme, ThemeTag
from .dimensions import Dimension, page_key, response_group_expression

CLASSES = ("promoter", "passive", "detractor")


def effective() -> Q:
    """ThemeTag rows that are effective themes of their comment: manual ``present`` rows,
    and auto rows of a theme without a manual row for that comment."""
    manual = ThemeTag.objects.filter(
        response=OuterRef("response"), theme=OuterRef("theme"), source=TagSource.MANUAL
    )
    return Q(source=TagSource.MANUAL, present=True) | Q(
        Q(question__isnull=True) & ~Exists(manual.filter(question__isnull=True))
        | Q(question__isnull=False) & ~Exists(manual.filter(question=OuterRef("question"))),
        source=TagSource.AUTO,
    )


def themed_tags(waves: Iterable[Wave]):
    """Effective tags of shown comments of ``waves``: a queryset of ThemeTag."""
    text_answer = QuestionAnswer.objects.filter(
        response=OuterRef("response"), question=OuterRef("question")
    ).exclude(text="")
    return (
        ThemeTag.objects.filter(wave__in=list(waves))
        .filter(effective())
        .filter(
            Q(question__isnull=True, response__comment_hidden=False) & ~Q(response__comment="")
            | Q(question__isnull=False) & Exists(text_answer)
        )
    )


def commented_responses(waves: Iterable[Wave]):
    """Responses of ``waves`` with a comment that may be shown or an own text answer."""
    text_answer = QuestionAnswer.objects.filter(
        response=OuterRef("pk"), question__kind__in=_texts()
    )
    text_answer = text_answer.exclude(text="")
    return Response.objects.filter(wave__in=list(waves)).filter(
        Q(comment_hidden=False) & ~Q(comment="") | Exists(text_answer)
    )


def _texts() -> tuple[str, ...]:
    return tuple(rules.TEXTS)


def _cells(survey: Survey, dimension: Dimension | None, prefix: str = "") -> dict[str, Any]:
    """The (class, group) of a response, for grouping in SQL: the group in the page's
    dimension (teams, channels or an own question's answers)."""
    key = prefix + ("enps" if survey.is_employee else "nps")
    klass = Case(
        When(**{f"{key}__gte": 9}, then=Value("promoter")),
        When(**{f"{key}__gte": 7}, then=Value("passive")),
        When(**{f"{key}__isnull": False}, then=Value("detractor")),
        default=Value("none"),
        output_field=CharField(),
    )
    group: Any = Value("")
    if dimension is not None:
        group = response_group_expression(survey, dimension, prefix=prefix)
    return {"klass": klass, "group": group}


@dataclass
class Share:
    count: int
    n: int
    value: Any  # cxaudit.themes.figures.share result


@dataclass
class ThemeRow:
    theme: Theme
    label: str
    overall: Share | None
    classes: dict[str, Share | None] = field(default_factory=dict)
    comparison: Any = None
    groups: list[tuple[str, Share | None]] = field(default_factory=list)
    trend: list[tuple[Wave, Share | None]] = field(default_factory=list)
    clickable: bool = False


@dataclass
class WaveThemes:
    rows: list[ThemeRow]
    n: int | None
    class_n: dict[str, int | None]
    group_labels: list[str]
    chosen: int | None = None
    themes: list[Theme] = field(default_factory=list)  # the codebook's, in its order


def _share(count: int, n: int) -> Share:
    return Share(count=count, n=n, value=share(count, n))


def survey_theme_list(*, survey: Survey) -> list[Theme]:
    """The themes of the survey's codebook, in its order (one query, none or not)."""
    return list(Theme.objects.filter(codebook__survey=survey))


def survey_themes(
    *,
    survey: Survey,
    wave: Wave,
    waves: list[Wave],
    thresholds: Mapping[int, int],
    dimension: Dimension | None = None,
    excluded: Q | None = None,
    themes: list[Theme] | None = None,
) -> WaveThemes | None:
    """Themes of ``wave`` and their trend over ``waves`` (the shown, not held ones), in
    three queries (one for a survey without a codebook; ``themes`` when the caller has
    read them): the themes, the commented responses per (wave, class, group), the
    effective tags per (wave, theme, class, group). ``dimension`` is the page's
    breakdown (its groups are the columns); ``excluded`` the responses the comment lists
    leave out (A6: groups any dimension hides, per wave), left out here too, so that no
    count differs from what a list shows and every dimension splits the same people."""
    themes = survey_theme_list(survey=survey) if themes is None else themes
    if not themes:
        return None
    anonymous = survey.anonymous
    cells = _cells(survey, dimension)
    left_out = Q(pk__in=[]) if excluded is None else excluded
    denominators: dict[int, dict[tuple[str, Any], int]] = defaultdict(dict)
    for row in (
        commented_responses(waves)
        .exclude(left_out)
        .annotate(**cells)
        .values("wave_id", "klass", "group")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        denominators[row["wave_id"]][(row["klass"], page_key(row["group"]))] = row["n"]
    counts: dict[int, dict[int, dict[tuple[str, Any], int]]] = defaultdict(
        lambda: defaultdict(dict)
    )
    for row in (
        themed_tags(waves)
        .exclude(response__in=Response.objects.filter(left_out))
        .annotate(**_cells(survey, dimension, "response__"))
        .values("wave_id", "theme_id", "klass", "group")
        .annotate(count=Count("response", distinct=True))
        .order_by()
    ):
        key = (row["klass"], page_key(row["group"]))
        counts[row["wave_id"]][row["theme_id"]][key] = row["count"]
    k = thresholds[wave.pk]
    cells_n = denominators.get(wave.pk, {})
    n = sum(cells_n.values())
    if anonymous and n < k:
        return WaveThemes(rows=[], n=None, class_n={}, group_labels=[], themes=themes)
    class_sizes = {c: sum(v for (kl, _g), v in cells_n.items() if kl == c) for c in CLASSES}
    class_sizes["none"] = sum(v for (kl, _g), v in cells_n.items() if kl == "none")
    class_shown = (
        stats.suppress({c: v for c, v in class_sizes.items()}, k).shown
        if anonymous
        else dict.fromkeys(class_sizes, True)
    )
    group_sizes: dict[Any, int] = defaultdict(int)
    for (_kl, g), v in cells_n.items():
        group_sizes[g] += v
    labels = {key: label for key, (label, _t) in dimension.groups.items()} if dimension else {}
    if len(labels) >= 2:
        for g in labels:
            group_sizes.setdefault(g, 0)
    group_shown = {}
    if len(labels) >= 2:
        shown = (
            stats.suppress(dict(group_sizes), k).shown
            if anonymous
            else dict.fromkeys(group_sizes, True)
        )
        group_shown = {g: shown[g] and group_sizes[g] > 0 for g in group_sizes}
    ordered = list(labels.items())
    if dimension is not None and dimension.question is None:  # teams, channels: by name
        ordered.sort(key=lambda item: str(item[1]))
    rows = []
    for theme in themes:
        theme_cells = counts.get(wave.pk, {}).get(theme.pk, {})
        total = sum(theme_cells.values())
        row = ThemeRow(theme=theme, label=theme.name(), overall=_share(total, n))
        row.clickable = total > 0 and (not anonymous or total >= k)
        for c in CLASSES:
            if class_shown[c] and class_sizes[c]:
                count = sum(v for (kl, _g), v in theme_cells.items() if kl == c)
                row.classes[c] = _share(count, class_sizes[c])
            else:
                row.classes[c] = None
        d, p = row.classes["detractor"], row.classes["promoter"]
        if d is not None and p is not None:
            row.comparison = compare(d.count, d.n, p.count, p.n)
        for g, label in ordered:
            if group_shown.get(g):
                count = sum(v for (_kl, gg), v in theme_cells.items() if gg == g)
                row.groups.append((label, _share(count, group_sizes[g])))
            else:
                row.groups.append((label, None))
        for w in waves:
            w_n = sum(denominators.get(w.pk, {}).values())
            if (anonymous and w_n < thresholds[w.pk]) or not w_n:
                row.trend.append((w, None))
            else:
                w_count = sum(counts.get(w.pk, {}).get(theme.pk, {}).values())
                row.trend.append((w, _share(w_count, w_n)))
        rows.append(row)
    rows.sort(key=lambda r: (-r.overall.count, r.theme.position, r.theme.pk))
    return WaveThemes(
        rows=rows,
        n=n,
        class_n={c: class_sizes[c] if class_shown[c] else None for c in CLASSES},
        group_labels=[label for _g, label in ordered] if len(labels) >= 2 else [],
        themes=themes,
    )


def theme_filter(theme_pk: int) -> Q:
    """Responses whose built-in comment has the theme among its effective themes."""
    tags = ThemeTag.objects.filter(
        response=OuterRef("pk"), question__isnull=True, theme_id=theme_pk
    ).filter(effective())
    return Q(Exists(tags))


def answer_theme_filter(theme_pk: int) -> Q:
    """Own text answers (QuestionAnswer rows) with the theme among their effective themes."""
    tags = ThemeTag.objects.filter(
        response=OuterRef("response_id"), question=OuterRef("question_id"), theme_id=theme_pk
    ).filter(effective())
    return Q(Exists(tags))


@dataclass
class CommentThemes:
    themes: list[Theme] = field(default_factory=list)  # effective, in the codebook's order
    by_hand: bool = False  # a consultant corrected them


def comment_themes(keys: Iterable[tuple[Any, int | None]]) -> dict[Any, CommentThemes]:
    """The effective themes of these comments, each a (response id, own text question id
    or None for the built-in comment), in one query: the manual rows of absent themes
    come along, to tell the comments corrected by hand."""
    wanted = set(keys)
    found: dict[Any, CommentThemes] = defaultdict(CommentThemes)
    if not wanted:
        return found
    for tag in (
        ThemeTag.objects.filter(response_id__in={response for response, _q in wanted})
        .filter(effective() | Q(source=TagSource.MANUAL))
        .select_related("theme")
        .order_by("theme__position", "theme__pk")
    ):
        key = (tag.response_id, tag.question_id)
        if key not in wanted:
            continue
        item = found[key]
        item.by_hand = item.by_hand or tag.source == TagSource.MANUAL
        if tag.present:
            item.themes.append(tag.theme)
    return found
