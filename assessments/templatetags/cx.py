"""Presentation helpers for templates: localised library texts, dashes and priority words."""

from django import template
from django.utils.translation import get_language, pgettext

from cxaudit.recommendations import priority_level

register = template.Library()


@register.filter
def loc(text) -> str:
    """A library text (``LocalizedText``) in the current language."""
    if text is None:
        return ""
    return text.get(get_language() or "ru")


@register.filter
def lookup(mapping, key):
    """``mapping[key]`` for dictionaries keyed by something a template cannot spell."""
    if mapping is None:
        return None
    return mapping.get(key)


@register.filter
def dash(value):
    """The value, or a dash when it is missing (0 and 0.0 are values, not missing)."""
    return "—" if value is None or value == "" else value


@register.filter
def priority_word(priority) -> str:
    """A recommendation's priority as a word (high, medium, low), never a bare number."""
    if priority is None or priority == "":
        return "—"
    words = {
        "high": pgettext("priority", "high"),
        "medium": pgettext("priority", "medium"),
        "low": pgettext("priority", "low"),
    }
    return words[priority_level(priority)]
