"""No combination of routes lets a hidden group's figures be computed (issue 13).

Hypothesis builds an employee survey with random teams, one or two closed waves, random
answers and a random k, sometimes lowered after the waves closed. The attacker then reads
everything a company's people can read about it:

- the survey results page of each wave (the wave's figure and the team breakdown of each
  metric), which is also what the wave PDF prints (``survey_summary``);
- the CSV/XLSX export of each wave (rows grouped by the team column they show);
- the audit results page's pooled survey figures, for audit periods covering either wave or
  both (``survey_period_results``; the audit PDF prints the same figures);
- the comment lists, with every promoter/passive/detractor filter.

Each figure the attacker reads is the sum of the answers of some set of cells (a cell is
one team in one wave), so subtraction gives him the sum of any set of cells whose indicator
lies in the span of the sets he read. The property: for every metric, no set of cells
holding between 1 and k - 1 answers to it is in that span. Comments are checked directly:
every comment carries its cell's name, and none of a hidden cell may appear anywhere.
"""

from __future__ import annotations

import itertools
from datetime import timedelta
from fractions import Fraction

import pytest
from django.db import transaction
from django.utils import timezone, translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cxaudit.reports.selectors.survey_sections import audit_survey_summaries
from surveys import services as survey_services
from surveys.audit_facts import survey_period_results
from surveys.models import Response, Survey, SurveySettings
from surveys.selectors import ExportRefused, survey_results, wave_export
from tests.survey_factories import SurveyFactory, WaveFactory

pytestmark = pytest.mark.django_db

METRICS = ("enps", "state_at_work", "process_ease")
NOT_GIVEN = ""


def _rank(rows: list[list[Fraction]]) -> list[list[Fraction]]:
    """A row-echelon basis of the span of ``rows`` (exact arithmetic)."""
    basis: list[list[Fraction]] = []
    pivots: list[int] = []
    for row in rows:
        row = list(row)
        for pivot, base in zip(pivots, basis, strict=True):
            if row[pivot]:
                factor = row[pivot] / base[pivot]
                row = [a - factor * b for a, b in zip(row, base, strict=True)]
        lead = next((i for i, value in enumerate(row) if value), None)
        if lead is not None:
            basis.append(row)
            pivots.append(lead)
    return basis


def _in_span(vector: list[int], basis: list[list[Fraction]]) -> bool:
    return len(_rank([*basis, [Fraction(v) for v in vector]])) == len(basis)


def test_rank_helper_knows_subtraction():
    """The attacker model itself: total minus a shown part gives the hidden part."""
    basis = _rank([[Fraction(1)] * 3, [Fraction(1), Fraction(0), Fraction(0)]])
    assert _in_span([0, 1, 1], basis)
    assert not _in_span([0, 1, 0], basis)


cell_sizes = st.integers(min_value=0, max_value=8)
waves_strategy = st.lists(
    st.fixed_dictionaries(
        {
            "sizes": st.lists(cell_sizes, min_size=4, max_size=4),  # three teams + not given
            "scores": st.lists(st.integers(0, 10), min_size=32, max_size=32),
            "skip_state": st.lists(st.booleans(), min_size=32, max_size=32),
        }
    ),
    min_size=1,
    max_size=2,
)


@settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    waves_data=waves_strategy,
    k=st.integers(min_value=3, max_value=6),
    lowered_to=st.one_of(st.none(), st.integers(min_value=3, max_value=5)),
    team_count=st.integers(min_value=2, max_value=3),
)
def test_no_hidden_group_sum_can_be_worked_out(company, waves_data, k, lowered_to, team_count):
    with transaction.atomic():
        _check_world(company, waves_data, k, lowered_to, team_count)
        transaction.set_rollback(True)


def _check_world(company, waves_data, k, lowered_to, team_count):
    today = timezone.localdate()
    teams = [f"Team{i}" for i in range(team_count)]
    SurveySettings.objects.update_or_create(company=company, defaults={"anonymity_threshold": k})
    survey = SurveyFactory(company=company, employee=True, teams=teams, title="Staff")
    cells: list[tuple[int, str]] = []
    n: dict[str, dict[tuple[int, str], int]] = {m: {} for m in METRICS}
    comments_of: dict[tuple[int, str], set[str]] = {}
    waves = []
    for number, data in enumerate(waves_data, start=1):
        closes_on = today - timedelta(days=1 + 40 * (len(waves_data) - number))
        wave = WaveFactory(
            survey=survey,
            number=number,
            opens_on=closes_on - timedelta(days=20),
            closes_on=closes_on,
            released=True,  # the consultant let the company read the comments
        )
        waves.append(wave)
        answer = 0
        for team, size in zip([*teams, NOT_GIVEN][: team_count + 1], data["sizes"], strict=False):
            cell = (number, team)
            cells.append(cell)
            rows = []
            for i in range(size):
                skip = data["skip_state"][answer % 32]
                text = f"comment-w{number}-{team or 'none'}-{i}"
                rows.append(
                    Response(
                        wave=wave,
                        submitted_on=wave.opens_on,
                        team=team,
                        enps=data["scores"][answer % 32],
                        state_at_work=None if skip else data["scores"][(answer + 7) % 32],
                        process_ease=data["scores"][(answer + 3) % 32],
                        comment=text,
                    )
                )
                comments_of.setdefault(cell, set()).add(text)
                answer += 1
            Response.objects.bulk_create(rows)
            n["enps"][cell] = n["process_ease"][cell] = size
            n["state_at_work"][cell] = sum(1 for r in rows if r.state_at_work is not None)
    k_in_force = k
    if lowered_to is not None and lowered_to != k:  # after the waves closed
        survey_services.survey_settings_set(company=company, anonymity_threshold=lowered_to)
        k_in_force = max(k, lowered_to)
    survey = Survey.objects.get(pk=survey.pk)  # read afresh, as every request does
    waves = list(survey.waves.order_by("number"))

    observed: dict[str, list[set[tuple[int, str]]]] = {m: [] for m in METRICS}
    shown_texts: set[str] = set()
    team_label = {team: team for team in teams}
    with translation.override("en"):
        not_given_label = "Team not given"
        team_label[not_given_label] = NOT_GIVEN
        for wave in waves:
            wave_cells = {c for c in cells if c[0] == wave.number}
            context = survey_results(survey=survey, can_manage=False, wave_number=wave.number)
            assert context["wave"].pk == wave.pk
            for section in context["sections"]:
                key = section["figure"].key
                if key not in METRICS:
                    continue
                if section["figure"].shown:
                    observed[key].append(wave_cells)
                breakdown = section.get("teams")
                for label, figure in breakdown.rows if breakdown else []:
                    if figure.shown:
                        observed[key].append({(wave.number, team_label[label])})
            shown_texts |= {row["comment"] for row in context["comments"]}
            for group, _label in context["comment_classes"]:
                filtered = survey_results(
                    survey=survey, can_manage=False, wave_number=wave.number, group=group
                )
                shown_texts |= {row["comment"] for row in filtered["comments"]}
            _observe_export(wave, wave_cells, teams, observed, shown_texts)
        for start, end in _periods(waves, today):
            pooled = survey_period_results(company=company, start=start, end=end, today=today)
            in_period = [w for w in waves if start <= w.closes_on <= end]
            for figure in pooled.figures:
                if figure.key not in METRICS or not figure.shown:
                    continue
                members = _pool_members(figure.key, figure.n, in_period, observed, cells, n)
                observed[figure.key].append(members)
            for summary in audit_survey_summaries(company=company, start=start, end=end):
                shown_texts |= {row["comment"] for row in summary["comments"]}

    for key in METRICS:
        basis = _rank([[Fraction(int(c in s)) for c in cells] for s in observed[key]])
        for size in range(1, len(cells) + 1):
            for subset in itertools.combinations(cells, size):
                answered = sum(n[key][c] for c in subset)
                if 0 < answered < k_in_force:
                    vector = [int(c in subset) for c in cells]
                    assert not _in_span(vector, basis), (
                        f"{key}: the sum of {subset} ({answered} answers, k={k_in_force}) "
                        f"follows from the figures read"
                    )
    hidden_cells = {c for c in cells if not _cell_shown(c, observed)}
    leaked = shown_texts & set().union(*(comments_of.get(c, set()) for c in hidden_cells))
    assert not leaked, f"comments of hidden groups shown: {sorted(leaked)[:3]}"


def _cell_shown(cell, observed) -> bool:
    """A cell counts as shown when some metric's figure covers it alone."""
    return any({cell} in sets for sets in observed.values())


def _observe_export(wave, wave_cells, teams, observed, shown_texts) -> None:
    """Rows grouped by the team column: a team's name or "" (not given) is that cell; the
    hidden-group marker stands for every cell of the wave without a label of its own."""
    try:
        header, rows = wave_export(wave=wave)
    except ExportRefused:
        return
    team_column = header.index("team")
    groups: dict[str, list[list]] = {}
    for row in rows:
        groups.setdefault(row[team_column], []).append(row)
    shown_texts |= {row[header.index("comment")] or "" for row in rows}
    shown_texts.discard("")
    labelled = {label for label in groups if label in teams or label == NOT_GIVEN}
    for key in METRICS:
        column = header.index(key)
        for label, members in groups.items():
            if all(row[column] in (None, "") for row in members):
                continue
            if label in labelled:
                observed[key].append({(wave.number, label)})
            else:
                observed[key].append({c for c in wave_cells if c[1] not in labelled})


def _periods(waves, today):
    """Audit periods covering each wave alone and all of them."""
    periods = [(w.opens_on, w.closes_on) for w in waves]
    periods.append((min(w.opens_on for w in waves), today))
    return periods


def _pool_members(key, pooled_n, in_period, observed, cells, n):
    """The waves a pooled figure claims to hold: those whose own figure the survey page
    shows. The pooled n must equal theirs, or the pool counts something else."""
    members = set()
    for wave in in_period:
        wave_cells = {c for c in cells if c[0] == wave.number}
        if wave_cells in observed[key]:
            members |= wave_cells
    assert pooled_n == sum(n[key][c] for c in members), (
        f"{key}: the pooled n {pooled_n} is not the sum of the waves shown on their own"
    )
    return members
