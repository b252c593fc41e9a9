from tests.factories import InvitationFactory
from tests.integration.access import SIGNED_IN, company_page, everyone, signed_in

# url name -> (function building reverse() args from the world, expected status per actor)
MATRIX = {
    "healthz": (lambda w: [], everyone(200)),
    "accounts:dashboard": (lambda w: [], signed_in(200)),
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
    "accounts:invitation-revoke": (lambda w: [w["invitation"].pk], signed_in(405)),
    "accounts:invitation-accept": (lambda w: [w["token"]], everyone(200)),
}


def build_world(world):
    from cxaudit.accounts.services import invitation_token

    invitation = InvitationFactory(organisation=world["company"], email="newcomer@example.com")
    return {"invitation": invitation, "token": invitation_token(invitation)}
