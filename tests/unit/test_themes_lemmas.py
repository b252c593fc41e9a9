"""cxaudit.themes.lemmas: Russian lemmas, English stems, mixed texts, stop words."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cxaudit.themes.lemmas import content_lemmas, language_of, lemmas, stop_lemmas


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Долго ждал", ["долго", "ждать"]),
        ("ждали полчаса", ["ждать", "полчаса"]),
        ("Ожидание, ожидания, ожиданием!", ["ожидание"] * 3),
        ("очереди в кассу", ["очередь", "в", "касса"]),
        ("Ёлка", ["елка"]),
        ("I waited, still waiting", ["i", "wait", "still", "wait"]),
        ("Long queues", ["long", "queue"]),
        ("The staff's attitude", ["the", "staff", "attitud"]),
    ],
)
def test_lemmas(text, expected):
    assert lemmas(text) == expected


def test_numbers_and_punctuation_are_dropped():
    assert lemmas("ждал 40 минут... 2x!") == ["ждать", "минута", "x"]
    assert lemmas("123 456, — !") == []
    assert lemmas("") == []


def test_each_word_by_its_own_script():
    assert lemmas("Приложение crashed дважды") == ["приложение", "crash", "дважды"]
    # A word mixing scripts splits into its Cyrillic and Latin parts.
    assert lemmas("wiфи") == ["wi", "фи"]


def test_language_of():
    assert language_of("Долго ждал") == "ru"
    assert language_of("Waited too long") == "en"
    assert language_of("") == "en"
    assert language_of("app приложение") == "ru"
    assert language_of("приложение application") == "en"


def test_content_lemmas_drop_stop_words_in_any_form():
    assert content_lemmas("Я очень долго ждал, и это было ужасно") == ["долго", "ждать", "ужасно"]
    assert content_lemmas("We were waiting for the doctor") == ["wait", "doctor"]
    assert content_lemmas("и а но the of") == []


def test_stop_lemmas_are_lemmas():
    assert "быть" in stop_lemmas()
    assert "the" in stop_lemmas()
    assert "ждать" not in stop_lemmas()


@given(st.text(max_size=60))
def test_lemmas_are_lower_case_letters(text):
    for lemma in lemmas(text):
        assert lemma and lemma == lemma.lower()
        assert not any(ch.isdigit() for ch in lemma)
    assert set(content_lemmas(text)) <= set(lemmas(text))
