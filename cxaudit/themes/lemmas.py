"""Lemma tokens of a comment, Russian and English alike.

Each word is lemmatised by its own script, so a mixed comment («приложение crashed») works:
Cyrillic words get pymorphy3's normal form (ё read as е), Latin words the Snowball English
stem. Numbers and punctuation are dropped. Both analysers are built once per process and
every word's lemma is memoised, because a wave repeats the same few thousand words.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

import snowballstemmer

_WORD = re.compile(r"[а-яё]+|[a-z]+(?:'[a-z]+)?")
_CYRILLIC = re.compile(r"[а-яё]")
_LATIN = re.compile(r"[a-z]")

# Short on purpose: function words only. A consultant's theme words are never in here.
_STOP_WORDS_RU = """
а без бы был была были было быть в вам вас весь во вот все всё всего всех вы где да даже
для до его ее её если есть еще ещё же за здесь и из или им их к как какой когда кто ли
либо мне мной мы на над нам нас не него нее неё нет ни них но ну о об однако он она они
оно от очень по под при про с сам свой себя со так также такой там те тем то того тоже
той только том тот ту ты у уже хотя чего чей чем что чтобы эта эти это этот я
"""
_STOP_WORDS_EN = """
a about above after again all also am an and any are as at be been before being below
between both but by can could did do does doing down during each few for from further had
has have having he her here hers him his how i if in into is it its itself just me more
most my no nor not now of off on once only or other our ours out over own same she should
so some such than that the their them then there these they this those through to too
under until up very was we were what when where which while who whom why will with would
you your yours
"""


_morph: Any = None
_stemmer: Any = None


def _analyser() -> Any:
    global _morph
    if _morph is None:
        import pymorphy3

        _morph = pymorphy3.MorphAnalyzer()
    return _morph


def _english() -> Any:
    global _stemmer
    if _stemmer is None:
        _stemmer = snowballstemmer.stemmer("english")
    return _stemmer


@lru_cache(maxsize=200_000)
def _lemma(word: str) -> str:
    """The lemma of one lower-cased word of one script."""
    if _CYRILLIC.match(word):
        return str(_analyser().parse(word)[0].normal_form).replace("ё", "е")
    return str(_english().stemWord(word.split("'")[0]))


def language_of(text: str) -> str:
    """ "ru" when the text has more Cyrillic than Latin letters, else "en"."""
    lowered = text.lower()
    return "ru" if len(_CYRILLIC.findall(lowered)) > len(_LATIN.findall(lowered)) else "en"


def lemmas(text: str) -> list[str]:
    """Lower-cased lemma tokens in text order; numbers and punctuation dropped."""
    return [_lemma(word) for word in _WORD.findall(text.lower())]


@lru_cache(maxsize=1)
def stop_lemmas() -> frozenset[str]:
    """The built-in ru+en stop words, as lemmas (so every form of them is dropped)."""
    return frozenset(lemmas(_STOP_WORDS_RU + _STOP_WORDS_EN))


def content_lemmas(text: str) -> list[str]:
    """``lemmas(text)`` without stop words: what clustering looks at."""
    stop = stop_lemmas()
    return [lemma for lemma in lemmas(text) if lemma not in stop]


def content_words(text: str) -> list[tuple[str, str]]:
    """``(word as written, lower-cased; its lemma)`` for each word ``content_lemmas`` keeps."""
    stop = stop_lemmas()
    pairs = ((word, _lemma(word)) for word in _WORD.findall(text.lower()))
    return [(word, lemma) for word, lemma in pairs if lemma not in stop]
