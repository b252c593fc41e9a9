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
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from cxaudit import questions as rules
from surveys.models import Response, Survey, SurveySettings
from surveys.selectors import survey_results
from surveys.selectors.counts import wave_counts
from surveys.selectors.groups import hidden_groups
from tests.own_answers import answer_all, own_question
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


# ------------------------------------------------- themes by an own question's answer

OPTIONS = (rules.YES, rules.NO, None)  # an own yes/no question; None: not answered
OWN_CELLS = list(itertools.product(range(3), range(3), range(4)))  # team, answer, class

own_respondent = st.tuples(
    st.integers(0, 2),  # team
    st.integers(0, 2),  # answer to the yes/no question
    st.integers(0, 3),  # class
    st.sampled_from(["", "text", "text", "hidden"]),  # built-in comment
    st.booleans(),  # an own text answer
    st.sets(st.integers(0, 1)),  # themes the matcher found in the comment
    st.sets(st.integers(0, 1)),  # themes the matcher found in the own text answer
    st.sets(st.integers(0, 1)),  # the comment's themes corrected by hand (flip)
)


def _zero_one_vectors(rows: list[list[Fraction]]) -> list[list[int]]:
    """Every 0/1 vector in the span of ``rows``: in reduced row echelon form a vector of
    the span is the sum of the rows weighted by its values at the pivots, so those are
    0 or 1 and there are 2^rank candidates to check."""
    basis = _rank(rows)
    pivots = []
    for i, row in enumerate(basis):
        lead = next(j for j, value in enumerate(row) if value)
        pivots.append(lead)
        basis[i] = row = [value / row[lead] for value in row]
        for other in range(len(basis)):
            if other != i and basis[other][lead]:
                factor = basis[other][lead]
                basis[other] = [a - factor * b for a, b in zip(basis[other], row, strict=True)]
    found = []
    for weights in itertools.product((0, 1), repeat=len(basis)):
        vector = [
            sum(w * row[j] for w, row in zip(weights, basis, strict=True))
            for j in range(len(rows[0]))
        ]
        if all(value in (0, 1) for value in vector):
            found.append([int(value) for value in vector])
    return found


def test_zero_one_helper_finds_a_difference():
    everyone = [Fraction(1)] * 3
    first = [Fraction(1), Fraction(0), Fraction(0)]
    assert [0, 1, 1] in _zero_one_vectors([everyone, first])
    assert [0, 1, 0] not in _zero_one_vectors([everyone, first])


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(people=st.lists(own_respondent, max_size=24), k=st.integers(3, 5))
# "No" has enough respondents but one comment: without complementary suppression the
# total minus "yes" gives that comment's themes.
@example(
    people=[(0, 0, 0, "text", False, {0}, set(), set())] * 6
    + [(0, 1, 0, "", True, set(), {0}, set())]
    + [(0, 1, 0, "", False, set(), set(), set())] * 3,
    k=3,
)
def test_themes_by_an_own_question_reveal_no_small_group(company, people, k):
    """The attacker reads the themes table in every dimension the page offers (teams and
    an own yes/no question), with every "show only" filter, every theme's list and the
    comment and text lists; no set of 1..k-1 commented respondents follows."""
    with transaction.atomic():
        _check_own_world(company, people, k)
        transaction.set_rollback(True)


def _check_own_world(company, people, k):
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
    office = own_question(survey, "office", rules.YES_NO, position=1)
    why = own_question(survey, "why", rules.SHORT_TEXT, position=2)
    themes = list(codebook(survey, ["wait", "staff"]).values())
    commented = dict.fromkeys(OWN_CELLS, 0)
    cell_of: dict[str, tuple[int, int, int]] = {}
    rows, pairs = [], []
    for i, (team, option, klass, comment, text, *_tags) in enumerate(people):
        response = Response(
            wave=wave,
            submitted_on=wave.opens_on,
            team=TEAMS[team],
            enps=SCORES[CLASSES[klass]],
            process_ease=5,
            state_at_work=5,
            comment="" if not comment else f"comment-{i}",
            comment_hidden=comment == "hidden",
        )
        rows.append(response)
        pairs += [(response, office, OPTIONS[option])]
        if text:
            pairs.append((response, why, f"text-{i}"))
        cell = (team, option, klass)
        cell_of[f"comment-{i}"] = cell_of[f"text-{i}"] = cell
        commented[cell] += comment == "text" or text
    Response.objects.bulk_create(rows)
    answer_all(pairs)
    for response, (_t, _o, _c, comment, text, found, in_text, flipped) in zip(
        rows, people, strict=True
    ):
        if comment:
            for index in found:
                tag(response, themes[index])
            for index in flipped:
                tag(response, themes[index], manual=True, present=index not in found)
        if text:
            for index in in_text:
                tag(response, themes[index], question=why)
    survey = Survey.objects.get(pk=survey.pk)

    observed: list[set] = []
    listed: list[frozenset[str]] = []
    with translation.override("en"):
        first = survey_results(survey=survey, can_manage=False)
        # The respondents every view counts: none of a group any dimension hides (A6).
        everyone = set(OWN_CELLS)
        for option in first["view"].options:
            tallies = {key: tally for key, (_label, tally) in option.groups.items()}
            for key in hidden_groups(survey, tallies, k=k):
                everyone -= _group_cells(option, key)
        for option in first["view"].options:
            context = survey_results(survey=survey, can_manage=False, by=option.key)
            views = [context]
            views += [
                survey_results(survey=survey, can_manage=False, by=option.key, only=key)
                for key, _label in context["view"].filters
            ]
            for page in views:
                _observe_themes(survey, page, option, everyone, cell_of, observed, listed, k)
                result = page.get("themes")
                if result is not None and result.rows:
                    assert result.n == sum(commented[c] for c in everyone)

    assert len(set(listed)) <= 1, "comment or text lists differ between views"
    vectors = [[Fraction(int(c in s)) for c in OWN_CELLS] for s in observed]
    for vector in _zero_one_vectors(vectors) if vectors else []:
        n = sum(commented[c] for c, v in zip(OWN_CELLS, vector, strict=True) if v)
        assert not 0 < n < k, (
            f"{[c for c, v in zip(OWN_CELLS, vector, strict=True) if v]} ({n} commented "
            f"respondents, k={k}) follows from the themes read"
        )


def _group_cells(option, key: str) -> set:
    """The cells of a group of the dimension, by its key on the page."""
    if option.question is None:
        team = {TEAMS[0]: 0, TEAMS[1]: 1, "-": 2}[key]
        return {c for c in OWN_CELLS if c[0] == team}
    answer = {str(rules.YES): 0, str(rules.NO): 1, "-": 2}[key]
    return {c for c in OWN_CELLS if c[1] == answer}


def _observe_themes(survey, context, option, everyone, cell_of, observed, listed, k) -> None:
    """What one page shows: each theme figure as the set of cells it counts."""
    texts = {row["comment"] for row in context["comments"]}
    for result in context["own_questions"]:
        texts |= set(result.texts)
    listed.append(frozenset(texts))
    assert {cell_of[text] for text in texts} <= everyone
    result = context.get("themes")
    if result is None or not result.rows:
        return
    observed.append(everyone)
    for index, name in enumerate(CLASSES[:3]):
        if result.class_n[name] is not None:
            observed.append({c for c in everyone if c[2] == index})
    chosen = context["view"].chosen
    keys = {label: key for key, (label, _t) in chosen.groups.items()} if chosen else {}
    assert len(result.group_labels) == (len(chosen.groups) if chosen and len(keys) >= 2 else 0)
    for position, label in enumerate(result.group_labels):
        if result.rows[0].groups[position][1] is not None:
            observed.append(_group_cells(option, keys[label]) & everyone)
    for row in result.rows:
        if not row.clickable:
            continue
        shown = survey_results(survey=survey, can_manage=False, by=option.key, theme=row.theme.pk)
        assert shown["theme"] == row.theme.pk
        people = {text.split("-")[1] for text in (c["comment"] for c in shown["comments"])}
        assert len(people) == row.overall.count >= k
        assert {cell_of[c["comment"]] for c in shown["comments"]} <= everyone
