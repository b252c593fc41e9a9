"""The pages of the own-question editor: the survey page's list, the question form (what was
typed stays on an error), moving and removing, and the admin."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from surveys import selectors, services
from surveys.models import Question, Survey
from surveys.question_forms import QuestionForm
from surveys.services import OptionInput, QuestionInput
from tests.survey_factories import QuestionFactory, SurveyFactory, WaveFactory, question_answer

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


def test_the_survey_page_lists_own_questions_in_russian_and_english(client_for, en, survey):
    services.question_create(survey=survey, data=choice(keys=("a", "b")))
    why = services.question_create(
        survey=survey,
        data=rating("why", condition_key="nps", condition_values="0-6", required=True),
    )
    question_answer(why, number=1)
    services.question_update(
        question=why, data=rating("why", condition_key="nps", condition_values="0-5")
    )
    url = reverse("surveys:survey-detail", args=[survey.pk])
    page = en("consultant").get(url).content.decode()
    assert "shown when «nps» is 0–5" in page
    assert "One choice" in page and "Add question" in page
    assert (
        reverse("surveys:question-move", args=[Question.objects.current().get(key="why").pk])
        in page
    )
    russian = client_for("consultant").get(url).content.decode()
    assert "Добавить вопрос" in russian and "показывается, если «nps» — 0–5" in russian


def test_the_survey_page_runs_as_many_queries_for_many_questions_as_for_one(client_for, survey):
    client = client_for("manager")
    url = reverse("surveys:survey-detail", args=[survey.pk])
    wave = WaveFactory(survey=survey)
    QuestionFactory(survey=survey, kind="single", options=["a", "b"])
    client.get(url)  # warm caches (sessions, the language)
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    for _n in range(12):
        question = QuestionFactory(survey=survey, kind="single", options=["a", "b", "c"])
        question_answer(question, wave=wave, choice_key="a")
    with CaptureQueriesContext(connection) as many:
        page = client.get(url).content.decode()
    assert page.count('name="direction" value="up"') == 13
    assert len(many) == len(one) <= 12


def test_adding_a_question_through_the_form(en, survey):
    url = reverse("surveys:question-create", args=[survey.pk])
    assert "Show only after the question" in en("manager").get(url).content.decode()
    response = en("manager").post(
        url,
        {
            "kind": "multiple",
            "key": "visited",
            "text_ru": "Где вы были?",
            "options": "hall | Зал | Hall\nbar | Бар",
            "condition_key": "nps",
            "condition_values": "0-6",
        },
    )
    assert response.status_code == 302
    question = Question.objects.get(survey=survey)
    assert question.kind == "multiple" and question.condition_values == list(range(7))
    assert [(c.key, c.label_en) for c in question.choices.all()] == [("hall", "Hall"), ("bar", "")]


def test_bad_input_keeps_what_was_typed_and_says_what_is_wrong(en, survey):
    url = reverse("surveys:question-create", args=[survey.pk])
    typed = "hall | Зал\nбез разделителя"
    response = en("consultant").post(
        url, {"kind": "single", "key": "place", "text_ru": "Где вы сидели?", "options": typed}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Line 2: write" in page
    assert "без разделителя" in page and "Где вы сидели?" in page
    response = en("consultant").post(
        url,
        {
            "kind": "rating5",
            "key": "nps",
            "text_ru": "Оценка",
            "condition_key": "nps",
            "condition_values": "11",
        },
    )
    page = response.content.decode()
    assert "built-in column" in page and "scale: 0–10" in page
    assert not Question.objects.exists()


def test_the_typo_fix_box_appears_only_once_answered(en, survey):
    question = QuestionFactory(survey=survey, key="hall")
    url = reverse("surveys:question-update", args=[question.pk])
    assert 'name="typo_fix"' not in en("consultant").get(url).content.decode()
    question_answer(question, number=3)
    assert 'name="typo_fix"' in en("consultant").get(url).content.decode()
    data = {"kind": "rating5", "key": "hall", "text_ru": "Как вам зал теперь?"}
    response = en("consultant").post(url, data, follow=True)
    assert "saved as version 2" in response.content.decode()
    assert en("consultant").get(url).status_code == 404  # the retired version
    new = Question.objects.current().get(key="hall")
    question_answer(new, number=4)
    data["typo_fix"] = "on"
    data["text_ru"] = "Как вам зал тепреь?"
    en("consultant").post(reverse("surveys:question-update", args=[new.pk]), data)
    new.refresh_from_db()
    assert (new.version, new.text_ru) == (2, "Как вам зал тепреь?")


def test_moving_and_removing_through_the_page(en, survey):
    first = QuestionFactory(survey=survey, key="first", position=0)
    second = QuestionFactory(survey=survey, key="second", position=1)
    en("manager").post(reverse("surveys:question-move", args=[second.pk]), {"direction": "up"})
    assert [q.key for q in selectors.questions_current(survey)] == ["second", "first"]
    url = reverse("surveys:question-remove", args=[first.pk])
    assert "Nobody has answered it yet" in en("manager").get(url).content.decode()
    response = en("manager").post(url, follow=True)
    assert "Question «first» removed." in response.content.decode()
    assert [q.key for q in selectors.questions_current(survey)] == ["second"]


def test_a_refused_removal_is_a_message_and_changes_nothing(en, survey):
    target = QuestionFactory(survey=survey, key="branch", kind="single", options=["a", "b"])
    QuestionFactory(survey=survey, key="why", condition_key="branch", condition_values=["a"])
    url = reverse("surveys:question-remove", args=[target.pk])
    response = en("consultant").post(url, follow=True)
    assert "«why» is shown only after an answer" in response.content.decode()
    assert Question.objects.current().filter(survey=survey).count() == 2


def test_the_form_lists_only_earlier_questions_as_conditions(survey):
    first = QuestionFactory(survey=survey, key="first", position=0)
    QuestionFactory(survey=survey, key="second", position=1)
    current = selectors.questions_current(survey)
    targets = selectors.condition_targets(survey, questions=current, before=first)
    form = QuestionForm(targets=targets, question=current[0])
    keys = [key for key, _label in form.fields["condition_key"].choices]
    assert keys == ["", "nps", "csat"]
    assert "<code>nps</code>: 0–10" in str(form.fields["condition_values"].help_text)


def test_employee_surveys_take_own_questions_too(company):
    survey = SurveyFactory(company=company, employee=True)
    question = services.question_create(
        survey=survey,
        data=QuestionInput(
            kind="long",
            key="idea",
            text_ru="Что улучшить?",
            condition_key="enps",
            condition_values="0-6",
        ),
    )
    assert question.condition_values == list(range(7))


def test_the_admin_shows_an_answered_questions_meaning_read_only(client, survey):
    from cxaudit.accounts.models import User

    admin_user = User.objects.create_superuser(email="root@example.com", password="x-long-pass-1")
    client.force_login(admin_user, backend="django.contrib.auth.backends.ModelBackend")
    question = QuestionFactory(survey=survey, key="branch", kind="single", options=["a", "b"])
    url = reverse("admin:surveys_question_change", args=[question.pk])
    assert 'name="kind"' in client.get(url).content.decode()
    question_answer(question, choice_key="a")
    page = client.get(url).content.decode()
    assert client.get(url).status_code == 200
    assert 'name="kind"' not in page and 'name="choices-0-key"' not in page
    assert 'name="choices-0-label_ru"' in page
    assert client.get(reverse("admin:surveys_surveytemplate_changelist")).status_code == 200


def test_one_question_per_screen_is_set_on_the_survey_form(en, company, survey):
    create = reverse("surveys:survey-create", args=[company.pk])
    assert 'name="one_per_screen"' in en("manager").get(create).content.decode()
    data = {"title": "Phones", "audience": "customer", "blocks": ["nps"], "one_per_screen": "on"}
    assert en("manager").post(create, data).status_code == 302
    assert Survey.objects.get(title="Phones").one_per_screen is True
    update = reverse("surveys:survey-update", args=[survey.pk])
    en("manager").post(update, {"title": survey.title, "blocks": ["nps", "csat"]})
    survey.refresh_from_db()
    assert survey.one_per_screen is False
    en("manager").post(update, {**data, "title": survey.title, "blocks": ["nps", "csat"]})
    survey.refresh_from_db()
    assert survey.one_per_screen is True


def test_an_answered_questions_key_is_shown_but_not_editable(en, survey):
    question = QuestionFactory(survey=survey, key="hall")
    question_answer(question, number=2)
    url = reverse("surveys:question-update", args=[question.pk])
    data = {"kind": "rating5", "key": "renamed", "text_ru": question.text_ru, "required": "on"}
    assert en("manager").post(url, data).status_code == 302
    question.refresh_from_db()
    assert (question.key, question.required, question.retired_at) == ("hall", True, None)
