"""Building blocks of the access matrix; each app lists its URLs in ``access_<app>.py``."""

from django.apps import apps

from tests.conftest import ROLES

# Rows a refused request may legitimately touch: the session store and axes' login records.
UNWATCHED_TABLES = {"django_session", "axes_accesslog", "axes_accessattempt"}

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


class Refused(int):
    """An expected status for a role the view turns away without changing anything, where
    the status alone does not say so (a redirect with a message, a re-rendered page)."""


def post_page(consultant=302, manager=302, staff=404):
    """A POST row for a company's page: outsiders 404, anonymous visitors sent to sign in."""
    return company_page(consultant=consultant, manager=manager, staff=staff)


def snapshot() -> dict:
    """Every row of every watched table, so updates show up as well as inserts and deletes."""
    state = {}
    for model in apps.get_models():
        table = model._meta.db_table
        if table in UNWATCHED_TABLES or not model._meta.managed:
            continue
        state[table] = list(model._base_manager.order_by("pk").values_list())
    return state


def changed_tables(before: dict, after: dict) -> list[str]:
    return sorted(table for table in before if before[table] != after.get(table))
