"""The reader's number conventions, for code that formats numbers outside templates.

The pure chart module knows no locale: its callers pass ``decimal=decimal_mark()``, so a
chart prints 50,0 in Russian and 50.0 in English, like the tables beside it.
"""

from django.utils.formats import get_format


def decimal_mark() -> str:
    """The decimal separator of the active language ("," in Russian, "." in English)."""
    return str(get_format("DECIMAL_SEPARATOR"))
