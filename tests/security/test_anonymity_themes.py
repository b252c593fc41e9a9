"""Comment themes give no hidden group and no count about 1..k-1 people away (issue 16).

Hypothesis builds an anonymous employee survey whose respondents fall into cells of a
team (two teams and "not given") and an eNPS class (promoter, passive, detractor, none).
Some comment, some do not; comments get themes (some corrected by hand, some hidden by
the consultant). The attacker reads the themes overall, by NPS class, by team, and every
theme's filtered comment list.

Each figure read is a count over a set of cells; subtraction gives the count of any set
in the span of the sets read. Property: no set of cells holding between 1 and k - 1
commented responses is in that span; no comment of a team any breakdown hides is ever
listed; a theme's list never narrows to fewer than k comments.
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

from surveys.models import Response, Survey, SurveySettings
from surveys.selectors import survey_results
from surveys.selectors.counts import wave_counts
from surveys.selectors.groups import hidden_groups
from tests.security.test_anonymity_property import _in_span, _rank
from tests.survey_factories import SurveyFactory, WaveFactory
from tests.theme_factories import codebook, tag

pytestmark = pytest.mark.django_db

TEAMS = ("Alpha", "Beta", "")
CLASSES = ("promoter", "passive", "detractor", "none")
SCORES = {"promoter": 10, "passive": 7, "detractor": 3, "none": None}
CELLS = list(itertools.product(range(3), range(4)))

respondent = st.tuples(
    st.integers(0, 2),  # team
    st.integers(0, 3),  # class
    st.sampled_from(["", "text", "text", "hidden"]),  # comment: none, shown, hidden
    st.sets(st.integers(0, 1)),  # themes found by the matcher
    st.sets(st.integers(0, 1)),  # corrections by hand (flip)
)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(people=st.lists(respondent, max_size=24), k=st.integers(3, 5))
def test_theme_counts_reveal_no_small_group(company, people, k):
    with transaction.atomic():
        _check_world(company, people, k)
        transaction.set_rollback(True)


def _check_world(company, people, k):
    today = timezone.localdate()
    SurveySettings.objects.update_or_create(company=company, defaults={"anonymity_threshold": k})
    survey = SurveyFactory(company=company, employee=True, teams=list(TEAMS[:2]))
    wave = WaveFactory(
        survey=survey,
        number=1,
        opens_on=today - timedelta(days=20),
        closes_on=today - timedelta(days=1),
        released=True,
    )
    themes = list(codebook(survey, ["wait", "staff"]).values())
    commented = dict.fromkeys(CELLS, 0)
    team_of: dict[str, int] = {}
    rows = []
    for i, (team, klass, comment, _found, _flipped) in enumerate(people):
        rows.append(
            Response(
                wave=wave,
                submitted_on=wave.opens_on,
                team=TEAMS[team],
                enps=SCORES[CLASSES[klass]],
                process_ease=5,
                state_at_work=5,
                comment="" if not comment else f"comment-{i}",
                comment_hidden=comment == "hidden",
            )
        )
        team_of[f"comment-{i}"] = team
        commented[(team, klass)] += comment == "text"
    Response.objects.bulk_create(rows)
    for response, (_t, _c, comment, found, flipped) in zip(rows, people, strict=True):
        if not comment:
            continue
        for index in found:
            tag(response, themes[index])
        for index in flipped:
            tag(response, themes[index], manual=True, present=index not in found)
    survey = Survey.objects.get(pk=survey.pk)
    counts = wave_counts(survey=survey, waves=[wave])[wave.pk]
    hidden = {TEAMS.index(t) for t in hidden_groups(survey, counts.teams, k=k)}

    observed: list[set] = []
    with translation.override("en"):
        context = survey_results(survey=survey, can_manage=False)
        result = context.get("themes")
        visible_teams = [t for t in range(3) if t not in hidden]
        if result is not None and result.rows:
            everyone = {c for c in CELLS if c[0] in visible_teams}
            assert result.n == sum(commented[c] for c in everyone)
            observed.append(everyone)
            for index, name in enumerate(CLASSES[:3]):
                if result.class_n[name] is not None:
                    observed.append({c for c in everyone if c[1] == index})
            labels = result.group_labels
            for position, label in enumerate(labels):
                if result.rows[0].groups[position][1] is not None:
                    team = TEAMS.index("" if label == "Team not given" else label)
                    assert team in visible_teams
                    observed.append({c for c in CELLS if c[0] == team})
            for row in result.rows:
                if not row.clickable:
                    continue
                listed = survey_results(survey=survey, can_manage=False, theme=row.theme.pk)
                assert listed["theme"] == row.theme.pk
                texts = [c["comment"] for c in listed["comments"]]
                assert len(texts) == row.overall.count >= k
                assert all(team_of[text] in visible_teams for text in texts)
        for comment in context.get("comments", []):
            assert team_of[comment["comment"]] in visible_teams

    basis = _rank([[Fraction(int(c in s)) for c in CELLS] for s in observed])
    for size in range(1, len(CELLS) + 1):
        for subset in itertools.combinations(CELLS, size):
            n = sum(commented[c] for c in subset)
            if 0 < n < k:
                vector = [int(c in subset) for c in CELLS]
                assert not _in_span(vector, basis), (
                    f"{subset} ({n} commented responses, k={k}) follows from the themes read"
                )
