"""cxaudit.themes.codebook: phrase matching on lemmas, contiguity, phrase checks."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cxaudit.themes.codebook import (
    PHRASE_EMPTY,
    PHRASE_STOP_WORDS_ONLY,
    PHRASE_TOO_LONG,
    Matcher,
    ThemeSpec,
    phrase_problems,
)
from cxaudit.themes.lemmas import lemmas

WAITING = ThemeSpec("waiting", ("ждать", "ожидание", "очередь", "wait", "long queue"))
STAFF = ThemeSpec("rude_staff", ("грубый персонал", "нагрубить", "rude staff", "rude"))
PRICE = ThemeSpec("price", ("цена", "дорого", "price", "expensive"))
MATCHER = Matcher([WAITING, STAFF, PRICE])


@pytest.mark.parametrize(
    "text",
    [
        "Долго ждал",
        "Ожидание было невыносимым",
        "ждали полчаса",
        "Огромные очереди",
        "I waited for ages",
        "The waiting time was awful",
        "Such a long queue!",
    ],
)
def test_every_form_meets_the_waiting_theme(text):
    assert MATCHER.match(text) == {"waiting"}


def test_several_themes_and_none():
    assert MATCHER.match("Персонал грубый, и цены высокие") == {"price"}
    assert MATCHER.match("Грубый персонал и высокие цены") == {"rude_staff", "price"}
    assert MATCHER.match("Всё понравилось, спасибо") == frozenset()
    assert MATCHER.match("") == frozenset()


def test_a_phrase_matches_only_contiguous_and_in_order():
    assert MATCHER.match("a long and slow queue") == frozenset()
    assert MATCHER.match("queue was long") == frozenset()
    assert MATCHER.match("long queues") == {"waiting"}
    # "rude" alone is a phrase of its own, "staff" alone is not.
    assert MATCHER.match("the staff") == frozenset()


def test_no_false_match_across_or_inside_words():
    assert MATCHER.match("pricey") == frozenset()  # stem "pricey" is not "price"
    assert Matcher([ThemeSpec("t", ("ab",))]).match("abc ab-c") == {"t"}
    assert Matcher([ThemeSpec("t", ("ab",))]).match("abc cab") == frozenset()


def test_mixed_language_comment():
    assert MATCHER.match("Приложение ok, but I waited и цена высокая") == {"waiting", "price"}


def test_phrases_are_matched_by_lemma_in_either_direction():
    themes = [ThemeSpec("waiting", ("долго ждали",))]
    assert Matcher(themes).match("Я долго жду") == {"waiting"}


def test_empty_phrases_and_themes_never_match():
    matcher = Matcher([ThemeSpec("empty", ("", "123", "!!")), ThemeSpec("none", ())])
    assert matcher.match("123 !! anything") == frozenset()
    assert Matcher([]).match("anything") == frozenset()


def test_match_many_keeps_order():
    assert MATCHER.match_many(["дорого", "", "waited"]) == [
        {"price"},
        frozenset(),
        {"waiting"},
    ]
    assert MATCHER.match_many(iter(())) == []


@pytest.mark.parametrize(
    ("phrase", "problem"),
    [
        ("ждать", None),
        ("long queue", None),
        ("one two three four five six", None),
        ("", PHRASE_EMPTY),
        ("  42 — !", PHRASE_EMPTY),
        ("one two three four five six seven", PHRASE_TOO_LONG),
        ("x" * 201, PHRASE_TOO_LONG),
        ("и не", PHRASE_STOP_WORDS_ONLY),
        ("the", PHRASE_STOP_WORDS_ONLY),
    ],
)
def test_phrase_problems(phrase, problem):
    assert phrase_problems(phrase) == problem


@given(
    st.lists(st.sampled_from(["ждал", "долго", "цена", "the", "rude", "staff", "ok"]), max_size=12)
)
def test_match_agrees_with_a_brute_force_search(words):
    text = " ".join(words)
    tokens = lemmas(text)
    expected = set()
    for theme in (WAITING, STAFF, PRICE):
        for phrase in theme.phrases:
            p = lemmas(phrase)
            if any(tokens[i : i + len(p)] == p for i in range(len(tokens))):
                expected.add(theme.key)
    assert MATCHER.match(text) == expected
