"""E-mail addresses as sign-in names: one spelling for storing, looking up and lockout.

Accounts are stored lower-cased, so ``Alice@Example.com`` signs in to ``alice@example.com``,
cannot be registered a second time, and counts towards the same django-axes lockout.
"""

from __future__ import annotations

import unicodedata


def email_normalize(email: str) -> str:
    """The stored form of an e-mail address: NFKC, trimmed and lower-cased."""
    return unicodedata.normalize("NFKC", email).strip().lower()


def axes_username(request, credentials) -> str | None:
    """``AXES_USERNAME_CALLABLE``: failures are counted against the stored spelling."""
    from django.conf import settings

    field = settings.AXES_USERNAME_FORM_FIELD
    if credentials:
        username = credentials.get(field)
    else:
        username = getattr(request, "data", request.POST).get(field)
    return email_normalize(username) if isinstance(username, str) else username
