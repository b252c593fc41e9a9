"""The consultant's report text as HTML: the one place its markup is marked safe.

``cxaudit.richtext.to_html`` escapes every character typed and produces only paragraphs,
lists and bold, so the results page and the PDF show the same, and no typed markup."""

from django import template
from django.utils.safestring import SafeString, mark_safe

from cxaudit import richtext as formatter

register = template.Library()


@register.filter
def richtext(value) -> SafeString:
    """Blocks of ``cxaudit.richtext.parse`` (or a text shown with its blocks) as HTML;
    nothing for ``None`` or no blocks."""
    blocks = tuple(getattr(value, "blocks", value) or ())
    return mark_safe(formatter.to_html(blocks))  # noqa: S308 - to_html escapes every character
