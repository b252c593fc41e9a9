"""One ranking of a user's roles in a company, used by the access checks and the start page."""

import pytest

from cxaudit.accounts.selectors import company_role
from cxaudit.dashboard import managed_companies
from tests.factories import CompanyFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("roles", "expected"),
    [
        ((), None),
        (("staff",), "staff"),
        (("manager",), "manager"),
        (("consultant",), "consultant"),
        (("consultant", "manager"), "consultant"),
    ],
)
def test_the_strongest_role_wins(consultancy, company, roles, expected):
    user = UserFactory()
    for role in roles:
        place = consultancy if role == "consultant" else company
        MembershipFactory(user=user, organisation=place, role=role)

    assert company_role(user=user, company=company) == expected
    assert (company in managed_companies(user=user)) is (expected in ("consultant", "manager"))


def test_a_role_elsewhere_counts_for_nothing(consultancy, company):
    elsewhere = CompanyFactory(parent=consultancy)
    user = UserFactory()
    MembershipFactory(user=user, organisation=elsewhere, role="manager")
    rival = CompanyFactory()
    MembershipFactory(user=user, organisation=rival.parent, role="consultant")

    assert company_role(user=user, company=company) is None
    assert set(managed_companies(user=user)) == {elsewhere, rival}


def test_a_consultancy_member_who_is_not_a_consultant_runs_no_client(consultancy, company):
    user = UserFactory()
    MembershipFactory(user=user, organisation=consultancy, role="staff")

    assert company_role(user=user, company=company) is None
    assert not managed_companies(user=user).exists()
