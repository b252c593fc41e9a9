"""The consultant's own questions: the editor's services (keys, options, conditions that point
earlier, versions once answered, removal) and its pages."""

from dataclasses import replace

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from surveys import selectors, services
from surveys.models import Question, QuestionAnswer
from surveys.question_forms import parse_options
from surveys.services import OptionInput, QuestionInput
from tests.survey_factories import SurveyFactory, question_answer

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def survey(company):
    return SurveyFactory(company=company, title="Гости", blocks=["nps", "csat"])


def rating(key="hall", **fields):
    fields.setdefault("text_ru", f"Как вам {key}?")
    return QuestionInput(kind="rating5", key=key, **fields)


def choice(key="branch", keys=("a", "b"), **fields):
    fields.setdefault("text_ru", "Какой филиал?")
    options = tuple(OptionInput(key=k, label_ru=f"Филиал {k}") for k in keys)
    return QuestionInput(kind="single", key=key, options=options, **fields)


def errors_of(excinfo) -> dict:
    return excinfo.value.message_dict


# --------------------------------------------------------------------------- create


def test_questions_are_added_at_the_end_with_their_options(survey):
    first = services.question_create(survey=survey, data=rating())
    second = services.question_create(survey=survey, data=choice(keys=("b", "a", "c")))
    current = selectors.questions_current(survey)
    assert [q.key for q in current] == ["hall", "branch"]
    assert (first.position, second.position) == (0, 1)
    assert [c.key for c in current[1].choices.all()] == ["b", "a", "c"]
    assert current[1].version == 1


@pytest.mark.parametrize(
    ("key", "message"),
    [("Hall", "small Latin letters"), ("nps", "built-in column"), ("hall", "taken")],
)
def test_a_key_must_be_well_formed_free_and_not_built_in(survey, key, message):
    services.question_create(survey=survey, data=rating("hall"))
    with pytest.raises(ValidationError) as excinfo:
        services.question_create(survey=survey, data=rating(key))
    assert message in errors_of(excinfo)["key"][0]


def test_options_only_for_choices_and_from_two(survey):
    with pytest.raises(ValidationError) as excinfo:
        services.question_create(survey=survey, data=choice(keys=("a",)))
    assert "from 2 to 30" in errors_of(excinfo)["options"][0]
    with pytest.raises(ValidationError) as excinfo:
        services.question_create(
            survey=survey, data=rating(options=(OptionInput("a", "A"), OptionInput("b", "B")))
        )
    assert "Only questions with choices" in errors_of(excinfo)["options"][0]
    with pytest.raises(ValidationError) as excinfo:
        services.question_create(survey=survey, data=choice(keys=("a", "a", "Bad")))
    problems = " ".join(errors_of(excinfo)["options"])
    assert "listed twice" in problems and "“Bad”" in problems
    assert not Question.objects.filter(survey=survey).exists()


def test_an_option_label_too_long_for_the_column_is_a_message(survey):
    data = choice(keys=("a", "b"))
    long = OptionInput("c", "Ф" * 201)
    with pytest.raises(ValidationError) as excinfo:
        services.question_create(survey=survey, data=replace(data, options=(*data.options, long)))
    assert "at most 200 characters" in errors_of(excinfo)["options"][0]


def test_point_labels_are_for_ratings_only(survey):
    services.question_create(survey=survey, data=rating(low_label_ru="Плохо"))
    with pytest.raises(ValidationError) as excinfo:
        services.question_create(survey=survey, data=choice(high_label_ru="Хорошо"))
    assert "for ratings" in errors_of(excinfo)["low_label_ru"][0]


def test_option_lines_are_parsed_with_a_message_per_bad_line():
    options, problems = parse_options("a | Один | One\n\nb | Два\nc\n | Пусто\nd|x|y|z")
    assert options == (OptionInput("a", "Один", "One"), OptionInput("b", "Два", ""))
    assert [p.split(":")[0] for p in problems] == ["Line 4", "Line 5", "Line 6"]


# --------------------------------------------------------------------------- conditions


def test_a_condition_on_a_built_in_question_is_stored_as_its_values(survey):
    question = services.question_create(
        survey=survey, data=rating(condition_key="nps", condition_values="0-6")
    )
    assert question.condition_values == [0, 1, 2, 3, 4, 5, 6]
    assert question.spec(choices=[]).condition.values == frozenset(range(7))


def test_a_condition_on_an_own_choice_question_takes_its_keys(survey):
    services.question_create(survey=survey, data=choice(keys=("a", "b", "c")))
    question = services.question_create(
        survey=survey, data=rating("why", condition_key="branch", condition_values="c, a")
    )
    assert question.condition_values == ["a", "c"]
    with pytest.raises(ValidationError) as excinfo:
        services.question_create(
            survey=survey, data=rating("why2", condition_key="branch", condition_values="d")
        )
    assert "a, b, c" in errors_of(excinfo)["condition_values"][0]


@pytest.mark.parametrize(
    ("values", "message"),
    [("0-6", "scale: 1–5"), ("low", "Type numbers"), ("", "Type the answers")],
)
def test_condition_values_must_fit_the_scale(survey, values, message):
    services.question_create(survey=survey, data=rating("hall"))
    with pytest.raises(ValidationError) as excinfo:
        services.question_create(
            survey=survey, data=rating("why", condition_key="hall", condition_values=values)
        )
    assert message in errors_of(excinfo)["condition_values"][0]


def test_yes_no_conditions_take_words_too(survey):
    services.question_create(
        survey=survey, data=QuestionInput(kind="yesno", key="back", text_ru="Вернётесь?")
    )
    question = services.question_create(
        survey=survey, data=rating("why", condition_key="back", condition_values="нет")
    )
    assert question.condition_values == [0]


def test_a_condition_points_only_to_an_earlier_question(survey):
    first = services.question_create(survey=survey, data=rating("first"))
    services.question_create(survey=survey, data=choice("second"))
    services.question_create(
        survey=survey, data=QuestionInput(kind="short", key="note", text_ru="Заметка")
    )
    for target in ("second", "first", "note", "exit_reason", "nowhere"):
        with pytest.raises(ValidationError) as excinfo:
            services.question_update(
                question=first, data=rating("first", condition_key=target, condition_values="a")
            )
        assert "shown before it" in errors_of(excinfo)["condition_key"][0], target
    with pytest.raises(ValidationError):  # a free-text question has no values to wait for
        services.question_create(
            survey=survey, data=rating("later", condition_key="note", condition_values="x")
        )


def test_no_condition_on_a_retired_question(survey):
    old = services.question_create(survey=survey, data=rating("old"))
    question_answer(old, number=3)
    assert services.question_remove(question=old) is True
    with pytest.raises(ValidationError) as excinfo:
        services.question_create(
            survey=survey, data=rating("new", condition_key="old", condition_values="1")
        )
    assert "condition_key" in errors_of(excinfo)
    with pytest.raises(ValidationError) as excinfo:
        services.question_create(survey=survey, data=rating("old"))
    assert "was, before it was removed" in errors_of(excinfo)["key"][0]


# --------------------------------------------------------------------------- versions


def test_a_changed_text_of_an_answered_question_makes_a_new_version(survey):
    services.question_create(survey=survey, data=rating("first"))
    question = services.question_create(survey=survey, data=choice(keys=("a", "b")))
    answer = question_answer(question, choice_key="a")
    new = services.question_update(
        question=question, data=choice(keys=("a", "b"), text_ru="Какой филиал вы посетили?")
    )
    assert new.pk != question.pk
    assert (new.key, new.version, new.position) == ("branch", 2, question.position)
    question.refresh_from_db()
    assert question.retired_at is not None
    assert question.text_ru == "Какой филиал?"
    assert [c.key for c in new.choices.all()] == ["a", "b"]
    answer.refresh_from_db()
    assert answer.question_id == question.pk
    assert [q.pk for q in selectors.questions_current(survey)][1] == new.pk


def test_a_typo_fix_of_an_answered_question_is_saved_in_place(survey):
    question = services.question_create(survey=survey, data=choice(keys=("a", "b")))
    question_answer(question, choice_key="b")
    fixed = choice(keys=("b", "a"), text_ru="Какой филлиал?", required=True)
    saved = services.question_update(question=question, data=fixed, typo_fix=True)
    assert saved.pk == question.pk and saved.version == 1
    saved.refresh_from_db()
    assert saved.text_ru == "Какой филлиал?" and saved.required is True
    assert [c.key for c in saved.choices.all()] == ["b", "a"]  # reordered in place
    assert Question.objects.filter(survey=survey).count() == 1


def test_required_is_not_meaning(survey):
    question = services.question_create(survey=survey, data=rating())
    question_answer(question, number=4)
    saved = services.question_update(question=question, data=rating(required=True))
    assert saved.pk == question.pk


@pytest.mark.parametrize(
    "change",
    [
        {"keys": ("a", "b", "c")},  # an option added
        {"condition_key": "nps", "condition_values": "9-10"},
    ],
)
def test_options_and_conditions_are_meaning_even_as_a_typo_fix(survey, change):
    question = services.question_create(survey=survey, data=choice(keys=("a", "b")))
    question_answer(question, choice_key="a")
    new = services.question_update(question=question, data=choice(**change), typo_fix=True)
    assert new.version == 2


def test_a_kind_change_of_an_answered_question_makes_a_new_version(survey):
    question = services.question_create(survey=survey, data=rating())
    question_answer(question, number=5)
    new = services.question_update(
        question=question, data=QuestionInput(kind="rating11", key="hall", text_ru="Как вам hall?")
    )
    assert (new.kind, new.version) == ("rating11", 2)
    assert QuestionAnswer.objects.get().question_id == question.pk


def test_an_unanswered_question_changes_in_place_options_and_all(survey):
    question = services.question_create(survey=survey, data=choice(keys=("a", "b")))
    saved = services.question_update(
        question=question, data=choice("branch_visit", keys=("b", "c"), text_ru="Где вы были?")
    )
    assert saved.pk == question.pk and saved.version == 1
    saved.refresh_from_db()
    assert saved.key == "branch_visit"
    assert [c.key for c in saved.choices.all()] == ["b", "c"]


def test_the_key_of_an_answered_question_cannot_change(survey):
    question = services.question_create(survey=survey, data=rating())
    question_answer(question, number=1)
    with pytest.raises(ValidationError) as excinfo:
        services.question_update(question=question, data=rating("hall_two"))
    assert "cannot change" in errors_of(excinfo)["key"][0]


# --------------------------------------------------------------------------- dependents


def test_a_question_others_depend_on_cannot_go(survey):
    target = services.question_create(survey=survey, data=choice(keys=("a", "b")))
    services.question_create(
        survey=survey, data=rating("why", condition_key="branch", condition_values="b")
    )
    with pytest.raises(ValidationError, match="«why»"):
        services.question_remove(question=target)
    with pytest.raises(ValidationError) as excinfo:
        services.question_update(question=target, data=choice(keys=("a", "c")))
    assert "«why»" in errors_of(excinfo)["options"][0]
    with pytest.raises(ValidationError) as excinfo:
        services.question_update(question=target, data=rating("branch"))
    assert "«why»" in errors_of(excinfo)["kind"][0]
    with pytest.raises(ValidationError) as excinfo:
        services.question_update(question=target, data=choice("place", keys=("a", "b")))
    assert "«why»" in errors_of(excinfo)["key"][0]
    # An option the condition does not wait for may go.
    services.question_update(question=target, data=choice(keys=("b", "c")))
    assert Question.objects.filter(survey=survey).count() == 2


def test_removing_an_answered_question_retires_it_and_renumbers(survey):
    first = services.question_create(survey=survey, data=rating("first"))
    second = services.question_create(survey=survey, data=rating("second"))
    third = services.question_create(survey=survey, data=rating("third"))
    question_answer(first, number=2)
    assert services.question_remove(question=first) is True
    assert services.question_remove(question=second) is False
    first.refresh_from_db()
    assert first.retired_at is not None
    assert QuestionAnswer.objects.filter(question=first).count() == 1
    assert not Question.objects.filter(pk=second.pk).exists()
    assert [(q.key, q.position) for q in selectors.questions_current(survey)] == [("third", 0)]
    third.refresh_from_db()
    assert third.position == 0


def test_moving_keeps_a_question_below_the_one_it_depends_on(survey):
    services.question_create(survey=survey, data=rating("first"))
    services.question_create(survey=survey, data=rating("second"))
    third = services.question_create(
        survey=survey, data=rating("third", condition_key="second", condition_values="1")
    )
    with pytest.raises(ValidationError, match=r"«third».*«second»"):
        services.question_move(question=third, up=True)
    second = Question.objects.get(key="second")
    with pytest.raises(ValidationError):
        services.question_move(question=second, up=False)
    assert services.question_move(question=second, up=True) is True
    assert [q.key for q in selectors.questions_current(survey)] == ["second", "first", "third"]
    assert services.question_move(question=second, up=True) is False


def test_a_set_of_questions_a_condition_waits_for_cannot_be_taken_away(survey):
    services.question_create(
        survey=survey, data=rating("why", condition_key="csat", condition_values="1-2")
    )
    with pytest.raises(ValidationError, match="«why»"):
        services.survey_update(survey=survey, title=survey.title, blocks=["nps"])
    services.survey_update(survey=survey, title=survey.title, blocks=["nps", "csat", "ces"])
    survey.refresh_from_db()
    assert survey.blocks == ["nps", "csat", "ces"]
