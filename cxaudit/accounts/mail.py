"""The HTML alternative of a plain-text e-mail sent for a branded consultancy's client:
the consultancy's logo and name above the same text, links made clickable. Unbranded
e-mails stay plain text only, as they were."""

from django.template.loader import render_to_string

from .selectors import Brand, branding_logo_url


def brand_alternative(*, text: str, branding: Brand | None) -> str | None:
    """HTML for ``text`` under the brand's logo and name; None without a branding."""
    if branding is None:
        return None
    # A body from render_to_string is marked safe (it was rendered with autoescape off):
    # as a plain str again, it is escaped here like any text.
    plain = "".join([text])
    context = {
        "text": plain,
        "branding": branding,
        "branding_logo_url": branding_logo_url(branding),
    }
    return render_to_string("accounts/email/branded.html", context)
