"""The built-in recommendation rules and how their texts read.

A recommendation or action made from a rule stores its text blank (the rule's key), so every
reader gets it in their language; text the consultant typed is shown as typed. Models,
selectors and services all read texts through here, so it depends only on `cxaudit.library`.
"""

from django.utils import translation
from django.utils.translation import get_language

from cxaudit.library import rule_catalogue


def rule_text(rule_id: str, language: str | None = None) -> str:
    """The rule's recommendation in ``language`` (the active one by default); "" for a rule
    the catalogue no longer has."""
    try:
        rule = rule_catalogue().get(rule_id)
    except KeyError:
        return ""
    return rule.text.get(language or get_language() or "ru")


def is_rule_text(*, rule_id: str, text: str) -> bool:
    """Whether ``text`` is the rule's own text in one of the languages."""
    try:
        rule = rule_catalogue().get(rule_id)
    except KeyError:
        return False
    return text in (rule.text.ru, rule.text.en)


def rule_wording(*, rule_id: str, typed: str) -> str:
    """What the reader sees of a recommendation or action: the consultant's wording, else
    (blank, or a copy of the rule's text in either language) the rule's text in the active
    language."""
    if not rule_id or (typed and not is_rule_text(rule_id=rule_id, text=typed)):
        return typed
    return rule_text(rule_id) or typed


def recommendation_text(recommendation, language: str | None = None) -> str:
    """A rule's own text in the reader's language (or ``language``), an edited one as
    written; for a stored recommendation or one the engine proposes now."""
    with translation.override(language or get_language() or "ru"):
        return rule_wording(rule_id=recommendation.rule_id, typed=recommendation.text)
