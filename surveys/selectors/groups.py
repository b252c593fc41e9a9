"""Figures per channel or team, and the groups anonymity hides (A2, A3, A4, A6)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cxaudit import charts, stats
from cxaudit.l10n import decimal_mark

from ..models import Survey
from .charts import safe_svg
from .counts import Tally
from .figures import Figure, figure_bounds, hidden_figure, metric_figure, survey_metrics


@dataclass
class Breakdown:
    title: str
    rows: list[tuple[str, Figure]]
    svg: str
    note: str = ""


def breakdown(
    key: str,
    groups: dict[str, tuple[str, Tally]],
    *,
    k: int,
    anonymous: bool,
    title: str,
) -> Breakdown | None:
    """Per-group figures; under anonymity with A2 and A3 (complementary suppression)."""
    if len(groups) < 2:
        return None
    sizes = {name: tally.answered(key) for name, (_label, tally) in groups.items()}
    shown = stats.suppress(sizes, k).shown if anonymous else dict.fromkeys(sizes, True)
    rows = []
    for name, (label, tally) in sorted(groups.items(), key=lambda item: item[1][0]):
        figure = (
            metric_figure(key, tally, k=k, anonymous=anonymous)
            if shown[name]
            else hidden_figure(key, k)
        )
        rows.append((label, figure))
    bounds = figure_bounds(key)
    svg = charts.bar_chart(
        [(label, figure.raw if figure.shown else None) for label, figure in rows],
        title=title,
        min_value=bounds[0],
        max_value=bounds[1],
        missing_text=_("hidden"),
        fluid=True,
        decimal=decimal_mark(),
        chart_id=f"breakdown-{key}",
    )
    note = ""
    if anonymous:
        note = _(
            "Groups with fewer than %(k)d answers are hidden, and so is the smallest other "
            "group when needed to keep them from being worked out."
        ) % {"k": k}
    return Breakdown(title=title, rows=rows, svg=safe_svg(svg), note=note)


HIDDEN_GROUP = gettext_lazy("[hidden group]")


def group_dimension(survey: Survey) -> str | None:
    """The one grouping an anonymous survey's pages, exports and comment lists use (A4):
    teams for an employee survey with teams, channels for a customer survey, else none."""
    if survey.is_employee:
        return "team" if survey.teams else None
    return "channel"


def hidden_groups(survey: Survey, groups: Mapping[Any, Tally], *, k: int) -> frozenset:
    """Groups hidden by A2 and A3 in any breakdown the page shows (one per metric), or by
    the same rules applied to their number of responses (comments, exit answers).

    The union keeps every pool of hidden answers at 0 or at least k answers to each metric:
    a group hidden for one metric only has either no answers to another, at least k, or is
    hidden there too, where A3 already made that metric's pool reach k."""
    if not survey.anonymous or len(groups) < 2:
        return frozenset()
    keys = {name: "-" if name is None else str(name) for name in groups}  # the page's keys
    sizes = [
        {keys[name]: tally.answered(key) for name, tally in groups.items()}
        for key in survey_metrics(survey)
    ]
    sizes.append({keys[name]: tally.n for name, tally in groups.items()})
    hidden: set = set()
    for group_sizes in sizes:
        shown = stats.suppress(group_sizes, k).shown
        # A group nobody in which answered a question has nothing to hide for it.
        hidden.update(name for name in groups if not shown[keys[name]] and group_sizes[keys[name]])
    return frozenset(hidden)


def in_hidden_groups(survey: Survey, hidden: frozenset) -> Q | None:
    """The responses of ``hidden`` groups (teams, or channels with None for the main
    link), for the lists that leave them out (A6); None when nothing is hidden."""
    dimension = group_dimension(survey)
    if not hidden or dimension is None:
        return None
    if dimension == "team":
        return Q(team__in=hidden)
    channels = Q(channel_id__in=[pk for pk in hidden if pk is not None])
    return channels | Q(channel__isnull=True) if None in hidden else channels
