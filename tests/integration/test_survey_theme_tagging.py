"""Comment themes: the matcher's auto tags, hand corrections kept, merge and split."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from cxaudit.themes.codebook import Matcher, ThemeSpec
from surveys.models import QuestionAnswer, TagSource, ThemeTag
from surveys.services import themes as services
from surveys.services.theme_suggestions import wave_comment_texts
from tests.survey_factories import QuestionFactory, ResponseFactory, SurveyFactory, WaveFactory

pytestmark = pytest.mark.django_db

COMMENTS = [
    "Очень долго ждали кассира",
    "Вежливый персонал, но долгое ожидание",
    "The staff were rude",
    "Всё отлично",
]


@pytest.fixture
def world():
    survey = SurveyFactory(title="Guests")
    wave = WaveFactory(survey=survey, closed=True)
    responses = [ResponseFactory(wave=wave, comment=text) for text in COMMENTS]
    question = QuestionFactory(survey=survey, key="better", kind="long")
    QuestionAnswer.objects.create(
        response=responses[3], wave=wave, question=question, text="Ждали очень долго"
    )
    codebook = services.codebook_create(survey=survey, by=None)
    wait = services.theme_create(
        codebook=codebook, key="wait", name_ru="Ожидание", phrases="ждать\nожидание\nwait"
    )
    staff = services.theme_create(
        codebook=codebook, key="staff", name_ru="Персонал", phrases="персонал\nstaff"
    )
    return {
        "survey": survey,
        "wave": wave,
        "responses": responses,
        "question": question,
        "codebook": codebook,
        "wait": wait,
        "staff": staff,
    }


def tags(codebook):
    return set(
        ThemeTag.objects.filter(theme__codebook=codebook, present=True).values_list(
            "response__comment", "question_id", "theme__key"
        )
    )


def test_auto_tags_equal_the_matcher_on_the_same_texts(world):
    matcher = Matcher(
        [
            ThemeSpec("wait", ("ждать", "ожидание", "wait")),
            ThemeSpec("staff", ("персонал", "staff")),
        ]
    )
    expected = {(text, None, key) for text in COMMENTS for key in matcher.match(text)}
    expected |= {
        (COMMENTS[3], world["question"].pk, key) for key in matcher.match("Ждали очень долго")
    }
    assert tags(world["codebook"]) == expected
    assert ThemeTag.objects.filter(source=TagSource.AUTO).count() == len(expected)


def test_each_change_bumps_the_revision(world):
    revision = world["codebook"].revision
    services.theme_update(
        theme=world["staff"],
        key="staff",
        name_ru="Персонал",
        name_en="",
        phrases="персонал\nstaff\nкассир",
    )
    world["codebook"].refresh_from_db()
    assert world["codebook"].revision == revision + 1
    assert (COMMENTS[0], None, "staff") in tags(world["codebook"])


def test_manual_rows_are_kept_when_the_codebook_changes(world):
    first, last = world["responses"][0], world["responses"][3]
    codebook = world["codebook"]
    services.comment_themes_set(
        codebook=codebook, response=first, question_id=None, theme_ids={world["staff"].pk}
    )
    services.comment_themes_set(
        codebook=codebook, response=last, question_id=None, theme_ids={world["wait"].pk}
    )
    services.theme_create(codebook=codebook, key="cash", name_ru="Касса", phrases="кассир")
    found = tags(codebook)
    assert (COMMENTS[0], None, "wait") not in found  # removed by hand, not added back
    assert (COMMENTS[0], None, "staff") in found
    assert (COMMENTS[3], None, "wait") in found
    assert (COMMENTS[0], None, "cash") in found  # the new theme is auto


def test_merge_moves_phrases_and_manual_corrections(world):
    codebook = world["codebook"]
    first = world["responses"][3]
    services.comment_themes_set(
        codebook=codebook, response=first, question_id=None, theme_ids={world["staff"].pk}
    )
    services.theme_merge(theme=world["staff"], into=world["wait"])
    found = tags(codebook)
    assert {key for _, _, key in found} == {"wait"}
    assert (COMMENTS[2], None, "wait") in found  # staff's phrase now finds it
    assert ThemeTag.objects.filter(
        source=TagSource.MANUAL, theme=world["wait"], response=first, present=True
    ).exists()


def test_split_gives_a_new_theme_some_phrases(world):
    new = services.theme_split(
        theme=world["wait"], phrases=["wait"], key="wait_en", name_ru="Ожидание (en)"
    )
    world["wait"].refresh_from_db()
    assert world["wait"].phrase_list() == ("ждать", "ожидание")
    assert new.phrase_list() == ("wait",)
    with pytest.raises(ValidationError):
        services.theme_split(theme=new, phrases=["wait"], key="x", name_ru="x")


def test_bad_phrases_get_a_message_per_line(world):
    with translation.override("en"), pytest.raises(ValidationError) as error:
        services.theme_create(
            codebook=world["codebook"],
            key="bad",
            name_ru="Плохо",
            phrases="очередь\n" + "слово " * 30 + "\nи",
        )
    messages = error.value.message_dict["phrases"]
    assert len(messages) == 2
    assert messages[0].startswith("Line 2")


def test_hidden_comments_never_reach_suggestions_or_tags(world):
    hidden = world["responses"][2]
    hidden.comment_hidden = True
    hidden.save()
    assert COMMENTS[2] not in wave_comment_texts(wave=world["wave"])
    services.themes_apply(codebook=world["codebook"])
    assert not ThemeTag.objects.filter(response=hidden).exists()
