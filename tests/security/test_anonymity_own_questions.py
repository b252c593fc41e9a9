"""Own questions as breakdown dimensions and filters give no hidden group away (issue 15).

Hypothesis builds an anonymous employee survey whose respondents fall into cells of two
dimensions: either the team (two teams and "not given") and an own yes/no question (yes,
no, no answer), or that yes/no question and an own single-choice question (two options,
no answer). They answer the built-in items, an own rating (sometimes skipped), an own
text and a comment. The attacker reads the results page in every dimension the page
offers and with every "show only" filter it offers, plus the totals.

Each figure read is the sum of the answers of a set of cells; subtraction gives the sum
of any set of cells in the span of the sets read. The property (as in
``test_anonymity_property``): for every measure, no set of cells holding between 1 and
k - 1 answers is in that span. Comments and text answers: every view lists the same ones
(a difference between views would tie an answer to the intersection of two groups), and
none of them comes from a group of fewer than k respondents in any dimension.
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

from cxaudit import questions as rules
from surveys.models import Response, Survey, SurveySettings
from surveys.selectors import survey_results
from tests.own_answers import answer_all, own_question
from tests.security.test_anonymity_property import _in_span, _rank
from tests.survey_factories import SurveyFactory, WaveFactory

pytestmark = pytest.mark.django_db

MEASURES = ("enps", "state_at_work", "rating")
TEAMS = ("Alpha", "Beta", "")  # "" = team not given
YES_NO = (rules.YES, rules.NO, None)
SINGLE = ("left", "right", None)

respondent = st.tuples(
    st.integers(0, 2),  # first dimension's group
    st.integers(0, 2),  # second dimension's group
    st.integers(0, 10),  # eNPS
    st.one_of(st.none(), st.integers(0, 10)),  # state at work, sometimes skipped
    st.one_of(st.none(), st.integers(1, 5)),  # own rating, sometimes skipped
)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    people=st.lists(respondent, min_size=0, max_size=22),
    k=st.integers(min_value=3, max_value=5),
    with_teams=st.booleans(),
)
def test_no_hidden_group_follows_from_own_question_dimensions(company, people, k, with_teams):
    with transaction.atomic():
        _check_world(company, people, k, with_teams)
        transaction.set_rollback(True)


def _check_world(company, people, k, with_teams):
    today = timezone.localdate()
    SurveySettings.objects.update_or_create(company=company, defaults={"anonymity_threshold": k})
    survey = SurveyFactory(
        company=company, employee=True, teams=list(TEAMS[:2]) if with_teams else []
    )
    wave = WaveFactory(
        survey=survey,
        number=1,
        opens_on=today - timedelta(days=20),
        closes_on=today - timedelta(days=1),
        released=True,
    )
    yes_no = own_question(survey, "office", rules.YES_NO, position=1)
    single = own_question(survey, "side", rules.SINGLE, position=2, options=SINGLE[:2])
    rating = own_question(survey, "tools", rules.RATING_5, position=3)
    text = own_question(survey, "why", rules.SHORT_TEXT, position=4)
    cells = list(itertools.product(range(3), range(3)))
    n = {m: dict.fromkeys(cells, 0) for m in MEASURES}
    texts_of: dict[tuple[int, int], set[str]] = {c: set() for c in cells}
    responses, pairs = [], []
    for i, (first, second, enps, state, score) in enumerate(people):
        cell = (first, second)
        response = Response(
            wave=wave,
            submitted_on=wave.opens_on,
            team=TEAMS[first] if with_teams else "",
            enps=enps,
            state_at_work=state,
            process_ease=5,
            comment=f"comment-{i}",
        )
        responses.append(response)
        if with_teams:
            pairs.append((response, yes_no, YES_NO[second]))
        else:
            pairs += [(response, yes_no, YES_NO[first]), (response, single, SINGLE[second])]
        pairs += [(response, rating, score), (response, text, f"text-{i}")]
        texts_of[cell] |= {f"comment-{i}", f"text-{i}"}
        n["enps"][cell] += 1
        n["state_at_work"][cell] += state is not None
        n["rating"][cell] += score is not None
    Response.objects.bulk_create(responses)
    answer_all(pairs)
    survey = Survey.objects.get(pk=survey.pk)

    observed: dict[str, list[set]] = {m: [] for m in MEASURES}
    listed: list[frozenset[str]] = []
    with translation.override("en"):
        first_view = survey_results(survey=survey, can_manage=False)
        for option in first_view["view"].options:
            context = survey_results(survey=survey, can_manage=False, by=option.key)
            members = _members(option, with_teams, cells)
            _observe(context, members, set(cells), observed, listed)
            for key, _label in context["view"].filters:
                alone = survey_results(survey=survey, can_manage=False, by=option.key, only=key)
                assert alone["view"].only == key
                _observe(alone, members, members[key], observed, listed)

    for measure in MEASURES:
        basis = _rank([[Fraction(int(c in s)) for c in cells] for s in observed[measure]])
        for size in range(1, len(cells) + 1):
            for subset in itertools.combinations(cells, size):
                answered = sum(n[measure][c] for c in subset)
                if 0 < answered < k:
                    vector = [int(c in subset) for c in cells]
                    assert not _in_span(vector, basis), (
                        f"{measure}: the sum of {subset} ({answered} answers, k={k}) "
                        f"follows from the figures read"
                    )
    assert len(set(listed)) <= 1, "comment or text lists differ between views"
    shown = set().union(*listed) if listed else set()
    sizes = [
        {g: sum(n["enps"][c] for c in cells if c[axis] == g) for g in range(3)} for axis in (0, 1)
    ]
    for cell in cells:
        if texts_of[cell] & shown:
            assert all(sizes[axis][cell[axis]] >= k for axis in (0, 1)), (
                f"answers of {cell} listed while a group of it has fewer than {k} people"
            )


def _members(option, with_teams, cells) -> dict[str, set]:
    """The cells of each group of a dimension, by the group's key on the page."""
    question = option.question
    if question is None:  # the teams: first axis
        keys = {TEAMS[0]: 0, TEAMS[1]: 1, "-": 2}
        return {key: {c for c in cells if c[0] == g} for key, g in keys.items()}
    if question.kind == rules.YES_NO:
        axis = 1 if with_teams else 0
        keys = {str(rules.YES): 0, str(rules.NO): 1, "-": 2}
    else:
        axis = 1
        by_key = {choice.key: str(choice.pk) for choice in question.choices.all()}
        keys = {by_key["left"]: 0, by_key["right"]: 1, "-": 2}
    return {key: {c for c in cells if c[axis] == g} for key, g in keys.items()}


def _observe(context, members, scope, observed, listed) -> None:
    """What one page shows: each figure as the set of cells it sums."""
    view = context["view"]
    labels = {label: key for key, (label, _t) in view.chosen.groups.items()} if view.chosen else {}
    for section in context["sections"]:
        key = section["figure"].key
        if key not in MEASURES:
            continue
        if section["figure"].shown:
            observed[key].append(scope)
        for name in ("teams", "question_groups"):
            breakdown = section.get(name)
            for label, figure in breakdown.rows if breakdown else []:
                if figure.shown:
                    observed[key].append(members[labels[label]])
    for result in context["own_questions"]:
        if result.question.key != "tools":
            continue
        if result.figure.shown:
            observed["rating"].append(scope)
        for label, figure in result.breakdown.rows if result.breakdown else []:
            if figure.shown:
                observed["rating"].append(members[labels[label]])
    texts = {row["comment"] for row in context["comments"]}
    for result in context["own_questions"]:
        texts |= set(result.texts)
    listed.append(frozenset(texts))
