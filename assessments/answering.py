"""How each answer scale is offered to a respondent: the choices and their labels.

The preview of an instrument and the audit answer page use the same choices, so the preview
is exactly what a respondent sees.
"""

from dataclasses import dataclass

from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from cxaudit.instrument_schema import Item

DEFAULT_LABELS = {
    "yes-no": [(1, _("Yes")), (0, _("No"))],
    "plus": [(1, _("Yes, this is true for us"))],
    "yes-partial-no": [(2, _("Yes")), (1, _("Partly")), (0, _("No"))],
    "likert-5": [
        (1, _("1 — not at all")),
        (2, "2"),
        (3, "3"),
        (4, "4"),
        (5, _("5 — fully")),
    ],
    "0-10": [(n, str(n)) for n in range(11)],
}
OPTION_KEYS = {"yes-partial-no": {2: "yes", 1: "partial", 0: "no"}, "yes-no": {1: "yes", 0: "no"}}


@dataclass(frozen=True)
class Choice:
    value: int
    label: str


def item_choices(item: Item) -> list[Choice]:
    """The choices for a scored item, using the item's own option labels where it has them."""
    language = get_language() or "ru"
    names = OPTION_KEYS.get(item.scale, {})
    options = item.options or {}
    choices = []
    for value, default in DEFAULT_LABELS.get(item.scale, []):
        option = options.get(names.get(value, str(value)))
        choices.append(Choice(value, option.get(language) if option else str(default)))
    return choices


def item_widget(item: Item) -> str:
    """Which input a template draws: radio, checkbox, scale (0-10 row), number or text."""
    if item.scale == "plus":
        return "checkbox"
    if item.scale == "0-10":
        return "scale"
    if item.scale in ("number", "text"):
        return item.scale
    return "radio"
