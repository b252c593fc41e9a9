"""factory_boy factories for the surveys app."""

from datetime import timedelta

import factory
from django.urls import reverse
from django.utils import timezone
from factory.django import DjangoModelFactory

from surveys.models import (
    Audience,
    Channel,
    Question,
    QuestionAnswer,
    QuestionChoice,
    Response,
    Survey,
    SurveySettings,
    SurveyTemplate,
    Wave,
    WaveInvitation,
)
from tests.factories import CompanyFactory


class SurveyFactory(DjangoModelFactory):
    class Meta:
        model = Survey

    company = factory.SubFactory(CompanyFactory)
    title = factory.Sequence(lambda n: f"Survey {n}")
    audience = Audience.CUSTOMER
    blocks = factory.LazyFunction(lambda: ["nps"])
    anonymous = False

    class Params:
        employee = factory.Trait(audience=Audience.EMPLOYEE, blocks=["employee"], anonymous=True)


class SurveySettingsFactory(DjangoModelFactory):
    class Meta:
        model = SurveySettings

    company = factory.SubFactory(CompanyFactory)
    anonymity_threshold = 5


class WaveFactory(DjangoModelFactory):
    """An open wave by default; ``closed=True`` gives one that ended yesterday."""

    class Meta:
        model = Wave

    survey = factory.SubFactory(SurveyFactory)
    number = factory.Sequence(lambda n: n + 1)
    opens_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=7))
    closes_on = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=7))

    class Params:
        closed = factory.Trait(
            opens_on=factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=30)),
            closes_on=factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=1)),
        )
        # The consultant has read the employee comments and let the company see them.
        released = factory.Trait(comments_released_at=factory.LazyFunction(timezone.now))


class ChannelFactory(DjangoModelFactory):
    class Meta:
        model = Channel

    survey = factory.SubFactory(SurveyFactory)
    name = factory.Sequence(lambda n: f"Shop {n}")


class ResponseFactory(DjangoModelFactory):
    class Meta:
        model = Response

    wave = factory.SubFactory(WaveFactory)
    submitted_on = factory.LazyAttribute(lambda o: o.wave.opens_on)
    nps = 9


class WaveInvitationFactory(DjangoModelFactory):
    class Meta:
        model = WaveInvitation

    wave = factory.SubFactory(WaveFactory)
    email = factory.Sequence(lambda n: f"employee{n}@example.com")
    language = "en"


class QuestionFactory(DjangoModelFactory):
    """An own question; ``options=["a", "b"]`` adds options with those keys."""

    class Meta:
        model = Question
        skip_postgeneration_save = True

    survey = factory.SubFactory(SurveyFactory)
    key = factory.Sequence(lambda n: f"question_{n}")
    kind = "rating5"
    position = factory.Sequence(lambda n: n)
    text_ru = factory.LazyAttribute(lambda o: f"Вопрос {o.key}")

    @factory.post_generation
    def options(obj, create, extracted, **kwargs):
        for index, key in enumerate(extracted or ()):
            QuestionChoice.objects.create(
                question=obj, key=key, label_ru=f"Вариант {key}", position=index
            )


class SurveyTemplateFactory(DjangoModelFactory):
    class Meta:
        model = SurveyTemplate

    owner = factory.SubFactory(CompanyFactory)
    title = factory.Sequence(lambda n: f"Template {n}")
    content = factory.LazyFunction(
        lambda: {
            "format": 1,
            "audience": "customer",
            "blocks": ["nps"],
            "intro": "",
            "teams": [],
            "anonymous": False,
            "one_per_screen": False,
            "questions": [],
        }
    )


def question_answer(question, *, wave=None, **value):
    """One response to ``wave`` (a new wave of the question's survey by default) with an
    answer to ``question``: ``number=4``, ``choice_key="a"`` or ``text="..."``."""
    wave = wave or WaveFactory(survey=question.survey)
    response = Response.objects.create(wave=wave, submitted_on=wave.opens_on, nps=9)
    choice_key = value.pop("choice_key", None)
    if choice_key is not None:
        value["choice"] = question.choices.get(key=choice_key)
    return QuestionAnswer.objects.create(response=response, wave=wave, question=question, **value)


def answers(wave, values, *, key="nps", **fields):
    """Bulk-create responses with the given scores (one response per value)."""
    return Response.objects.bulk_create(
        [Response(wave=wave, submitted_on=wave.opens_on, **{key: v}, **fields) for v in values]
    )


def respond_url(wave, code=None):
    """The public link of ``wave`` (of one of its channels with ``code``)."""
    if code:
        return reverse("surveys:respond-channel", args=[wave.token, code])
    return reverse("surveys:respond", args=[wave.token])


def form_token(client, url):
    """Open the respondent's form and return its submission token."""
    response = client.get(url)
    assert response.status_code == 200
    return response.context["form"].initial["submission_token"]
