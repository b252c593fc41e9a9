"""Building blocks of the access matrix; each app lists its URLs in ``access_<app>.py``."""

from tests.conftest import ROLES

SIGNED_IN = {"consultant", "other_consultant", "manager", "staff", "other_staff"}


def everyone(status):
    return dict.fromkeys(ROLES, status)


def signed_in(status, anonymous=302):
    return {**dict.fromkeys(SIGNED_IN, status), "anonymous": anonymous}


def company_page(consultant=200, manager=200, staff=200):
    return {
        "consultant": consultant,
        "other_consultant": 404,
        "manager": manager,
        "staff": staff,
        "other_staff": 404,
        "anonymous": 302,
    }
