"""Branding: the consultancy's settings page (its consultants only) and the public logo."""

from tests.integration.access import everyone

OWN_CONSULTANCY_ONLY = {
    "consultant": 200,
    "other_consultant": 404,
    "manager": 404,
    "staff": 404,
    "other_staff": 404,
    "anonymous": 302,
}

MATRIX = {
    "accounts:branding-edit": (lambda w: [w["company"].parent_id], OWN_CONSULTANCY_ONLY),
    "accounts:branding-logo": (lambda w: [w["branding"].logo_key], everyone(200)),
}

POST = {
    "accounts:branding-edit": {**OWN_CONSULTANCY_ONLY, "consultant": 302},
}

POST_DATA = {
    "accounts:branding-edit": lambda w: {
        "display_name": "Новый бренд",
        "contact_line": "+7 495 000-00-00",
        "primary_colour": "#224466",
        "accent_colour": "#ffcc00",
    },
}


def build_world(world):
    from tests.branding_factories import branding_make

    return {"branding": branding_make(world["company"].parent, display_name="Бренд А")}
