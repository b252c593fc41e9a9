from tests.factories import InvitationFactory
from tests.integration.access import (
    SIGNED_IN,
    Refused,
    company_page,
    everyone,
    post_page,
    signed_in,
)

# url name -> (function building reverse() args from the world, expected status per actor)
MATRIX = {
    "healthz": (lambda w: [], everyone(200)),
    "dashboard": (lambda w: [], signed_in(200)),
    "accounts:login": (lambda w: [], {**dict.fromkeys(SIGNED_IN, 302), "anonymous": 200}),
    "accounts:logout": (lambda w: [], everyone(405)),
    "accounts:password-reset": (lambda w: [], everyone(200)),
    "accounts:password-reset-done": (lambda w: [], everyone(200)),
    "accounts:password-reset-confirm": (lambda w: ["MQ", "bad-token"], everyone(200)),
    "accounts:password-reset-complete": (lambda w: [], everyone(200)),
    "accounts:profile": (lambda w: [], signed_in(200)),
    "accounts:language-set": (lambda w: [], everyone(405)),
    "accounts:company-create": (
        lambda w: [],
        {
            "consultant": 200,
            "other_consultant": 200,
            "manager": 404,
            "staff": 404,
            "other_staff": 404,
            "anonymous": 302,
        },
    ),
    "accounts:company-detail": (lambda w: [w["company"].pk], company_page()),
    "accounts:invitation-create": (lambda w: [w["company"].pk], company_page(staff=302)),
    "accounts:company-benchmark-edit": (
        lambda w: [w["company"].pk],
        company_page(manager=404, staff=404),
    ),
    "accounts:invitation-revoke": (lambda w: [w["invitation"].pk], signed_in(405)),
    "accounts:invitation-accept": (lambda w: [w["token"]], everyone(200)),
}

# url name -> POST status per actor (the arguments come from MATRIX; bodies from POST_DATA)
POST = {
    "accounts:login": {**dict.fromkeys(SIGNED_IN, 302), "anonymous": 200},
    "accounts:logout": everyone(302),
    "accounts:password-reset": everyone(200),
    "accounts:password-reset-confirm": everyone(200),
    "accounts:profile": signed_in(302),
    "accounts:language-set": everyone(302),
    "accounts:company-create": {**post_page(manager=404), "other_consultant": Refused(200)},
    "accounts:invitation-create": post_page(staff=Refused(302)),
    "accounts:company-benchmark-edit": post_page(manager=404),
    "accounts:invitation-revoke": post_page(),
    "accounts:invitation-accept": {**signed_in(Refused(302)), "anonymous": 302},
}

POST_DATA = {
    "accounts:profile": lambda w: {"full_name": "Renamed", "language": "en"},
    "accounts:language-set": lambda w: {"language": "en", "next": "/"},
    "accounts:company-create": lambda w: {"name": "New client", "parent": w["company"].parent_id},
    "accounts:company-benchmark-edit": lambda w: {"industry": "Банки", "size_band": "medium"},
    "accounts:invitation-create": lambda w: {
        "email": "new.person@example.com",
        "role": "staff",
        "language": "en",
    },
    "accounts:invitation-accept": lambda w: {
        "full_name": "Nina New",
        "password1": "sturdy-pass-9421",
        "password2": "sturdy-pass-9421",
    },
}


def build_world(world):
    from cxaudit.accounts.services import invitation_token

    invitation = InvitationFactory(organisation=world["company"], email="newcomer@example.com")
    return {"invitation": invitation, "token": invitation_token(invitation)}
