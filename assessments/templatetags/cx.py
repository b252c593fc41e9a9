"""Presentation helpers for templates: localised library texts, maturity badges and a
fragment cache that a failing cache server cannot break."""

from django import template
from django.core.cache.utils import make_template_fragment_key
from django.utils.translation import get_language, pgettext

from cxaudit.caching import cache_get, cache_set
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


class QuietCacheNode(template.Node):
    def __init__(self, nodelist, timeout, name: str, vary_on):
        self.nodelist, self.timeout, self.name, self.vary_on = nodelist, timeout, name, vary_on

    def render(self, context) -> str:
        key = make_template_fragment_key(self.name, [v.resolve(context) for v in self.vary_on])
        value = cache_get(key)
        if value is None:
            value = self.nodelist.render(context)
            cache_set(key, value, self.timeout.resolve(context))
        return value


@register.tag
def quiet_cache(parser, token):
    """``{% quiet_cache seconds "name" key… %}…{% endquiet_cache %}``: Django's ``{% cache %}``
    with the same fragment keys, but when the cache server fails the body is rendered
    uncached (and logged) instead of failing the page."""
    bits = token.split_contents()
    if len(bits) < 3:
        raise template.TemplateSyntaxError(f"{bits[0]} takes a timeout, a name and keys.")
    nodelist = parser.parse((f"end{bits[0]}",))
    parser.delete_first_token()
    return QuietCacheNode(
        nodelist,
        parser.compile_filter(bits[1]),
        bits[2],
        [parser.compile_filter(b) for b in bits[3:]],
    )
