import re
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from cxaudit.accounts.models import Invitation, Membership, Organisation, User
from cxaudit.accounts.services import invitation_token
from tests.factories import PASSWORD, InvitationFactory, UserFactory

pytestmark = pytest.mark.django_db


def invite(client, company, email="new.person@example.com", role="staff", language="en"):
    return client.post(
        reverse("accounts:invitation-create", args=[company.pk]),
        {"email": email, "role": role, "language": language},
    )


def link_from(message) -> str:
    return re.search(r"http://testserver(/invite/[^\s]+/)", message.body).group(1)


def test_sign_in_with_email_and_password(client, actors):
    response = client.post(
        reverse("accounts:login"), {"username": "manager@example.com", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert client.get(reverse("dashboard")).context["user"] == actors["manager"]


def test_wrong_password_gets_a_clear_message_in_russian(client, actors):
    response = client.post(
        reverse("accounts:login"), {"username": "manager@example.com", "password": "nope"}
    )
    assert response.status_code == 200
    assert "Неверная почта или пароль" in response.content.decode()


def test_repeated_failures_lock_the_login(client, actors, settings):
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("accounts:login"), {"username": "staff@example.com", "password": "x"})
    response = client.post(
        reverse("accounts:login"), {"username": "staff@example.com", "password": PASSWORD}
    )
    assert response.status_code == 429
    assert "Слишком много неудачных попыток" in response.content.decode()


def test_dashboard_lists_only_reachable_companies(client_for, company, other_company):
    page = client_for("consultant").get(reverse("dashboard")).content.decode()
    assert company.name in page
    assert other_company.name not in page
    page = client_for("other_staff").get(reverse("dashboard")).content.decode()
    assert other_company.name in page
    assert company.name not in page


def test_consultant_creates_a_client_company(client_for, consultancy):
    response = client_for("consultant").post(
        reverse("accounts:company-create"),
        {"name": "Пекарня", "industry": "Retail", "parent": consultancy.pk},
    )
    company = Organisation.objects.get(name="Пекарня")
    assert company.parent == consultancy
    assert response.url == reverse("accounts:company-detail", args=[company.pk])


def test_consultant_cannot_create_a_company_in_another_consultancy(client_for, other_company):
    response = client_for("consultant").post(
        reverse("accounts:company-create"), {"name": "Stolen", "parent": other_company.parent.pk}
    )
    assert response.status_code == 200
    assert not Organisation.objects.filter(name="Stolen").exists()


def test_invitation_email_is_sent_in_the_chosen_language(
    client_for, company, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = invite(client_for("manager"), company, language="ru")
    assert response.status_code == 302
    (message,) = mail.outbox
    assert message.to == ["new.person@example.com"]
    assert "Приглашение" in message.subject
    assert Invitation.objects.get(email="new.person@example.com").sent_at is not None


def test_new_person_accepts_and_gets_an_account(
    client, client_for, company, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invite(client_for("consultant"), company)
    link = link_from(mail.outbox[0])
    response = client.post(
        link,
        {"full_name": "Nina New", "password1": "sturdy-pass-9421", "password2": "sturdy-pass-9421"},
    )
    assert response.status_code == 302
    user = User.objects.get(email="new.person@example.com")
    assert Membership.objects.get(user=user, organisation=company).role == "staff"
    # The link works once.
    second = client.get(link)
    assert second.status_code == 410


def test_existing_user_is_asked_to_sign_in_then_accepts(client, company, actors):
    person = UserFactory(email="known@example.com")
    invitation = InvitationFactory(organisation=company, email="known@example.com", role="manager")
    url = reverse("accounts:invitation-accept", args=[invitation_token(invitation)])
    assert "sign_in_url" in client.get(url).context
    client.force_login(person, backend="django.contrib.auth.backends.ModelBackend")
    client.post(url)
    assert Membership.objects.get(user=person, organisation=company).role == "manager"


def test_expired_invitation_is_refused_and_creates_nothing(client, company):
    invitation = InvitationFactory(organisation=company, email="late@example.com")
    url = reverse("accounts:invitation-accept", args=[invitation_token(invitation)])
    with time_machine.travel(timezone.now() + timedelta(days=8)):
        response = client.post(
            url, {"full_name": "Late", "password1": "x" * 12, "password2": "x" * 12}
        )
    assert response.status_code == 410
    assert "expired" in response.content.decode() or "истёк" in response.content.decode()
    assert not User.objects.filter(email="late@example.com").exists()


def test_tampered_token_is_refused(client):
    response = client.get(reverse("accounts:invitation-accept", args=["not-a-token"]))
    assert response.status_code == 410


def test_withdrawn_invitation_is_refused(client_for, client, company):
    invitation = InvitationFactory(organisation=company)
    client_for("manager").post(reverse("accounts:invitation-revoke", args=[invitation.pk]))
    response = client.get(
        reverse("accounts:invitation-accept", args=[invitation_token(invitation)])
    )
    assert response.status_code == 410


def test_outsider_cannot_withdraw_an_invitation(client_for, company):
    invitation = InvitationFactory(organisation=company)
    response = client_for("other_consultant").post(
        reverse("accounts:invitation-revoke", args=[invitation.pk])
    )
    assert response.status_code == 404
    invitation.refresh_from_db()
    assert invitation.revoked_at is None


def test_invalid_email_gets_a_message_and_sends_nothing(client_for, company):
    response = invite(client_for("manager"), company, email="not-an-email")
    assert response.status_code == 200
    assert response.context["form"].errors["email"]
    assert not Invitation.objects.exists()
    assert not mail.outbox


def test_inviting_an_existing_member_is_refused(client_for, company):
    response = invite(client_for("manager"), company, email="staff@example.com")
    assert "уже состоит" in response.content.decode()
    assert not Invitation.objects.exists()


def test_staff_opening_the_invite_form_is_told_and_nothing_changes(client_for, company):
    client = client_for("staff")
    response = invite(client, company)
    assert response.status_code == 302
    assert not Invitation.objects.exists()
    page = client.get(response.url).content.decode()
    assert "Приглашать людей могут только" in page


def test_staff_cannot_invite_with_a_forged_role(client_for, company):
    invite(client_for("manager"), company, role="consultant")
    assert not Invitation.objects.exists()


def test_inviting_again_replaces_the_pending_link(client_for, company):
    invite(client_for("manager"), company, email="twice@example.com")
    invite(client_for("manager"), company, email="twice@example.com")
    assert Invitation.objects.pending().filter(email="twice@example.com").count() == 1


def test_unknown_company_id_is_404(client_for):
    assert (
        client_for("consultant").get(reverse("accounts:company-detail", args=[999999])).status_code
        == 404
    )


def test_language_switch_sets_cookie_and_profile(client_for, actors):
    client = client_for("staff")
    response = client.post(reverse("accounts:language-set"), {"language": "en", "next": "/"})
    assert response.cookies["cxaudit_language"].value == "en"
    actors["staff"].refresh_from_db()
    assert actors["staff"].language == "en"
    assert "Companies" in client.get("/").content.decode()


def test_russian_is_the_default_language(client_for):
    page = client_for("manager").get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Компании" in page


def test_language_switch_refuses_external_redirects(client):
    response = client.post(
        reverse("accounts:language-set"), {"language": "en", "next": "https://evil.example/"}
    )
    assert response.url == "/"


def test_profile_changes_language(client_for, actors):
    client_for("manager").post(reverse("accounts:profile"), {"full_name": "B", "language": "en"})
    actors["manager"].refresh_from_db()
    assert actors["manager"].language == "en"


def test_company_page_query_count_is_bounded(client_for, company, django_assert_max_num_queries):
    for n in range(20):
        InvitationFactory(organisation=company, email=f"bulk{n}@example.com")
        UserFactory.create(email=f"member{n}@example.com").memberships.create(
            organisation=company, role="staff"
        )
    client = client_for("manager")
    with django_assert_max_num_queries(10):
        client.get(reverse("accounts:company-detail", args=[company.pk]))


def test_dashboard_query_count_is_bounded(client_for, consultancy, django_assert_max_num_queries):
    from tests.factories import CompanyFactory

    CompanyFactory.create_batch(20, parent=consultancy)
    client = client_for("consultant")
    # The companies, plus one query each for the next-step lists (see test_dashboard.py).
    with django_assert_max_num_queries(10):
        client.get(reverse("dashboard"))


def test_healthz_reports_a_missing_broker(client, monkeypatch):
    from cxaudit import views

    monkeypatch.setattr(views, "_broker_ok", lambda: False)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["failing"] == ["broker"]


def test_healthz_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200


def test_migration_lower_cases_emails_but_never_merges_two_accounts():
    import importlib

    from django.apps import apps

    migration = importlib.import_module("cxaudit.accounts.migrations.0002_lowercase_emails")
    mixed, clash, kept = (UserFactory() for _n in range(3))
    User.objects.filter(pk=mixed.pk).update(email="Mixed.Case@Example.com")
    User.objects.filter(pk=clash.pk).update(email="Kept@Example.com")
    User.objects.filter(pk=kept.pk).update(email="kept@example.com")
    migration.lowercase_emails(apps, None)
    emails = dict(User.objects.values_list("pk", "email"))
    assert emails[mixed.pk] == "mixed.case@example.com"
    assert (emails[clash.pk], emails[kept.pk]) == ("Kept@Example.com", "kept@example.com")
