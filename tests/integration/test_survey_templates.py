"""Survey templates: saved from a survey, listed and used by the consultancy's companies, never
seen from another consultancy."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from surveys import selectors, services
from surveys.models import Question, Survey, SurveyTemplate
from surveys.services import OptionInput, QuestionInput
from tests.factories import CompanyFactory, MembershipFactory, UserFactory
from tests.survey_factories import SurveyFactory, SurveyTemplateFactory, question_answer

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def survey(company):
    survey = SurveyFactory(
        company=company,
        title="Гости",
        blocks=["nps"],
        intro="Здравствуйте",
        anonymous=True,
        one_per_screen=True,
    )
    branch = services.question_create(
        survey=survey,
        data=QuestionInput(
            kind="single",
            key="branch",
            text_ru="Какой филиал?",
            text_en="Which branch?",
            required=True,
            options=(OptionInput("a", "Ленина", "Lenin St"), OptionInput("b", "Мира")),
        ),
    )
    services.question_create(
        survey=survey,
        data=QuestionInput(
            kind="long",
            key="why",
            text_ru="Почему?",
            condition_key="branch",
            condition_values="b",
        ),
    )
    question_answer(branch, choice_key="a")
    # A new version: the template keeps only this one.
    services.question_update(
        question=branch,
        data=QuestionInput(
            kind="single",
            key="branch",
            text_ru="В каком филиале вы были?",
            options=(OptionInput("a", "Ленина"), OptionInput("b", "Мира"), OptionInput("c", "Сад")),
        ),
    )
    return survey


def test_a_saved_template_is_a_snapshot_of_the_current_questions(survey, actors):
    template = services.survey_template_save(
        survey=survey, title=" Гости  ", by=actors["consultant"]
    )
    assert template.owner_id == survey.company.parent_id
    assert template.title == "Гости"
    content = template.content
    assert (content["audience"], content["blocks"], content["intro"]) == (
        "customer",
        ["nps"],
        "Здравствуйте",
    )
    assert content["one_per_screen"] is True and content["anonymous"] is True
    assert [q["key"] for q in content["questions"]] == ["branch", "why"]
    branch, why = content["questions"]
    assert branch["text_ru"] == "В каком филиале вы были?"
    assert [o["key"] for o in branch["options"]] == ["a", "b", "c"]
    assert (why["condition_key"], why["condition_values"]) == ("branch", ["b"])
    with pytest.raises(ValidationError) as excinfo:
        services.survey_template_save(survey=survey, title="гости", by=actors["consultant"])
    assert "exists already" in excinfo.value.message_dict["title"][0]


def test_a_survey_from_a_template_gets_its_questions_as_version_one(survey, actors, consultancy):
    template = services.survey_template_save(survey=survey, title="Гости", by=actors["consultant"])
    sister = CompanyFactory(parent=consultancy)
    new = services.survey_from_template(
        company=sister, template=template, title="Гости сестры", by=actors["consultant"]
    )
    assert (new.company, new.intro, new.one_per_screen, new.anonymous) == (
        sister,
        "Здравствуйте",
        True,
        True,
    )
    questions = selectors.questions_current(new)
    assert [(q.key, q.version, q.position) for q in questions] == [("branch", 1, 0), ("why", 1, 1)]
    assert [c.key for c in questions[0].choices.all()] == ["a", "b", "c"]
    assert questions[1].condition() is not None and questions[1].condition_values == ["b"]
    assert not Question.objects.filter(survey=new, retired_at__isnull=False).exists()


def test_a_template_whose_questions_no_longer_pass_the_rules_is_refused_whole(company, actors):
    content = {
        "format": 1,
        "audience": "customer",
        "blocks": ["nps"],
        "intro": "",
        "teams": [],
        "anonymous": False,
        "one_per_screen": False,
        "questions": [
            {"key": "fine", "kind": "yesno", "text_ru": "Да?"},
            {
                "key": "late",
                "kind": "rating5",
                "text_ru": "Как?",
                "condition_key": "csat",
                "condition_values": [1],
            },
        ],
    }
    template = SurveyTemplateFactory(owner=company.parent, content=content)
    with pytest.raises(ValidationError, match="«late» no longer passes the rules"):
        services.survey_from_template(
            company=company, template=template, title="X", by=actors["consultant"]
        )
    assert not Survey.objects.filter(title="X").exists()
    assert not Question.objects.filter(key="fine").exists()


@pytest.mark.parametrize(
    "content",
    [
        [],
        {"format": 2},
        {"format": 1, "audience": "customer", "blocks": "nps"},
        {"format": 1, "audience": "customer", "blocks": ["nps"], "questions": [{"key": 5}]},
        {
            "format": 1,
            "audience": "customer",
            "blocks": ["nps"],
            "questions": [{"key": "a", "options": "x"}],
        },
    ],
)
def test_damaged_template_content_gives_a_message_not_an_error(company, actors, content):
    template = SurveyTemplateFactory(owner=company.parent, content=content)
    with pytest.raises(ValidationError, match="content is damaged"):
        services.survey_from_template(
            company=company, template=template, title="X", by=actors["consultant"]
        )


def test_the_template_pages_save_list_use_and_delete(en, survey, consultancy):
    client = en("consultant")
    page = client.get(reverse("surveys:survey-detail", args=[survey.pk])).content.decode()
    assert reverse("surveys:template-create", args=[survey.pk]) in page
    response = client.post(
        reverse("surveys:template-create", args=[survey.pk]), {"title": "Guests"}
    )
    assert response.status_code == 302
    template = SurveyTemplate.objects.get(title="Guests")
    sister = CompanyFactory(parent=consultancy, name="Sister")
    listing = client.get(reverse("surveys:template-list", args=[sister.pk])).content.decode()
    assert "Guests" in listing and "New survey from template" in listing
    use = reverse("surveys:template-use", args=[sister.pk, template.pk])
    response = client.post(use, {"title": "Sister's guests"})
    created = Survey.objects.get(company=sister)
    assert response["Location"] == reverse("surveys:survey-detail", args=[created.pk])
    assert [q.key for q in selectors.questions_current(created)] == ["branch", "why"]
    client.post(reverse("surveys:template-delete", args=[sister.pk, template.pk]))
    assert not SurveyTemplate.objects.exists()
    assert selectors.questions_current(created)  # the survey keeps its copied questions


def test_a_damaged_template_is_a_message_on_the_page(en, company):
    template = SurveyTemplateFactory(owner=company.parent, content={"format": 1, "questions": 3})
    response = en("consultant").post(
        reverse("surveys:template-use", args=[company.pk, template.pk]), {"title": "New"}
    )
    assert response.status_code == 200
    assert "This template cannot be used: its content is damaged." in response.content.decode()
    assert not Survey.objects.filter(title="New").exists()


def test_another_consultancys_template_is_never_seen_nor_used(
    client_for, company, other_company, actors
):
    ours = SurveyTemplateFactory(owner=company.parent, title="Ours")
    theirs = SurveyTemplateFactory(owner=other_company.parent, title="Theirs")
    rival = client_for("other_consultant")
    listing = rival.get(reverse("surveys:template-list", args=[other_company.pk])).content.decode()
    assert "Theirs" in listing and "Ours" not in listing
    for name in ("surveys:template-use",):
        assert rival.get(reverse(name, args=[other_company.pk, ours.pk])).status_code == 404
    use = reverse("surveys:template-use", args=[other_company.pk, ours.pk])
    assert rival.post(use, {"title": "Stolen"}).status_code == 404
    delete = reverse("surveys:template-delete", args=[other_company.pk, ours.pk])
    assert rival.post(delete).status_code == 404
    assert SurveyTemplate.objects.filter(pk=ours.pk).exists()
    assert not Survey.objects.filter(title="Stolen").exists()
    # and the other way round
    ours_client = client_for("consultant")
    assert (
        ours_client.get(reverse("surveys:template-use", args=[company.pk, theirs.pk])).status_code
        == 404
    )
    with translation.override("en"), pytest.raises(ValidationError, match="another consultancy"):
        services.survey_from_template(
            company=company, template=theirs, title="X", by=actors["consultant"]
        )


def test_a_company_on_its_own_keeps_its_templates_by_its_managers(client):
    alone = CompanyFactory(parent=None, name="Alone")
    manager = UserFactory()
    MembershipFactory(user=manager, organisation=alone, role="manager")
    survey = SurveyFactory(company=alone)
    client.force_login(manager, backend="django.contrib.auth.backends.ModelBackend")
    response = client.post(reverse("surveys:template-create", args=[survey.pk]), {"title": "Mine"})
    assert response.status_code == 302
    template = SurveyTemplate.objects.get()
    assert template.owner == alone
    assert "Mine" in client.get(reverse("surveys:template-list", args=[alone.pk])).content.decode()
    response = client.post(
        reverse("surveys:template-use", args=[alone.pk, template.pk]), {"title": "Again"}
    )
    assert response.status_code == 302
    assert Survey.objects.filter(company=alone, title="Again").exists()
