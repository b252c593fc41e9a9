"""The rules of the consultant's own questions: keys, conditions, answer checks, CSV cells."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cxaudit import questions as q

RATING = q.QuestionSpec(key="speed", kind=q.RATING_5, required=True)
ELEVEN = q.QuestionSpec(key="likely", kind=q.RATING_11)
YESNO = q.QuestionSpec(key="again", kind=q.YES_NO)
BRANCH = q.QuestionSpec(key="branch", kind=q.SINGLE, choices=("north", "south"))
CHANNELS = q.QuestionSpec(key="how", kind=q.MULTIPLE, choices=("web", "shop", "phone"))
SHORT = q.QuestionSpec(key="name_it", kind=q.SHORT_TEXT)
LONG = q.QuestionSpec(key="why", kind=q.LONG_TEXT)
WHY_DETRACTOR = q.QuestionSpec(
    key="why_low",
    kind=q.LONG_TEXT,
    required=True,
    condition=q.Condition(on="nps", values=frozenset(range(0, 7))),
)


# --------------------------------------------------------------------------- keys


@pytest.mark.parametrize("key", ["a", "branch", "q1", "why_low", "a" * 40])
def test_good_keys(key):
    assert q.key_problem(key) is None


@pytest.mark.parametrize("key", ["", "1st", "_x", "Branch", "with space", "ключ", "a-b", "a" * 41])
def test_bad_keys_are_refused_with_the_format_rule(key):
    problem = q.key_problem(key)
    assert problem is not None and problem.message == "key_format"
    assert problem.params == {"max": 40}


@pytest.mark.parametrize("key", sorted(q.RESERVED_KEYS))
def test_the_builtin_and_export_columns_are_reserved(key):
    assert q.key_problem(key).message == "key_reserved"


def test_a_key_taken_by_another_question_is_refused():
    assert q.key_problem("branch", taken=["speed", "branch"]) == q.Problem(
        "key_taken", {"key": "branch"}
    )
    assert q.key_problem("branch", taken=["speed"]) is None


def test_every_kind_has_one_storage():
    groups = [q.NUMBERED, q.CHOICES, q.TEXTS]
    for kind in q.KINDS:
        assert sum(kind in group for group in groups) == 1
    assert set(q.GROUPING) == {q.SINGLE, q.YES_NO}  # groups that never overlap


def test_top_boxes_are_on_their_scales():
    assert q.TOP_BOX[q.RATING_5] == {4, 5}
    assert q.TOP_BOX[q.RATING_11] == {9, 10}
    for kind, top in q.TOP_BOX.items():
        assert top <= set(q.SCALES[kind])


# --------------------------------------------------------------------------- conditions


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("0-6", set(range(7))),
        ("0 – 6", set(range(7))),
        ("9, 10", {9, 10}),
        ("9;10", {9, 10}),
        ("0-2, 5, 9-10", {0, 1, 2, 5, 9, 10}),
        ("7", {7}),
    ],
)
def test_numbers_and_runs_on_a_scale(raw, expected):
    assert q.parse_values(raw, scale=range(11), choices=()) == expected


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("", "condition_empty"),
        ("  ", "condition_empty"),
        ("0-11", "condition_off_scale"),
        ("6-2", "condition_off_scale"),
        ("-1", "condition_off_scale"),
        ("low", "condition_not_number"),
        ("1.5", "condition_not_number"),
    ],
)
def test_bad_numbers_are_refused(raw, message):
    with pytest.raises(ValueError, match=message):
        q.parse_values(raw, scale=range(11), choices=())


def test_choice_keys_and_unknown_ones():
    assert q.parse_values("north, south", scale=None, choices=("north", "south")) == {
        "north",
        "south",
    }
    with pytest.raises(ValueError, match="condition_not_choice"):
        q.parse_values("north, east", scale=None, choices=("north", "south"))


@given(st.sets(st.integers(min_value=0, max_value=10), min_size=1))
def test_values_text_reads_back_as_the_same_numbers(values):
    text = q.values_text(values)
    assert q.parse_values(text, scale=range(11), choices=()) == values


def test_values_text_writes_runs():
    assert q.values_text(range(7)) == "0-6"
    assert q.values_text({9, 10, 3, 1, 2}) == "1-3, 9-10"
    assert q.values_text({"south", "north"}) == "north, south"


def test_a_condition_waits_for_one_of_its_values():
    condition = WHY_DETRACTOR.condition
    assert condition.met({"nps": 3})
    assert not condition.met({"nps": 7})
    assert not condition.met({})
    assert not condition.met({"nps": None})


def test_a_condition_on_several_choices_is_met_by_any_of_them():
    condition = q.Condition(on="how", values=frozenset({"phone"}))
    assert condition.met({"how": ("web", "phone")})
    assert not condition.met({"how": ("web",)})
    assert not condition.met({"how": ()})


# --------------------------------------------------------------------------- checks


def test_each_kind_is_cleaned():
    checked = q.check_answers(
        [RATING, ELEVEN, YESNO, BRANCH, CHANNELS, SHORT, LONG],
        {
            "speed": "4",
            "likely": 10,
            "again": "0",
            "branch": "south",
            "how": ["phone", "web"],
            "name_it": "  Anna ",
            "why": "Fast.",
        },
    )
    assert checked.errors == {}
    assert checked.answers == {
        "speed": 4,
        "likely": 10,
        "again": 0,
        "branch": "south",
        "how": ("web", "phone"),  # in the question's order
        "name_it": "Anna",
        "why": "Fast.",
    }


@pytest.mark.parametrize(
    ("spec", "raw", "message"),
    [
        (RATING, "6", "off_scale"),
        (RATING, "0", "off_scale"),
        (RATING, "4.5", "not_a_number"),
        (RATING, True, "not_a_number"),
        (RATING, ["4"], "not_a_number"),
        (ELEVEN, "11", "off_scale"),
        (YESNO, "2", "off_scale"),
        (BRANCH, "east", "not_a_choice"),
        (BRANCH, ["north"], "not_a_choice"),
        (CHANNELS, ["web", "mail"], "not_a_choice"),
        (CHANNELS, 5, "not_a_choice"),
        (SHORT, "x" * 201, "too_long"),
        (LONG, "x" * 1001, "too_long"),
        (LONG, "a\x00b", "bad_character"),
        (SHORT, ["a"], "not_text"),
    ],
)
def test_bad_answers_get_a_message_and_are_not_kept(spec, raw, message):
    checked = q.check_answers([spec], {spec.key: raw})
    assert checked.errors[spec.key].message == message
    assert spec.key not in checked.answers


def test_off_scale_says_the_scale():
    checked = q.check_answers([ELEVEN], {"likely": "12"})
    assert checked.errors["likely"].params == {"low": 0, "high": 10}


def test_too_long_says_the_limit_and_the_length():
    checked = q.check_answers([SHORT], {"name_it": "x" * 250})
    assert checked.errors["name_it"].params == {"max": 200, "length": 250}


def test_texts_at_the_limit_pass():
    checked = q.check_answers([SHORT, LONG], {"name_it": "x" * 200, "why": "y" * 1000})
    assert checked.errors == {}


@pytest.mark.parametrize("empty", [None, "", [], ()])
def test_required_and_optional(empty):
    checked = q.check_answers([RATING, ELEVEN], {"speed": empty, "likely": empty})
    assert checked.errors == {"speed": q.Problem("required")}
    assert checked.answers == {}


def test_blank_text_is_no_answer():
    assert q.check_answers([SHORT], {"name_it": "   "}).answers == {}


def test_a_hidden_question_keeps_nothing_and_is_not_required():
    promoter = q.check_answers([WHY_DETRACTOR], {"why_low": "sent anyway"}, given={"nps": 9})
    assert promoter.answers == {} and promoter.errors == {}
    detractor = q.check_answers([WHY_DETRACTOR], {}, given={"nps": 2})
    assert detractor.errors == {"why_low": q.Problem("required")}


def test_conditions_on_own_questions_follow_the_answers_given_before():
    follow = q.QuestionSpec(
        key="north_why",
        kind=q.SHORT_TEXT,
        condition=q.Condition(on="branch", values=frozenset({"north"})),
    )
    chain = q.QuestionSpec(
        key="north_more",
        kind=q.YES_NO,
        condition=q.Condition(on="north_why", values=frozenset({"x"})),
    )
    north = q.check_answers(
        [BRANCH, follow, chain], {"branch": "north", "north_why": "x", "north_more": "1"}
    )
    assert north.answers == {"branch": "north", "north_why": "x", "north_more": 1}
    south = q.check_answers(
        [BRANCH, follow, chain], {"branch": "south", "north_why": "x", "north_more": "1"}
    )
    assert south.answers == {"branch": "south"}  # hidden, so what hangs on it is hidden too


def test_a_refused_answer_does_not_open_what_waits_for_it():
    follow = q.QuestionSpec(
        key="north_why",
        kind=q.SHORT_TEXT,
        required=True,
        condition=q.Condition(on="branch", values=frozenset({"north"})),
    )
    checked = q.check_answers([BRANCH, follow], {"branch": "east"})
    assert set(checked.errors) == {"branch"}


# --------------------------------------------------------------------------- cells


@pytest.mark.parametrize(
    ("spec", "answer", "cell"),
    [
        (RATING, 4, "4"),
        (ELEVEN, 0, "0"),
        (YESNO, 1, "yes"),
        (YESNO, 0, "no"),
        (BRANCH, "north", "north"),
        (CHANNELS, ("web", "phone"), "web;phone"),
        (SHORT, "Anna", "Anna"),
        (LONG, None, ""),
    ],
)
def test_cells_read_back_as_the_same_answer(spec, answer, cell):
    assert q.cell_text(spec, answer) == cell
    raw = q.cell_value(spec, cell)
    checked = q.check_answers([spec], {spec.key: raw})
    assert checked.answers.get(spec.key) == answer


@pytest.mark.parametrize(
    ("cell", "value"),
    [("Yes", 1), ("да", 1), ("1", 1), ("НЕТ", 0), ("no", 0), ("false", 0), ("maybe", "maybe")],
)
def test_yes_no_cells_in_either_language(cell, value):
    assert q.cell_value(YESNO, cell) == value


def test_a_bad_yes_no_cell_is_refused_by_the_check():
    raw = q.cell_value(YESNO, "maybe")
    assert q.check_answers([YESNO], {"again": raw}).errors["again"].message == "not_a_number"


def test_several_choices_in_a_cell_ignore_blanks_and_spaces():
    assert q.cell_value(CHANNELS, " web ; ;phone ") == ("web", "phone")
    assert q.cell_value(CHANNELS, "  ") is None
