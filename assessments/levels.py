"""Names and meanings of the five maturity levels (METHODOLOGY §7.3), translated."""

from django.utils.translation import gettext_lazy as _

LEVEL_NAMES = {
    1: _("Reactive"),
    2: _("Emerging"),
    3: _("Defined"),
    4: _("Managed"),
    5: _("Customer-led"),
}
LEVEL_DESCRIPTIONS = {
    1: _(
        "Service happens case by case; problems surface only through complaints and nothing "
        "is measured."
    ),
    2: _("Good practices exist in places but depend on individuals and are not repeated reliably."),
    3: _("Standards, scripts and a feedback routine are written down and followed by the team."),
    4: _(
        "Customer and employee metrics are collected regularly, reviewed monthly and turned "
        "into owned actions."
    ),
    5: _(
        "Customer insight steers strategy and product; staff are empowered and problems are "
        "prevented, not repaired."
    ),
}


def level_name(level: int | None) -> str:
    return str(LEVEL_NAMES.get(level, "—")) if level else "—"


def level_names() -> list[str]:
    return [str(LEVEL_NAMES[level]) for level in range(1, 6)]
